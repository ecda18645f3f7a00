// At-least-once delivery across a crash of the store itself. A store that
// persists every write (simpledb CLI and redis-server, both with
// --appendonly yes --appendfsync always) holds N acknowledged tasks; a
// huey-consumer with reliable: true drains them while the store is killed
// with SIGKILL several times, each time once a seeded number of results is
// stored (so the kill lands while workers take, run and store tasks), and
// restarted from its AOF on the same port. Every task's result must be
// there with its value, nothing left queued or in flight. A kill cuts off
// takes whose reply is lost after the server moved the message (the
// consumer's reconciliation hands those back) and result stores (retried
// once the store is back). The recovery delay is longer than the test, so
// no dead-consumer recovery can be what saves a task. How many tasks ran
// twice is printed, not asserted: at-least-once allows it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/client/index.js';
import { SimpleHuey, type TaskResult } from '../../src/huey/index.js';
import { describeWithRedis, freePort } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';
import { until } from '../huey/reliable-helpers.js';
import { CLI } from '../server/persistence-helpers.js';
import { consumer, requireBuild, uniqueName, type Spawned } from './helpers.js';

const APP = 'test/cli/fixtures/reliable-app.js';
/** Change it to explore other kill points; the printed line names the seed. */
const SEED = Number(process.env.STORE_CRASH_SEED ?? 19);
/**
 * A longer soak (not for CI): STORE_CRASH_SOAK=<rounds> runs every worker
 * kind on both stores, `rounds` times each with seeds SEED, SEED+1, ...
 * Without it, each store gets async workers plus one other kind.
 */
const SOAK = Number(process.env.STORE_CRASH_SOAK ?? 0);
const TASKS = 240;
/** Each task waits this long, so that several are always running when the store dies. */
const TASK_MS = 3;
/** Thread and process workers take longer to start: fewer of them, and fewer kills, keep the suite short. */
const KINDS = {
  async: { workers: 8, kills: 3 },
  thread: { workers: 4, kills: 2 },
  process: { workers: 3, kills: 2 },
} as const;
type WorkerKind = keyof typeof KINDS;

/** A store process that can be killed and started again on the same port from the same directory. */
interface StoreProcess {
  readonly port: number;
  start(): Promise<void>;
  kill9(): Promise<void>;
}

type StoreKind = 'simpledb' | 'redis-server';

function storeCommand(kind: StoreKind, port: number, dir: string): [string, string[]] {
  const persist = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir];
  if (kind === 'simpledb') return [process.execPath, [CLI, '--port', String(port), '-e', ...persist]];
  return ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', ...persist]];
}

/** Whether the server answers PING with PONG (a restarted Redis accepts connections, then answers LOADING until its AOF is read). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    sock.once('error', () => finish(false));
  });
}

async function storeProcess(kind: StoreKind, dir: string): Promise<StoreProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  return {
    port,
    async start() {
      const [command, args] = storeCommand(kind, port, dir);
      const c = spawn(command, args, { stdio: 'ignore' });
      child = c;
      await until(
        async () => {
          if (c.exitCode !== null) throw new Error(`${kind} exited with code ${c.exitCode}`);
          return answersPing(port);
        },
        20_000,
        `${kind} answering PING on port ${port}`,
      );
    },
    async kill9() {
      const c = child;
      if (c === null || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    },
  };
}

/** How many times each task id was started, from the consumer's "executing echo: <id>" log lines. */
function runsById(output: string): Map<string, number> {
  const runs = new Map<string, number>();
  for (const m of output.matchAll(/executing echo: ([0-9a-f-]+)/g)) runs.set(m[1] as string, (runs.get(m[1] as string) ?? 0) + 1);
  return runs;
}

function count(output: string, pattern: RegExp): number {
  return [...output.matchAll(pattern)].length;
}

function suite(kind: StoreKind, describeFn: typeof describe) {
  describeFn(`reliable delivery across kill -9 of the store (${kind}, AOF always)`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    beforeAll(() => requireBuild());
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    const kinds: WorkerKind[] = SOAK > 0 ? ['async', 'thread', 'process'] : kind === 'simpledb' ? ['async', 'thread'] : ['async', 'process'];
    const seeds = Array.from({ length: Math.max(1, SOAK) }, (_, i) => SEED + i);
    for (const seed of seeds) for (const workerKind of kinds) {
      const { workers, kills } = KINDS[workerKind];
      it(`-k ${workerKind} -w ${workers}, seed ${seed}: ${TASKS} tasks, the store killed ${kills} times: every result is there`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'huey-store-crash-'));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        const store = await storeProcess(kind, dir);
        cleanups.push(() => store.kill9());
        await store.start();

        const name = uniqueName('crash');
        const url = `redis://127.0.0.1:${store.port}`;
        const huey = new SimpleHuey(name, { url });
        cleanups.push(() => huey.close());
        const echo = huey.task((() => '') as (tag: string, ms: number) => string, { name: 'echo' });
        const tags = Array.from({ length: TASKS }, (_, i) => `t${i}`);
        // Every enqueue is acknowledged (so persisted) before the first kill; the consumer starts meanwhile.
        const enqueued = Promise.all(tags.map((t) => echo(t, TASK_MS))) as Promise<TaskResult<string>[]>;

        const p: Spawned = consumer([APP, '-k', workerKind, '-w', String(workers)], {
          HUEY_URL: url,
          HUEY_NAME: name,
          // Longer than this test: only reconciliation can bring back what a kill stranded.
          HUEY_RECOVERY_DELAY: '300',
        });
        cleanups.push(() => p.dispose());
        const results = await enqueued;
        await p.waitFor('ready; stop with Ctrl+C');

        // Kill points: one seeded count of stored results in each of `kills`
        // equal stretches of the run, so each kill lands while tasks flow.
        const random = seededInt(seed * 10 + kinds.indexOf(workerKind) + (kind === 'simpledb' ? 0 : 5));
        const stretch = Math.floor((TASKS * 0.8) / kills);
        // The test's own reads are observers: while the store restarts (longer than
        // the client's connect timeout on a loaded machine) they see nothing yet.
        const storedCount = async () => {
          try {
            return Number(await huey.storage.client.call('HLEN', huey.storage.keys.results));
          } catch (err) {
            if (err instanceof ConnectionClosedError) return -1;
            throw err;
          }
        };
        const killedAt: number[] = [];
        for (let k = 0; k < kills; k++) {
          const target = Math.floor(TASKS * 0.1) + k * stretch + random(stretch);
          await until(async () => (await storedCount()) >= target, 60_000, `${target} results stored`);
          await store.kill9();
          killedAt.push(target);
          await store.start();
        }

        try {
          await until(async () => (await storedCount()) === TASKS, 60_000, `all ${TASKS} results stored`);
        } catch (err) {
          const stored = await huey.storage.resultItems();
          const missing = results.filter((r) => !(r.id in stored)).map((r) => r.id);
          const inFlight = await huey.storage.inFlightItems();
          throw new Error(
            `${(err as Error).message}; missing ${missing.length}: ${missing.slice(0, 10).join(', ')}; ` +
              `queued ${await huey.pendingCount()}, in flight ${inFlight.length}\n${p.output.slice(-4000)}`,
          );
        }
        const values = await Promise.all(results.map((r) => r.get({ preserve: true })));
        expect(values).toEqual(tags);
        // Acks are sent with the next fetch: wait until the last ones are in.
        await until(async () => (await huey.inFlightCount()) === 0, 20_000, 'an empty in-flight list');
        expect(await huey.pendingCount()).toBe(0);

        p.signal('SIGINT');
        expect((await p.waitExit(30_000)).code).toBe(0);
        expect(await huey.storage.inFlightOwners()).toEqual({});

        const runs = runsById(p.output);
        // Every task ran (the log lines are read correctly), and what ran twice is reported.
        expect(results.every((r) => (runs.get(r.id) ?? 0) >= 1)).toBe(true);
        const twice = [...runs.values()].filter((n) => n > 1).length;
        const handedBack = count(p.output, /recovered echo: /g);
        const storesRetried = count(p.output, /the storage is unavailable/g);
        console.log(
          `[store crash] ${kind} -k ${workerKind} -w ${workers}, seed ${seed}, kills after ${killedAt.join('/')} results: ` +
            `${TASKS} of ${TASKS} results, ${twice} ran twice, ${handedBack} taken but unknown to any worker and handed back, ` +
            `${storesRetried} stores retried after a reconnect`,
        );
      }, 120_000);
    }
  });
}

suite('simpledb', describe);
suite('redis-server', describeWithRedis);
