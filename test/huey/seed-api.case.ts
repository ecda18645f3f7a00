// The seed's API chapter (3.7): Huey, task(), periodic_task(), enqueue(), hooks,
// revocation, result(), lock_task(), pending/scheduled/all_results, TaskWrapper,
// QueueTask, TaskResultWrapper; plus always_eager. On one backend.
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { Worker } from '../../src/huey/consumer/worker.js';
import { crontab } from '../../src/huey/crontab.js';
import { decodeMessage } from '../../src/huey/message.js';
import {
  CancelExecution,
  ConfigurationError,
  DataStoreTimeout,
  QueueTask,
  RetryTask,
  TaskException,
  TaskLockedException,
  TaskResult,
} from '../../src/huey/index.js';
import { captureEvents, recordingLogger, type Backend } from './backends.js';
import { fakeClock, runQueued } from './helpers.js';

export function apiCases(b: Backend): void {
  describe(`seed: Huey API (${b.kind})`, () => {
    describe('Huey', () => {
      it('example usage: slow_function task and a 3am periodic backup', async () => {
        const huey = b.huey();
        const slowFunction = huey.task((someArg: string) => someArg, { name: 'slow_function' });
        let backups = 0;
        huey.periodicTask(crontab({ minute: '0', hour: '3' }), () => void backups++, { name: 'backup' });
        expect(huey.getTasks()).toEqual(['backup', 'slow_function']);
        const res = await slowFunction('x');
        await runQueued(huey);
        expect(await res.get()).toBe('x');
        const scheduler = new Scheduler(huey, { utc: true });
        await scheduler.loop(Date.parse('2024-03-01T02:59:00Z'));
        await scheduler.loop(Date.parse('2024-03-01T03:00:00Z'));
        await scheduler.loop(Date.parse('2024-03-01T03:01:00Z'));
        await runQueued(huey);
        expect(backups).toBe(1);
      });

      it('a task name can be registered once per huey; other hueys have their own registry', () => {
        const huey = b.huey();
        huey.task((a: number) => a, { name: 'dup' });
        expect(() => huey.task((a: number) => a, { name: 'dup' })).toThrow(/already registered/);
        expect(() => huey.task((a: number) => a)).toThrow(/stable name/);
        const other = b.huey();
        expect(() => other.task((a: number) => a, { name: 'dup' })).not.toThrow();
      });

      it('without a result store, calls resolve to null and tasks still run', async () => {
        const huey = b.huey({ resultStore: false });
        const ran: string[] = [];
        const countSomeBeans = huey.task(
          (num: number) => {
            ran.push(`Counted ${num} beans`);
            return ran.length;
          },
          { name: 'count_some_beans' },
        );
        const res = await countSomeBeans(1000000);
        expect(res).toBeNull();
        await runQueued(huey);
        expect(ran).toEqual(['Counted 1000000 beans']);
        expect(await huey.resultCount()).toBe(0);
      });

      it('storeNone keeps null/undefined results', async () => {
        const huey = b.huey({ storeNone: true });
        const none = huey.task(() => null, { name: 'none' });
        const res = await none();
        await runQueued(huey);
        expect(await huey.resultCount()).toBe(1);
        expect(await res.get()).toBeNull();
      });

      it('storeErrors: false keeps failures out of the result store and the error list', async () => {
        const huey = b.huey({ storeErrors: false });
        const fails = huey.task(
          () => {
            throw new Error('I failed');
          },
          { name: 'fails' },
        );
        const res = await fails();
        await runQueued(huey);
        expect(await res.get()).toBeNull();
        expect(await huey.errors()).toEqual([]);
      });

      it('getPeriodicTasks/getRegularTasks, readPeriodic, the schedule read, put/get', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const t = huey.task((x: number) => x, { name: 'regular' });
        huey.periodicTask(crontab({ minute: '0' }), () => undefined, { name: 'hourly', retries: 2 });
        expect(huey.getPeriodicTasks()).toEqual(['hourly']);
        expect(huey.getRegularTasks()).toEqual(['regular']);
        expect(huey.readPeriodic(Date.parse('2024-01-01T05:00:20Z')).map((p) => [p.name, p.retries])).toEqual([['hourly', 2]]);
        expect(huey.readPeriodic(Date.parse('2024-01-01T05:01:00Z'))).toEqual([]);
        const res = await t.schedule({ args: [1], delay: 10 });
        await runQueued(huey);
        // What the scheduler reads at the clock's time.
        const readSchedule = async () => (await huey.storage.readSchedule(clock.now())).map((raw) => decodeMessage(raw, huey.serializer));
        expect(await readSchedule()).toEqual([]);
        clock.advance(10);
        expect((await readSchedule()).map((x) => x.id)).toEqual([res.id]);
        await huey.put('k', { when: new Date(3) });
        expect(await huey.get('k', { peek: true })).toEqual({ when: new Date(3) });
        expect(await huey.get('k')).toEqual({ when: new Date(3) });
        expect(await huey.get('k')).toBeNull();
      });

      it('events: false publishes nothing', async () => {
        const huey = b.huey({ events: false });
        const t = huey.task(() => 1, { name: 't' });
        await t();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(events).toEqual([]);
      });
    });

    describe('task()', () => {
      it('retries and retryDelay go into every call; retriesAsArgument and includeTask pass extras last', async () => {
        const huey = b.huey();
        const seen: unknown[] = [];
        const withBoth = huey.task(
          (a: number, retries: number, task: QueueTask) => {
            seen.push([a, retries, task.id, task.name, task.args, task.retryDelay]);
            return a;
          },
          { name: 'with_both', retries: 2, retryDelay: 7, retriesAsArgument: true, includeTask: true },
        );
        const t = withBoth.s(5);
        expect(t.retries).toBe(2);
        expect(t.retryDelay).toBe(7);
        const res = await huey.enqueue(t);
        await runQueued(huey);
        expect(seen).toEqual([[5, 2, res.id, 'with_both', [5], 7]]);
        // The task argument is not part of the message.
        expect(await res.get()).toBe(5);
      });

      it('async task functions are awaited', async () => {
        const huey = b.huey();
        const slow = huey.task(async (x: number) => {
          await new Promise((r) => setTimeout(r, 5));
          return x * 2;
        }, { name: 'slow' });
        const res = await slow(21);
        await runQueued(huey);
        expect(await res.get()).toBe(42);
      });

      it('RetryTask asks for a retry without being an error', async () => {
        const huey = b.huey();
        let calls = 0;
        const explicitRetry = huey.task(
          () => {
            calls++;
            if (calls === 1) throw new RetryTask();
            return 'fixed';
          },
          { name: 'explicit_retry', retries: 2 },
        );
        const res = await explicitRetry();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(events.map((e) => e.status)).toEqual(['started', 'retrying', 'started', 'finished']);
        expect(await res.get()).toBe('fixed');
        expect(await huey.errors()).toEqual([]);
      });
    });

    describe('periodicTask()', () => {
      it('every_five_minutes runs at :00 and :05 only; the validator gets a Date', async () => {
        const huey = b.huey();
        let runs = 0;
        huey.periodicTask(crontab({ minute: '*/5' }), () => void runs++, { name: 'every_five_minutes' });
        const scheduler = new Scheduler(huey);
        const t0 = Date.parse('2024-01-01T00:00:00Z');
        for (let m = 0; m <= 6; m++) await scheduler.loop(t0 + m * 60_000 + 30_000);
        await runQueued(huey);
        expect(runs).toBe(2);
      });

      it('reads the time in UTC by default and in local time with utc: false', async () => {
        const huey = b.huey();
        const seen: { date: number; utc: boolean | undefined }[] = [];
        huey.periodicTask(
          (date: Date, options?: { utc?: boolean }) => {
            seen.push({ date: date.getTime(), utc: options?.utc });
            return false;
          },
          () => undefined,
          { name: 'p' },
        );
        const t = Date.parse('2024-01-01T10:00:30Z');
        await new Scheduler(huey).loop(t);
        await new Scheduler(huey, { utc: false }).loop(t);
        expect(seen).toEqual([
          { date: Date.parse('2024-01-01T10:00:00Z'), utc: true },
          { date: Date.parse('2024-01-01T10:00:00Z'), utc: false },
        ]);
      });

      it('periodic tasks with retries are retried', async () => {
        const huey = b.huey();
        let calls = 0;
        huey.periodicTask(
          crontab({ minute: '3' }),
          () => {
            calls++;
            if (calls === 1) throw new Error('first time');
          },
          { name: 'hourly_task2', retries: 3 },
        );
        await new Scheduler(huey).loop(Date.parse('2024-01-01T00:03:00Z'));
        await runQueued(huey);
        expect(calls).toBe(2);
      });
    });

    describe('enqueue()', () => {
      it('add(1, 2) is huey.enqueue(add.s(1, 2)); a pipeline gives one TaskResult per task', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const ret = await add(1, 2);
        await runQueued(huey);
        expect(await ret.get({ blocking: true })).toBe(3);
        const taskInstance = add.s(1, 2);
        const ret2 = await huey.enqueue(taskInstance);
        expect(ret2).toBeInstanceOf(TaskResult);
        expect(ret2.id).toBe(taskInstance.id);
        await runQueued(huey);
        expect(await ret2.get({ blocking: true })).toBe(3);
        const pipe = await huey.enqueue(add.s(1, 2).then(add, 3));
        expect(Array.isArray(pipe)).toBe(true);
        expect(await huey.pendingCount()).toBe(1); // the pipeline is one message
      });

      it('mixed pipeline add/mul gives [3, 12, 7, 21, 29]', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const mul = huey.task((a: number, c: number) => a * c, { name: 'mul' });
        const results = await huey.enqueue(add.s(1, 2).then(mul, 4).then(add, -5).then(mul, 3).then(add, 8));
        await runQueued(huey);
        const values = [];
        for (const r of results) values.push(await r.get());
        expect(values).toEqual([3, 12, 7, 21, 29]);
      });

      it("the parent's result comes after the child's own arguments, as Huey's extend_data appends", async () => {
        const huey = b.huey();
        const cat = huey.task((...parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '), { name: 'cat' });
        const pair = huey.task((): [string, string] => ['p', 'q'], { name: 'pair' });
        const obj = huey.task(() => ({ k: 1 }), { name: 'obj' });
        const none = huey.task((): unknown[] => [], { name: 'none' });
        const results = await huey.enqueue(cat.s('x').then(cat, 'y', 'z'));
        const spread = await huey.enqueue(pair.s().then(cat, 'a'));
        const one = await huey.enqueue(obj.s().then(cat, 'a'));
        const empty = await huey.enqueue(none.s().then(cat, 'a'));
        await runQueued(huey);
        expect(await results[1]?.get()).toBe('y z x');
        expect(await spread[1]?.get()).toBe('a p q');
        expect(await one[1]?.get()).toBe('a {"k":1}');
        expect(await empty[1]?.get()).toBe('a');
      });

      it('a failing pipeline step stops the pipeline', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const boom = huey.task(
          (_: number) => {
            throw new Error('boom');
          },
          { name: 'boom' },
        );
        const [r1, r2, r3] = await huey.enqueue(add.s(1, 2).then(boom).then(add, 1));
        await runQueued(huey);
        expect(await r1?.get()).toBe(3);
        await expect(r2?.get()).rejects.toThrow(TaskException);
        expect(await r3?.get()).toBeNull();
      });
    });

    describe('hooks', () => {
      it('pre/post-execute hooks run in registration order with the task, value and error', async () => {
        const huey = b.huey();
        const calls: unknown[] = [];
        huey.registerPreExecute('first', (task) => void calls.push(['pre1', task.name]));
        huey.preExecute(function second(task) {
          calls.push(['pre2', task.name]);
        });
        huey.postExecute('post', (task, value, err) => void calls.push(['post', task.name, value, err]));
        const addValues = huey.task((a: number, c: number) => a + c, { name: 'add_values' });
        const fail = huey.task(
          () => {
            throw new Error('failed');
          },
          { name: 'fail' },
        );
        await addValues(1, 2);
        await runQueued(huey);
        expect(calls).toEqual([['pre1', 'add_values'], ['pre2', 'add_values'], ['post', 'add_values', 3, undefined]]);
        calls.length = 0;
        await fail();
        await runQueued(huey);
        expect(calls.slice(0, 2)).toEqual([['pre1', 'fail'], ['pre2', 'fail']]);
        const post = calls[2] as unknown[];
        expect(post.slice(0, 3)).toEqual(['post', 'fail', undefined]);
        expect((post[3] as Error).message).toBe('failed');
      });

      it('CancelExecution from a pre-execute hook cancels the task; unregister removes hooks', async () => {
        const huey = b.huey();
        let allow = false;
        const post: unknown[] = [];
        huey.preExecute('gate', () => {
          if (!allow) throw new CancelExecution();
        });
        huey.postExecute('post', (task) => void post.push(task.name));
        let ran = 0;
        const t = huey.task(() => ++ran, { name: 't' });
        const res = await t();
        await runQueued(huey);
        expect(ran).toBe(0);
        expect(post).toEqual([]);
        expect(await res.get()).toBeNull();
        expect(huey.unregisterPreExecute('gate')).toBe(true);
        expect(huey.unregisterPreExecute('gate')).toBe(false);
        await t();
        await runQueued(huey);
        expect(ran).toBe(1);
        allow = true;
      });

      it('startup hooks run when a worker starts; failing hooks are logged and change nothing', async () => {
        const { lines, logger } = recordingLogger();
        const huey = b.huey({ logger });
        const started: string[] = [];
        huey.onStartup(function setupDbConnection() {
          started.push('db');
        });
        huey.registerStartup('broken', () => {
          throw new Error('startup boom');
        });
        huey.registerStartup('after', () => void started.push('after'));
        huey.preExecute('bad-pre', () => {
          throw new Error('pre boom');
        });
        huey.postExecute('bad-post', () => {
          throw new Error('post boom');
        });
        const worker = new Worker(huey);
        await worker.initialize();
        expect(started).toEqual(['db', 'after']);
        const t = huey.task(() => 'ok', { name: 't' });
        const res = await t();
        await worker.loop();
        expect(await res.get()).toBe('ok');
        const errors = lines.filter((l) => l.level === 'error').map((l) => l.message);
        expect(errors.some((m) => m.includes('startup boom'))).toBe(true);
        expect(errors.some((m) => m.includes('pre boom'))).toBe(true);
        expect(errors.some((m) => m.includes('post boom'))).toBe(true);
        expect(huey.unregisterStartup('broken')).toBe(true);
        expect(huey.unregisterPostExecute('bad-post')).toBe(true);
      });
    });

    describe('revocation', () => {
      it('revoke/restore a task instance; revokeById/restoreById', async () => {
        const huey = b.huey();
        const ran: number[] = [];
        const t = huey.task((n: number) => void ran.push(n), { name: 't' });
        const r1 = await t(1);
        const r2 = await t(2);
        await huey.revoke(r1.task);
        await huey.revokeById(r2.id);
        expect(await huey.isRevoked(r1.task)).toBe(true);
        expect(await huey.isRevoked(r2.id)).toBe(true);
        expect(await huey.restoreById(r2.id)).toBe(true);
        expect(await huey.restoreById(r2.id)).toBe(false);
        await runQueued(huey);
        expect(ran).toEqual([2]);
        // Skipping the revoked instance removed its record (records of instances do not pile up);
        // a revoked instance that was thrown away stays thrown away.
        expect(await huey.storage.peekRevocations([`r:${r1.id}`])).toEqual([null]);
        expect(await huey.restore(r1.task)).toBe(false);
        await runQueued(huey);
        expect(ran).toEqual([2]);
      });

      it('revokeAll/restoreAll affect the task class; restoring it leaves revoked instances revoked', async () => {
        const huey = b.huey();
        const ran: number[] = [];
        const t = huey.task((n: number) => void ran.push(n), { name: 't' });
        const r1 = await t(1);
        await r1.revoke();
        await huey.revokeAll(t);
        const r2 = await t(2);
        expect(await huey.isRevoked(t)).toBe(true);
        expect(await r2.isRevoked()).toBe(true);
        expect(await huey.restoreAll(t)).toBe(true);
        expect(await huey.isRevoked(t)).toBe(false);
        expect(await r1.isRevoked()).toBe(true);
        // Restoring an instance has no effect while the class is revoked.
        await huey.revokeAll('t');
        expect(await r1.restore()).toBe(true);
        expect(await r1.isRevoked()).toBe(true);
        await huey.restoreAll('t');
        await runQueued(huey);
        expect(ran.sort()).toEqual([1, 2]);
      });

      it('revoke with until: isRevoked(dt) answers for a given time', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const t = huey.task(() => 1, { name: 't' });
        const until = new Date(clock.now() + 24 * 3600_000);
        await t.revoke({ until });
        expect(await t.isRevoked()).toBe(true);
        expect(await t.isRevoked(new Date(until.getTime() - 1))).toBe(true);
        expect(await t.isRevoked(until)).toBe(false);
      });

      it('revoke once: the next run is skipped, then the task runs', async () => {
        const huey = b.huey();
        let runs = 0;
        const countSomeBeans = huey.task(() => void runs++, { name: 'count_some_beans' });
        await countSomeBeans.revoke({ once: true });
        expect(await countSomeBeans.isRevoked()).toBe(true);
        await countSomeBeans();
        await countSomeBeans();
        await runQueued(huey);
        expect(runs).toBe(1);
        expect(await countSomeBeans.isRevoked()).toBe(false);
      });

      it('a later revoke supersedes an earlier one', async () => {
        const huey = b.huey();
        const t = huey.task(() => 1, { name: 't' });
        await t.revoke();
        await t.revoke({ once: true });
        await t();
        await t();
        let runs = 0;
        huey.postExecute('count', () => void runs++);
        await runQueued(huey);
        expect(runs).toBe(1);
      });
    });

    describe('result()', () => {
      it('reads by id: null when not ready; blocking with a timeout throws DataStoreTimeout', async () => {
        const huey = b.huey();
        const t = huey.task((x: number) => x, { name: 't' });
        const res = await t(7);
        expect(await huey.result(res.id)).toBeNull();
        await expect(huey.result(res.id, { blocking: true, timeout: 0.05 })).rejects.toThrow(DataStoreTimeout);
        await runQueued(huey);
        expect(await huey.result(res.id, { preserve: true })).toBe(7);
        expect(await huey.result(res.id)).toBe(7);
        expect(await huey.result(res.id)).toBeNull();
      });

      it('revokeOnTimeout revokes the task when the wait times out', async () => {
        const huey = b.huey();
        let ran = 0;
        const t = huey.task(() => ++ran, { name: 't' });
        const res = await t();
        await expect(res.get({ blocking: true, timeout: 0.05, revokeOnTimeout: true })).rejects.toThrow(DataStoreTimeout);
        expect(await res.isRevoked()).toBe(true);
        await runQueued(huey);
        expect(ran).toBe(0);
      });

      it('a blocking read is woken when the result is stored', async () => {
        const huey = b.huey();
        const t = huey.task((x: number) => x + 1, { name: 't' });
        const res = await t(1);
        const waiting = res.get({ blocking: true, timeout: 30, maxDelay: 30 });
        await new Promise((r) => setTimeout(r, 20));
        await runQueued(huey);
        expect(await waiting).toBe(2);
      });
    });

    describe('lockTask()', () => {
      it('run() and wrap() hold the lock; a second holder gets TaskLockedException; flushLocks frees stale ones', async () => {
        const huey = b.huey();
        const lock = huey.lockTask('test-lock');
        const inner = await lock.run(async () => {
          await expect(huey.lockTask('test-lock').run(() => 1)).rejects.toThrow(TaskLockedException);
          return 'inside';
        });
        expect(inner).toBe('inside');
        const wrapped = lock.wrap((a: number, c: number) => a + c);
        expect(await wrapped(1, 2)).toBe(3);
        await lock.acquire();
        expect(await huey.flushLocks()).toEqual(['test-lock']);
        expect(await lock.run(() => 'free again')).toBe('free again');
      });

      it('a locked task with retries reads as TaskException until it runs (the seed\'s test_task_locking)', async () => {
        const huey = b.huey();
        const lockedTask = huey.task(huey.lockTask('test-lock').wrap((a: number, c: number) => a + c), {
          name: 'locked_task',
          retries: 2,
        });
        const ret = await lockedTask(1, 2);
        await runQueued(huey);
        expect(await ret.get()).toBe(3);
        const ret2 = await lockedTask(2, 3);
        await huey.lockTask('test-lock').run(() => new Worker(huey).loop());
        await expect(ret2.get()).rejects.toThrow(TaskException);
        ret2.reset();
        await runQueued(huey);
        expect(await ret2.get()).toBe(5);
      });
    });

    describe('pending(), scheduled(), allResults(), errors()', () => {
      it('lists queued and scheduled tasks and stored results', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const t = huey.task((x: number) => x, { name: 't' });
        const a = await t(1);
        const c = await t.schedule({ args: [3], delay: 100 });
        const pend = await huey.pending();
        expect(pend.map((p) => p.id)).toEqual([a.id, c.id]);
        expect(pend[0]).toBeInstanceOf(QueueTask);
        await runQueued(huey);
        const sched = await huey.scheduled();
        expect(sched.map((s) => [s.id, s.args])).toEqual([[c.id, [3]]]);
        expect(await huey.allResults()).toEqual({ [a.id]: 1 });
        await huey.flush();
        expect(await huey.scheduledCount()).toBe(0);
      });

      it('errors() lists failures with their metadata, newest first', async () => {
        const huey = b.huey();
        const fails = huey.task(
          (what: string) => {
            throw new Error(`I failed: ${what}`);
          },
          { name: 'fails' },
        );
        const r1 = await fails('one');
        await fails('two');
        await runQueued(huey);
        const errs = await huey.errors();
        expect(errs.map((e) => e.error)).toEqual(['Error: I failed: two', 'Error: I failed: one']);
        expect(errs[1]).toMatchObject({ id: r1.id, task: 'fails', retries: 0, retryDelay: 0, executeTime: null });
        expect(errs[1]?.traceback).toContain('I failed: one');
        expect(await huey.errors({ limit: 1, offset: 1 })).toHaveLength(1);
      });
    });

    describe('TaskWrapper', () => {
      it('schedule() takes eta or delay (the same thing), not both', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const countSomeBeans = huey.task((n: number) => n, { name: 'count_some_beans' });
        const inAnHour = new Date(clock.now() + 3600_000);
        const r1 = await countSomeBeans.schedule({ args: [100000], eta: inAnHour });
        const r2 = await countSomeBeans.schedule({ args: [100000], delay: 60 * 60 });
        expect(r1.task.eta?.getTime()).toBe(r2.task.eta?.getTime());
        expect(() => countSomeBeans.schedule({ args: [1], eta: inAnHour, delay: 5 })).toThrow(/not both/);
        expect(await huey.pendingCount()).toBe(2);
      });

      it('callLocal() calls the function without the queue; taskName and name', async () => {
        const huey = b.huey();
        const countSomeBeans = huey.task((n: number) => `Counted ${n} beans`, { name: 'count_some_beans' });
        expect(countSomeBeans.callLocal(1337)).toBe('Counted 1337 beans');
        expect(countSomeBeans.taskName).toBe('count_some_beans');
        expect(countSomeBeans.name).toBe('count_some_beans');
        expect(await huey.pendingCount()).toBe(0);
      });

      it('s() builds a QueueTask without enqueueing it', async () => {
        const huey = b.huey();
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const task = add.s(1, 2);
        expect(task).toBeInstanceOf(QueueTask);
        expect(task.name).toBe('add');
        expect(task.args).toEqual([1, 2]);
        expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await huey.pendingCount()).toBe(0);
      });
    });

    describe('TaskResult', () => {
      it('get() is null while not ready; a failed task throws TaskException with metadata', async () => {
        const huey = b.huey();
        const fails = huey.task(
          () => {
            throw new Error('I failed');
          },
          { name: 'fails' },
        );
        const res = await fails();
        expect(await res.get()).toBeNull();
        await runQueued(huey);
        const err = await res.get().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TaskException);
        expect((err as TaskException).metadata.error).toContain('I failed');
        expect((err as TaskException).message).toBe('Error: I failed');
      });

      it('reschedule() revokes the task and enqueues a copy with a new id', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const ran: number[] = [];
        const t = huey.task((n: number) => {
          ran.push(n);
          return n;
        }, { name: 't' });
        const res = await t.schedule({ args: [5], delay: 3600 });
        const res2 = (await res.reschedule({ delay: 10 }))!;
        expect(res2.id).not.toBe(res.id);
        expect(res2.task.eta?.getTime()).toBe(clock.now() + 10_000);
        expect(await res.isRevoked()).toBe(true);
        await runQueued(huey);
        clock.advance(3600);
        await new Scheduler(huey, { periodic: false }).loop();
        await runQueued(huey);
        expect(ran).toEqual([5]);
        expect(await res2.get()).toBe(5);
        const res3 = await res2.reschedule();
        expect(res3?.task.eta).toBeNull();
      });

      it('reschedule() on a huey without a result store enqueues the copy and returns null, as Huey', async () => {
        const huey = b.huey({ resultStore: false });
        const t = huey.task((n: number) => n, { name: 't' });
        const original = new TaskResult(huey, t.s(5));
        expect(await original.reschedule({ delay: 10 })).toBeNull();
        const [copy] = await huey.pending();
        expect(copy?.name).toBe('t');
        expect(copy?.id).not.toBe(original.id);
        expect(await original.isRevoked()).toBe(true);
      });

      it('reset() forgets the cached value so the next get() reads again', async () => {
        const huey = b.huey();
        const t = huey.task((x: number) => x, { name: 't' });
        const res = await t(1);
        await runQueued(huey);
        expect(await res.get({ preserve: true })).toBe(1);
        await huey.storage.putData(res.id, JSON.stringify({ v: 1, value: 2 }));
        expect(await res.get()).toBe(1);
        res.reset();
        expect(await res.get()).toBe(2);
      });
    });

    describe('alwaysEager', () => {
      it('runs calls at once; get() gives the value or throws TaskException; nothing is enqueued', async () => {
        const huey = b.huey({ alwaysEager: true });
        const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
        const fails = huey.task(
          () => {
            throw new Error('eager failure');
          },
          { name: 'fails' },
        );
        const res = await add(1, 2);
        expect(await res.get()).toBe(3);
        const bad = await fails();
        await expect(bad.get()).rejects.toThrow(TaskException);
        const results = await huey.enqueue(add.s(1, 2).then(add, 3).then(add, 4));
        const values = [];
        for (const r of results) values.push(await r.get());
        expect(values).toEqual([3, 6, 10]);
        expect(await huey.pendingCount()).toBe(0);
        expect(() => huey.createConsumer()).not.toThrow();
        await expect(huey.createConsumer().start()).rejects.toThrow(ConfigurationError);
      });

      it('eager arguments and results make the same round trip through the serializer', async () => {
        const huey = b.huey({ alwaysEager: true });
        const echo = huey.task((d: Date, m: Map<string, number>) => ({ d, m }), { name: 'echo' });
        const res = await echo(new Date(5), new Map([['a', 1]]));
        const value = await res.get();
        expect(value?.d).toEqual(new Date(5));
        expect(value?.m).toEqual(new Map([['a', 1]]));
      });
    });
  });
}
