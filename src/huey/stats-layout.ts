/**
 * How task counters are laid out in the storage's counter buckets (the
 * Monitoring capability): consumers write them (consumer/task-stats.ts),
 * the admin tools read them (status, dashboard history, Prometheus).
 *
 *   bucket "total"          kept forever: the cluster-wide totals
 *   bucket "m<minute>"      minute since the epoch; expires after HISTORY_TTL_MS
 *
 * Fields: `finished|<task>`, `failed|<task>`, `retried|<task>` (both kinds
 * of bucket); in "total" also the duration histogram `dur|<task>|<i>` (runs
 * whose duration fell in bucket i of DURATION_BUCKETS, i = its length for
 * longer ones) and `dsum|<task>` (total duration in microseconds: counters
 * are integers). Minute buckets also get `depth` and `depthn` (sum and
 * number of queue-length samples; their ratio is the minute's average).
 */

/** Upper bounds, in seconds, of the duration histogram's buckets (Prometheus' `le`). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

/** How long a minute's counters are kept. */
export const HISTORY_TTL_MS = 48 * 3600 * 1000;

export const TOTALS_BUCKET = 'total';

/** The bucket of the minute that contains `ms`. */
export function minuteBucket(ms: number): string {
  return `m${Math.floor(ms / 60000)}`;
}

export type Outcome = 'finished' | 'failed' | 'retried';
export const OUTCOMES: readonly Outcome[] = ['finished', 'failed', 'retried'];

export function outcomeField(outcome: Outcome, task: string): string {
  return `${outcome}|${task}`;
}

/** Index of the histogram bucket for a duration in seconds. */
export function durationBucket(seconds: number): number {
  let i = 0;
  while (i < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[i] as number)) i++;
  return i;
}

export function durationField(task: string, bucket: number): string {
  return `dur|${task}|${bucket}`;
}

export function durationSumField(task: string): string {
  return `dsum|${task}`;
}

/** A counter field split into its parts: [kind, task, rest...]. */
export function parseField(field: string): string[] {
  return field.split('|');
}
