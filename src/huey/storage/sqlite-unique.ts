/**
 * The UniqueKeys capability (storage.ts) for SqliteStorage: huey_unique maps
 * each key to the id of the task holding it. A claim is one write
 * transaction (insert unless held, then read the holder), so of two
 * processes enqueueing the same unique call at once exactly one gets the key.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { UniqueKeys } from './storage.js';

export class SqliteUniqueKeys implements UniqueKeys {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
  ) {}

  claimUnique(key: string, id: string): Promise<string | null> {
    return this.db.call('claimUnique', () =>
      this.db.transaction(() => {
        if (Number(this.db.stmt('claimUnique').run(this.name, key, id).changes) > 0) return null;
        const row = this.db.stmt('uniqueHolder').get(this.name, key) as { task_id: unknown } | undefined;
        return row ? String(row.task_id) : null;
      }),
    );
  }

  releaseUnique(key: string, id: string): Promise<void> {
    // One statement: a key another task holds by now is left alone.
    return this.db.call('releaseUnique', () => void this.db.stmt('releaseUnique').run(this.name, key, id));
  }
}
