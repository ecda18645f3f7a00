/**
 * The ReliableDelivery capability (storage.ts, docs/reliability.md) for
 * SqliteStorage: in-flight lists as rows of huey_inflight (a take deletes
 * the message from the queue and inserts it there in one write
 * transaction), their owners, heartbeats (expiring by this machine's clock,
 * which every process on the file shares) and recovery counts.
 */
import type { SqliteConnection } from './sqlite-connection.js';
import { notify } from './sqlite-wakeup.js';
import type { ReliableDelivery } from './storage.js';

type Row<K extends string> = Record<K, unknown>;
const n = (row: unknown): number => Number((row as Row<'n'>).n);

/** What the in-flight lists need of their SqliteStorage's queue and error list. */
export interface SqliteInFlightHost {
  readonly db: SqliteConnection;
  readonly name: string;
  /** take() waits up to the read timeout for a message. */
  readonly blocking: boolean;
  /** The wake-up channel of this huey's queue (sqlite-wakeup.ts). */
  readonly queueChannel: string;
  /** Takes the next message off the queue (inside the caller's statement or transaction). */
  takeOne(): string | null;
  /** Takes up to `count` of the next messages, in the order they are taken. */
  takeUpTo(count: number): string[];
  /** Polls `attempt` until it returns a message, the read timeout passes or wake() is called. */
  waitForItem(attempt: () => string | null): Promise<string | null>;
  /** Adds to the error list (inside the caller's transaction), trimmed to the cap. */
  addError(metadata: string): void;
}

export class SqliteInFlight implements ReliableDelivery {
  private readonly db: SqliteConnection;
  private readonly name: string;

  constructor(private readonly host: SqliteInFlightHost) {
    this.db = host.db;
    this.name = host.name;
  }

  private moveInto(list: string, items: string[]): string[] {
    const insert = this.db.stmt('takeInto');
    for (const item of items) insert.run(this.name, list, item);
    return items;
  }

  takeMany(list: string, count: number): Promise<string[]> {
    if (count <= 0) return Promise.resolve([]);
    return this.db.call('takeMany', () => this.db.transaction(() => this.moveInto(list, this.host.takeUpTo(count))));
  }

  private takeInto(list: string): string | null {
    return this.db.transaction(() => {
      const item = this.host.takeOne();
      if (item !== null) this.moveInto(list, [item]);
      return item;
    });
  }

  async take(list: string): Promise<string | null> {
    const item = await this.db.call('take', () => this.takeInto(list));
    if (item !== null || !this.host.blocking) return item;
    return this.host.waitForItem(() => this.takeInto(list));
  }

  ack(list: string, data: string): Promise<boolean> {
    return this.db.call('ack', () => Number(this.db.stmt('ack').run(this.name, list, data).changes) > 0);
  }

  inFlightItems(list?: string): Promise<string[]> {
    return this.db.call('inFlightItems', () => {
      const rows = (list === undefined ? this.db.stmt('inFlightRegistered').all(this.name) : this.db.stmt('inFlightList').all(this.name, list)) as Row<'data'>[];
      return rows.map((r) => r.data as string);
    });
  }

  requeueNewest(list: string): Promise<string | null> {
    return this.db.call('requeueNewest', () => {
      const item = this.db.transaction(() => {
        const row = this.db.stmt('popNewest').get(this.name, list) as Row<'data'> | undefined;
        if (!row) return null;
        this.db.stmt('pushFront').run(this.name, row.data);
        return row.data as string;
      });
      if (item !== null) notify(this.host.queueChannel);
      return item;
    });
  }

  requeueInFlight(list: string, data: string): Promise<boolean> {
    return this.db.call('requeueInFlight', () => {
      // One transaction: the copy leaves the in-flight list and enters the queue's front together, or neither.
      const moved = this.db.transaction(() => {
        if (Number(this.db.stmt('ack').run(this.name, list, data).changes) === 0) return false;
        this.db.stmt('pushFront').run(this.name, data);
        return true;
      });
      if (moved) notify(this.host.queueChannel);
      return moved;
    });
  }

  peekNewest(list: string): Promise<string | null> {
    return this.db.call('peekNewest', () => ((this.db.stmt('peekNewest').get(this.name, list) as Row<'data'> | undefined)?.data as string) ?? null);
  }

  discardInFlight(list: string, data: string, metadata: string): Promise<boolean> {
    return this.db.call('discardInFlight', () =>
      this.db.transaction(() => {
        if (Number(this.db.stmt('ack').run(this.name, list, data).changes) === 0) return false;
        this.host.addError(metadata);
        return true;
      }),
    );
  }

  claimInFlight(from: string, to: string): Promise<'claimed' | 'empty' | 'busy'> {
    return this.db.call('claimInFlight', () =>
      this.db.transaction(() => {
        if (n(this.db.stmt('listSize').get(this.name, from)) === 0) return 'empty';
        if (n(this.db.stmt('listSize').get(this.name, to)) > 0) return 'busy';
        this.db.stmt('renameList').run(to, this.name, from);
        return 'claimed';
      }),
    );
  }

  registerInFlight(consumer: string, lists: string[]): Promise<void> {
    return this.db.call('registerInFlight', () =>
      this.db.transaction(() => {
        for (const l of lists) this.db.stmt('register').run(this.name, l, consumer);
      }),
    );
  }

  unregisterInFlight(lists: string[]): Promise<void> {
    return this.db.call('unregisterInFlight', () =>
      this.db.transaction(() => {
        for (const l of lists) this.db.stmt('unregister').run(this.name, l);
      }),
    );
  }

  inFlightOwners(): Promise<Record<string, string>> {
    return this.db.call('inFlightOwners', () => {
      const rows = this.db.stmt('owners').all(this.name) as Row<'list' | 'consumer'>[];
      return Object.fromEntries(rows.map((r) => [r.list as string, r.consumer as string]));
    });
  }

  // Heartbeats expire by this machine's clock, which every process on the file shares.
  heartbeat(consumer: string, ttlMs: number, info: string): Promise<void> {
    return this.db.call('heartbeat', () => void this.db.stmt('heartbeat').run(this.name, consumer, info, Date.now() + ttlMs));
  }

  dropHeartbeat(consumer: string): Promise<void> {
    return this.db.call('dropHeartbeat', () => void this.db.stmt('dropHeartbeat').run(this.name, consumer));
  }

  heartbeats(consumers: string[]): Promise<(string | null)[]> {
    return this.db.call('heartbeats', () => {
      const now = Date.now();
      return consumers.map((c) => ((this.db.stmt('readHeartbeat').get(this.name, c, now) as Row<'info'> | undefined)?.info as string) ?? null);
    });
  }

  countRecovery(id: string): Promise<number> {
    return this.db.call('countRecovery', () => Number((this.db.stmt('countRecovery').get(this.name, id) as Row<'count'>).count));
  }

  forgetRecovery(id: string): Promise<void> {
    return this.db.call('forgetRecovery', () => void this.db.stmt('forgetRecovery').run(this.name, id));
  }
}
