// Every example of the seed's Getting Started chapter (3.2), in TypeScript, on
// one backend. Time is a fake clock; the worker and scheduler are stepped by hand.
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { Worker } from '../../src/huey/consumer/worker.js';
import { crontab } from '../../src/huey/crontab.js';
import {
  EVENT_FINISHED,
  EVENT_LOCKED,
  EVENT_RETRYING,
  EVENT_REVOKED,
  EVENT_SCHEDULED,
  EVENT_STARTED,
  TaskException,
  TaskLockedException,
} from '../../src/huey/index.js';
import { captureEvents, type Backend } from './backends.js';
import { fakeClock, runQueued } from './helpers.js';

export function gettingStarted(b: Backend): void {
  describe(`seed: Getting Started (${b.kind})`, () => {
    it('count_beans: calling the task enqueues it and the consumer runs it', async () => {
      const huey = b.huey();
      const counted: number[] = [];
      const countBeans = huey.task(
        function countBeans(num: number) {
          counted.push(num);
        },
        { name: 'count_beans' },
      );
      await countBeans(200);
      expect(counted).toEqual([]);
      expect(await huey.pendingCount()).toBe(1);
      const [pending] = await huey.pending();
      expect(pending?.name).toBe('count_beans');
      expect(pending?.args).toEqual([200]);
      await runQueued(huey);
      expect(counted).toEqual([200]);
    });

    it('getting results: res.get() gives the return value, and the store forgets it after reading', async () => {
      const huey = b.huey();
      const countBeans = huey.task((num: number) => `Counted ${num} beans`, { name: 'count_beans' });
      const res = await countBeans(100);
      expect(await res.get()).toBeNull();
      await runQueued(huey);
      expect(await huey.resultCount()).toBe(1);
      expect(await res.get()).toBe('Counted 100 beans');
      // Destructive read: the value is gone from the store (HGET then HDEL) but cached in the handle.
      expect(await huey.resultCount()).toBe(0);
      expect(await res.get()).toBe('Counted 100 beans');
      expect(await huey.result(res.id)).toBeNull();
    });

    it('a task returning nothing stores nothing (result_store is only used for return values)', async () => {
      const huey = b.huey();
      const noop = huey.task(function noop() {}, {});
      const res = await noop();
      await runQueued(huey);
      expect(await huey.resultCount()).toBe(0);
      expect(await res.get()).toBeNull();
    });

    it('executing tasks in the future: schedule({ args, delay: 60 })', async () => {
      const clock = fakeClock();
      const huey = b.huey({ clock: clock.now });
      const countBeans = huey.task((num: number) => `Counted ${num} beans`, { name: 'count_beans' });
      const res = await countBeans.schedule({ args: [100], delay: 60 });
      expect(res.task.eta?.getTime()).toBe(clock.now() + 60_000);
      await runQueued(huey); // the worker sees it is not due and puts it on the schedule
      expect(await huey.scheduledCount()).toBe(1);
      expect(await res.get()).toBeNull(); // This returns None, no data is ready.
      const scheduler = new Scheduler(huey);
      clock.advance(30);
      await scheduler.loop();
      expect(await huey.pendingCount()).toBe(0);
      expect(await res.get()).toBeNull(); // A couple seconds later.
      clock.advance(30);
      await scheduler.loop();
      expect(await huey.pendingCount()).toBe(1);
      await runQueued(huey);
      expect(await res.get({ blocking: true, timeout: 5 })).toBe('Counted 100 beans');
    });

    it('executing tasks in the future: schedule({ args, eta })', async () => {
      const clock = fakeClock();
      const huey = b.huey({ clock: clock.now });
      const countBeans = huey.task((num: number) => `Counted ${num} beans`, { name: 'count_beans' });
      const inAMinute = new Date(clock.now() + 60_000);
      const res = await countBeans.schedule({ args: [100], eta: inAMinute });
      await runQueued(huey);
      const [scheduled] = await huey.scheduled();
      expect(scheduled?.id).toBe(res.id);
      expect(scheduled?.eta?.getTime()).toBe(inAMinute.getTime());
      clock.set(inAMinute.getTime());
      await new Scheduler(huey).loop();
      await runQueued(huey);
      expect(await res.get()).toBe('Counted 100 beans');
    });

    it('retrying tasks that fail: retries=3 runs the task four times', async () => {
      const huey = b.huey();
      const attempts: number[] = [];
      const tryThrice = huey.task(
        (retries: number) => {
          attempts.push(retries);
          throw new Error('nope');
        },
        { name: 'try_thrice', retries: 3, retriesAsArgument: true },
      );
      const res = await tryThrice();
      await runQueued(huey);
      expect(attempts).toEqual([3, 2, 1, 0]);
      await expect(res.get()).rejects.toThrow(TaskException);
    });

    it('retries with a delay: each retry waits retry_delay seconds; other tasks run in between', async () => {
      const clock = fakeClock();
      const huey = b.huey({ clock: clock.now });
      const log: string[] = [];
      const tryThrice = huey.task(
        () => {
          log.push(`trying...${new Date(clock.now()).toISOString()}`);
          throw new Error('nope');
        },
        { name: 'try_thrice', retries: 3, retryDelay: 10 },
      );
      const countBeans = huey.task((num: number) => log.push(`-- counted ${num} beans --`), { name: 'count_beans' });
      await tryThrice();
      await countBeans(100);
      const worker = new Worker(huey);
      const scheduler = new Scheduler(huey, { periodic: false });
      await worker.loop();
      await worker.loop();
      for (let i = 0; i < 3; i++) {
        clock.advance(9.999);
        await scheduler.loop();
        expect(await huey.pendingCount()).toBe(0);
        clock.advance(0.001);
        await scheduler.loop();
        await runQueued(huey);
      }
      expect(log).toEqual([
        'trying...2024-01-01T00:00:00.000Z',
        '-- counted 100 beans --',
        'trying...2024-01-01T00:00:10.000Z',
        'trying...2024-01-01T00:00:20.000Z',
        'trying...2024-01-01T00:00:30.000Z',
      ]);
      expect(await huey.scheduledCount()).toBe(0);
    });

    it('executing tasks at regular intervals: periodicTask(crontab({ minute: "*" }))', async () => {
      const huey = b.huey();
      const printed: string[] = [];
      huey.periodicTask(crontab({ minute: '*' }), () => void printed.push('tick'), { name: 'print_time' });
      const scheduler = new Scheduler(huey);
      const t0 = Date.parse('2024-05-05T21:02:00Z');
      for (let s = 0; s < 180; s += 1) {
        // The scheduler runs every second; periodic tasks are checked once per minute.
        await scheduler.loop(t0 + s * 1000);
      }
      expect(await huey.pendingCount()).toBe(3);
      await runQueued(huey, t0 + 180_000);
      expect(printed).toEqual(['tick', 'tick', 'tick']);
      // Periodic tasks do not store results.
      expect(await huey.resultCount()).toBe(0);
    });

    it('canceling: res.revoke() before the task runs; it is thrown away', async () => {
      const huey = b.huey();
      const ran: number[] = [];
      const countBeans = huey.task((n: number) => void ran.push(n), { name: 'count_beans' });
      const res = await countBeans(10000000);
      await res.revoke();
      expect(await res.isRevoked()).toBe(true);
      const events = await captureEvents(huey, () => runQueued(huey));
      expect(ran).toEqual([]);
      expect(events.map((e) => e.status)).toEqual([EVENT_REVOKED]);
      expect(await huey.pendingCount()).toBe(0);
    });

    it('canceling scheduled tasks, then changing your mind with restore()', async () => {
      const clock = fakeClock();
      const huey = b.huey({ clock: clock.now });
      const ran: number[] = [];
      const countBeans = huey.task((n: number) => void ran.push(n), { name: 'count_beans' });
      const inTheFuture = new Date(clock.now() + 3600_000);
      const res = await countBeans.schedule({ args: [100000], eta: inTheFuture });
      await res.revoke();
      expect(await res.isRevoked()).toBe(true);
      expect(await res.restore()).toBe(true);
      expect(await res.isRevoked()).toBe(false);
      await runQueued(huey);
      clock.set(inTheFuture.getTime());
      await new Scheduler(huey).loop();
      await runQueued(huey);
      expect(ran).toEqual([100000]);
    });

    it('revoking all instances of a task: task.revoke(), isRevoked(), restore()', async () => {
      const huey = b.huey();
      const ran: number[] = [];
      const countBeans = huey.task((n: number) => void ran.push(n), { name: 'count_beans' });
      await countBeans.revoke();
      expect(await countBeans.isRevoked()).toBe(true);
      const res = await countBeans(100);
      expect(await res.isRevoked()).toBe(true);
      await runQueued(huey);
      expect(ran).toEqual([]);
      await countBeans.restore();
      expect(await countBeans.isRevoked()).toBe(false);
      await countBeans(101);
      await runQueued(huey);
      expect(ran).toEqual([101]);
    });

    it('pausing periodic tasks: revoke({ once: true }) skips the next run only', async () => {
      const huey = b.huey();
      const ran: number[] = [];
      const printTime = huey.periodicTask(crontab({ minute: '*' }), () => void ran.push(1), { name: 'print_time' });
      await printTime.revoke({ once: true });
      const scheduler = new Scheduler(huey);
      const t0 = Date.parse('2024-01-01T10:00:00Z');
      for (let m = 0; m < 3; m++) {
        await scheduler.loop(t0 + m * 60_000);
        await runQueued(huey, t0 + m * 60_000);
      }
      expect(ran).toEqual([1, 1]);
      expect(await printTime.isRevoked()).toBe(false);
    });

    it('pausing periodic tasks: revoke({ until }) skips runs until then', async () => {
      const huey = b.huey();
      let runs = 0;
      const printTime = huey.periodicTask(crontab({ minute: '*' }), () => void runs++, { name: 'print_time' });
      const t0 = Date.parse('2024-01-01T10:00:00Z');
      const in10 = new Date(t0 + 600_000);
      await printTime.revoke({ until: in10 });
      expect(await printTime.isRevoked(t0)).toBe(true);
      expect(await printTime.isRevoked(in10)).toBe(false);
      await printTime.revoke({ until: in10 }); // isRevoked at `until` cleared it; revoke again
      const scheduler = new Scheduler(huey);
      for (let m = 0; m < 15; m++) {
        await scheduler.loop(t0 + m * 60_000);
        await runQueued(huey, t0 + m * 60_000);
      }
      expect(runs).toBe(5); // minutes 10..14
    });

    it('pausing periodic tasks indefinitely: revoke(), then restore()', async () => {
      const huey = b.huey();
      let runs = 0;
      const printTime = huey.periodicTask(crontab({ minute: '*' }), () => void runs++, { name: 'print_time' });
      await printTime.revoke();
      expect(await printTime.isRevoked()).toBe(true);
      const scheduler = new Scheduler(huey);
      const t0 = Date.parse('2024-01-01T10:00:00Z');
      await scheduler.loop(t0);
      await runQueued(huey, t0);
      expect(runs).toBe(0);
      await printTime.restore();
      await scheduler.loop(t0 + 60_000);
      await runQueued(huey, t0 + 60_000);
      expect(runs).toBe(1);
    });

    it('task pipelines: add.s(1, 2).then(add, 3).then(add, 4).then(add, 5) gives [3, 6, 10, 15]', async () => {
      const huey = b.huey();
      const add = huey.task((a: number, b2: number) => a + b2, { name: 'add' });
      // add(1, 2) is the same as huey.enqueue(add.s(1, 2)).
      const single = await huey.enqueue(add.s(1, 2));
      await runQueued(huey);
      expect(await single.get()).toBe(3);

      const addTask = add.s(1, 2);
      const pipeline = addTask.then(add, 3).then(add, 4).then(add, 5);
      expect(pipeline).toBe(addTask); // then() returns the parent
      const results = await huey.enqueue(pipeline);
      expect(results).toHaveLength(4);
      await runQueued(huey);
      const values = [];
      for (const r of results) values.push(await r.get({ blocking: true, timeout: 5 }));
      expect(values).toEqual([3, 6, 10, 15]);
    });

    it('task pipelines: an array result is spread into the next call (fib)', async () => {
      const huey = b.huey();
      const fib = huey.task((a: number, b2 = 1): [number, number] => [a + b2, a], { name: 'fib' });
      const results = await huey.enqueue(fib.s(1).then(fib).then(fib));
      await runQueued(huey);
      const values = [];
      for (const r of results) values.push(await r.get(true));
      expect(values).toEqual([
        [2, 1],
        [3, 2],
        [5, 3],
      ]);
    });

    it('task pipelines: an object result is one argument, which the child destructures (the seed\'s dict → kwargs example)', async () => {
      const huey = b.huey();
      type State = { v1?: number; v2?: number; v3?: number };
      // Python's stateful(v1=None, v2=None, v3=None) receives the parent's dict as keyword arguments.
      const stateful = huey.task(
        ({ v1, v2, v3 }: State = {}): Required<State> => ({
          v1: v1 !== undefined ? v1 + 1 : 0,
          v2: v2 !== undefined ? v2 + 2 : 0,
          v3: v3 !== undefined ? v3 + 3 : 0,
        }),
        { name: 'stateful' },
      );
      const results = await huey.enqueue(stateful.s().then(stateful).then(stateful));
      await runQueued(huey);
      const values = [];
      for (const r of results) values.push(await r.get(true));
      expect(values).toEqual([
        { v1: 0, v2: 0, v3: 0 },
        { v1: 1, v2: 2, v3: 3 },
        { v1: 2, v2: 4, v3: 6 },
      ]);
    });

    it('locking tasks: a periodic task wrapped in lockTask() is not run twice at once', async () => {
      const huey = b.huey();
      let reports = 0;
      const generateReport = huey.periodicTask(
        crontab({ minute: '*/5' }),
        huey.lockTask('reports-lock').wrap(function generateReport() {
          reports++;
        }),
      );
      expect(generateReport.taskName).toBe('generateReport');
      // Another invocation holds the lock while the consumer picks this one up.
      const events = await captureEvents(huey, () =>
        huey.lockTask('reports-lock').run(async () => {
          await generateReport();
          await runQueued(huey);
        }),
      );
      expect(reports).toBe(0);
      expect(events.map((e) => e.status)).toEqual([EVENT_STARTED, EVENT_LOCKED]);
      expect(events[1]?.error).toBe(false);
      // The lock was released: the next run goes ahead.
      await generateReport();
      await runQueued(huey);
      expect(reports).toBe(1);
    });

    it('locking tasks: lockTask().run() inside a task; a task with retries is retried after EVENT_LOCKED', async () => {
      const huey = b.huey();
      const done: string[] = [];
      const backup = huey.task(
        async () => {
          done.push('code');
          await huey.lockTask('db-backup').run(() => void done.push('db'));
        },
        { name: 'backup', retries: 1 },
      );
      const lock = huey.lockTask('db-backup');
      await lock.acquire();
      await expect(lock.run(() => 1)).rejects.toThrow(TaskLockedException);
      const events = await captureEvents(huey, async () => {
        await backup();
        await new Worker(huey).loop();
      });
      expect(events.map((e) => e.status)).toEqual([EVENT_STARTED, EVENT_LOCKED, EVENT_RETRYING]);
      expect(done).toEqual(['code']);
      // As in Huey, the locked run is in the error list (the event and the retry are as above).
      const [locked] = await huey.errors();
      expect(locked?.task).toBe('backup');
      expect(locked?.error).toMatch(/TaskLockedException/);
      await lock.release();
      const events2 = await captureEvents(huey, () => runQueued(huey));
      expect(events2.map((e) => e.status)).toEqual([EVENT_STARTED, EVENT_FINISHED]);
      expect(done).toEqual(['code', 'code', 'db']);
    });

    it('retry delay events: EVENT_SCHEDULED is emitted when a retry goes onto the schedule', async () => {
      const huey = b.huey();
      const flaky = huey.task(
        () => {
          throw new Error('x');
        },
        { name: 'flaky', retries: 1, retryDelay: 5 },
      );
      await flaky();
      const events = await captureEvents(huey, () => runQueued(huey));
      expect(events.map((e) => e.status)).toEqual(['started', 'error-task', EVENT_RETRYING, EVENT_SCHEDULED]);
    });
  });
}
