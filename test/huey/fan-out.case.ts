// Fan-out on one backend: groups and map (results in order, as they finish,
// failed members, revoking a group), error callbacks after the last retry,
// and progress (events and reads).
import { describe, expect, it } from 'vitest';
import { Worker } from '../../src/huey/consumer/worker.js';
import { EVENT_PROGRESS, QueueTask, TaskException, decodeMessage, defaultSerializer, encodeMessage, type ErrorMetadata } from '../../src/huey/index.js';
import { captureEvents, type Backend } from './backends.js';
import { runQueued } from './helpers.js';

export function fanOutCases(b: Backend): void {
  describe(`fan-out (${b.kind})`, () => {
    it('a group resolves to its results in order; map is a group of one task', async () => {
      const huey = b.huey();
      const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
      const group = await huey.group([add.s(1, 2), add.s(3, 4), add.s(5, 6)]);
      const mapped = await add.map([[10, 1], [20, 2]]);
      expect(group.length).toBe(3);
      expect(group.ids).toHaveLength(3);
      expect(new Set(group.ids).size).toBe(3);
      expect(await group.get()).toEqual([null, null, null]);
      await runQueued(huey);
      expect(await group.get({ blocking: true, timeout: 5 })).toEqual([3, 7, 11]);
      expect(await mapped.get({ blocking: true, timeout: 5 })).toEqual([11, 22]);
    });

    it('a failed member throws TaskException, or stands in its place with returnErrors', async () => {
      const huey = b.huey();
      const half = huey.task(
        (n: number) => {
          if (n % 2) throw new Error(`odd ${n}`);
          return n / 2;
        },
        { name: 'half' },
      );
      const group = await half.map([[2], [3], [4]]);
      await runQueued(huey);
      const all = await group.get({ blocking: true, timeout: 5, returnErrors: true, preserve: true });
      expect(all[0]).toBe(1);
      expect(all[1]).toBeInstanceOf(TaskException);
      expect((all[1] as TaskException).metadata.error).toBe('Error: odd 3');
      expect(all[2]).toBe(2);
      await expect(group.get({ blocking: true, timeout: 5 })).rejects.toBeInstanceOf(TaskException);
    });

    it('asCompleted yields members as they finish, not in group order', async () => {
      const huey = b.huey();
      const echo = huey.task((n: number) => n, { name: 'echo' });
      const group = await echo.map([[1], [2], [3]]);
      const seen: number[] = [];
      const reading = (async () => {
        for await (const r of group.asCompleted({ timeout: 10 })) seen.push(r.index);
      })();
      // Run the members last-first, one at a time.
      const messages = (await huey.pending()).map((t) => encodeMessage(t, huey.serializer));
      await huey.storage.flushQueue();
      for (const [n, message] of [...messages].reverse().entries()) {
        await huey.storage.enqueue(message);
        await new Worker(huey).loop();
        while (seen.length < n + 1) await new Promise((r) => setTimeout(r, 5));
      }
      await reading;
      expect(seen).toEqual([2, 1, 0]);
    });

    it('revoking a group revokes every member; restore brings them back', async () => {
      const huey = b.huey();
      let runs = 0;
      const job = huey.task(() => ++runs, { name: 'job' });
      const group = await job.map([[], [], []]);
      await group.revoke();
      await runQueued(huey);
      expect(runs).toBe(0);
      expect(await group.restore()).toEqual([true, true, true]);
      const again = await job.map([[], []]);
      await runQueued(huey);
      expect(await again.get({ blocking: true, timeout: 5 })).toHaveLength(2);
    });

    it('an error callback is enqueued with the error metadata after the last retry, not before', async () => {
      const huey = b.huey();
      const reports: ErrorMetadata[] = [];
      const onError = huey.task((who: string, meta: ErrorMetadata) => void reports.push({ ...meta, task: `${who}:${meta.task}` }), { name: 'onError' });
      const next = huey.task(() => 'never', { name: 'next' });
      const step = huey.task(
        () => {
          throw new Error('broken');
        },
        { name: 'step', retries: 2 },
      );
      const pipe = step.s().then(next).error(onError, 'ops');
      // The callback travels in the message, so a consumer elsewhere sees it.
      expect(decodeMessage(encodeMessage(pipe, defaultSerializer), defaultSerializer).onError?.name).toBe('onError');
      await huey.enqueue(pipe);
      await new Worker(huey).loop(); // first failure: a retry, no callback
      expect((await huey.pending()).map((t) => t.name)).toEqual(['step']);
      await runQueued(huey);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ task: 'ops:step', error: 'Error: broken', retries: 0 });
    });

    it('progress: events as the task reports, result.progress() reads the last value while it runs', async () => {
      const huey = b.huey();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const long = huey.task(
        async (task: QueueTask) => {
          await task.progress(0.25);
          await task.progress(0.5, { step: 'halfway' });
          await gate;
          return 'done';
        },
        { name: 'long', includeTask: true },
      );
      const res = await long();
      expect(await res.progress()).toBeNull();
      const events = await captureEvents(huey, async () => {
        const running = new Worker(huey).loop();
        while ((await res.progress())?.value !== 0.5) await new Promise((r) => setTimeout(r, 5));
        expect(await res.progress()).toEqual({ value: 0.5, data: { step: 'halfway' } });
        release();
        await running;
      });
      const progress = events.filter((e) => e.status === EVENT_PROGRESS);
      expect(progress.map((e) => [e.progress, e.data])).toEqual([
        [0.25, undefined],
        [0.5, { step: 'halfway' }],
      ]);
      expect(await res.get()).toBe('done');
      expect(await res.progress()).toBeNull();
      await expect(new QueueTask({ name: 'x' }).progress(1)).rejects.toThrow(/only inside a running task/);
    });
  });
}
