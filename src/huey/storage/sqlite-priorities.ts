/**
 * The PriorityQueues capability (storage.ts) for SqliteStorage. Every level
 * lives in the one queue table, as a `priority` column (0 for the plain
 * queue) under an index on (name, priority DESC, id): the dequeue that
 * SqliteStorage already runs, a single DELETE ... RETURNING of the first row
 * in that order, takes the highest level first and the oldest first within
 * it. So taking stays one statement that no two consumers can both win, a
 * huey that uses no priorities pays nothing more, and the wake-ups of
 * waiting consumers need no change: an enqueue at any level notifies the
 * queue's channel as a plain one does. (SQLite has no blocking pop, so the
 * reasons the Redis layout keeps one list per level do not apply here.)
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { PriorityQueues } from './storage.js';
import { notify } from './sqlite-wakeup.js';

export class SqlitePriorityQueues implements PriorityQueues {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
    /** The wake-up channel of this huey's queue (sqlite-wakeup.ts). */
    private readonly queueChannel: string,
  ) {}

  enqueuePriority(data: string, priority: number): Promise<void> {
    return this.db.call('enqueuePriority', () => {
      this.db.stmt('enqueuePriority').run(this.name, data, priority);
      notify(this.queueChannel);
    });
  }
}
