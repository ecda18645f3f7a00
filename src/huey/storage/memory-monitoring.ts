/**
 * The Monitoring capability's consumer records and counters for
 * MemoryStorage, kept apart from its queue and results (the capability's
 * two removals, of an error and of a scheduled message, are MemoryStorage's
 * own: they touch its lists). TTLs follow the storage's clock, so tests can
 * move time.
 */
import type { ConsumerRecord, Monitoring } from './monitoring.js';

/** The Monitoring methods MemoryMonitoring implements. */
export const MEMORY_MONITORING_METHODS = ['putConsumer', 'dropConsumer', 'consumers', 'addCounts', 'readCounts'] as const;

export class MemoryMonitoring implements Pick<Monitoring, (typeof MEMORY_MONITORING_METHODS)[number]> {
  private readonly records = new Map<string, { info: string; expiresAt: number }>();
  private readonly buckets = new Map<string, { counts: Map<string, number>; expiresAt: number }>();

  constructor(private readonly clock: () => number) {}

  async putConsumer(id: string, info: string, ttlMs: number): Promise<void> {
    this.records.set(id, { info, expiresAt: this.clock() + ttlMs });
  }

  async dropConsumer(id: string): Promise<void> {
    this.records.delete(id);
  }

  async consumers(): Promise<ConsumerRecord[]> {
    const now = this.clock();
    return [...this.records].map(([id, r]) => ({ id, info: r.info, alive: r.expiresAt > now }));
  }

  async addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void> {
    let b = this.live(bucket);
    if (!b) this.buckets.set(bucket, (b = { counts: new Map(), expiresAt: Infinity }));
    for (const [field, n] of Object.entries(increments)) b.counts.set(field, (b.counts.get(field) ?? 0) + n);
    b.expiresAt = ttlMs > 0 ? this.clock() + ttlMs : Infinity;
  }

  async readCounts(buckets: string[]): Promise<Record<string, number>[]> {
    return buckets.map((name) => Object.fromEntries(this.live(name)?.counts ?? []));
  }

  private live(bucket: string): { counts: Map<string, number>; expiresAt: number } | undefined {
    const b = this.buckets.get(bucket);
    if (b && b.expiresAt <= this.clock()) {
      this.buckets.delete(bucket);
      return undefined;
    }
    return b;
  }
}
