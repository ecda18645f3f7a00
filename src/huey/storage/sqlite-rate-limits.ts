/**
 * The RateLimitCounters capability (storage.ts) for SqliteStorage: one row
 * per counter in huey_rate, living `ttlMs` from its first start by this
 * machine's clock (which every process on the file shares). A count is one
 * write transaction, so starts counted by several processes at once each
 * get a number of their own.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { RateLimitCounters } from './storage.js';

export class SqliteRateLimitCounters implements RateLimitCounters {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
  ) {}

  countStart(key: string, ttlMs: number): Promise<number> {
    return this.db.call('countStart', () =>
      this.db.transaction(() => {
        const now = Date.now();
        // An expired counter starts again from 1, and old windows' rows do not pile up.
        this.db.stmt('dropExpiredRates').run(this.name, now);
        const row = this.db.stmt('countStart').get(this.name, key, now + Math.max(1, Math.ceil(ttlMs))) as { n: unknown };
        return Number(row.n);
      }),
    );
  }
}
