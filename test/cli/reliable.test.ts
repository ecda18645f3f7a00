// At-least-once delivery with real consumer processes: a huey-consumer
// (async, thread or process workers) is killed with SIGKILL while it runs
// tasks; a new consumer recovers what the dead one had in flight once its
// heartbeat expires, and finishes every task. No task is lost, each result
// is there once, and only the tasks that were running at the kill ran twice.
// Also: a CPU-bound task that blocks its worker for longer than the recovery
// delay is not taken for dead. On simpledb and on a private redis-server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { EVENT_POISONED, EVENT_RECOVERED, SimpleHuey, type HueyEvent } from '../../src/huey/index.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { until } from '../huey/reliable-helpers.js';
import { consumer, requireBuild, simpledb, uniqueName, type Spawned } from './helpers.js';

const APP = 'test/cli/fixtures/reliable-app.js';
const KINDS = ['async', 'thread', 'process'] as const;
const WORKERS = 3;
const TASKS = 24;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The keys fixtures/reliable-app.js records runs in. */
function recordKeys(name: string) {
  return { runs: `reliable-test.{${name}}.runs`, done: `reliable-test.{${name}}.done` };
}

interface Backend {
  port: number;
  close(): Promise<void>;
}

function suite(label: string, startBackend: () => Promise<Backend>, describeFn: typeof describe) {
  describeFn(`reliable delivery with huey-consumer processes (${label})`, () => {
    let backend: Backend;
    let raw: RedisClient;
    const running: Spawned[] = [];
    const hueys: SimpleHuey[] = [];

    beforeAll(async () => {
      requireBuild();
      backend = await startBackend();
      raw = new RedisClient({ url: `redis://127.0.0.1:${backend.port}` });
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((p) => p.dispose()));
      await Promise.all(hueys.splice(0).map((h) => h.close()));
    });
    afterAll(async () => {
      await raw?.quit();
      await backend?.close();
    });

    function setup(recoveryDelay: number) {
      const name = uniqueName('rel');
      const url = `redis://127.0.0.1:${backend.port}`;
      const env = { HUEY_URL: url, HUEY_NAME: name, HUEY_RECOVERY_DELAY: String(recoveryDelay) };
      // The producer side: same name and task name; the function never runs here.
      const huey = new SimpleHuey(name, { url });
      hueys.push(huey);
      const record = huey.task((() => null) as (tag: string, ms: number, cpu?: boolean) => { tag: string } | null, { name: 'record' });
      const start = (args: string[]) => {
        const p = consumer([APP, ...args], env);
        running.push(p);
        return p;
      };
      return { name, huey, record, start, keys: recordKeys(name) };
    }

    async function runsByTag(key: string): Promise<Record<string, number>> {
      const flat = (await raw.call('HGETALL', key)) as string[];
      const out: Record<string, number> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = Number(flat[i + 1]);
      return out;
    }

    for (const kind of KINDS) {
      it(`-k ${kind}: after SIGKILL mid-task, a new consumer finishes every task; none lost, none stored twice`, async () => {
        const { huey, record, start, keys } = setup(2);
        const events: HueyEvent[] = [];
        const stream = huey.events();
        await stream.ready;
        const collecting = (async () => {
          for await (const e of stream) events.push(e);
        })();

        const first = start(['-k', kind, '-w', String(WORKERS)]);
        await first.waitFor('ready; stop with Ctrl+C');
        const tags = Array.from({ length: TASKS }, (_, i) => `task-${i}`);
        const results = [];
        for (const tag of tags) results.push(await record(tag, 150));
        // Some have finished, and at least one has counted its run and not
        // finished (so it must run again): kill the whole consumer at once.
        // The log line alone is not enough: a batch of tasks starts together,
        // and a kill right after their lines can come before their counts.
        await first.waitFor('executing record', WORKERS + 2);
        await until(
          async () => Number(await raw.call('HLEN', keys.runs)) > Number(await raw.call('SCARD', keys.done)),
          10_000,
          'a task that has counted its run and not finished',
        );
        const pids = [first.pid, ...[...first.output.matchAll(/worker \d+ ready \(pid (\d+)/g)].map((m) => Number(m[1]))];
        first.signal('SIGKILL');
        await first.waitExit();
        // Worker processes notice their master is gone and exit; count what is in flight once all are gone.
        await until(() => pids.every((pid) => !alive(pid)), 15_000, 'the workers of the killed consumer to exit');
        const inFlightAtKill = await huey.inFlightCount();
        expect(inFlightAtKill).toBeGreaterThan(0);

        const second = start(['-k', kind, '-w', String(WORKERS)]);
        const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 40, preserve: true })));
        expect(values.map((v) => v?.tag)).toEqual(tags);

        // Every task finished; each result is stored exactly once, under its own id.
        expect(((await raw.call('SMEMBERS', keys.done)) as string[]).sort()).toEqual([...tags].sort());
        const stored = await huey.storage.resultItems();
        expect(Object.keys(stored).sort()).toEqual(results.map((r) => r.id).sort());
        // Only what was running when the consumer died ran again.
        const runs = await runsByTag(keys.runs);
        expect(Object.keys(runs).sort()).toEqual([...tags].sort());
        const twice = Object.values(runs).filter((n) => n > 1);
        expect(twice.every((n) => n === 2)).toBe(true);
        expect(twice.length).toBeGreaterThan(0);
        expect(twice.length).toBeLessThanOrEqual(inFlightAtKill);

        second.signal('SIGINT');
        expect((await second.waitExit()).code).toBe(0);
        // The clean stop left nothing behind, and the dead consumer's lists were cleaned up by the recovery.
        expect(await huey.inFlightCount()).toBe(0);
        expect(await huey.pendingCount()).toBe(0);
        expect(await huey.storage.inFlightOwners()).toEqual({});
        await huey.emitter.flush();
        await stream.close();
        await collecting;
        expect(events.filter((e) => e.status === EVENT_RECOVERED).length).toBe(inFlightAtKill);
      }, 90_000);
    }

    for (const kind of ['thread', 'process'] as const) {
      it(`-k ${kind}: a task that kills its worker every time is set aside after maxRecoveries, with EVENT_POISONED`, async () => {
        const { huey, start, keys } = setup(2);
        const die = huey.task((() => null) as (tag: string) => null, { name: 'die' });
        const events: HueyEvent[] = [];
        const stream = huey.events();
        await stream.ready;
        const collecting = (async () => {
          for await (const e of stream) events.push(e);
        })();
        const p = start(['-k', kind, '-w', '1', '-c', '0.2']);
        await p.waitFor('ready; stop with Ctrl+C');
        const res = await die('poison');
        await expect(res.get({ blocking: true, timeout: 40 })).rejects.toThrow(/TaskPoisonedException/);
        // Run, then handed back by the master three times (maxRecoveries), run each time; the fourth death is one too many.
        expect(await runsByTag(keys.runs)).toEqual({ poison: 4 });
        // The result is stored first, then the message moves to the error list.
        await until(async () => (await huey.errors()).length > 0, 10_000, 'the error list entry');
        const [entry] = await huey.errors();
        expect(entry).toMatchObject({ id: res.id, task: 'die' });
        expect(await huey.pendingCount()).toBe(0);
        expect(await huey.inFlightCount()).toBe(0);
        await until(() => events.some((e) => e.status === EVENT_POISONED), 10_000, 'EVENT_POISONED');
        expect(events.filter((e) => e.status === EVENT_RECOVERED).map((e) => e.recoveries)).toEqual([1, 2, 3]);
        expect(events.find((e) => e.status === EVENT_POISONED)).toMatchObject({ id: res.id, recoveries: 4, error: true });
        await stream.close();
        await collecting;
        p.signal('SIGINT');
        expect((await p.waitExit()).code).toBe(0);
      }, 60_000);

      it(`-k ${kind}: a CPU-bound task longer than the recovery delay is not taken for dead, and runs once`, async () => {
        const { record, start, keys } = setup(2);
        const p = start(['-k', kind, '-w', '2']);
        await p.waitFor('ready; stop with Ctrl+C');
        // 4 s without a turn of the worker's event loop, twice the recovery delay.
        const res = await record('cpu', 4000, true);
        expect((await res.get({ blocking: true, timeout: 40 }))?.tag).toBe('cpu');
        expect(await runsByTag(keys.runs)).toEqual({ cpu: 1 });
        p.signal('SIGINT');
        expect((await p.waitExit()).code).toBe(0);
      }, 60_000);
    }
  });
}

suite(
  'simpledb',
  async () => {
    const server = await simpledb();
    return { port: server.port, close: () => server.close() };
  },
  describe,
);

suite(
  'redis-server',
  async () => {
    const redis: RedisProcess = await startRedis();
    return { port: redis.port, close: () => redis.stop() };
  },
  describeWithRedis,
);
