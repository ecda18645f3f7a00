/**
 * The PausedTasks capability (storage.ts) for SqliteStorage: a paused task's
 * messages wait in huey_parked, oldest first. unpark() moves them back to
 * the front of the plain queue in one write transaction (none is lost or
 * doubled if another process resumes or parks at the same time), and wakes
 * this process's waiting consumers.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import type { PausedTasks } from './storage.js';
import { notify } from './sqlite-wakeup.js';

type Row = { id: unknown; data: unknown };

export class SqlitePausedTasks implements PausedTasks {
  constructor(
    private readonly db: SqliteConnection,
    private readonly name: string,
    /** The wake-up channel of this huey's queue (sqlite-wakeup.ts). */
    private readonly queueChannel: string,
  ) {}

  park(task: string, data: string): Promise<void> {
    return this.db.call('park', () => void this.db.stmt('park').run(this.name, task, data));
  }

  unpark(task: string): Promise<number> {
    return this.db.call('unpark', () => {
      const moved = this.db.transaction(() => {
        const rows = this.db.stmt('unpark').all(this.name, task) as Row[];
        // Newest first to the front, so the oldest ends up next to be taken.
        rows.sort((a, b) => Number(b.id) - Number(a.id));
        for (const r of rows) this.db.stmt('pushFront').run(this.name, r.data);
        return rows.length;
      });
      if (moved > 0) notify(this.queueChannel);
      return moved;
    });
  }

  parkedItems(task: string): Promise<string[]> {
    return this.db.call('parkedItems', () => (this.db.stmt('parkedItems').all(this.name, task) as { data: unknown }[]).map((r) => String(r.data)));
  }
}
