// Job controls on one backend (docs/job-controls.md): priorities (one
// consumer and several), retry backoff, jitter, maxRetryDelay and
// RetryTask({ delay | eta }), timeouts of async tasks, expiry, rate limits,
// unique tasks and pause/resume. Time is a fake clock throughout: no test
// sleeps for a backoff, an expiry or a rate window.
import { describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { Worker } from '../../src/huey/consumer/worker.js';
import {
  EVENT_EXPIRED,
  EVENT_PAUSED,
  EVENT_RATE_LIMITED,
  QueueTask,
  RetryTask,
  TaskException,
  TaskTimeout,
  redisKeys,
  type HueyEvent,
} from '../../src/huey/index.js';
import { captureEvents, type Backend } from './backends.js';
import { fakeClock, runQueued } from './helpers.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');

export function jobControlCases(b: Backend): void {
  describe(`job controls (${b.kind})`, () => {
    describe('priorities', () => {
      it('higher runs first, equal priorities stay FIFO, a plain LPUSH producer still works', async () => {
        const huey = b.huey();
        const ran: string[] = [];
        const job = huey.task((label: string) => void ran.push(label), { name: 'job' });
        const urgent = huey.task((label: string) => void ran.push(label), { name: 'urgent', priority: 10 });
        await job('plain-1');
        await urgent('u-1');
        await job.schedule({ args: ['p5-1'], priority: 5 });
        await urgent('u-2');
        await job.schedule({ args: ['low'], priority: -1 });
        await job.schedule({ args: ['p5-2'], priority: 5 });
        const raw = JSON.stringify({ v: 1, id: 'by-hand', name: 'job', args: ['plain-2'] });
        // SQLite: the plain enqueue is the INSERT a producer that knows nothing of priorities runs.
        if (b.kind === 'memory' || b.kind === 'sqlite') await huey.storage.enqueue(raw);
        else {
          const client = new RedisClient({ host: '127.0.0.1', port: b.port() });
          await client.call('LPUSH', redisKeys(huey.name).queue, raw);
          await client.quit();
        }
        expect(await huey.pendingCount()).toBe(7);
        expect((await huey.pending()).map((t) => t.args[0])).toEqual(['u-1', 'u-2', 'p5-1', 'p5-2', 'plain-1', 'plain-2', 'low']);
        await runQueued(huey);
        expect(ran).toEqual(['u-1', 'u-2', 'p5-1', 'p5-2', 'plain-1', 'plain-2', 'low']);
      });

      it('a scheduled task keeps its priority when it comes due; pipelines take it per step with with()', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const ran: string[] = [];
        const job = huey.task((label: string) => void ran.push(label), { name: 'job' });
        await job.schedule({ args: ['later-high'], delay: 10, priority: 3 });
        await job('plain');
        await runQueued(huey, clock.now()); // runs 'plain'; 'later-high' goes to the schedule
        await huey.enqueue(job.s('plain-again'));
        clock.advance(10);
        await new Scheduler(huey, { periodic: false }).loop(clock.now());
        await huey.enqueue(job.s('high-step').with({ priority: 7 }));
        await runQueued(huey, clock.now());
        expect(ran).toEqual(['plain', 'high-step', 'later-high', 'plain-again']);
      });

      it('retries and pipeline steps go back to their own level', async () => {
        const huey = b.huey();
        const ran: string[] = [];
        let failures = 1;
        const job = huey.task((label: string) => void ran.push(label), { name: 'job' });
        const flaky = huey.task(
          (label: string) => {
            if (failures-- > 0) throw new Error('once');
            ran.push(label);
            return 'next';
          },
          { name: 'flaky', priority: 4, retries: 1 },
        );
        await huey.enqueue(flaky.s('flaky').then(job));
        await new Worker(huey).loop(); // fails; its retry goes back to level 4
        await job('plain');
        expect((await huey.pending()).map((t) => [t.name, t.priority])).toEqual([['flaky', 4], ['job', 0]]);
        await new Worker(huey).loop(); // the retry runs; its pipeline step (priority 0) queues behind 'plain'
        await huey.enqueue(job.s('urgent-step').with({ priority: 1 }));
        await runQueued(huey);
        expect(ran).toEqual(['flaky', 'urgent-step', 'plain', 'next']);
      });

      it('several consumers take the highest level first', async () => {
        const huey = b.huey();
        const started: string[] = [];
        const define = (h: typeof huey) =>
          h.task(
            async (label: string) => {
              started.push(label);
              await new Promise((r) => setTimeout(r, 5));
            },
            { name: 'work' },
          );
        const work = define(huey);
        for (let i = 0; i < 12; i++) await work(`low-${i}`);
        for (let i = 0; i < 4; i++) await work.schedule({ args: [`high-${i}`], priority: 9 });
        // Memory: two consumers on one storage; Redis and SQLite: two hueys of the same name, as two machines (processes) would be.
        const other = b.kind === 'memory' ? huey : b.huey({}, huey.name);
        if (other !== huey) define(other);
        const consumers = [huey.createConsumer({ workers: 2, periodic: false }), other.createConsumer({ workers: 2, periodic: false })];
        await Promise.all(consumers.map((c) => c.start()));
        while (started.length < 16) await new Promise((r) => setTimeout(r, 10));
        await Promise.all(consumers.map((c) => c.stop()));
        const lastHigh = Math.max(...['high-0', 'high-1', 'high-2', 'high-3'].map((h) => started.indexOf(h)));
        // Every high task starts among the first starts (a consumer's low start may race the last high one's).
        expect(lastHigh).toBeLessThanOrEqual(4);
        expect([...started].sort()).toHaveLength(16);
      });

      it('bad priorities are refused before anything is enqueued', async () => {
        const huey = b.huey();
        const job = huey.task(() => 1, { name: 'job' });
        expect(() => job.schedule({ priority: 1.5 })).toThrow(/priority must be an integer/);
        expect(() => huey.task(() => 1, { name: 'bad', priority: Number.NaN })).toThrow(/priority must be an integer/);
        expect(await huey.pendingCount()).toBe(0);
      });
    });

    describe('retries', () => {
      const etaOffsets = async (huey: ReturnType<Backend['huey']>, from: number) =>
        (await huey.scheduled()).map((t) => ((t.eta as Date).getTime() - from) / 1000);

      it('retryBackoff multiplies the delay per retry, up to maxRetryDelay', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const fail = huey.task(
          () => {
            throw new Error('nope');
          },
          { name: 'fail', retries: 4, retryDelay: 10, retryBackoff: 2, maxRetryDelay: 35 },
        );
        await fail();
        const delays: number[] = [];
        const scheduler = new Scheduler(huey, { periodic: false });
        for (let i = 0; i < 4; i++) {
          await runQueued(huey, clock.now());
          const [offset] = await etaOffsets(huey, clock.now());
          delays.push(offset as number);
          clock.advance(offset as number);
          await scheduler.loop(clock.now());
        }
        expect(delays).toEqual([10, 20, 35, 35]);
        await runQueued(huey, clock.now());
        expect(await huey.scheduledCount()).toBe(0);
      });

      it('retryJitter spreads the delay (true: +/-50%), and stays within maxRetryDelay', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const fail = huey.task(
          () => {
            throw new Error('nope');
          },
          { name: 'fail', retries: 1, retryDelay: 100, retryJitter: true },
        );
        for (let i = 0; i < 20; i++) await fail();
        await runQueued(huey, clock.now());
        const offsets = await etaOffsets(huey, clock.now());
        expect(offsets).toHaveLength(20);
        for (const o of offsets) expect(o >= 50 && o <= 150).toBe(true);
        expect(new Set(offsets).size).toBeGreaterThan(1);
      });

      it('RetryTask({ delay }) and RetryTask({ eta }) choose the retry time', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        const at = new Date(T0 + 3600_000);
        const again = huey.task(
          (how: string) => {
            throw how === 'delay' ? new RetryTask({ delay: 30 }) : new RetryTask({ eta: at });
          },
          { name: 'again', retries: 1, retryDelay: 5 },
        );
        await again('delay');
        await again('eta');
        await runQueued(huey, clock.now());
        expect((await etaOffsets(huey, clock.now())).sort((x, y) => x - y)).toEqual([30, 3600]);
        expect(() => new RetryTask({ delay: 1, eta: at })).toThrow(/either delay or eta/);
      });
    });

    describe('timeouts', () => {
      it('an async task gets an AbortSignal; the attempt fails with TaskTimeout and is retried', async () => {
        const huey = b.huey();
        let attempts = 0;
        let abortedWith: unknown = null;
        const slow = huey.task(
          async (task: QueueTask) => {
            attempts++;
            if (attempts > 1) return 'second time fast';
            await new Promise<void>((resolve) => task.signal?.addEventListener('abort', () => resolve()));
            abortedWith = task.signal?.reason;
            return 'too late';
          },
          { name: 'slow', timeout: 0.05, retries: 1, includeTask: true },
        );
        const res = await slow();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(attempts).toBe(2);
        expect(abortedWith).toBeInstanceOf(TaskTimeout);
        expect(events.map((e) => e.status)).toEqual(['started', 'error-task', 'retrying', 'started', 'finished']);
        expect(String(events[1]?.traceback)).toMatch(/TaskTimeout: task slow ran longer than its timeout of 0.05s/);
        expect(await res.get()).toBe('second time fast');
      });

      it('a per-call timeout overrides the task\'s; the error result carries TaskTimeout', async () => {
        const huey = b.huey();
        const wait = huey.task((ms: number) => new Promise((r) => setTimeout(() => r(ms), ms)), { name: 'wait', timeout: 10 });
        const fine = await wait(1);
        const late = await wait.schedule({ args: [2000], timeout: 0.05 });
        await runQueued(huey);
        expect(await fine.get()).toBe(1);
        const err = await late.get().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TaskException);
        expect((err as TaskException).metadata.error).toMatch(/^TaskTimeout/);
      });
    });

    describe('expiry', () => {
      it('a task not started by its expires is dropped: expired event, error result, never run', async () => {
        const clock = fakeClock();
        const huey = b.huey({ clock: clock.now });
        let runs = 0;
        const job = huey.task(() => ++runs, { name: 'job', expires: 60 });
        const stale = await job();
        const dated = await job.schedule({ expires: new Date(T0 + 5000) });
        clock.advance(61);
        const fresh = await job();
        const events = await captureEvents(huey, () => runQueued(huey, clock.now()));
        expect(runs).toBe(1);
        expect(await fresh.get()).toBe(1);
        expect(events.filter((e: HueyEvent) => e.status === EVENT_EXPIRED).map((e) => e.id).sort()).toEqual([stale.id, dated.id].sort());
        expect(events.find((e) => e.id === dated.id)?.expires).toBe((T0 + 5000) / 1000);
        const err = await stale.get().catch((e: unknown) => e);
        expect((err as TaskException).metadata.error).toMatch(/^TaskExpired/);
      });
    });

    describe('rate limits', () => {
      it('starts over the limit wait for the next window, never dropped or failed', async () => {
        const clock = fakeClock('2024-01-01T00:00:10Z');
        const huey = b.huey({ clock: clock.now });
        let runs = 0;
        const call = huey.task(() => ++runs, { name: 'call', rateLimit: { limit: 2, per: 60 } });
        for (let i = 0; i < 5; i++) await call();
        const events = await captureEvents(huey, () => runQueued(huey, clock.now()));
        expect(runs).toBe(2);
        const limited = events.filter((e) => e.status === EVENT_RATE_LIMITED);
        expect(limited).toHaveLength(3);
        expect(limited[0]).toMatchObject({ limit: 2, per: 60, executeTime: (T0 + 60_000) / 1000 });
        expect(await huey.scheduledCount()).toBe(3);
        // The next window: two more run, the last waits again.
        clock.set('2024-01-01T00:01:00Z');
        await new Scheduler(huey, { periodic: false }).loop(clock.now());
        await runQueued(huey, clock.now());
        expect(runs).toBe(4);
        expect(await huey.scheduledCount()).toBe(1);
        expect((await huey.errors()).length).toBe(0);
      });
    });

    describe('unique tasks', () => {
      it('while one is queued or running, enqueueing the same again returns its handle; the key frees when it finishes', async () => {
        const huey = b.huey();
        const sync = huey.task((account: string) => `synced ${account}`, { name: 'sync', unique: true });
        const first = await sync('acme');
        const again = await sync('acme');
        const other = await sync('globex');
        expect(again.id).toBe(first.id);
        expect(other.id).not.toBe(first.id);
        expect(await huey.pendingCount()).toBe(2);
        await runQueued(huey);
        expect(await again.get()).toBe('synced acme');
        const later = await sync('acme');
        expect(later.id).not.toBe(first.id);
      });

      it('a key function picks what counts as the same; a final failure frees the key, a retry keeps it', async () => {
        const huey = b.huey();
        let fails = 2;
        const report = huey.task(
          (user: { id: number; name: string }) => {
            if (fails-- > 0) throw new Error('flaky');
            return user.id;
          },
          { name: 'report', unique: (args: unknown[]) => String((args[0] as { id: number }).id), retries: 1 },
        );
        const a = await report({ id: 7, name: 'x' });
        expect((await report({ id: 7, name: 'renamed' })).id).toBe(a.id);
        await new Worker(huey).loop(); // fails, retry queued: the key is still held
        expect((await report({ id: 7, name: 'y' })).id).toBe(a.id);
        await runQueued(huey); // fails for good
        await expect(a.get()).rejects.toBeInstanceOf(TaskException);
        const b2 = await report({ id: 7, name: 'z' });
        expect(b2.id).not.toBe(a.id);
        await runQueued(huey);
        expect(await b2.get()).toBe(7);
      });

      it('concurrent enqueues of the same call make one task', async () => {
        const huey = b.huey();
        const second = b.kind === 'memory' ? huey : b.huey({}, huey.name);
        const opts = { name: 'once', unique: true } as const;
        const once = huey.task((n: number) => n, opts);
        const once2 = second === huey ? once : second.task((n: number) => n, opts);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? once(1) : once2(1))));
        expect(new Set(results.map((r) => r.id)).size).toBe(1);
        expect(await huey.pendingCount()).toBe(1);
      });
    });

    describe('pause', () => {
      it('a paused task\'s messages wait, unrun, until resume() puts them back in order', async () => {
        const huey = b.huey();
        const ran: number[] = [];
        const job = huey.task((n: number) => void ran.push(n), { name: 'job' });
        const other = huey.task(() => void ran.push(-1), { name: 'other' });
        await huey.pause(job);
        expect(await huey.isPaused('job')).toBe(true);
        for (let i = 1; i <= 3; i++) await job(i);
        await other();
        const events = await captureEvents(huey, () => runQueued(huey));
        expect(ran).toEqual([-1]);
        expect(events.filter((e) => e.status === EVENT_PAUSED)).toHaveLength(3);
        expect((await huey.paused(job)).map((t) => t.args[0])).toEqual([1, 2, 3]);
        expect(await huey.pendingCount()).toBe(0);
        expect(await huey.resume(job)).toBe(true);
        expect(await huey.isPaused(job)).toBe(false);
        expect(await huey.pendingCount()).toBe(3);
        await runQueued(huey);
        expect(ran).toEqual([-1, 1, 2, 3]);
        expect(await huey.resume('job')).toBe(false);
      });
    });
  });
}
