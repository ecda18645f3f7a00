// Reliable mode (at-least-once delivery) on one backend: tasks run from an
// in-flight list and leave it only once their outcome is stored; a dead
// consumer's tasks are recovered by any other consumer's scheduler (with the
// heartbeat expired through the injected clock, or by the server's TTL);
// the poison limit; graceful and immediate stops.
import { describe, expect, it } from 'vitest';
import type { Huey } from '../../src/huey/api.js';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import {
  ConfigurationError,
  EVENT_POISONED,
  EVENT_RECOVERED,
  TaskException,
  type HueyEvent,
} from '../../src/huey/index.js';
import { captureEvents, type Backend } from './backends.js';
import { fakeClock, runQueued } from './helpers.js';
import { deadConsumer, expireHeartbeat, gate, until } from './reliable-helpers.js';

const ids = async (huey: Huey<boolean>, what: 'pending' | 'inFlight') => (await huey[what]()).map((t) => t.id);

export function reliableCases(b: Backend): void {
  describe(`reliable delivery (${b.kind})`, () => {
    describe('options', () => {
      it('is off by default; settings have defaults and are checked', () => {
        const plain = b.huey();
        expect(plain.reliable).toBe(false);
        const huey = b.huey({ reliable: true });
        expect(huey.reliable).toBe(true);
        expect(huey.reliability).toEqual({ recoveryDelayMs: 30_000, heartbeatIntervalMs: 5000, heartbeatTtlMs: 25_000, maxRecoveries: 3 });
        expect(b.huey({ reliable: true, recoveryDelay: 2 }).reliability).toMatchObject({ heartbeatIntervalMs: 400, heartbeatTtlMs: 1600 });
        expect(() => b.huey({ reliable: true, recoveryDelay: 0 })).toThrow(ConfigurationError);
        expect(() => b.huey({ reliable: true, recoveryDelay: 10, heartbeatInterval: 5 })).toThrow(/less than half/);
        expect(() => b.huey({ reliable: true, maxRecoveries: 1.5 })).toThrow(/maxRecoveries/);
      });
    });

    describe('in flight', () => {
      it('a running task is in flight, not pending; it leaves once its result is stored', async () => {
        const huey = b.huey({ reliable: true });
        const open = gate();
        const started = gate();
        const job = huey.task(async (x: number) => {
          started.open();
          await open.promise;
          return x + 1;
        }, { name: 'job' });
        const consumer = huey.createConsumer({ workers: 2, schedulerInterval: 0.05 });
        await consumer.start();
        const res = await job(41);
        await started.promise;
        expect(await ids(huey, 'inFlight')).toEqual([res.id]);
        expect(await huey.inFlightCount()).toBe(1);
        expect(await huey.pendingCount()).toBe(0);
        open.open();
        expect(await res.get({ blocking: true, timeout: 10 })).toBe(42);
        await until(async () => (await huey.inFlightCount()) === 0, 10_000, 'ack');
        await consumer.stop();
      });

      it('the consumer registers its list under its id and keeps a heartbeat; a graceful stop removes both', async () => {
        const huey = b.huey({ reliable: true });
        const consumer = huey.createConsumer({ workers: 1, schedulerInterval: 0.05 });
        await consumer.start();
        const id = consumer.consumerId as string;
        expect(id).toMatch(/-\d+-[0-9a-f]{6}$/);
        expect(await huey.storage.inFlightOwners()).toEqual({ [id]: id });
        expect(JSON.parse((await huey.storage.heartbeats([id]))[0] as string)).toMatchObject({ pid: process.pid });
        await consumer.stop();
        expect(await huey.storage.inFlightOwners()).toEqual({});
        expect(await huey.storage.heartbeats([id])).toEqual([null]);
      });

      it('a retry is enqueued before the failed run leaves the in-flight list', async () => {
        const huey = b.huey({ reliable: true });
        const fails = huey.task(() => {
          throw new Error('no');
        }, { name: 'fails', retries: 1 });
        // The worker's default source has no in-flight list: drive it through a consumer.
        const consumer = huey.createConsumer({ workers: 1, schedulerInterval: 0.05 });
        const res = await fails();
        await consumer.start();
        await expect(res.get({ blocking: true, timeout: 10 })).rejects.toThrow(TaskException);
        await until(async () => (await huey.inFlightCount()) === 0 && (await huey.storage.getErrors()).length === 2, 10_000, 'both runs');
        await consumer.stop();
        expect(await huey.inFlightCount()).toBe(0);
      });

      it('when the result cannot be stored the task stays in flight, and a graceful stop hands it back', async () => {
        const huey = b.huey({ reliable: true });
        const job = huey.task((x: number) => x * 2, { name: 'job' });
        const putData = huey.storage.putData.bind(huey.storage);
        let refused = 0;
        huey.storage.putData = async (key, value) => {
          if (refused === 0) {
            refused++;
            throw new Error('storage is full');
          }
          return putData(key, value);
        };
        const consumer = huey.createConsumer({ workers: 1, schedulerInterval: 0.05 });
        const res = await job(21);
        await consumer.start();
        await until(() => refused === 1, 10_000, 'the refused store');
        await consumer.stop();
        expect(await huey.inFlightCount()).toBe(0);
        expect(await ids(huey, 'pending')).toEqual([res.id]);
        await runQueued(huey);
        expect(await res.get()).toBe(42);
      });

      it('a graceful stop leaves nothing in flight, however many tasks were running', async () => {
        const huey = b.huey({ reliable: true });
        let running = 0;
        const slow = huey.task(async (x: number) => {
          running++;
          await new Promise((r) => setTimeout(r, 30));
          return x;
        }, { name: 'slow' });
        const consumer = huey.createConsumer({ workers: 4, schedulerInterval: 0.05 });
        await consumer.start();
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => slow(i)));
        await until(() => running >= 4, 10_000, 'four running tasks');
        await consumer.stop();
        expect(await huey.inFlightCount()).toBe(0);
        expect(await huey.storage.inFlightOwners()).toEqual({});
        const done = (await Promise.all(results.map((r) => r.get({ preserve: true })))).filter((v) => v !== null).length;
        expect(done + (await huey.pendingCount())).toBe(12);
        expect(done).toBeGreaterThanOrEqual(4);
      });
    });

    describe('recovery', () => {
      it("a dead consumer's tasks go back to the queue, in order, with EVENT_RECOVERED; then they run", async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const results = [await add(1, 1), await add(2, 2), await add(3, 3)];
        await deadConsumer(b, huey, 'dead-1', 2, clock);
        expect(await ids(huey, 'inFlight')).toEqual([results[0]?.id, results[1]?.id]);
        const scheduler = new Scheduler(huey, { periodic: false, consumerId: 'alive-1' });
        const events = await captureEvents(huey, async () => {
          expect(await scheduler.recoverInFlight()).toBe(2);
        });
        expect(events.map((e) => [e.status, e.id, e.recoveries, e.consumer])).toEqual([
          [EVENT_RECOVERED, results[1]?.id, 1, 'dead-1'],
          [EVENT_RECOVERED, results[0]?.id, 1, 'dead-1'],
        ]);
        expect(await ids(huey, 'pending')).toEqual(results.map((r) => r.id));
        expect(await huey.inFlightCount()).toBe(0);
        expect(await huey.storage.inFlightOwners()).toEqual({});
        await runQueued(huey, clock.now());
        expect(await Promise.all(results.map((r) => r.get()))).toEqual([2, 4, 6]);
      });

      it('a consumer whose heartbeat lives is left alone, and so are our own lists', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        await add(1, 2);
        await add(3, 4);
        await huey.storage.registerInFlight('alive', ['alive']);
        await huey.storage.heartbeat('alive', 60_000, '{}');
        await huey.storage.takeMany('alive', 1);
        await huey.storage.registerInFlight('me', ['me']);
        await huey.storage.takeMany('me', 1);
        const scheduler = new Scheduler(huey, { periodic: false, consumerId: 'me' });
        expect(await scheduler.recoverInFlight()).toBe(0);
        expect(await huey.inFlightCount()).toBe(2);
        expect(Object.keys(await huey.storage.inFlightOwners()).sort()).toEqual(['alive', 'me']);
      });

      it('the scheduler looks for dead consumers once per heartbeat interval of its clock', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now, recoveryDelay: 10, heartbeatInterval: 2 });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        await add(1, 2);
        await add(3, 4);
        const scheduler = new Scheduler(huey, { periodic: false, consumerId: 'me' });
        // The loop's own time decides when it looks (memory heartbeats expire by the huey's clock, moved on separately).
        const t0 = clock.now();
        await scheduler.loop(t0);
        await deadConsumer(b, huey, 'late-death', 2, clock);
        await scheduler.loop(t0 + 1000);
        expect(await huey.inFlightCount()).toBe(2);
        await scheduler.loop(t0 + 2000);
        expect(await huey.inFlightCount()).toBe(0);
        expect(await huey.pendingCount()).toBe(2);
      });

      it('two consumers recovering the same dead list at once recover each task exactly once', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now });
        for (let i = 0; i < 20; i++) await huey.storage.enqueue(JSON.stringify({ v: 1, id: `t${i}`, name: 'x' }));
        await deadConsumer(b, huey, 'dead', 20, clock);
        const s1 = new Scheduler(huey, { periodic: false, consumerId: 'r1' });
        const s2 = new Scheduler(huey, { periodic: false, consumerId: 'r2' });
        const [n1, n2] = await Promise.all([s1.recoverInFlight(), s2.recoverInFlight()]);
        expect(n1 + n2).toBe(20);
        const queued = (await huey.storage.enqueuedItems()).map((m) => (JSON.parse(m) as { id: string }).id);
        expect(queued).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
        // Counted once each: the next count is the second.
        expect(await huey.storage.countRecovery('t7')).toBe(2);
      });

      it('a task recovered more than maxRecoveries times goes to the error list with EVENT_POISONED', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now, maxRecoveries: 1 });
        const crashy = huey.task((x: number) => x, { name: 'crashy' });
        const res = await crashy(7);
        const scheduler = new Scheduler(huey, { periodic: false, consumerId: 'survivor' });
        await deadConsumer(b, huey, 'victim-1', 1, clock);
        expect(await scheduler.recoverInFlight()).toBe(1);
        expect(await huey.pendingCount()).toBe(1);
        await deadConsumer(b, huey, 'victim-2', 1, clock);
        const events = await captureEvents(huey, async () => {
          expect(await scheduler.recoverInFlight()).toBe(0);
        });
        expect(events).toHaveLength(1);
        const poisoned = events[0] as HueyEvent;
        expect(poisoned).toMatchObject({ status: EVENT_POISONED, error: true, id: res.id, task: 'crashy', recoveries: 2, consumer: 'victim-2' });
        expect(poisoned.traceback).toContain('TaskPoisonedException');
        expect(await huey.pendingCount()).toBe(0);
        expect(await huey.inFlightCount()).toBe(0);
        const [entry] = await huey.errors();
        expect(entry).toMatchObject({ id: res.id, task: 'crashy' });
        expect(entry?.error).toMatch(/^TaskPoisonedException: .* recovered from dead consumers 2 times/);
        expect(JSON.parse(entry?.message as string)).toMatchObject({ id: res.id, name: 'crashy', args: [7] });
        await expect(res.get()).rejects.toThrow(/TaskPoisonedException/);
        // Its count is forgotten: the same id could come back as a fresh task.
        expect(await huey.storage.countRecovery(res.id)).toBe(1);
      });

      it('a message that cannot be decoded is handed back uncounted, and then reported by the worker', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now, maxRecoveries: 0 });
        await huey.storage.enqueue('not json at all');
        await deadConsumer(b, huey, 'dead', 1, clock);
        expect(await new Scheduler(huey, { periodic: false, consumerId: 'me' }).recoverInFlight()).toBe(1);
        expect(await huey.storage.enqueuedItems()).toEqual(['not json at all']);
        await runQueued(huey);
        expect((await huey.errors())[0]?.message).toBe('not json at all');
      });

      it('an immediate stop leaves running tasks in flight; another consumer runs them once the heartbeat expires', async () => {
        const clock = fakeClock();
        const huey = b.huey({ reliable: true, clock: clock.now });
        const hold = gate();
        const firstRuns = new Set<number>();
        const runs: number[] = [];
        const job = huey.task(async (n: number) => {
          runs.push(n);
          // The first consumer's runs hang (as if it died mid-task); the second's finish.
          if (!firstRuns.has(n) && firstRuns.size < 3) {
            firstRuns.add(n);
            await hold.promise;
          }
          return n * 10;
        }, { name: 'job' });
        const first = huey.createConsumer({ workers: 3, schedulerInterval: 0.05 });
        await first.start();
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => job(i)));
        await until(() => firstRuns.size === 3, 10_000, 'three hanging tasks');
        await first.stop({ graceful: false });
        expect(await huey.inFlightCount()).toBe(3);

        await expireHeartbeat(b, huey, first.consumerId as string, clock);
        const events: HueyEvent[] = [];
        const stream = huey.events();
        await stream.ready;
        const collecting = (async () => {
          for await (const e of stream) events.push(e);
        })();
        const second = huey.createConsumer({ workers: 3, schedulerInterval: 0.05 });
        await second.start();
        const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 20 })));
        expect(values).toEqual([0, 10, 20, 30, 40, 50]);
        await second.stop();
        await huey.emitter.flush();
        await until(() => events.filter((e) => e.status === EVENT_RECOVERED).length === 3, 10_000, 'recovery events');
        await stream.close();
        await collecting;
        expect(events.filter((e) => e.status === EVENT_RECOVERED).map((e) => e.consumer)).toEqual([
          first.consumerId,
          first.consumerId,
          first.consumerId,
        ]);
        // Each task ran once, except the three abandoned ones, which ran twice.
        expect([...firstRuns].sort()).toEqual([0, 1, 2]);
        expect([...runs].sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 4, 5]);
        expect(await huey.inFlightCount()).toBe(0);
        hold.open();
      });
    });
  });
}
