// huey.createConsumer({ workerType: 'thread' | 'process' }) from the API:
// a user's script (fixtures/pool-script.js) run as a real process builds the
// consumer; tasks run in its worker threads or child processes, checked by
// their results. The workers import the module that created the huey by
// default, or `module`; what cannot work is refused with a clear error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The built package (as the fixtures use): its worker entry files are JavaScript.
import { ConfigurationError, MemoryHuey, SimpleHuey } from 'huey-ts';
import type { Logger } from '../../src/huey/logger.js';
import type { Server } from '../../src/server/index.js';
import { Spawned, appEnv, producer, requireBuild, simpledb, uniqueName } from '../cli/helpers.js';

const SCRIPT = 'test/cli/fixtures/pool-script.js';

describe('createConsumer with thread and process workers', () => {
  let server: Server;
  const running: Spawned[] = [];
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    requireBuild();
    server = await simpledb();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    await Promise.all(closers.splice(0).map((c) => c()));
  });
  afterAll(async () => {
    await server.close();
  });

  function script(file: string, env: Record<string, string>): Spawned {
    const p = new Spawned(process.execPath, [file], env);
    running.push(p);
    return p;
  }

  function tasksOf(name: string) {
    const tasks = producer(server.port, name);
    closers.push(() => tasks.huey.close());
    return tasks;
  }

  for (const kind of ['thread', 'process'] as const) {
    it(`${kind} workers, from a script; the workers import the module that created the huey`, async () => {
      const name = uniqueName(`api-${kind}`);
      const p = script(SCRIPT, { ...appEnv(server.port, name), KIND: kind });
      await p.waitFor('started; workers import');
      expect(p.stdout).toMatch(/workers import .*test\/cli\/fixtures\/app\.js/);
      const { whoami } = tasksOf(name);
      const results = await Promise.all([1, 2, 3, 4].map(async () => (await whoami()).get({ blocking: true, timeout: 30 })));
      for (const r of results) {
        if (kind === 'thread') {
          expect(r?.pid).toBe(p.pid);
          expect(r?.threadId).toBeGreaterThan(0);
        } else {
          expect(r?.pid).not.toBe(p.pid);
          expect(r?.threadId).toBe(0);
        }
      }
      p.signal('SIGINT');
      await p.waitFor('stopped');
      expect((await p.waitExit()).code).toBe(0);
    });
  }

  it('a module named with { module }; one its workers cannot load makes start() reject', async () => {
    const name = uniqueName('api-module');
    const wrong = script(SCRIPT, { ...appEnv(server.port, name), KIND: 'thread', MODULE: 'test/cli/fixtures/app.js:nope' });
    expect((await wrong.waitExit()).code).toBe(3);
    expect(wrong.stderr).toMatch(/start failed: worker \d could not start: module ".*app\.js" has no export named "nope" \(it exports: .*huey/);

    const right = script(SCRIPT, { ...appEnv(server.port, name), KIND: 'process', MODULE: 'test/cli/fixtures/app.js:huey' });
    await right.waitFor('started; workers import');
    const { whoami } = tasksOf(name);
    expect((await (await whoami()).get({ blocking: true, timeout: 30 }))?.pid).not.toBe(right.pid);
    right.signal('SIGINT');
    expect((await right.waitExit()).code).toBe(0);
  });

  it('refuses a huey created in the script that starts the consumer, a missing module, a memory huey and unknown kinds', async () => {
    const single = script('test/cli/fixtures/pool-single.js', appEnv(server.port, uniqueName('api-single')));
    expect((await single.waitExit()).code).toBe(0);
    expect(single.stderr).toMatch(/the huey is created in the script that starts the consumer .*pool-single\.js.*declare the huey and its tasks in a module of their own/);

    const huey = new SimpleHuey(uniqueName('api-missing'), { url: `redis://127.0.0.1:${server.port}` });
    closers.push(() => huey.close());
    expect(() => huey.createConsumer({ workerType: 'thread', module: 'test/no-such-module.js' })).toThrow(ConfigurationError);
    expect(() => huey.createConsumer({ workerType: 'thread', module: 'test/no-such-module.js' })).toThrow(/cannot find module "test\/no-such-module.js"/);
    const memory = new MemoryHuey(uniqueName('api-memory'));
    expect(() => memory.createConsumer({ workerType: 'process', module: 'test/cli/fixtures/app.js' })).toThrow(/keeps its queue in memory; process workers each have their own memory/);
    expect(() => huey.createConsumer({ workerType: 'fibers' as never })).toThrow(/workerType must be one of async, greenlet, thread, process/);
  });

  it('a module given as a file URL; the workers\' log lines go to the consumer\'s logger; a task missing in the workers is named', async () => {
    const name = uniqueName('api-log');
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m) => lines.push(`debug ${m}`),
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    };
    const huey = new SimpleHuey(name, { url: `redis://127.0.0.1:${server.port}` });
    closers.push(() => huey.close());
    huey.task(() => 'only here', { name: 'onlyInThisProcess' });
    const prev = { name: process.env.HUEY_NAME, url: process.env.HUEY_URL };
    Object.assign(process.env, appEnv(server.port, name));
    // A file URL, its hash naming the export.
    const consumer = huey.createConsumer({ workerType: 'thread', module: new URL('../cli/fixtures/app.js#huey', import.meta.url), logger });
    expect(consumer.module).toMatchObject({ path: expect.stringMatching(/test\/cli\/fixtures\/app\.js$/), exportName: 'huey' });
    try {
      await consumer.start();
    } finally {
      process.env.HUEY_NAME = prev.name;
      process.env.HUEY_URL = prev.url;
      if (prev.name === undefined) delete process.env.HUEY_NAME;
      if (prev.url === undefined) delete process.env.HUEY_URL;
    }
    expect(lines).toContainEqual(expect.stringMatching(/^info Worker-1: worker 1 ready \(thread \d+/));
    expect(lines).toContainEqual(expect.stringMatching(/^warn worker 1 does not know task\(s\) onlyInThisProcess/));
    await consumer.stop();
    expect(consumer.running).toBe(false);
    expect(lines).toContainEqual('info Worker-1: worker 1 stopped');
  });
});
