// Job controls across processes: a thread or process worker whose task
// overruns its timeout is replaced (the task fails with TaskTimeout and the
// new worker keeps serving); a rate limit holds across two consumer
// processes; a unique task enqueued at once from two processes is queued once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimpleHuey, TaskException } from '../../src/huey/index.js';
import type { Server } from '../../src/server/index.js';
import { Spawned, consumer, requireBuild, simpledb, uniqueName } from './helpers.js';

const MODULE = 'test/cli/fixtures/controls-app.js';

function producer(port: number, name: string) {
  const huey = new SimpleHuey(name, { url: `redis://127.0.0.1:${port}` });
  const noop = () => undefined as unknown;
  return {
    huey,
    whoami: huey.task(noop as () => { pid: number; threadId: number }, { name: 'whoami' }),
    stuck: huey.task(noop as (ms: number) => { pid: number; threadId: number }, { name: 'stuck', timeout: 0.3 }),
    limited: huey.task(noop as (n: number) => number, { name: 'limited' }),
  };
}

describe('job controls across processes', () => {
  let db: Server;
  const running: Spawned[] = [];
  beforeAll(async () => {
    requireBuild();
    db = await simpledb();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
  });
  afterAll(async () => {
    await db.close();
  });
  const server = () => db;
  const track = (p: Spawned) => {
    running.push(p);
    return p;
  };

  const start = (name: string, args: string[]) => {
    const env = { HUEY_URL: `redis://127.0.0.1:${server().port}`, HUEY_NAME: name };
    return track(consumer([MODULE, ...args], env));
  };

  describe.each(['thread', 'process'])('-k %s', (kind) => {
    it('a task past its timeout fails with TaskTimeout; its worker is replaced and the new one keeps serving', async () => {
      const name = uniqueName('ctl');
      const p = start(name, ['-k', kind, '-w', '1']);
      await p.waitFor('ready; stop with Ctrl+C');
      const tasks = producer(server().port, name);
      try {
        const before = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
        const stuck = await tasks.stuck(60_000);
        const err = await stuck.get({ blocking: true, timeout: 20 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TaskException);
        expect((err as TaskException).metadata.error).toMatch(/^TaskTimeout: task stuck ran longer than its timeout of 0.3s/);
        await p.waitFor(/worker 1 replaced/);
        const after = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
        const id = (w: { pid: number; threadId: number } | null) => `${w?.pid}/${w?.threadId}`;
        expect(id(after)).not.toBe(id(before));
        expect(p.output).not.toMatch(/died/);
      } finally {
        await tasks.huey.close();
      }
    });
  });

  it('a rate limit holds across two consumer processes', async () => {
    const name = uniqueName('ctl');
    const tasks = producer(server().port, name);
    try {
      const results = [];
      for (let i = 0; i < 10; i++) results.push(await tasks.limited(i));
      const consumers: Spawned[] = [start(name, ['-w', '2']), start(name, ['-w', '2'])];
      await Promise.all(consumers.map((c) => c.waitFor('ready; stop with Ctrl+C')));
      // Every task is either run (a result) or held back for the next window (on the schedule).
      const deadline = Date.now() + 20_000;
      let ran = 0;
      let held = 0;
      while (Date.now() < deadline) {
        ran = Object.keys(await tasks.huey.allResults()).length;
        held = await tasks.huey.scheduledCount();
        if (ran + held === 10 && (await tasks.huey.pendingCount()) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(ran).toBe(4);
      expect(held).toBe(6);
      const limitedLines = consumers.map((c) => (c.output.match(/over its rate limit/g) ?? []).length);
      expect(limitedLines.reduce((a, n) => a + n, 0)).toBe(6);
    } finally {
      await tasks.huey.close();
    }
  });

  it('a unique task enqueued at once from two processes is queued once', async () => {
    const name = uniqueName('ctl');
    const env = { HUEY_URL: `redis://127.0.0.1:${server().port}`, HUEY_NAME: name };
    const producers = [0, 1].map(() => track(new Spawned(process.execPath, ['test/cli/fixtures/enqueue-unique.js', 'same', '25'], env)));
    const exits = await Promise.all(producers.map((p) => p.waitExit()));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    const ids = producers.flatMap((p) => JSON.parse(p.stdout) as string[]);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(1);
    const huey = new SimpleHuey(name, { url: env.HUEY_URL });
    try {
      expect(await huey.pendingCount()).toBe(1);
    } finally {
      await huey.close();
    }
  });
});
