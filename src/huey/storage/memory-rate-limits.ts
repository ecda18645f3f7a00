/** The RateLimitCounters capability (storage.ts) for MemoryStorage: counters that expire by the storage's clock. */
import type { RateLimitCounters } from './storage.js';

export class MemoryRateLimitCounters implements RateLimitCounters {
  private readonly counters = new Map<string, { n: number; expiresAt: number }>();

  constructor(private readonly clock: () => number) {}

  async countStart(key: string, ttlMs: number): Promise<number> {
    const now = this.clock();
    const c = this.counters.get(key);
    if (c && c.expiresAt > now) return ++c.n;
    this.counters.set(key, { n: 1, expiresAt: now + ttlMs });
    return 1;
  }

  clear(): void {
    this.counters.clear();
  }
}
