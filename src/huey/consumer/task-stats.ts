/**
 * Task counters for the dashboard and the metrics: how many runs finished,
 * failed and were retried, per task name and per minute, and how long they
 * took. Counted in memory and written to the storage's counter buckets
 * (layout in stats-layout.ts) about once a second in one pipelined round
 * trip, never once per task. One recorder per huey runtime in a process,
 * shared by all its executors; none when the storage lacks Monitoring.
 * What was counted in the last second before a crash is lost: the counters
 * are for watching, not accounting.
 */
import type { HueyRuntime } from '../runtime.js';
import { hasMonitoring, type MonitoredStorage } from '../storage/monitoring.js';
import {
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

/** A task being run right now in this process. */
export interface RunningTask {
  id: string;
  task: string;
  /** ms since the epoch. */
  since: number;
}

export class TaskStats {
  /** Tasks being run, by id (the consumer's record shows them). */
  readonly running = new Map<string, RunningTask>();
  /** Runs that ended in this process. */
  tasksRun = 0;
  private totals = new Map<string, number>();
  private minute = new Map<string, number>();
  private minuteOf = '';
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly storage: MonitoredStorage,
    private readonly clock: () => number,
  ) {}

  /** Called when the set of running tasks changes (the consumer's record then refreshes soon). */
  onRunningChange: (() => void) | null = null;

  started(task: QueueTask): void {
    this.running.set(task.id, { id: task.id, task: task.name, since: this.clock() });
    this.onRunningChange?.();
  }

  /** A run ended; `duration` in seconds (undefined when the task never ran). */
  ended(task: QueueTask, outcome: Outcome | null, duration: number | undefined, retried: boolean): void {
    this.running.delete(task.id);
    this.onRunningChange?.();
    this.tasksRun++;
    if (outcome) this.count(outcomeField(outcome, task.name));
    if (retried) this.count(outcomeField('retried', task.name));
    if (duration !== undefined) {
      add(this.totals, durationField(task.name, durationBucket(duration)), 1);
      add(this.totals, durationSumField(task.name), Math.round(duration * 1e6));
    }
    this.schedule();
  }

  /** Records a sample of the queue's length in this minute's history. */
  sampleDepth(length: number): void {
    this.rollMinute();
    add(this.minute, 'depth', length);
    add(this.minute, 'depthn', 1);
    this.schedule();
  }

  /** Writes what was counted so far (one round trip). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const previous = this.flushing ?? Promise.resolve();
    const totals = this.totals;
    const minute = this.minute;
    const bucket = this.minuteOf;
    this.totals = new Map();
    this.minute = new Map();
    if (totals.size === 0 && minute.size === 0) return previous;
    const write = Promise.all([
      totals.size ? this.storage.addCounts(TOTALS_BUCKET, Object.fromEntries(totals), 0) : null,
      minute.size ? this.storage.addCounts(bucket, Object.fromEntries(minute), HISTORY_TTL_MS) : null,
    ]).then(
      () => undefined,
      // Lost counts only blur the charts; the tasks themselves are unaffected.
      () => undefined,
    );
    this.flushing = previous.then(() => write);
    return this.flushing;
  }

  private count(field: string): void {
    add(this.totals, field, 1);
    this.rollMinute();
    add(this.minute, field, 1);
  }

  /** A new minute starts a new bucket: what was counted for the old one is written first. */
  private rollMinute(): void {
    const bucket = minuteBucket(this.clock());
    if (bucket === this.minuteOf) return;
    if (this.minute.size) void this.flush();
    this.minuteOf = bucket;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }
}

function add(map: Map<string, number>, field: string, n: number): void {
  map.set(field, (map.get(field) ?? 0) + n);
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
