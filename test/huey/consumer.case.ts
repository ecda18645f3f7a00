// Consumer behaviour on one backend: the seed's Consumer Events (fields and
// "Ordering of events"), listening to events, bad input, value types through
// the queue, a message written by hand (another language's LPUSH), and the
// in-process consumer end to end (start, results, graceful and hard stop).
import { describe, expect, it } from 'vitest';
import type { Huey } from '../../src/huey/api.js';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { Worker } from '../../src/huey/consumer/worker.js';
import { crontab } from '../../src/huey/crontab.js';
import {
  EVENT_CHECKING_PERIODIC,
  EVENT_ERROR_DEQUEUEING,
  EVENT_ERROR_ENQUEUEING,
  EVENT_ERROR_INTERNAL,
  EVENT_ERROR_SCHEDULING,
  EVENT_ERROR_STORING_RESULT,
  EVENT_ERROR_TASK,
  EVENT_FINISHED,
  EVENT_RETRYING,
  EVENT_REVOKED,
  EVENT_SCHEDULED,
  EVENT_SCHEDULING_PERIODIC,
  EVENT_STARTED,
  SerializationError,
  TaskException,
  redisKeys,
  type HueyEvent,
} from '../../src/huey/index.js';
import { captureEvents, recordingLogger, type Backend } from './backends.js';
import { fakeClock, runQueued } from './helpers.js';

const statuses = (events: HueyEvent[]) => events.map((e) => e.status);

export function consumerCases(b: Backend): void {
  describe(`consumer (${b.kind})`, () => {
    describe('events', () => {
      it('a simple task: EVENT_STARTED then EVENT_FINISHED, with the seed\'s fields', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const res = await add(1, 2);
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_STARTED, EVENT_FINISHED]);
        const [started, finished] = events as [HueyEvent, HueyEvent];
        expect(started).toMatchObject({
          status: 'started',
          error: false,
          id: res.id,
          task: 'add',
          retries: 0,
          retryDelay: 0,
          executeTime: null,
          timestamp: clock.now() / 1000,
        });
        expect(finished).toMatchObject({ status: 'finished', error: false, id: res.id, task: 'add' });
        expect(typeof finished.duration).toBe('number');
        expect(typeof finished.timestamp).toBe('number');
      });

      it('a scheduled task: EVENT_SCHEDULED, EVENT_STARTED, EVENT_FINISHED', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const events = await captureEvents(huey, async () => {
          const res = await add.schedule({ args: [1, 2], delay: 30 });
          await runQueued(huey);
          clock.advance(30);
          await new Scheduler(huey, { periodic: false }).loop();
          await runQueued(huey);
          expect(await res.get()).toBe(3);
        });
        expect(statuses(events)).toEqual([EVENT_SCHEDULED, EVENT_STARTED, EVENT_FINISHED]);
        expect(events[0]?.executeTime).toBe(Date.parse('2024-01-01T00:00:30Z') / 1000);
      });

      it('an error with retries: STARTED, ERROR_TASK (traceback), RETRYING, SCHEDULED, STARTED, FINISHED', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        let calls = 0;
        const flaky = huey.task(
          () => {
            if (++calls === 1) throw new Error('first try fails');
            return 'ok';
          },
          { name: 'flaky', retries: 2, retryDelay: 10 },
        );
        const events = await captureEvents(huey, async () => {
          await flaky();
          await runQueued(huey);
          clock.advance(10);
          await new Scheduler(huey, { periodic: false }).loop();
          await runQueued(huey);
        });
        expect(statuses(events)).toEqual([
          EVENT_STARTED,
          EVENT_ERROR_TASK,
          EVENT_RETRYING,
          EVENT_SCHEDULED,
          EVENT_STARTED,
          EVENT_FINISHED,
        ]);
        const error = events[1] as HueyEvent;
        expect(error.error).toBe(true);
        expect(error.traceback).toContain('first try fails');
        expect(typeof error.duration).toBe('number');
        expect(events[2]).toMatchObject({ retries: 1, retryDelay: 10 });
        expect(events[3]?.executeTime).toBe(clock.now() / 1000);
      });

      it('an error without retries ends at EVENT_ERROR_TASK', async () => {
        const huey = b.huey();
        const fails = huey.task(
          () => {
            throw new Error('I failed');
          },
          { name: 'fails' },
        );
        await fails();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_STARTED, EVENT_ERROR_TASK]);
      });

      it('EVENT_REVOKED carries a timestamp', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const t = huey.task(() => 1, { name: 't' });
        const res = await t();
        await res.revoke();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(events).toEqual([expect.objectContaining({ status: EVENT_REVOKED, id: res.id, timestamp: clock.now() / 1000 })]);
      });

      it('periodic: EVENT_CHECKING_PERIODIC each minute, EVENT_SCHEDULING_PERIODIC per task enqueued', async () => {
        const huey = b.huey();
        huey.periodicTask(crontab({ minute: '*' }), () => undefined, { name: 'print_time' });
        huey.periodicTask(crontab({ minute: '59' }), () => undefined, { name: 'not_now' });
        const t = Date.parse('2024-01-01T00:10:00Z');
        const events = await captureEvents(huey, () => new Scheduler(huey).loop(t));
        expect(statuses(events)).toEqual([EVENT_CHECKING_PERIODIC, EVENT_SCHEDULING_PERIODIC]);
        expect(events[0]).toMatchObject({ error: false, timestamp: t / 1000 });
        expect(events[1]).toMatchObject({ task: 'print_time', timestamp: t / 1000 });
      });

      it('listening to events: for await over huey.events(), reading results of finished tasks', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const stream = huey.events();
        await stream.ready;
        const res = await add(2, 3);
        const consumer = huey.createConsumer({ workers: 1 });
        await consumer.start();
        let result: unknown;
        for await (const event of stream) {
          if (event.status === EVENT_FINISHED) {
            result = await huey.result(event.id as string);
            break;
          }
        }
        await consumer.stop();
        expect(result).toBe(5);
        expect(res.id).toBeTruthy();
      });
    });

    describe('bad input', () => {
      it('an unknown task name: QueueException logged, error event, kept in the error list, consumer goes on', async () => {
        const { lines, logger } = recordingLogger();
        const huey = b.huey({ logger });
        const other = b.huey();
        const ghost = other.task(() => 1, { name: 'ghost' });
        const message = JSON.stringify({ v: 1, id: 'ghost-id', name: ghost.taskName, args: [] });
        await huey.storage.enqueue(message);
        const ok = huey.task(() => 'still running', { name: 'ok' });
        const res = await ok();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_ERROR_INTERNAL, EVENT_STARTED, EVENT_FINISHED]);
        expect(events[0]).toMatchObject({ error: true, id: 'ghost-id', task: 'ghost' });
        expect(events[0]?.traceback).toContain('ghost not found in TaskRegistry');
        expect(lines.some((l) => l.level === 'error' && l.message.startsWith('QueueException: ghost not found'))).toBe(true);
        const [err] = await huey.errors();
        expect(err).toMatchObject({ id: 'ghost-id', task: 'ghost', message });
        expect(err?.error).toBe('QueueException: ghost not found in TaskRegistry');
        expect(lines.some((l) => l.level === 'error' && l.message.includes('(task ghost-id)'))).toBe(true);
        expect(await res.get()).toBe('still running');
        // A producer waiting on the task learns at once (TaskException, not DataStoreTimeout).
        const waiting = huey.result('ghost-id', { blocking: true, timeout: 5 });
        await expect(waiting).rejects.toThrow(TaskException);
        await expect(waiting).rejects.toThrow(/ghost not found in TaskRegistry/);
      });

      it('a message that is not JSON, or has an unknown version, is reported and kept, not dropped', async () => {
        const { lines, logger } = recordingLogger();
        const huey = b.huey({ logger });
        const garbage = ['not json at all {', JSON.stringify({ v: 2, id: 'x', name: 'add' }), JSON.stringify([1, 2]), JSON.stringify({ v: 1, name: 'add' })];
        for (const g of garbage) await huey.storage.enqueue(g);
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual(garbage.map(() => EVENT_ERROR_INTERNAL));
        const errors = await huey.errors();
        expect(errors.map((e) => e.message).reverse()).toEqual(garbage);
        expect(errors[3]?.error).toMatch(/^QueueException: invalid message: not JSON/);
        expect(errors[2]?.error).toMatch(/unknown version 2/);
        expect(errors[0]?.error).toMatch(/"id" must be a non-empty string/);
        expect(lines.filter((l) => l.level === 'error' && l.message.startsWith('QueueException'))).toHaveLength(4);
        expect(await huey.pendingCount()).toBe(0);
      });

      it('arguments that cannot be serialized throw before anything is enqueued', async () => {
        const huey = b.huey();
        const t = huey.task((x: unknown) => x, { name: 't' });
        class Opaque {
          secret = 1;
        }
        const circular: { self?: unknown } = {};
        circular.self = circular;
        await expect(t(() => 1)).rejects.toThrow(SerializationError);
        await expect(t(new Opaque())).rejects.toThrow(/instance of Opaque/);
        await expect(t(circular)).rejects.toThrow(/circular/);
        await expect(t(Symbol('s'))).rejects.toThrow(SerializationError);
        await expect(t.schedule({ args: [{ deep: [1, { fn: () => 1 }] }], delay: 1 })).rejects.toThrow(/args\[0\]\.deep\[1\]\.fn/);
        await expect(huey.enqueue(t.s(1).then(t, () => 2))).rejects.toThrow(SerializationError);
        expect(await huey.pendingCount()).toBe(0);
      });

      it('a result that cannot be stored: EVENT_ERROR_STORING_RESULT and an error entry', async () => {
        const huey = b.huey();
        const t = huey.task(() => () => 'a function', { name: 'returns_fn' });
        const res = await t();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_STARTED, EVENT_ERROR_STORING_RESULT]);
        expect((await huey.errors())[0]?.error).toMatch(/SerializationError/);
        expect(res.id).toBeTruthy();
      });

      it('when revocation cannot be read, the task is not run but kept in the error list', async () => {
        const huey = b.huey();
        let ran = 0;
        const t = huey.task(() => ++ran, { name: 't' });
        const res = await t();
        Object.assign(huey.storage, { peekRevocations: () => Promise.reject(new Error('revocations unreadable')) });
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_ERROR_INTERNAL]);
        expect(ran).toBe(0);
        const [err] = await huey.errors();
        expect(err).toMatchObject({ id: res.id, task: 't' });
        expect(err?.error).toContain('revocations unreadable');
        expect(JSON.parse(err?.message ?? '{}')).toMatchObject({ v: 1, id: res.id, name: 't' });
      });

      it('the scheduler cannot enqueue a due task: EVENT_ERROR_ENQUEUEING, and the task stays scheduled', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const t = huey.task(() => 1, { name: 't' });
        const res = await t.schedule({ args: [], delay: 5 });
        await runQueued(huey);
        const realEnqueue = huey.storage.enqueue.bind(huey.storage);
        Object.assign(huey.storage, { enqueue: () => Promise.reject(new Error('queue full')) });
        clock.advance(5);
        const events = await captureEvents(huey, () => new Scheduler(huey, { periodic: false }).loop());
        expect(events).toEqual([expect.objectContaining({ status: EVENT_ERROR_ENQUEUEING, id: res.id, error: true })]);
        expect((await huey.scheduled()).map((x) => x.id)).toEqual([res.id]);
        Object.assign(huey.storage, { enqueue: realEnqueue });
        await new Scheduler(huey, { periodic: false }).loop();
        await runQueued(huey);
        expect(await res.get()).toBe(1);
      });

      it('a worker cannot schedule a future task: EVENT_ERROR_SCHEDULING, logged with its message', async () => {
        const { lines, logger } = recordingLogger();
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now, logger });
        const t = huey.task(() => 1, { name: 't' });
        const res = await t.schedule({ args: [], delay: 60 });
        Object.assign(huey.storage, { addToSchedule: () => Promise.reject(new Error('no schedule')) });
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(statuses(events)).toEqual([EVENT_ERROR_SCHEDULING]);
        const line = lines.find((l) => l.level === 'error' && l.message.includes('error adding task to schedule'));
        expect(line?.message).toContain(`"id":"${res.id}"`);
      });

      it('a failing dequeue emits EVENT_ERROR_DEQUEUEING and the worker carries on', async () => {
        const huey = b.huey();
        const realDequeue = huey.storage.dequeue.bind(huey.storage);
        let fail = true;
        Object.assign(huey.storage, {
          dequeue: () => (fail ? Promise.reject(new Error('storage down')) : realDequeue()),
        });
        const worker = new Worker(huey, { initialDelay: 0.001 });
        const t = huey.task(() => 'ok', { name: 't' });
        const res = await t();
        const events = await captureEvents(huey, async () => {
          await worker.loop();
          fail = false;
          await worker.loop();
        });
        expect(statuses(events)).toEqual([EVENT_ERROR_DEQUEUEING, EVENT_STARTED, EVENT_FINISHED]);
        expect(events[0]?.traceback).toContain('storage down');
        expect(await res.get()).toBe('ok');
      });
    });

    describe('messages', () => {
      it('carries Dates, Maps, Sets, BigInts, Buffers, undefined and NaN through the queue and the result store', async () => {
        const huey = b.huey();
        const echo = huey.task((...args: unknown[]) => args, { name: 'echo' });
        const args = [
          new Date('2024-02-29T12:34:56.789Z'),
          new Map<unknown, unknown>([['k', new Set([1, 2])], [3, 'v']]),
          123456789012345678901234567890n,
          Buffer.from([0, 1, 2, 255]),
          undefined,
          NaN,
          { $t: 'looks tagged', nested: [undefined, -0, Infinity] },
        ];
        const res = await echo(...args);
        await runQueued(huey);
        const back = (await res.get()) as unknown[];
        expect(back).toEqual(args);
        expect(back[0]).toBeInstanceOf(Date);
        expect(Buffer.isBuffer(back[3])).toBe(true);
        expect(Object.is((back[6] as { nested: unknown[] }).nested[1], -0)).toBe(true);
      });

      it('a message written by hand (another language\'s LPUSH) runs, and its result is readable by id', async () => {
        const huey = b.huey();
        huey.task((a: number, c: number) => a + c, { name: 'add' });
        const message = JSON.stringify({ v: 1, id: 'from-python-1', name: 'add', args: [40, 2] });
        if (b.kind === 'memory' || b.kind === 'sqlite') {
          await huey.storage.enqueue(message);
        } else {
          const raw = b.raw();
          await raw.call('LPUSH', redisKeys(huey.name).queue, message);
          await raw.quit();
        }
        await runQueued(huey);
        expect(await huey.result('from-python-1')).toBe(42);
      });

      it('a hand-written message may give eta, retries and a pipeline', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        huey.task((a: number, c: number) => a + c, { name: 'add' });
        const message = {
          v: 1,
          id: 'p1',
          name: 'add',
          args: [1, 2],
          eta: clock.now() + 1000,
          retries: 1,
          retryDelay: 0,
          onComplete: { v: 1, id: 'p2', name: 'add', args: [10] },
        };
        await huey.storage.enqueue(JSON.stringify(message));
        await runQueued(huey);
        expect(await huey.scheduledCount()).toBe(1);
        clock.advance(1);
        await new Scheduler(huey, { periodic: false }).loop();
        await runQueued(huey);
        expect(await huey.result('p1')).toBe(3);
        expect(await huey.result('p2')).toBe(13);
      });
    });

    describe('in-process consumer', () => {
      it('runs tasks on several async workers; blocking gets return the results', async () => {
        const huey = b.huey();
        let running = 0;
        let maxRunning = 0;
        const slowSquare = huey.task(async (x: number) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return x * x;
        }, { name: 'slow_square' });
        const consumer = huey.createConsumer({ workers: 4, schedulerInterval: 0.05 });
        await consumer.start();
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => slowSquare(i)));
        const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 10 })));
        await consumer.stop();
        expect(values).toEqual(Array.from({ length: 40 }, (_, i) => i * i));
        expect(maxRunning).toBeGreaterThan(1);
        expect(maxRunning).toBeLessThanOrEqual(4);
      });

      // Memory storage cannot be shared, so only the Redis backends have a separate producer process.
      if (b.kind !== 'memory') it('a producer and a consumer in different Huey instances (processes) on one name', async () => {
        const define = (h: Huey<true>) => h.task((a: number, c: number) => a * c, { name: 'mul' });
        const producer = b.huey();
        const consumerSide = b.huey({}, producer.name);
        const mul = define(producer);
        define(consumerSide);
        const consumer = consumerSide.createConsumer({ workers: 2 });
        await consumer.start();
        const results = await Promise.all([mul(6, 7), mul(2, 3)]);
        const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 10 })));
        await consumer.stop();
        expect(values).toEqual([42, 6]);
      });

      it('reads no revocation records while none exist, and still skips a revoked task once one does', async () => {
        const huey = b.huey();
        const ran: number[] = [];
        const record = huey.task((i: number) => ran.push(i), { name: 'record' });
        const peekRevocations = huey.storage.peekRevocations.bind(huey.storage);
        let reads = 0;
        Object.assign(huey.storage, {
          peekRevocations: (keys: string[]) => {
            reads++;
            return peekRevocations(keys);
          },
        });
        const drain = async (n: number) => {
          const consumer = huey.createConsumer({ workers: 3, periodic: false });
          await consumer.start();
          while (ran.length < n) await new Promise((r) => setTimeout(r, 5));
          await consumer.stop();
        };
        for (let i = 0; i < 10; i++) await record(i);
        await drain(10);
        expect(ran.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(reads).toBe(0);

        // One revoked instance among others: now every task's records are read, and the revoked one is skipped.
        const results = [];
        for (let i = 10; i < 15; i++) results.push(await record(i));
        // The last one: skipping it removes its record, after which nothing would be read any more.
        await results[4].revoke();
        const events = await captureEvents(huey, () => drain(14));
        expect(ran.slice(10).sort((x, y) => x - y)).toEqual([10, 11, 12, 13]);
        expect(statuses(events).filter((s) => s === EVENT_REVOKED)).toHaveLength(1);
        expect(reads).toBe(5);
      });

      it('workers that finish in the same turn fetch their next tasks together, in one batch', async () => {
        const huey = b.huey();
        let ran = 0;
        const quick = huey.task(() => void ran++, { name: 'quick' });
        for (let i = 0; i < 40; i++) await quick();
        const dequeueMany = huey.storage.dequeueMany.bind(huey.storage);
        const batches: number[] = [];
        Object.assign(huey.storage, {
          dequeueMany: (count: number) => {
            batches.push(count);
            return dequeueMany(count);
          },
        });
        const consumer = huey.createConsumer({ workers: 4, periodic: false });
        await consumer.start();
        while (ran < 40) await new Promise((r) => setTimeout(r, 5));
        await consumer.stop();
        // Fetching for the first worker back, then for the three others, would take 20 fetches or more.
        expect(batches.filter((n) => n === 4).length).toBeGreaterThanOrEqual(9);
        expect(batches.length).toBeLessThanOrEqual(13);
      });

      it('runs scheduled tasks when they are due', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const consumer = huey.createConsumer({ workers: 1, schedulerInterval: 0.05, periodic: false });
        await consumer.start();
        const res = await add.schedule({ args: [1, 2], delay: 0.1 });
        expect(await res.get({ blocking: true, timeout: 10 })).toBe(3);
        await consumer.stop();
      });

      it('graceful stop waits for running tasks; a hard stop does not', async () => {
        const huey = b.huey();
        const order: string[] = [];
        let release: () => void = () => undefined;
        const started = new Promise<void>((resolveStarted) => {
          huey.task(
            async () => {
              resolveStarted();
              await new Promise<void>((r) => (release = r));
              order.push('task finished');
            },
            { name: 'long' },
          );
        });
        const long = huey.registry.get('long');
        const consumer = huey.createConsumer({ workers: 2 });
        await consumer.start();
        await huey.storage.enqueue(JSON.stringify({ v: 1, id: 'l1', name: long.name, args: [] }));
        await started;
        const stopping = consumer.stop().then(() => order.push('stopped'));
        await new Promise((r) => setTimeout(r, 20));
        order.push('releasing');
        release();
        await stopping;
        expect(order).toEqual(['releasing', 'task finished', 'stopped']);
        expect(consumer.running).toBe(false);
      });

      it('a hard stop resolves while a task is still running', async () => {
        const huey = b.huey();
        let release: () => void = () => undefined;
        let finished = false;
        const started = new Promise<void>((resolveStarted) => {
          huey.task(
            async () => {
              resolveStarted();
              await new Promise<void>((r) => (release = r));
              finished = true;
            },
            { name: 'long' },
          );
        });
        const consumer = huey.createConsumer({ workers: 1 });
        await consumer.start();
        await huey.storage.enqueue(JSON.stringify({ v: 1, id: 'l1', name: 'long', args: [] }));
        await started;
        await consumer.stop({ graceful: false });
        expect(finished).toBe(false);
        release();
      });

      it('failing startup/pre/post hooks and failing tasks never stop the consumer', async () => {
        const huey = b.huey();
        huey.onStartup('boom', () => {
          throw new Error('startup');
        });
        huey.preExecute('boom', () => {
          throw new Error('pre');
        });
        huey.postExecute('boom', () => {
          throw new Error('post');
        });
        const t = huey.task((x: number) => {
          if (x % 2) throw new Error('odd');
          return x;
        }, { name: 't' });
        const consumer = huey.createConsumer({ workers: 2 });
        await consumer.start();
        const results = await Promise.all([1, 2, 3, 4].map((x) => t(x)));
        const settled = await Promise.allSettled(results.map((r) => r.get({ blocking: true, timeout: 10 })));
        await consumer.stop();
        expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
      });

      it('polling mode (blocking: false): an empty poll sleeps -d seconds, growing by -b up to -m', async () => {
        const huey = b.huey({ blocking: false });
        const sleeps: number[] = [];
        const worker = new Worker(huey, {
          initialDelay: 0.1,
          backoff: 2,
          maxDelay: 0.5,
          sleep: async (ms) => void sleeps.push(ms),
        });
        for (let i = 0; i < 5; i++) await worker.loop();
        expect(sleeps).toEqual([100, 200, 400, 500, 500]);
        const t = huey.task(() => 'polled', { name: 't' });
        const res = await t();
        await worker.loop();
        expect(await res.get()).toBe('polled');
        await worker.loop();
        expect(sleeps.at(-1)).toBe(100); // a message resets the delay
      });

      it('a polling consumer runs tasks too', async () => {
        const huey = b.huey({ blocking: false });
        const t = huey.task((x: number) => x * 3, { name: 't' });
        const consumer = huey.createConsumer({ workers: 2, initialDelay: 0.005, maxDelay: 0.02 });
        await consumer.start();
        const res = await t(5);
        expect(await res.get({ blocking: true, timeout: 10 })).toBe(15);
        await consumer.stop();
      });

      it('periodic: false (-n) enqueues no periodic tasks; scheduled tasks still move', async () => {
        const huey = b.huey();
        huey.periodicTask(crontab({ minute: '*' }), () => undefined, { name: 'every_minute' });
        const events = await captureEvents(huey, () => new Scheduler(huey, { periodic: false }).loop(Date.parse('2024-01-01T00:00:00Z')));
        expect(events).toEqual([]);
        expect(await huey.pendingCount()).toBe(0);
      });

      it('refuses unknown worker types, and bad settings', () => {
        const huey = b.huey();
        expect(() => huey.createConsumer({ workerType: 'fiber' as never })).toThrow(/workerType must be one of async, greenlet, thread, process/);
        expect(() => huey.createConsumer({ workers: 0 })).toThrow(/positive integer/);
        expect(huey.createConsumer({ workerType: 'greenlet', schedulerInterval: 120 }).options.schedulerInterval).toBe(60);
      });
    });
  });
}

