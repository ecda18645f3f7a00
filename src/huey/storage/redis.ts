/**
 * RedisStorage: the Storage contract on our RESP client, for simpledb and
 * real Redis alike. Every key of one huey shares the hash tag `{name}`, so
 * they live in one Redis Cluster slot and a MULTI never crosses slots:
 *
 *   huey.{name}.queue      list: LPUSH to enqueue, RPOP/BRPOP to dequeue
 *   huey.{name}.schedule   sorted set: message scored by eta in ms
 *   huey.{name}.results    hash: results, locks, put() values
 *   huey.{name}.revoked    hash: revocation records (r:<id>, rt:<name>), apart
 *                          from the results so a consumer can ask cheaply whether any exist
 *   huey.{name}.errors     list: error metadata, newest first
 *   huey.{name}.events     pub/sub channel: consumer events
 *   huey.{name}.stored     pub/sub channel: keys just written to results
 *
 * Each capability is a module of its own, with its keys in its opening
 * comment, bound onto the storage by bind-capability.ts: reliable delivery
 * (redis-in-flight.ts), priority levels (redis-priorities.ts, whose view of
 * the levels in use the queue methods here read), rate-limit counters
 * (redis-rate-limits.ts), unique keys (redis-unique.ts), paused tasks
 * (redis-paused.ts), chord counters (redis-chords.ts) and monitoring
 * (redis-monitoring.ts).
 *
 * Connections: one for ordinary commands (pipelined), one for the blocking
 * BRPOP/BLMOVE (redis-blocking.ts) so a waiting worker never delays other
 * commands, one subscriber for "result stored" notifications (only while
 * someone waits for a result), and one per event listener. No Lua: the
 * schedule pop is a MULTI. Key names and reply conversions live in
 * redis-replies.ts, the shared "result stored" subscriber in
 * redis-notifier.ts.
 */
import { ConnectionClosedError, ReplyError, TimeoutError } from '../../client/index.js';
import { bindCapability, bindControls } from './bind-capability.js';
import { MONITORING_METHODS, type Monitoring } from './monitoring.js';
import { RedisBlockingConnection } from './redis-blocking.js';
import { RedisChordCounters } from './redis-chords.js';
import {
  connectStorage,
  notificationChannel,
  onReady,
  type NotificationChannel,
  type RedisStorageClient,
  type RedisStorageOptions,
} from './redis-connect.js';
import { RedisInFlight } from './redis-in-flight.js';
import { RedisMonitoring } from './redis-monitoring.js';
import { StoredNotifier } from './redis-notifier.js';
import { RedisPausedTasks } from './redis-paused.js';
import { RedisQueueLevels } from './redis-priorities.js';
import { RedisRateLimitCounters } from './redis-rate-limits.js';
import { asString, asStrings, check, hashReply, redisKeys } from './redis-replies.js';
import { RedisUniqueKeys } from './redis-unique.js';
import { RELIABLE_METHODS, type EventSubscription, type JobControlCapabilities, type ReliableDelivery, type Storage, type WaitForDataOptions } from './storage.js';
import { createSubscription } from './subscription.js';
import { Signal, waitLoop } from './wait.js';

export { redisKeys } from './redis-replies.js';
export type { RedisStorageOptions } from './redis-connect.js';

/**
 * Error replies that mean "not now" rather than "never": a restarted Redis
 * answers LOADING while it replays its data, a demoted primary READONLY, a
 * cluster or Sentinel setup in the middle of a failover CLUSTERDOWN, TRYAGAIN
 * or MASTERDOWN. A store that gets one is tried again once the storage is back.
 */
const TRANSIENT_REPLIES = new Set(['LOADING', 'READONLY', 'CLUSTERDOWN', 'TRYAGAIN', 'MASTERDOWN']);

/** The capabilities RedisStorage gets from modules of their own, bound on in the constructor. */
export interface RedisStorage extends ReliableDelivery, JobControlCapabilities, Monitoring {}

/** Storage on Redis or simpledb. See the file comment for the layout. */
export class RedisStorage implements Storage {
  readonly name: string;
  readonly keys: ReturnType<typeof redisKeys>;
  /** Connection for ordinary commands. */
  readonly client: RedisStorageClient;
  private readonly ownsClient: boolean;
  private readonly blocking: boolean;
  private readonly readTimeout: number;
  private readonly maxErrors: number;
  private readonly blocker: RedisBlockingConnection;
  private readonly notifier: StoredNotifier;
  /** PUBLISH, or SPUBLISH on a cluster (redis-connect.ts). */
  private readonly notifications: NotificationChannel;
  private readonly listeners = new Set<EventSubscription>();
  private closed = false;
  /** The priority levels in use, as this process knows them (redis-priorities.ts). */
  private readonly levels: RedisQueueLevels;
  private readonly inFlight: RedisInFlight;
  private readonly paused: RedisPausedTasks;

  constructor(name = 'huey', options: RedisStorageOptions = {}) {
    this.name = name;
    this.keys = redisKeys(name);
    const { client, cluster, blocking, readTimeout, maxErrors, ...clientOptions } = options;
    this.ownsClient = client === undefined;
    this.client = client ?? connectStorage(clientOptions, cluster);
    this.blocking = blocking ?? true;
    this.readTimeout = readTimeout ?? 1;
    this.maxErrors = maxErrors ?? 1000;
    this.notifications = notificationChannel(this.client);
    this.notifier = new StoredNotifier(() => this.client.duplicate(), this.keys.stored, this.notifications);
    this.blocker = new RedisBlockingConnection(this.client, this.keys.queue);
    this.levels = new RedisQueueLevels(this.client, this.keys);
    this.inFlight = new RedisInFlight({
      client: this.client,
      keys: this.keys,
      levels: this.levels,
      blocker: this.blocker,
      blocking: this.blocking,
      readTimeout: this.readTimeout,
      maxErrors: this.maxErrors,
      isClosed: () => this.closed,
    });
    this.paused = new RedisPausedTasks(this.client, this.keys);
    bindCapability(this, this.inFlight, RELIABLE_METHODS);
    bindControls(this, {
      priority: this.levels,
      rateLimit: new RedisRateLimitCounters(this.client, this.keys),
      unique: new RedisUniqueKeys(this.client, this.keys),
      pause: this.paused,
      chord: new RedisChordCounters(this.client, this.keys),
    });
    bindCapability(this, new RedisMonitoring(this.client, this.keys), MONITORING_METHODS);
  }

  // --- queue ---------------------------------------------------------------

  async enqueue(data: string): Promise<void> {
    await this.client.call('LPUSH', this.keys.queue, data);
  }

  async dequeue(): Promise<string | null> {
    const keys = await this.levels.beforeWait();
    if (!this.blocking) {
      if (keys === null) return asString(await this.client.call('RPOP', this.keys.queue));
      return this.levels.popFirst(keys, 1).then((items) => items[0] ?? null);
    }
    if (this.closed) return null;
    const reply = await this.blocker.call('BRPOP', ...(keys ?? [this.keys.queue]), String(this.readTimeout));
    if (reply === null) return null;
    const pair = asStrings(reply);
    return pair[1] ?? null;
  }

  async dequeueMany(count: number): Promise<string[]> {
    if (count <= 0) return [];
    let keys = this.levels.forTake();
    // Only a storage's first take waits for the levels; the others issue their pop at once.
    if (keys instanceof Promise) keys = await keys;
    if (keys === null) return asStrings(await this.client.call('RPOP', this.keys.queue, count));
    return this.levels.popFirst(keys, count);
  }

  wake(): void {
    if (!this.closed) this.blocker.wake();
  }

  async unqueue(data: string): Promise<number> {
    const keys = await this.levels.all();
    const counts = await Promise.all(keys.map((k) => this.client.call('LREM', k, 0, data)));
    return counts.reduce<number>((n, c) => n + Number(c), 0);
  }

  async queueSize(): Promise<number> {
    const keys = await this.levels.all();
    const sizes = await Promise.all(keys.map((k) => this.client.call('LLEN', k)));
    return sizes.reduce<number>((n, c) => n + Number(c), 0);
  }

  async enqueuedItems(limit?: number): Promise<string[]> {
    if (limit !== undefined && limit <= 0) return [];
    // LPUSH puts the newest at index 0, so the next to run is at the end.
    const start = limit === undefined ? 0 : -limit;
    const keys = await this.levels.all();
    const lists = await Promise.all(keys.map((k) => this.client.call('LRANGE', k, start, -1)));
    const all = lists.flatMap((l) => asStrings(l).reverse());
    return limit === undefined ? all : all.slice(0, limit);
  }

  async flushQueue(): Promise<void> {
    const keys = await this.levels.all();
    await this.client.call('DEL', ...keys, this.keys.priorities);
    this.levels.forget();
  }

  // --- schedule ------------------------------------------------------------

  async addToSchedule(data: string, ts: number): Promise<void> {
    await this.client.call('ZADD', this.keys.schedule, ts, data);
  }

  async readSchedule(ts: number): Promise<string[]> {
    const [items] = check(
      await this.client.multi([
        ['ZRANGEBYSCORE', this.keys.schedule, '-inf', ts],
        ['ZREMRANGEBYSCORE', this.keys.schedule, '-inf', ts],
      ]),
    );
    return asStrings(items);
  }

  async scheduleSize(): Promise<number> {
    return Number(await this.client.call('ZCARD', this.keys.schedule));
  }

  async scheduledItems(limit?: number): Promise<string[]> {
    if (limit !== undefined && limit <= 0) return [];
    return asStrings(await this.client.call('ZRANGE', this.keys.schedule, 0, limit === undefined ? -1 : limit - 1));
  }

  async flushSchedule(): Promise<void> {
    await this.client.call('DEL', this.keys.schedule);
  }

  // --- key/value -----------------------------------------------------------

  async putData(key: string, value: string): Promise<void> {
    // Same connection (on a cluster: same slot, same node), so the PUBLISH is processed after the HSET: a woken reader finds the value.
    const set = this.client.call('HSET', this.keys.results, key, value);
    const pub = this.client.call(this.notifications.publish, this.keys.stored, key);
    await Promise.all([set, pub]);
  }

  async peekData(key: string): Promise<string | null> {
    return asString(await this.client.call('HGET', this.keys.results, key));
  }

  async popData(key: string): Promise<string | null> {
    const [value] = check(await this.client.multi([
      ['HGET', this.keys.results, key],
      ['HDEL', this.keys.results, key],
    ]));
    return asString(value);
  }

  async hasDataForKey(key: string): Promise<boolean> {
    return Number(await this.client.call('HEXISTS', this.keys.results, key)) === 1;
  }

  async putIfEmpty(key: string, value: string): Promise<boolean> {
    return Number(await this.client.call('HSETNX', this.keys.results, key, value)) === 1;
  }

  async waitForData(key: string, options: WaitForDataOptions): Promise<string | null> {
    const signal = new Signal();
    const unwatch = await this.notifier.watch(key, signal.notify);
    try {
      return await waitLoop(() => (options.peek ? this.peekData(key) : this.popData(key)), signal, options);
    } finally {
      unwatch();
    }
  }

  async resultStoreSize(): Promise<number> {
    return Number(await this.client.call('HLEN', this.keys.results));
  }

  async resultItems(): Promise<Record<string, string>> {
    return hashReply(await this.client.call('HGETALL', this.keys.results));
  }

  async flushResults(): Promise<void> {
    await this.client.call('DEL', this.keys.results, this.keys.revoked);
  }

  // --- revocations ---------------------------------------------------------

  async putRevocation(key: string, value: string): Promise<void> {
    await this.client.call('HSET', this.keys.revoked, key, value);
  }

  async peekRevocations(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const reply = await this.client.call('HMGET', this.keys.revoked, ...keys);
    if (!Array.isArray(reply)) throw new TypeError('expected an array reply from HMGET');
    return reply.map(asString);
  }

  async popRevocation(key: string): Promise<string | null> {
    const [value] = check(await this.client.multi([
      ['HGET', this.keys.revoked, key],
      ['HDEL', this.keys.revoked, key],
    ]));
    return asString(value);
  }

  async hasRevocations(): Promise<boolean> {
    // Issued on the same connection as the dequeue just before it, so Redis answers it after the pop.
    return Number(await this.client.call('EXISTS', this.keys.revoked)) === 1;
  }

  // --- errors --------------------------------------------------------------

  async putError(metadata: string): Promise<void> {
    const length = Number(await this.client.call('LPUSH', this.keys.errors, metadata));
    if (length > this.maxErrors) await this.client.call('LTRIM', this.keys.errors, 0, Math.floor(this.maxErrors * 0.9));
  }

  async getErrors(limit?: number, offset = 0): Promise<string[]> {
    if (limit !== undefined && limit <= 0) return [];
    const stop = limit === undefined ? -1 : offset + limit - 1;
    return asStrings(await this.client.call('LRANGE', this.keys.errors, offset, stop));
  }

  async flushErrors(): Promise<void> {
    await this.client.call('DEL', this.keys.errors);
  }

  // --- events --------------------------------------------------------------

  emit(message: string): Promise<unknown> {
    return this.client.call(this.notifications.publish, this.keys.events, message);
  }

  listener(): EventSubscription {
    const conn = this.client.duplicate();
    // The subscription's own connection: pub/sub takes it over.
    const ready = this.notifications.subscribe(conn, this.keys.events, (message) => push(message));
    ready.catch(() => undefined);
    const { subscription, push } = createSubscription({
      ready,
      release: () => {
        this.listeners.delete(subscription);
        // At once, not QUIT: on a busy channel the events already on their way
        // would all be read and decoded first, for a listener that wants none.
        conn.disconnect();
      },
    });
    this.listeners.add(subscription);
    return subscription;
  }


  async flushAll(): Promise<void> {
    const lists = await this.inFlight.registeredKeys();
    const parked = await this.paused.allKeys();
    await this.flushQueue();
    await this.client.call(
      'DEL',
      this.keys.unique,
      ...parked,
      this.keys.schedule,
      this.keys.results,
      this.keys.revoked,
      this.keys.errors,
      this.keys.recovered,
      ...lists,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.listeners].map((l) => l.close()));
    await this.notifier.close();
    // A BRPOP may be waiting: closing at once is safe, the server pops nothing for a closed client.
    this.blocker.disconnect();
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Calls `listener` each time the connection for ordinary commands (a cluster: a primary's) comes up. */
  onReconnect(listener: () => void): () => void {
    return onReady(this.client, listener);
  }

  isUnavailable(err: unknown): boolean {
    if (this.closed || this.client.status === 'closed' || this.client.status === 'closing') return false;
    // The huey layer wraps storage errors (guard.ts), keeping the original as the cause.
    for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
      if (e instanceof ConnectionClosedError || e instanceof TimeoutError) return true;
      if (e instanceof ReplyError && TRANSIENT_REPLIES.has(e.code)) return true;
    }
    return false;
  }

  /** Whether the connection for ordinary commands is up (the others go to the same server). */
  isConnected(): boolean {
    return this.client.status === 'ready';
  }

  /**
   * Drops every connection at once, rejecting the calls waiting on them
   * (commands queued while offline never reached the server, so nothing is
   * popped and lost). A client passed in as `client` is left alone: it is
   * not ours to break, so calls waiting on it keep waiting.
   */
  abort(): void {
    this.closed = true;
    for (const sub of [...this.listeners]) void sub.close();
    this.notifier.abort();
    this.blocker.disconnect();
    if (this.ownsClient) this.client.disconnect();
  }
}
