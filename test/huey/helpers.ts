// Small helpers for driving a huey by hand in tests: a worker that runs
// everything queued at a given time, and a fixed clock.
import type { Huey } from '../../src/huey/api.js';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { Worker } from '../../src/huey/consumer/worker.js';

/** Runs every queued message (including ones queued while running) at `now`. Returns how many were handled. */
export async function runQueued(huey: Huey<boolean>, now?: number): Promise<number> {
  const worker = new Worker(huey);
  let n = 0;
  while ((await huey.pendingCount()) > 0) {
    await worker.loop(now);
    n++;
    if (n > 10_000) throw new Error('runQueued: queue never drains');
  }
  return n;
}

/** One scheduler pass at `now` (moves due tasks to the queue; checks periodic tasks for that minute). */
export async function schedulerPass(huey: Huey<boolean>, now: number, scheduler = new Scheduler(huey)): Promise<Scheduler> {
  await scheduler.loop(now);
  return scheduler;
}

/** A settable clock for a huey. */
export function fakeClock(start: number | string = '2024-01-01T00:00:00Z') {
  let t = typeof start === 'number' ? start : Date.parse(start);
  return {
    now: () => t,
    set(v: number | string) {
      t = typeof v === 'number' ? v : Date.parse(v);
    },
    advance(seconds: number) {
      t += seconds * 1000;
    },
  };
}
