/**
 * SqliteStorage: the Storage contract and reliable delivery in one SQLite
 * file, shared safely by several producer and consumer processes. Each
 * operation is one statement or one short BEGIN IMMEDIATE transaction (the
 * SQL is in sqlite-sql.ts); a message is taken from the queue by a single
 * DELETE ... RETURNING, so no two consumers ever get the same one.
 *
 * Waiting (blocking dequeue, blocking result read, events) polls with a
 * short backing-off interval, up to `pollInterval`; writes made in this
 * process wake this process's waiters at once (sqlite-wakeup.ts). So a task
 * enqueued by another process reaches an idle consumer within pollInterval
 * (50 ms by default), one enqueued in the same process at once.
 *
 * Events go to a table that every listener polls, trimmed to the newest
 * `maxEvents`: huey.events() sees the events of consumers in other
 * processes, and a listener that falls more than maxEvents behind misses
 * the oldest.
 *
 * Reliable delivery and the other capabilities are modules of their own
 * (sqlite-in-flight.ts, sqlite-priorities.ts, ...), bound onto the storage
 * by bind-capability.ts.
 */
import { bindCapability, bindControls } from './bind-capability.js';
import { createSubscription } from './subscription.js';
import { SqliteConnection, type SqliteConnectionOptions } from './sqlite-connection.js';
import { SqliteChordCounters } from './sqlite-chords.js';
import { SqliteInFlight } from './sqlite-in-flight.js';
import { SqliteMonitoring } from './sqlite-monitoring.js';
import { SqlitePausedTasks } from './sqlite-paused.js';
import { SqlitePriorityQueues } from './sqlite-priorities.js';
import { SqliteRateLimitCounters } from './sqlite-rate-limits.js';
import { SqliteUniqueKeys } from './sqlite-unique.js';
import { MONITORING_METHODS, type Monitoring } from './monitoring.js';
import { RELIABLE_METHODS, type EventSubscription, type JobControlCapabilities, type ReliableDelivery, type Storage, type WaitForDataOptions } from './storage.js';
import { channel, listen, notify } from './sqlite-wakeup.js';
import { Signal, waitLoop } from './wait.js';

/** Options for SqliteStorage. */
export interface SqliteStorageOptions extends SqliteConnectionOptions {
  /** dequeue() waits up to readTimeout for a message (default true). */
  blocking?: boolean;
  /** Seconds a blocking dequeue waits (default 1). */
  readTimeout?: number;
  /** Longest interval, in ms, between two looks at the file while waiting (default 50). */
  pollInterval?: number;
  /** Error list cap (default 1000); when exceeded it is trimmed to 90%. */
  maxErrors?: number;
  /** How many of the newest events the events table keeps (default 1000). */
  maxEvents?: number;
}

const FIRST_POLL_MS = 2;
const TRIM_EVENTS_EVERY = 100;

type Row<K extends string> = Record<K, unknown>;
const n = (row: unknown): number => Number((row as Row<'n'>).n);

/**
 * The capabilities SqliteStorage gets from modules of their own
 * (sqlite-in-flight.ts, sqlite-priorities.ts, sqlite-rate-limits.ts,
 * sqlite-unique.ts, sqlite-paused.ts, sqlite-chords.ts,
 * sqlite-monitoring.ts), bound on in the constructor.
 */
export interface SqliteStorage extends ReliableDelivery, JobControlCapabilities, Monitoring {}

/** Storage in a SQLite file. See the Storage interface and its capabilities for each method. */
export class SqliteStorage implements Storage {
  readonly name: string;
  readonly filename: string;
  private readonly db: SqliteConnection;
  private readonly blocking: boolean;
  private readonly readTimeoutMs: number;
  private readonly pollMs: number;
  private readonly maxErrors: number;
  private readonly maxEvents: number;
  private readonly queueChannel: string;
  private readonly eventChannel: string;
  // wake() ends the waits that started before it.
  private wakeGeneration = 0;
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<EventSubscription>();
  private emitted = 0;
  private closed = false;

  constructor(name = 'huey', options: SqliteStorageOptions) {
    this.name = name;
    this.filename = options.filename;
    this.blocking = options.blocking ?? true;
    this.readTimeoutMs = (options.readTimeout ?? 1) * 1000;
    this.pollMs = Math.max(FIRST_POLL_MS, options.pollInterval ?? 50);
    this.maxErrors = options.maxErrors ?? 1000;
    this.maxEvents = options.maxEvents ?? 1000;
    this.db = new SqliteConnection(options);
    this.queueChannel = channel(this.filename, name, 'queue');
    this.eventChannel = channel(this.filename, name, 'events');
    const inFlight = new SqliteInFlight({
      db: this.db,
      name,
      blocking: this.blocking,
      queueChannel: this.queueChannel,
      takeOne: () => this.takeOne(),
      takeUpTo: (count) => this.takeUpTo(count),
      waitForItem: (attempt) => this.waitForItem(attempt),
      addError: (metadata) => this.addError(metadata),
    });
    bindCapability(this, inFlight, RELIABLE_METHODS);
    bindControls(this, {
      priority: new SqlitePriorityQueues(this.db, name, this.queueChannel),
      rateLimit: new SqliteRateLimitCounters(this.db, name),
      unique: new SqliteUniqueKeys(this.db, name),
      pause: new SqlitePausedTasks(this.db, name, this.queueChannel),
      chord: new SqliteChordCounters(this.db, name),
    });
    bindCapability(this, new SqliteMonitoring(this.db, name), MONITORING_METHODS);
  }

  /** The driver in use ('better-sqlite3', 'libsql', 'node:sqlite' or a class name). */
  get driver(): string {
    return this.db.driverName;
  }

  private run<T>(what: string, fn: () => T): Promise<T> {
    return this.db.call(what, fn);
  }

  // --- queue -------------------------------------------------------------------

  private takeOne(): string | null {
    const row = this.db.stmt('dequeue').get(this.name) as Row<'data'> | undefined;
    return row ? (row.data as string) : null;
  }

  private takeUpTo(count: number): string[] {
    if (count <= 0) return [];
    const rows = this.db.stmt('dequeueMany').all(this.name, count) as Row<'id' | 'priority' | 'data'>[];
    // RETURNING gives no order: put them back in the order they are taken (highest level, then oldest, first).
    return rows.sort((a, b) => Number(b.priority) - Number(a.priority) || Number(a.id) - Number(b.id)).map((r) => r.data as string);
  }

  enqueue(data: string): Promise<void> {
    return this.run('enqueue', () => {
      this.db.stmt('enqueue').run(this.name, data);
      notify(this.queueChannel);
    });
  }

  async dequeue(): Promise<string | null> {
    const item = await this.run('dequeue', () => this.takeOne());
    if (item !== null || !this.blocking) return item;
    return this.waitForItem(() => this.takeOne());
  }

  /**
   * Polls `attempt` until it returns a message, the read timeout passes or
   * wake() is called: first after FIRST_POLL_MS, doubling up to pollInterval,
   * and at once when this process enqueues.
   */
  private async waitForItem(attempt: () => string | null): Promise<string | null> {
    const deadline = Date.now() + this.readTimeoutMs;
    const generation = this.wakeGeneration;
    const signal = new Signal();
    const unlisten = listen(this.queueChannel, signal.notify);
    this.wakers.add(signal.notify);
    try {
      let interval = FIRST_POLL_MS;
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return null;
        await signal.wait(Math.min(remaining, interval));
        if (this.wakeGeneration !== generation || this.closed) return null;
        const item = this.db.run('dequeue', attempt);
        if (item !== null) return item;
        interval = Math.min(interval * 2, this.pollMs);
      }
    } finally {
      unlisten();
      this.wakers.delete(signal.notify);
    }
  }

  dequeueMany(count: number): Promise<string[]> {
    return this.run('dequeue', () => this.takeUpTo(count));
  }

  wake(): void {
    this.wakeGeneration++;
    for (const w of [...this.wakers]) w();
  }

  unqueue(data: string): Promise<number> {
    return this.run('unqueue', () => Number(this.db.stmt('unqueue').run(this.name, data).changes));
  }

  queueSize(): Promise<number> {
    return this.run('queueSize', () => n(this.db.stmt('queueSize').get(this.name)));
  }

  enqueuedItems(limit?: number): Promise<string[]> {
    return this.run('enqueuedItems', () =>
      (this.db.stmt('queueItems').all(this.name, limit ?? -1) as Row<'data'>[]).map((r) => r.data as string),
    );
  }

  flushQueue(): Promise<void> {
    return this.run('flushQueue', () => void this.db.stmt('flushQueue').run(this.name));
  }

  // --- schedule ----------------------------------------------------------------

  addToSchedule(data: string, ts: number): Promise<void> {
    return this.run('addToSchedule', () => void this.db.stmt('schedule').run(this.name, Math.floor(ts), data));
  }

  readSchedule(ts: number): Promise<string[]> {
    return this.run('readSchedule', () => {
      const rows = this.db.stmt('readSchedule').all(this.name, Math.floor(ts)) as Row<'ts' | 'id' | 'data'>[];
      rows.sort((a, b) => Number(a.ts) - Number(b.ts) || Number(a.id) - Number(b.id));
      return rows.map((r) => r.data as string);
    });
  }

  scheduleSize(): Promise<number> {
    return this.run('scheduleSize', () => n(this.db.stmt('scheduleSize').get(this.name)));
  }

  scheduledItems(limit?: number): Promise<string[]> {
    return this.run('scheduledItems', () =>
      (this.db.stmt('scheduleItems').all(this.name, limit ?? -1) as Row<'data'>[]).map((r) => r.data as string),
    );
  }

  flushSchedule(): Promise<void> {
    return this.run('flushSchedule', () => void this.db.stmt('flushSchedule').run(this.name));
  }

  // --- key/value ---------------------------------------------------------------

  private dataChannel(key: string): string {
    return channel(this.filename, this.name, `kv\0${key}`);
  }

  putData(key: string, value: string): Promise<void> {
    return this.run('putData', () => {
      this.db.stmt('put').run(this.name, key, value);
      notify(this.dataChannel(key));
    });
  }

  private peek(key: string): string | null {
    const row = this.db.stmt('peek').get(this.name, key) as Row<'value'> | undefined;
    return row ? (row.value as string) : null;
  }

  private pop(key: string): string | null {
    const row = this.db.stmt('pop').get(this.name, key) as Row<'value'> | undefined;
    return row ? (row.value as string) : null;
  }

  peekData(key: string): Promise<string | null> {
    return this.run('peekData', () => this.peek(key));
  }

  popData(key: string): Promise<string | null> {
    return this.run('popData', () => this.pop(key));
  }

  hasDataForKey(key: string): Promise<boolean> {
    return this.run('hasDataForKey', () => this.peek(key) !== null);
  }

  putIfEmpty(key: string, value: string): Promise<boolean> {
    return this.run('putIfEmpty', () => {
      const stored = Number(this.db.stmt('putIfEmpty').run(this.name, key, value).changes) > 0;
      if (stored) notify(this.dataChannel(key));
      return stored;
    });
  }

  async waitForData(key: string, options: WaitForDataOptions): Promise<string | null> {
    const signal = new Signal();
    const unlisten = listen(this.dataChannel(key), signal.notify);
    try {
      // Another process's write is only seen by looking: re-check at most every pollInterval.
      const recheckMs = Math.min(options.recheckMs, this.pollMs);
      return await waitLoop(() => this.run('waitForData', () => (options.peek ? this.peek(key) : this.pop(key))), signal, {
        ...options,
        recheckMs,
        initialRecheckMs: Math.min(options.initialRecheckMs ?? FIRST_POLL_MS, recheckMs),
        backoff: Math.max(options.backoff ?? 2, 1.5),
      });
    } finally {
      unlisten();
    }
  }

  resultStoreSize(): Promise<number> {
    return this.run('resultStoreSize', () => n(this.db.stmt('kvSize').get(this.name)));
  }

  resultItems(): Promise<Record<string, string>> {
    return this.run('resultItems', () => {
      const rows = this.db.stmt('kvItems').all(this.name) as Row<'key' | 'value'>[];
      return Object.fromEntries(rows.map((r) => [r.key as string, r.value as string]));
    });
  }

  flushResults(): Promise<void> {
    return this.run('flushResults', () =>
      this.db.transaction(() => {
        this.db.stmt('flushKv').run(this.name);
        this.db.stmt('flushRevocations').run(this.name);
      }),
    );
  }

  // --- revocations -------------------------------------------------------------

  putRevocation(key: string, value: string): Promise<void> {
    return this.run('putRevocation', () => void this.db.stmt('putRevocation').run(this.name, key, value));
  }

  peekRevocations(keys: string[]): Promise<(string | null)[]> {
    return this.run('peekRevocations', () =>
      keys.map((k) => ((this.db.stmt('peekRevocation').get(this.name, k) as Row<'value'> | undefined)?.value as string) ?? null),
    );
  }

  popRevocation(key: string): Promise<string | null> {
    return this.run('popRevocation', () => ((this.db.stmt('popRevocation').get(this.name, key) as Row<'value'> | undefined)?.value as string) ?? null);
  }

  hasRevocations(): Promise<boolean> {
    return this.run('hasRevocations', () => this.db.stmt('anyRevocation').get(this.name) !== undefined);
  }

  // --- errors ------------------------------------------------------------------

  private addError(metadata: string): void {
    this.db.stmt('putError').run(this.name, metadata);
    if (n(this.db.stmt('errorCount').get(this.name)) > this.maxErrors) {
      const keep = Math.floor(this.maxErrors * 0.9) + 1;
      this.db.stmt('trimErrors').run(this.name, this.name, keep - 1);
    }
  }

  putError(metadata: string): Promise<void> {
    return this.run('putError', () => this.db.transaction(() => this.addError(metadata)));
  }

  getErrors(limit?: number, offset = 0): Promise<string[]> {
    return this.run('getErrors', () =>
      (this.db.stmt('errors').all(this.name, limit ?? -1, offset) as Row<'data'>[]).map((r) => r.data as string),
    );
  }

  flushErrors(): Promise<void> {
    return this.run('flushErrors', () => void this.db.stmt('flushErrors').run(this.name));
  }

  // --- events ------------------------------------------------------------------

  emit(message: string): Promise<void> {
    return this.run('emit', () => {
      this.db.stmt('emit').run(this.name, message);
      if (++this.emitted % TRIM_EVENTS_EVERY === 0) this.db.stmt('trimEvents').run(this.name, this.name, this.maxEvents - 1);
      notify(this.eventChannel);
    });
  }

  /** Events emitted after this call, by any process on this file, polled every pollInterval (at once for this process's). */
  listener(): EventSubscription {
    let last = Number((this.db.run('events', () => this.db.stmt('lastEvent').get(this.name)) as Row<'id'>).id);
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const read = () => {
      if (stopped) return;
      clearTimeout(timer);
      try {
        for (;;) {
          const rows = this.db.stmt('eventsAfter').all(this.name, last) as Row<'id' | 'data'>[];
          for (const r of rows) {
            last = Number(r.id);
            push(r.data as string);
          }
          if (rows.length < 500) break;
        }
      } catch {
        // A busy or closing database: the next poll tries again.
      }
      if (!stopped) timer = setTimeout(read, this.pollMs);
    };
    const unlisten = listen(this.eventChannel, () => queueMicrotask(read));
    const { subscription, push } = createSubscription({
      ready: Promise.resolve(),
      release: () => {
        stopped = true;
        clearTimeout(timer);
        unlisten();
        this.subscriptions.delete(subscription);
      },
    });
    this.subscriptions.add(subscription);
    timer = setTimeout(read, this.pollMs);
    return subscription;
  }

  // --- lifecycle -----------------------------------------------------------------

  flushAll(): Promise<void> {
    return this.run('flushAll', () =>
      this.db.transaction(() => {
        const all = ['flushQueue', 'flushSchedule', 'flushKv', 'flushRevocations', 'flushErrors', 'flushInFlight', 'flushRecovery', 'flushRates', 'flushUnique', 'flushParked'] as const;
        for (const s of all) {
          this.db.stmt(s).run(this.name);
        }
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }
}
