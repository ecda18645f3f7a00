/**
 * The Monitoring capability: what `huey status`, the dashboard and the
 * Prometheus metrics read, kept small so that any backend can implement it.
 *
 * - Consumer records: every consumer (reliable or not) puts a short JSON
 *   record every few seconds that stays alive for a TTL (the storage's
 *   clock decides), and stays listed after it dies, so that a crashed
 *   consumer shows as dead until someone forgets it.
 * - Counters: named buckets of integer counters that consumers add to
 *   (batched, about once a second), each bucket optionally expiring a while
 *   after its last write. The consumer keeps one bucket of totals (no TTL:
 *   the cluster-wide truth behind the metrics) and one per minute (history).
 * - Two removals the actions need: one error-list entry, one scheduled message.
 *
 * A storage without it still runs tasks; the admin tools then say what they
 * cannot show.
 */
import type { Storage } from './storage.js';

/** One consumer's record, as `consumers()` lists it. */
export interface ConsumerRecord {
  id: string;
  /** The JSON the consumer last put. */
  info: string;
  /** Whether the record's TTL has not run out (the consumer is alive). */
  alive: boolean;
}

/** The monitoring capability (see the file comment). */
export interface Monitoring {
  /** Sets consumer `id`'s record to `info`, alive for `ttlMs` from now; it stays listed after that. */
  putConsumer(id: string, info: string, ttlMs: number): Promise<void>;
  /** Removes consumer `id`'s record and listing (a clean stop, or forgetting a dead one). */
  dropConsumer(id: string): Promise<void>;
  /** Every listed consumer, alive or not. */
  consumers(): Promise<ConsumerRecord[]>;
  /**
   * Adds each increment to its counter in `bucket` (created at 0). With
   * `ttlMs` > 0 the bucket expires that long after this call; 0 keeps it.
   */
  addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void>;
  /** The counters of each bucket, in order; {} for a bucket that does not exist. */
  readCounts(buckets: string[]): Promise<Record<string, number>[]>;
  /** Removes one copy of `metadata` from the error list; resolves to whether it was there. */
  removeError(metadata: string): Promise<boolean>;
  /** Removes `data` from the schedule; resolves to whether it was there. */
  unschedule(data: string): Promise<boolean>;
}

export type MonitoredStorage = Storage & Monitoring;

/** The Monitoring methods, as hasMonitoring checks them. */
export const MONITORING_METHODS = ['putConsumer', 'dropConsumer', 'consumers', 'addCounts', 'readCounts', 'removeError', 'unschedule'] as const;

/** Whether `storage` has the monitoring capability. */
export function hasMonitoring(storage: Storage): storage is MonitoredStorage {
  const s = storage as unknown as Record<string, unknown>;
  return MONITORING_METHODS.every((m) => typeof s[m] === 'function');
}
