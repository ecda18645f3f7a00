/**
 * Task counters for the dashboard and the metrics: how many runs finished,
 * failed and were retried, per task name and per minute, and how long they
 * took. Counted in memory and written to the storage's counter buckets
 * (layout in stats-layout.ts) about once a second in one pipelined round
 * trip, never once per task. One recorder per huey runtime in a process,
 * shared by all its executors; none when the storage lacks Monitoring.
 * What was counted in the last second before a crash is lost: the counters
 * are for watching, not accounting (a clean stop flushes them).
 *
 * Counting is on every task's path, so it is plain number additions on one
 * object per task name: no field names are built, no clock is read (the
 * executor passes the time it already has). The names are spelled out only
 * when a flush writes them.
 */
import type { HueyRuntime } from '../runtime.js';
import { hasMonitoring, type MonitoredStorage } from '../storage/monitoring.js';
import {
  DURATION_BUCKETS,
  HISTORY_TTL_MS,
  TOTALS_BUCKET,
  durationBucket,
  durationField,
  durationSumField,
  minuteBucket,
  outcomeField,
  type Outcome,
} from '../stats-layout.js';
import type { QueueTask } from '../task.js';

const FLUSH_INTERVAL_MS = 1000;
const MINUTE_MS = 60_000;

/** A task being run right now in this process. */
export interface RunningTask {
  id: string;
  task: string;
  /** ms since the epoch. */
  since: number;
}

/** What one task name counted since the last flush. */
class Counts {
  finished = 0;
  failed = 0;
  retried = 0;
  /** Runs per duration bucket (DURATION_BUCKETS, then one for longer runs). */
  readonly durations: number[] = new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
  /** Total duration in microseconds. */
  durationSum = 0;
}

export class TaskStats {
  /** Runs that ended in this process. */
  tasksRun = 0;
  /**
   * Tasks being run and when each started, in slots that started() hands
   * out and ended() gives back (a free list): no hashing and no allocation
   * per task, which a Map keyed by each new task cost (~0.6 µs a task).
   */
  private readonly slotTask: (QueueTask | null)[] = [];
  private readonly slotSince: number[] = [];
  private readonly freeSlots: number[] = [];
  /** Counted since the last flush, by task name; all of it belongs to the minute `minuteOf`. */
  private counts = new Map<string, Counts>();
  private depthSum = 0;
  private depthSamples = 0;
  private minuteOf = '';
  /** When the minute `minuteOf` ends (ms since the epoch). */
  private minuteEnds = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly storage: MonitoredStorage,
    private readonly clock: () => number,
  ) {}

  /** Called when the set of running tasks changes (the consumer's record then refreshes soon). */
  onRunningChange: (() => void) | null = null;

  /** The tasks being run now, oldest first, at most `limit` of them. */
  running(limit: number): RunningTask[] {
    const out: RunningTask[] = [];
    this.slotTask.forEach((task, slot) => {
      if (task !== null) out.push({ id: task.id, task: task.name, since: this.slotSince[slot] as number });
    });
    return out.sort((a, b) => a.since - b.since).slice(0, limit);
  }

  /** `task` starts running at `now` (ms since the epoch); pass what this returns to ended(). */
  started(task: QueueTask, now: number): number {
    const slot = this.freeSlots.pop() ?? this.slotTask.length;
    this.slotTask[slot] = task;
    this.slotSince[slot] = now;
    this.onRunningChange?.();
    return slot;
  }

  /**
   * The run started() gave `slot` for ended; `duration` in seconds
   * (undefined when the task never ran). It is counted in the minute it started.
   */
  ended(slot: number, outcome: Outcome | null, duration: number | undefined, retried: boolean): void {
    const task = this.slotTask[slot];
    if (task === undefined || task === null) return;
    const now = this.slotSince[slot] as number;
    this.slotTask[slot] = null;
    this.freeSlots.push(slot);
    this.onRunningChange?.();
    this.tasksRun++;
    if (now >= this.minuteEnds) this.rollMinute(now);
    let c = this.counts.get(task.name);
    if (c === undefined) {
      c = new Counts();
      this.counts.set(task.name, c);
    }
    if (outcome !== null) c[outcome]++;
    if (retried) c.retried++;
    if (duration !== undefined) {
      c.durations[durationBucket(duration)]++;
      c.durationSum += Math.round(duration * 1e6);
    }
    this.schedule();
  }

  /** Records a sample of the queue's length in this minute's history. */
  sampleDepth(length: number): void {
    const now = this.clock();
    if (now >= this.minuteEnds) this.rollMinute(now);
    this.depthSum += length;
    this.depthSamples++;
    this.schedule();
  }

  /** Writes what was counted so far (one round trip). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const previous = this.flushing ?? Promise.resolve();
    const { totals, minute } = this.take();
    if (totals === null && minute === null) return previous;
    const bucket = this.minuteOf;
    const write = Promise.all([
      totals ? this.storage.addCounts(TOTALS_BUCKET, totals, 0) : null,
      minute ? this.storage.addCounts(bucket, minute, HISTORY_TTL_MS) : null,
    ]).then(
      () => undefined,
      // Lost counts only blur the charts; the tasks themselves are unaffected.
      () => undefined,
    );
    this.flushing = previous.then(() => write);
    return this.flushing;
  }

  /** The increments counted since the last flush, as counter fields (null: none), and a fresh start. */
  private take(): { totals: Record<string, number> | null; minute: Record<string, number> | null } {
    let totals: Record<string, number> | null = null;
    let minute: Record<string, number> | null = null;
    for (const [name, c] of this.counts) {
      for (const outcome of ['finished', 'failed', 'retried'] as const) {
        if (c[outcome] === 0) continue;
        (totals ??= {})[outcomeField(outcome, name)] = c[outcome];
        (minute ??= {})[outcomeField(outcome, name)] = c[outcome];
      }
      c.durations.forEach((n, i) => {
        if (n > 0) (totals ??= {})[durationField(name, i)] = n;
      });
      if (c.durationSum > 0) (totals ??= {})[durationSumField(name)] = c.durationSum;
    }
    if (this.depthSamples > 0) {
      minute ??= {};
      minute.depth = this.depthSum;
      minute.depthn = this.depthSamples;
    }
    this.counts = new Map();
    this.depthSum = this.depthSamples = 0;
    return { totals, minute };
  }

  /** A new minute starts a new bucket: what was counted for the old one is written first. */
  private rollMinute(now: number): void {
    const bucket = minuteBucket(now);
    if (bucket === this.minuteOf) return;
    if (this.counts.size || this.depthSamples) void this.flush();
    this.minuteOf = bucket;
    this.minuteEnds = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }
}

const recorders = new WeakMap<HueyRuntime, TaskStats | null>();

/** The recorder of `rt` in this process, or null when its storage lacks Monitoring. */
export function taskStatsFor(rt: HueyRuntime): TaskStats | null {
  let stats = recorders.get(rt);
  if (stats === undefined) {
    stats = hasMonitoring(rt.storage) ? new TaskStats(rt.storage, () => rt.clock()) : null;
    recorders.set(rt, stats);
  }
  return stats;
}
