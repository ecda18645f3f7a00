// Chords on one backend: the callback gets the members' results after its
// own arguments; a member's retries happen inside the chord; a member that
// fails for good fails the chord (event, no callback); and when the last
// members finish on two consumers at once the callback runs exactly once
// (many chords, seeded random task times).
import { describe, expect, it } from 'vitest';
import { Worker } from '../../src/huey/consumer/worker.js';
import { EVENT_CHORD_FAILED } from '../../src/huey/index.js';
import { captureEvents, type Backend } from './backends.js';
import { runQueued } from './helpers.js';

/** A small seeded generator (so a failing run can be repeated). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function chordCases(b: Backend): void {
  describe(`chords (${b.kind})`, () => {
    it('the callback runs once, after every member, with their results after its own arguments', async () => {
      const huey = b.huey();
      const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
      // The list comes last and is given by the chord, so it is optional in the signature: total.s(10) type-checks.
      const total = huey.task((base: number, results: number[] = []) => ({ base, results, sum: base + results.reduce((x, y) => x + y, 0) }), { name: 'total' });
      const chord = await huey.chord([add.s(1, 2), add.s(3, 4), add.s(5, 6)], total.s(10));
      expect(chord.members.length).toBe(3);
      await new Worker(huey).loop();
      expect((await huey.pending()).map((t) => t.name)).toEqual(['add', 'add']);
      await runQueued(huey);
      expect(await chord.get()).toEqual({ base: 10, results: [3, 7, 11], sum: 31 });
      // The members' results stay readable.
      expect(await chord.members.get()).toEqual([3, 7, 11]);
    });

    it('a member\'s retries happen inside the chord; a member that fails for good fails it', async () => {
      const huey = b.huey();
      let flaky = 1;
      const member = huey.task(
        (n: number) => {
          if (n === 0) throw new Error('always');
          if (n === 2 && flaky-- > 0) throw new Error('once');
          return n;
        },
        { name: 'member', retries: 1 },
      );
      let callbacks = 0;
      const total = huey.task((list: number[] = []) => {
        callbacks++;
        return list;
      }, { name: 'total' });
      const ok = await huey.chord([member.s(1), member.s(2)], total.s());
      await runQueued(huey);
      expect(await ok.get()).toEqual([1, 2]);
      const bad = await huey.chord([member.s(0), member.s(3)], total.s());
      const events = await captureEvents(huey, () => runQueued(huey));
      const failed = events.filter((e) => e.status === EVENT_CHORD_FAILED);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ chord: bad.id, task: 'member', error: true });
      expect(callbacks).toBe(1);
      expect(await bad.get()).toBeNull();
      expect(await huey.pendingCount()).toBe(0);
    });

    it('when the last members finish on two consumers at once, the callback runs exactly once', async () => {
      const huey = b.huey();
      const other = b.kind === 'memory' ? huey : b.huey({}, huey.name);
      const random = seeded(1234);
      const delays = Array.from({ length: 64 }, () => Math.floor(random() * 4));
      const runs = new Map<string, number>();
      const define = (h: typeof huey) => {
        const work = h.task(async (i: number) => {
          await new Promise((r) => setTimeout(r, delays[i % delays.length]));
          return i;
        }, { name: 'work' });
        const done = h.task((tag: string, list: number[] = []) => {
          runs.set(tag, (runs.get(tag) ?? 0) + 1);
          return list.length;
        }, { name: 'done' });
        return { work, done };
      };
      const mine = define(huey);
      if (other !== huey) define(other);
      const chords = [];
      for (let c = 0; c < 24; c++) chords.push(await huey.chord([mine.work.s(2 * c), mine.work.s(2 * c + 1)], mine.done.s(`c${c}`)));
      const consumers = [huey.createConsumer({ workers: 1, periodic: false }), other.createConsumer({ workers: 1, periodic: false })];
      await Promise.all(consumers.map((c) => c.start()));
      const lengths = await Promise.all(chords.map((c) => c.get({ blocking: true, timeout: 20 })));
      await Promise.all(consumers.map((c) => c.stop()));
      expect(lengths).toEqual(chords.map(() => 2));
      expect([...runs.values()]).toEqual(chords.map(() => 1));
    });
  });
}
