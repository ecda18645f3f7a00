/**
 * Reading the task counters that consumers write (layout in
 * huey/stats-layout.ts): per-minute history for the charts and status,
 * and the totals behind the Prometheus metrics.
 */
import type { Huey } from '../huey/api.js';
import { hasMonitoring } from '../huey/storage/monitoring.js';
import { DURATION_BUCKETS, OUTCOMES, TOTALS_BUCKET, minuteBucket, parseField, type Outcome } from '../huey/stats-layout.js';

/** One minute of history. */
export interface Throughput {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  finished: number;
  failed: number;
  retried: number;
  /** Average queue length sampled in that minute, or null without samples. */
  depth: number | null;
}

/** The last `minutes` minutes, oldest first, the current one included. */
export async function readThroughput(huey: Huey<boolean>, minutes: number, now = Date.now()): Promise<Throughput[]> {
  const s = huey.storage;
  if (!hasMonitoring(s) || minutes <= 0) return [];
  const starts = Array.from({ length: minutes }, (_, i) => (Math.floor(now / 60000) - minutes + 1 + i) * 60000);
  const buckets = await s.readCounts(starts.map(minuteBucket));
  return starts.map((minute, i) => {
    const row: Throughput = { minute, finished: 0, failed: 0, retried: 0, depth: null };
    const counts = buckets[i] ?? {};
    for (const [field, n] of Object.entries(counts)) {
      const [kind] = parseField(field);
      if ((OUTCOMES as readonly string[]).includes(kind as string)) row[kind as Outcome] += n;
    }
    if (counts.depthn) row.depth = (counts.depth ?? 0) / counts.depthn;
    return row;
  });
}

/**
 * readThroughput for a page that asks often: minutes that are over do not
 * change, so they are read once a minute and only the current one each time.
 */
export class HistoryCache {
  private past: Throughput[] = [];
  private pastUntil = 0;
  private fetchedAt = 0;

  constructor(
    private readonly huey: Huey<boolean>,
    private readonly minutes: number,
  ) {}

  async read(now = Date.now()): Promise<Throughput[]> {
    const current = Math.floor(now / 60000) * 60000;
    // Consumers write a second's counts after it ends: the last minute is settled a few seconds into the next.
    const settled = now - current >= 5000 && this.fetchedAt - current < 5000;
    if (this.pastUntil !== current || settled) {
      const all = await readThroughput(this.huey, this.minutes, now);
      this.past = all.slice(0, -1);
      this.pastUntil = current;
      this.fetchedAt = now;
      return all;
    }
    return [...this.past, ...(await readThroughput(this.huey, 1, now))];
  }
}

/** Cluster-wide totals per task. */
export interface TaskTotals {
  finished: number;
  failed: number;
  retried: number;
  /** Runs per duration bucket (not cumulative); the last one is over the largest bound. */
  durations: number[];
  /** Seconds. */
  durationSum: number;
}

export async function readTotals(huey: Huey<boolean>): Promise<Map<string, TaskTotals>> {
  const s = huey.storage;
  const out = new Map<string, TaskTotals>();
  if (!hasMonitoring(s)) return out;
  const [counts] = await s.readCounts([TOTALS_BUCKET]);
  const of = (task: string): TaskTotals => {
    let t = out.get(task);
    if (!t) out.set(task, (t = { finished: 0, failed: 0, retried: 0, durations: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), durationSum: 0 }));
    return t;
  };
  for (const [field, n] of Object.entries(counts ?? {})) {
    const [kind, task, bucket] = parseField(field);
    if (task === undefined) continue;
    if ((OUTCOMES as readonly string[]).includes(kind as string)) of(task)[kind as Outcome] += n;
    else if (kind === 'dur') of(task).durations[Number(bucket)] = (of(task).durations[Number(bucket)] ?? 0) + n;
    else if (kind === 'dsum') of(task).durationSum += n / 1e6;
  }
  return out;
}
