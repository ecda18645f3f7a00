/**
 * The Monitoring capability's consumer records and counters for
 * MemoryStorage, kept apart from its queue and results. TTLs follow the
 * storage's clock, so tests can move time.
 */
import type { ConsumerRecord } from './monitoring.js';

export class MemoryMonitoringState {
  private readonly records = new Map<string, { info: string; expiresAt: number }>();
  private readonly buckets = new Map<string, { counts: Map<string, number>; expiresAt: number }>();

  constructor(private readonly clock: () => number) {}

  putConsumer(id: string, info: string, ttlMs: number): void {
    this.records.set(id, { info, expiresAt: this.clock() + ttlMs });
  }

  dropConsumer(id: string): void {
    this.records.delete(id);
  }

  consumers(): ConsumerRecord[] {
    const now = this.clock();
    return [...this.records].map(([id, r]) => ({ id, info: r.info, alive: r.expiresAt > now }));
  }

  addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): void {
    let b = this.live(bucket);
    if (!b) this.buckets.set(bucket, (b = { counts: new Map(), expiresAt: Infinity }));
    for (const [field, n] of Object.entries(increments)) b.counts.set(field, (b.counts.get(field) ?? 0) + n);
    b.expiresAt = ttlMs > 0 ? this.clock() + ttlMs : Infinity;
  }

  readCounts(buckets: string[]): Record<string, number>[] {
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
