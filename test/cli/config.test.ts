// App integration through huey-consumer run as a process: settings from
// huey.config.js (command line and HUEY_WORKERS first), task discovery from
// a folder, several modules or a glob, and alwaysEager from the config
// under NODE_ENV=test. The fixture app is test/cli/fixtures/discover-app:
// two feature folders with a tasks.js each, sharing one SqliteHuey.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteHuey } from '../../src/huey/index.js';
import { useScratchApp } from '../helpers/scratch-app.js';
import { runCli, uniqueName } from './helpers.js';

const APP = 'test/cli/fixtures/discover-app';
const CONFIG = `${APP}/huey.config.js`;

describe('huey.config.js and task discovery', () => {
  const { env, path, start, node, keep } = useScratchApp({
    prefix: 'huey-config-',
    // vitest sets NODE_ENV=test, which the children would inherit (and the config makes that eager).
    env: (path) => ({ HUEY_SQLITE_FILE: path('huey.db'), HUEY_NAME: uniqueName('cfg'), NODE_ENV: 'development' }),
  });

  /** Enqueues one task of each feature and checks both run. */
  async function bothFeaturesRun(): Promise<void> {
    const huey = keep(new SqliteHuey(env.HUEY_NAME, { filename: env.HUEY_SQLITE_FILE }));
    const sendMail = huey.task((() => '') as (to: string) => string, { name: 'sendMail' });
    const charge = huey.task((() => 0) as (cents: number) => number, { name: 'charge' });
    expect(await (await sendMail('ada@example.com')).get({ blocking: true, timeout: 20 })).toBe('sent to ada@example.com');
    expect(await (await charge(21)).get({ blocking: true, timeout: 20 })).toBe(42);
  }

  it('with --config and no module: the tasks and the consumer options come from the config', async () => {
    const p = start(['--config', CONFIG]);
    await p.waitFor('ready; stop with Ctrl+C');
    expect(p.output).toContain('settings from ');
    expect(p.output).toMatch(/workers=2 worker-type=thread/);
    expect(p.output).toMatch(/\+ charge\n\+ sendMail/);
    await bothFeaturesRun();
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);
  });

  it('the command line comes first, then HUEY_WORKERS, then the config', async () => {
    const cli = start(['--config', CONFIG, '-w', '3', '-k', 'async'], { HUEY_WORKERS: '4' });
    const fromEnv = start(['--config', CONFIG], { HUEY_WORKERS: '4', HUEY_NAME: uniqueName('cfg') });
    await Promise.all([cli.waitFor('ready; stop with Ctrl+C'), fromEnv.waitFor('ready; stop with Ctrl+C')]);
    expect(cli.output).toMatch(/workers=3 worker-type=async/);
    expect(fromEnv.output).toMatch(/workers=4 worker-type=thread/);
  });

  it('a folder: every tasks.js under it is loaded (and nothing else), in async and process workers', async () => {
    for (const kind of ['async', 'process'] as const) {
      env.HUEY_NAME = uniqueName('cfg');
      const p = start([`${APP}/features`, '-k', kind, '-w', '2']);
      await p.waitFor('ready; stop with Ctrl+C');
      expect(p.output).toMatch(/\+ charge\n\+ sendMail/);
      expect(p.output).not.toContain('helpers.js was imported');
      await bothFeaturesRun();
      p.signal('SIGINT');
      expect((await p.waitExit()).code).toBe(0);
    }
  });

  it('a glob, and several modules', async () => {
    const glob = start([`${APP}/**/tasks.js`]);
    await glob.waitFor('ready; stop with Ctrl+C');
    expect(glob.output).toMatch(/\+ charge\n\+ sendMail/);
    await bothFeaturesRun();
    glob.signal('SIGINT');
    expect((await glob.waitExit()).code).toBe(0);

    env.HUEY_NAME = uniqueName('cfg');
    const several = start([`${APP}/huey.js`, `${APP}/features/billing/tasks.js`, '-k', 'thread']);
    await several.waitFor('ready; stop with Ctrl+C');
    expect(several.output).toMatch(/the following tasks are available:\n\+ charge\n\[/);
  });

  it('the config\'s "module" holds the Huey when the command line names only task folders that do not export it', async () => {
    const before = await runCli([`${APP}/features/billing`], env);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/none of the task modules exports a Huey as "huey"/);

    const p = start(['--config', `${APP}/module.config.js`, `${APP}/features/billing`, '-k', 'thread']);
    await p.waitFor('ready; stop with Ctrl+C');
    expect(p.output).toMatch(/module .*discover-app\/huey\.js, export "huey"/);
    const huey = keep(new SqliteHuey(env.HUEY_NAME, { filename: env.HUEY_SQLITE_FILE }));
    const charge = huey.task((() => 0) as (cents: number) => number, { name: 'charge' });
    expect(await (await charge(21)).get({ blocking: true, timeout: 20 })).toBe(42);
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);

    // A "module" that does not export the Huey is named, with the module that does.
    const file = path('huey.config.json');
    writeFileSync(file, JSON.stringify({ module: join(process.cwd(), APP, 'features/billing/tasks.js') }));
    const wrong = await runCli(['--config', file, `${APP}/features/mail`], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the config's "module" \(.*billing\/tasks\.js\) does not export the Huey as "huey" \(.*mail\/tasks\.js does\)/);
  });

  it('the config takes flushLocks (as -f); an unknown consumer option is named, with the known ones', async () => {
    const file = path('huey.config.json');
    writeFileSync(file, JSON.stringify({ module: 'app.js', consumer: { flush_locks: true } }));
    const bad = await runCli(['--config', file], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/huey.config.json: unknown consumer option\(s\) flush_locks \(known: .*flushLocks\)/);
    writeFileSync(file, JSON.stringify({ module: 'app.js', consumer: { flushLocks: 'yes' } }));
    const wrong = await runCli(['--config', file], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/huey.config.json: consumer.flushLocks must be true or false/);
  });

  it('clear errors: a bad config value, a folder without tasks.js, a glob that matches nothing', async () => {
    const bad = await runCli(['--config', `${APP}/bad/huey.config.json`], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/huey.config.json: consumer.workers workers must be a whole number of at least 1/);
    const empty = await runCli([`${APP}/bad`], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/found no tasks.js under/);
    const none = await runCli([`${APP}/**/nothing-*.js`], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/matches no file/);
    const missing = await runCli(['--config', `${APP}/no-such.config.js`], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config file ".*no-such.config.js" does not exist/);
  });

  it('alwaysEager from the config under NODE_ENV=test: tasks run at the call; a consumer refuses such a huey', async () => {
    const eager = node([`${APP}/eager.js`], { HUEY_CONFIG: CONFIG, NODE_ENV: 'test' });
    expect((await eager.waitExit()).code).toBe(0);
    expect(JSON.parse(eager.stdout)).toEqual({ alwaysEager: true, value: 42, queued: 0 });

    const queued = node([`${APP}/eager.js`], { HUEY_CONFIG: CONFIG, NODE_ENV: 'production' });
    expect((await queued.waitExit()).code).toBe(0);
    expect(JSON.parse(queued.stdout)).toEqual({ alwaysEager: false, value: null, queued: 1 });

    const refused = await runCli(['--config', CONFIG], { ...env, NODE_ENV: 'test' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/has alwaysEager set; a consumer cannot run it/);
  });
});
