/**
 * The Monitoring capability (monitoring.ts) in a SQLite file, for
 * SqliteStorage: consumer records in huey_consumer (listed until dropped,
 * alive while expires_at is ahead), counter buckets in huey_count (one row
 * per counter, the bucket's expiry on each of its rows). The statements are
 * in sqlite-sql.ts; times are this machine's clock, as for heartbeats.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { ConsumerRecord, Monitoring } from './monitoring.js';

type Row<K extends string> = Record<K, unknown>;

export class SqliteMonitoring implements Monitoring {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
  ) {}

  private run<T>(what: string, fn: () => T): Promise<T> {
    return this.db.call(what, fn);
  }

  putConsumer(id: string, info: string, ttlMs: number): Promise<void> {
    return this.run('putConsumer', () => void this.db.stmt('putConsumer').run(this.name, id, info, Date.now() + ttlMs));
  }

  dropConsumer(id: string): Promise<void> {
    return this.run('dropConsumer', () => void this.db.stmt('dropConsumer').run(this.name, id));
  }

  consumers(): Promise<ConsumerRecord[]> {
    return this.run('consumers', () => {
      const now = Date.now();
      const rows = this.db.stmt('consumers').all(this.name) as Row<'consumer' | 'info' | 'expires_at'>[];
      return rows.map((r) => ({ id: r.consumer as string, info: r.info as string, alive: Number(r.expires_at) > now }));
    });
  }

  addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void> {
    const entries = Object.entries(increments).filter(([, n]) => n !== 0);
    if (entries.length === 0) return Promise.resolve();
    return this.run('addCounts', () =>
      this.db.transaction(() => {
        const now = Date.now();
        // An expired bucket starts again from 0, and old minute buckets do not pile up.
        this.db.stmt('dropExpiredCounts').run(this.name, now);
        for (const [field, n] of entries) this.db.stmt('addCount').run(this.name, bucket, field, Math.round(n));
        this.db.stmt('expireBucket').run(ttlMs > 0 ? now + Math.ceil(ttlMs) : null, this.name, bucket);
      }),
    );
  }

  readCounts(buckets: string[]): Promise<Record<string, number>[]> {
    return this.run('readCounts', () => {
      const now = Date.now();
      return buckets.map((bucket) => {
        const out: Record<string, number> = {};
        for (const r of this.db.stmt('readBucket').all(this.name, bucket, now) as Row<'field' | 'n'>[]) out[r.field as string] = Number(r.n);
        return out;
      });
    });
  }

  removeError(metadata: string): Promise<boolean> {
    return this.run('removeError', () => Number(this.db.stmt('removeError').run(this.name, metadata).changes) > 0);
  }

  unschedule(data: string): Promise<boolean> {
    return this.run('unschedule', () => Number(this.db.stmt('unschedule').run(this.name, data).changes) > 0);
  }
}
