// The consumer's task counters (consumer/task-stats.ts) on a real MemoryStorage:
// counted in memory per task name, written in one flush as the counter fields of
// stats-layout.ts, each run in the minute it started, and a new minute writes what
// the old one counted into the old minute's bucket.
import { describe, expect, it } from 'vitest';
import { TaskStats } from '../../src/huey/consumer/task-stats.js';
import { MemoryStorage } from '../../src/huey/storage/memory.js';
import { TOTALS_BUCKET, minuteBucket } from '../../src/huey/stats-layout.js';
import { QueueTask } from '../../src/huey/task.js';

const MINUTE = 60_000;
const t0 = 1000 * MINUTE; // the start of a minute

function recorder() {
  let now = t0;
  const storage = new MemoryStorage('stats');
  const stats = new TaskStats(storage, () => now);
  return { storage, stats, setNow: (ms: number) => (now = ms) };
}

function run(stats: TaskStats, name: string, at: number, outcome: 'finished' | 'failed' | null, seconds: number, retried = false): void {
  const slot = stats.started(new QueueTask({ name }), at);
  stats.ended(slot, outcome, seconds, retried);
}

describe('TaskStats', () => {
  it('writes nothing until flushed, then the totals and the minute per task name, durations in the totals only', async () => {
    const { storage, stats } = recorder();
    run(stats, 'add', t0 + 1, 'finished', 0.001);
    run(stats, 'add', t0 + 2, 'finished', 0.02);
    run(stats, 'bad', t0 + 3, 'failed', 0.001, true);
    run(stats, 'bad', t0 + 4, null, 0.001, true);
    expect(await storage.readCounts([TOTALS_BUCKET])).toEqual([{}]);
    expect(stats.tasksRun).toBe(4);
    await stats.flush();
    const [totals, minute] = await storage.readCounts([TOTALS_BUCKET, minuteBucket(t0)]);
    expect(totals).toEqual({
      'finished|add': 2,
      'dur|add|0': 1,
      'dur|add|2': 1,
      'dsum|add': 21_000,
      'failed|bad': 1,
      'retried|bad': 2,
      'dur|bad|0': 2,
      'dsum|bad': 2000,
    });
    expect(minute).toEqual({ 'finished|add': 2, 'failed|bad': 1, 'retried|bad': 2 });
    // A second flush adds only what was counted since the first.
    run(stats, 'add', t0 + 5, 'finished', 0.001);
    await stats.flush();
    await stats.flush();
    expect((await storage.readCounts([TOTALS_BUCKET]))[0]).toMatchObject({ 'finished|add': 3, 'dur|add|0': 2 });
  });

  it('counts a run in the minute it started, and a new minute sends the old one to its own bucket', async () => {
    const { storage, stats, setNow } = recorder();
    run(stats, 'add', t0 + MINUTE - 1, 'finished', 0.001);
    stats.sampleDepth(10);
    run(stats, 'add', t0 + MINUTE, 'finished', 0.001);
    run(stats, 'add', t0 + MINUTE + 5, 'failed', 0.001);
    // A run that started in the old minute but ends after the new one began stays in the current bucket.
    run(stats, 'add', t0 + MINUTE - 2, 'finished', 0.001);
    setNow(t0 + MINUTE + 10);
    stats.sampleDepth(30);
    await stats.flush();
    const [first, second, totals] = await storage.readCounts([minuteBucket(t0), minuteBucket(t0 + MINUTE), TOTALS_BUCKET]);
    expect(first).toEqual({ 'finished|add': 1, depth: 10, depthn: 1 });
    expect(second).toEqual({ 'finished|add': 2, 'failed|add': 1, depth: 30, depthn: 1 });
    expect(totals).toMatchObject({ 'finished|add': 3, 'failed|add': 1 });
  });

  it('lists the tasks running now with the time each started, and forgets them when they end', () => {
    const { stats } = recorder();
    const a = new QueueTask({ name: 'a' });
    const b = new QueueTask({ name: 'b' });
    const slotA = stats.started(a, t0 + 1);
    stats.started(b, t0 + 2);
    expect(stats.running(10)).toEqual([
      { id: a.id, task: 'a', since: t0 + 1 },
      { id: b.id, task: 'b', since: t0 + 2 },
    ]);
    expect(stats.running(1)).toHaveLength(1);
    stats.ended(slotA, 'finished', 0.001, false);
    // A slot given back is used again, and the list stays oldest first.
    const c = new QueueTask({ name: 'c' });
    const slotC = stats.started(c, t0 + 3);
    expect(slotC).toBe(slotA);
    expect(stats.running(10).map((r) => r.task)).toEqual(['b', 'c']);
    stats.ended(slotC, 'finished', 0.001, false);
    expect(stats.running(10).map((r) => r.task)).toEqual(['b']);
    expect(stats.tasksRun).toBe(2);
  });
});
