/**
 * StoredNotifier, for RedisStorage.waitForData: one subscriber connection
 * shared by every waiting result read. It listens to `huey.{name}.stored`
 * while at least one read waits, and calls the watchers of each key
 * published there. It unsubscribes shortly after the
 * last waiter leaves, so idle producers do not receive every notification.
 */
import type { RedisConnection } from '../../client/index.js';
import type { NotificationChannel } from './redis-connect.js';

/** The shared subscriber of one RedisStorage. */
export class StoredNotifier {
  private conn: RedisConnection | null = null;
  private subscribed: Promise<void> | null = null;
  private readonly watchers = new Map<string, Set<() => void>>();
  private idleTimer: NodeJS.Timeout | null = null;
  private count = 0;

  constructor(
    private readonly connect: () => RedisConnection,
    private readonly channel: string,
    private readonly pubsub: NotificationChannel,
  ) {}

  /** Calls `fn` whenever `key` is published; resolves once the subscription is active. Returns the un-watch function. */
  async watch(key: string, fn: () => void): Promise<() => void> {
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(fn);
    this.count++;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const unwatch = () => {
      const s = this.watchers.get(key);
      if (!s || !s.delete(fn)) return;
      if (s.size === 0) this.watchers.delete(key);
      if (--this.count === 0) this.scheduleIdle();
    };
    try {
      await this.ensureSubscribed();
    } catch (err) {
      unwatch();
      throw err;
    }
    return unwatch;
  }

  private ensureSubscribed(): Promise<void> {
    if (!this.subscribed) {
      const conn = (this.conn ??= this.connect());
      this.subscribed = this.pubsub.subscribe(conn, this.channel, (key) => {
        const set = this.watchers.get(key);
        if (set) for (const fn of set) fn();
      });
      this.subscribed.catch(() => {
        this.subscribed = null;
      });
    }
    return this.subscribed;
  }

  private scheduleIdle(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.count > 0 || !this.subscribed) return;
      this.subscribed = null;
      if (this.conn !== null) this.pubsub.unsubscribe(this.conn, this.channel).catch(() => undefined);
    }, 2000);
    this.idleTimer.unref();
  }

  /** Drops the subscriber connection at once (see RedisStorage.abort). */
  abort(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.conn?.disconnect();
    this.conn = null;
    this.subscribed = null;
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const conn = this.conn;
    this.conn = null;
    this.subscribed = null;
    if (conn) await conn.quit().catch(() => conn.disconnect());
  }
}
