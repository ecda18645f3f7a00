// The `huey` command as a user runs it: the built bin as a child process,
// against a consumer process of fixtures/admin-app.js, every subcommand with
// --json parsed, and actions checked by their effect on the queue.
import { resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SimpleHuey } from '../../src/huey/index.js';
import { ROOT, STATE_BOUND_MS, Spawned, consumer, uniqueName } from './helpers.js';

const HUEY_BIN = resolve(ROOT, 'dist/bin/huey.js');
const ADMIN_APP = 'test/cli/fixtures/admin-app.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs `fn` until `ok` holds (fails after STATE_BOUND_MS). */
async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = Date.now() + STATE_BOUND_MS;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`still not there: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function hueyAdminSuite(port: () => number): void {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(cleanup.splice(0).map((f) => f()));
  });

  function setup() {
    const name = uniqueName('admin');
    const url = `redis://127.0.0.1:${port()}`;
    const env = { HUEY_URL: url, HUEY_NAME: name };
    const producer = new SimpleHuey(name, { url });
    cleanup.push(() => producer.close());
    const noop = () => undefined as unknown;
    const tasks = {
      add: producer.task(noop as (a: number, b: number) => number, { name: 'add' }),
      flaky: producer.task(noop as (x: number) => number, { name: 'flaky', retries: 1 }),
      sleepy: producer.task(noop as (ms: number) => number, { name: 'sleepy' }),
    };
    async function huey(args: string[], withApp = false): Promise<Run> {
      const p = new Spawned(process.execPath, [HUEY_BIN, ...args, '--url', url, '--name', name, ...(withApp ? ['--app', ADMIN_APP] : [])], env);
      const { code } = await p.waitExit();
      let json: unknown = undefined;
      if (args.includes('--json') && /^[[{]/.test(p.stdout)) json = JSON.parse(p.stdout);
      return { code, stdout: p.stdout, stderr: p.stderr, json };
    }
    async function startConsumer() {
      const c = consumer([ADMIN_APP, '-w', '4'], env);
      cleanup.push(() => c.dispose());
      await c.waitFor('ready; stop with Ctrl+C');
      return c;
    }
    return { name, producer, tasks, huey, startConsumer };
  }

  it('lists pending tasks, filters by task name, shows one task, and counts them in status', async () => {
    const { tasks, huey } = setup();
    const r = await tasks.add(1, 2);
    // Without a consumer a scheduled task waits in the queue with its eta (the consumer moves it to the schedule).
    const later = await tasks.add.schedule({ args: [5, 5], delay: 3600 });
    const pending = await huey(['pending', '--json']);
    expect(pending.json).toEqual([
      expect.objectContaining({ id: r!.id, task: 'add', args: [1, 2], eta: null }),
      expect.objectContaining({ id: later!.id, task: 'add', args: [5, 5], eta: expect.any(String) }),
    ]);
    expect((await huey(['pending', '--limit', '1', '--json'])).json).toHaveLength(1);
    expect((await huey(['pending', '--task', 'other', '--json'])).json).toEqual([]);
    const status = await huey(['status', '--json']);
    expect(status.json).toMatchObject({ pending: 2, scheduled: 0, inflight: 0, errors: 0, consumers: [], monitoring: true });
    expect((await huey(['show', r!.id, '--json'])).json).toMatchObject({ id: r!.id, state: 'pending', task: { task: 'add', args: [1, 2] } });
    const human = await huey(['pending', '--limit', '1']);
    expect(human.stdout).toMatch(new RegExp(`^id +task +eta +retries +args\\n[- ]+\\n${r!.id} +add +- +0 +\\[1,2\\]$`, 'm'));
    const missing = await huey(['show', 'no-such-id', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ state: 'unknown' });
    expect((await huey(['pending', '--limit', 'x'])).code).toBe(2);
  });

  it('sees the consumer and its in-flight task; results and errors; retry runs a failed task again and its result is stored', async () => {
    const { tasks, huey, producer, startConsumer } = setup();
    const c = await startConsumer();
    // Long enough to be seen in flight by a CLI started after it, even on a loaded machine.
    const slow = await tasks.sleepy(15_000);
    const flight = await poll(() => huey(['inflight', '--json']), (r) => r.json.length > 0);
    const fail = await tasks.flaky(4);
    const ok = await tasks.add(2, 3);
    expect(await ok!.get({ blocking: true, timeout: 10, preserve: true })).toBe(5);

    const status = await huey(['status', '--json']);
    expect(status.json.consumers).toEqual([expect.objectContaining({ alive: true, pid: c.pid, kind: 'async', workers: 4 })]);
    const consumerId = status.json.consumers[0].id as string;
    expect(flight.json).toEqual([expect.objectContaining({ id: slow!.id, task: 'sleepy', consumer: consumerId })]);

    await poll(() => huey(['errors', '--json']), (r) => r.json.length === 2);
    const errors = await huey(['errors', '--task', 'flaky', '--json']);
    expect(errors.json).toEqual([
      expect.objectContaining({ id: fail!.id, task: 'flaky', retries: 0, error: 'Error: not fixed yet: 4' }),
      expect.objectContaining({ id: fail!.id, task: 'flaky', retries: 1 }),
    ]);
    const shown = await huey(['show', fail!.id, '--json']);
    expect(shown.json).toMatchObject({ state: 'failed', error: { task: 'flaky' }, failures: [{}, {}] });
    expect(shown.json.error.traceback).toMatch(/not fixed yet: 4/);
    const results = await huey(['results', '--json']);
    expect(results.json).toEqual(expect.arrayContaining([{ id: ok!.id, kind: 'value', value: 5 }]));

    await producer.put('fixed', true);
    const retried = await huey(['retry', fail!.id, '--json'], true);
    expect(retried.json).toEqual({ retried: [fail!.id] });
    expect(await producer.result(fail!.id, { blocking: true, timeout: 10 })).toBe(40);
    expect((await huey(['errors', '--json'])).json).toEqual([]);
    const again = await huey(['retry', fail!.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no task .* in the error list/);
  });

  it('revoke and restore by task name and id; promote runs a scheduled task now', async () => {
    const { tasks, huey, producer, startConsumer } = setup();
    expect((await huey(['revoke', '--task', 'add', '--json'])).json).toEqual({ revoked: 'add' });
    expect(await producer.isRevoked(tasks.add)).toBe(true);
    expect((await huey(['restore', '--task', 'add', '--json'])).json).toEqual({ restored: 'add', wasRevoked: true });
    expect(await producer.isRevoked(tasks.add)).toBe(false);
    expect((await huey(['revoke', 'some-id', '--until', '2099-01-01T00:00:00Z', '--json'])).json).toEqual({ revoked: 'some-id' });
    expect((await huey(['show', 'some-id', '--json'])).json.revoked).toEqual({ until: '2099-01-01T00:00:00.000Z', once: false });
    const bad = await huey(['revoke', 'x', '--until', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a date/);

    await startConsumer();
    const later = await tasks.add.schedule({ args: [20, 22], delay: 3600 });
    const scheduled = await poll(() => huey(['scheduled', '--json']), (r) => r.json.length > 0);
    expect(scheduled.json).toEqual([expect.objectContaining({ id: later!.id, task: 'add', args: [20, 22] })]);
    expect((await huey(['promote', later!.id, '--json'])).json).toEqual({ promoted: [later!.id] });
    expect(await later!.get({ blocking: true, timeout: 10 })).toBe(42);
    expect((await huey(['scheduled', '--json'])).json).toEqual([]);
  });

  it('flush asks for confirmation unless --yes; periodic needs the app; pause needs --task', async () => {
    const { tasks, huey } = setup();
    await tasks.add(1, 1);
    await tasks.add(1, 2);
    const refused = await huey(['flush', 'queue']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not confirmed/);
    expect((await huey(['status', '--json'])).json.pending).toBe(2);
    expect((await huey(['flush', 'queue', '--yes', '--json'])).json).toEqual({ flushed: 'queue', count: 2 });
    expect((await huey(['status', '--json'])).json.pending).toBe(0);
    expect((await huey(['flush', 'everything', '--yes'])).code).toBe(2);

    const periodic = await huey(['periodic', '--json'], true);
    expect(periodic.json).toEqual([{ task: 'nightly', crontab: '0 3 * * *', next: [expect.stringMatching(/T03:00:00\.000Z$/)], revoked: false }]);
    const noApp = await huey(['periodic']);
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toMatch(/needs the app's task definitions: pass --app/);
    expect((await huey(['pause'])).code).toBe(2);
  });

  it('pause holds a task name back on the consumer (its tasks stay queued, unrun); resume runs them', async () => {
    const { tasks, huey, producer, startConsumer } = setup();
    await startConsumer();
    expect((await huey(['pause', '--task', 'add', '--json'])).json).toEqual({ paused: 'add' });
    expect(await producer.isPaused('add')).toBe(true);
    const held = await tasks.add(3, 4);
    const other = await tasks.flaky(1);
    // The consumer is running (it takes other task names), yet the paused one waits, set aside.
    await poll(() => huey(['errors', '--task', 'flaky', '--json']), (r) => r.json.length > 0);
    const aside = await poll(() => producer.paused('add'), (list) => list.length === 1);
    expect(aside[0]!.id).toBe(held!.id);
    expect(await producer.result(held!.id, { preserve: true })).toBeNull();
    expect(other).not.toBeNull();

    expect((await huey(['resume', '--task', 'add', '--json'])).json).toEqual({ resumed: 'add', wasPaused: true });
    expect(await held!.get({ blocking: true, timeout: 10 })).toBe(7);
    expect(await producer.paused('add')).toEqual([]);
    expect((await huey(['resume', '--task', 'add'])).stdout).toMatch(/add was not paused/);
  });
}
