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
 * and for reliable delivery (docs/reliability.md):
 *
 *   huey.{name}.inflight.<list>  list: messages being run (LMOVE/BLMOVE in, LREM out)
 *   huey.{name}.owners           hash: in-flight list -> consumer id
 *   huey.{name}.consumer.<id>    string with a TTL: a consumer's heartbeat
 *   huey.{name}.recovered        hash: task id -> times recovered from dead consumers
 *
 * and for job controls (docs/job-controls.md):
 *
 *   huey.{name}.queue.<level>    list: the queue of a priority level other than 0
 *   huey.{name}.priorities       sorted set: the levels in use
 *   huey.{name}.unique           hash: unique key -> id of the task holding it
 *   huey.{name}.rate.<key>       string with a TTL: starts counted in a rate-limit window
 *   huey.{name}.paused.<task>    list: messages of a paused task, set aside
 *   huey.{name}.paused           set: task names with messages set aside
 *   huey.{name}.chord.<id>       hash with a TTL: finished members of a chord
 *
 * and the Monitoring capability's keys (redis-monitoring.ts).
 *
 * Connections: one for ordinary commands (pipelined), one for the blocking
 * BRPOP so a waiting worker never delays other commands, one subscriber for
 * "result stored" notifications (only while someone waits for a result),
 * and one per event listener. No Lua: the schedule pop is a MULTI, and
 * reliable takes are LMOVE/BLMOVE (several pipelined in one round trip).
 * Key names and reply conversions live in redis-replies.ts, the shared
 * "result stored" subscriber in redis-notifier.ts.
 */
import { ConnectionClosedError, ReplyError, TimeoutError } from '../../client/index.js';
import { connectStorage, onReady, serverCall, type RedisStorageClient, type RedisStorageOptions } from './redis-connect.js';
import { createSubscription } from './subscription.js';
import type { ChordCounters, EventSubscription, PausedTasks, PriorityQueues, RateLimitCounters, ReliableStorage, UniqueKeys, WaitForDataOptions } from './storage.js';
import { Signal, waitLoop } from './wait.js';
import { StoredNotifier } from './redis-notifier.js';
import { asString, asStrings, check, hashReply, redisKeys } from './redis-replies.js';
import { RedisMonitoring } from './redis-monitoring.js';
import type { ConsumerRecord, Monitoring } from './monitoring.js';

export { redisKeys } from './redis-replies.js';
export type { RedisStorageOptions } from './redis-connect.js';

/** How long the recovery counts live after the last recovery (they only matter while a task keeps coming back). */
const RECOVERED_TTL_MS = 7 * 24 * 3600 * 1000;

/** How often a busy reader looks for priority levels other producers started using (in the background). */
const LEVELS_REFRESH_MS = 1000;
/** How stale the known levels may be when a reader is about to wait on an empty queue. */
const IDLE_LEVELS_REFRESH_MS = 100;

/** Storage on Redis or simpledb. See the file comment for the layout. */
/**
 * Error replies that mean "not now" rather than "never": a restarted Redis
 * answers LOADING while it replays its data, a demoted primary READONLY, a
 * cluster or Sentinel setup in the middle of a failover CLUSTERDOWN, TRYAGAIN
 * or MASTERDOWN. A store that gets one is tried again once the storage is back.
 */
const TRANSIENT_REPLIES = new Set(['LOADING', 'READONLY', 'CLUSTERDOWN', 'TRYAGAIN', 'MASTERDOWN']);

export class RedisStorage implements ReliableStorage, PriorityQueues, RateLimitCounters, UniqueKeys, PausedTasks, ChordCounters, Monitoring {
  readonly name: string;
  readonly keys: ReturnType<typeof redisKeys>;
  /** Connection for ordinary commands. */
  readonly client: RedisStorageClient;
  private readonly ownsClient: boolean;
  private readonly blocking: boolean;
  private readonly readTimeout: number;
  private readonly maxErrors: number;
  private blockingClient: RedisStorageClient | null = null;
  private blockingClientId: number | null = null;
  private readonly notifier: StoredNotifier;
  private readonly listeners = new Set<EventSubscription>();
  private closed = false;
  private readonly monitoring: RedisMonitoring;
  /**
   * The queue keys to take from, highest level first, while priority levels
   * are in use; null while none are (then the plain queue is read exactly as
   * without priorities). Refreshed in the background at most once a second.
   */
  private levelKeys: string[] | null = null;
  private levelsReadAt = -Infinity;
  /** A read of the levels under way, if any. */
  private levelsReading: Promise<string[] | null> | null = null;

  constructor(name = 'huey', options: RedisStorageOptions = {}) {
    this.name = name;
    this.keys = redisKeys(name);
    const { client, cluster, blocking, readTimeout, maxErrors, ...clientOptions } = options;
    this.ownsClient = client === undefined;
    this.client = client ?? connectStorage(clientOptions, cluster);
    this.blocking = blocking ?? true;
    this.readTimeout = readTimeout ?? 1;
    this.maxErrors = maxErrors ?? 1000;
    this.notifier = new StoredNotifier(() => this.client.duplicate(), this.keys.stored);
    this.monitoring = new RedisMonitoring(this.client, this.keys);
  }

  // --- queue ---------------------------------------------------------------

  async enqueue(data: string): Promise<void> {
    await this.client.call('LPUSH', this.keys.queue, data);
  }

  async enqueuePriority(data: string, priority: number): Promise<void> {
    if (priority === 0) return this.enqueue(data);
    // The level is registered first, on the same connection, so a reader that sees the message knows its level.
    const level = String(priority);
    await Promise.all([this.client.call('ZADD', this.keys.priorities, level, level), this.client.call('LPUSH', this.keys.levelPrefix + level, data)]);
    // A consumer in this process takes from the new level at once, not after its next look.
    const key = this.keys.levelPrefix + level;
    if (this.levelKeys === null || !this.levelKeys.includes(key)) this.levelKeys = this.levelOrder([...this.levelNumbers(), priority]);
  }

  /**
   * Reads the priority levels in use into levelKeys. levelsReadAt is set
   * once the reply is in: a take that comes while the first read is still
   * under way (another call, such as a queue count, started it) waits for it
   * rather than taking from the plain queue as if no level were in use.
   */
  private readLevels(): Promise<string[] | null> {
    const reading: Promise<string[] | null> = this.client
      .call('ZRANGE', this.keys.priorities, 0, -1)
      .then((reply) => {
        const levels = asStrings(reply).map(Number);
        this.levelsReadAt = Date.now();
        return (this.levelKeys = levels.length === 0 ? null : this.levelOrder(levels));
      })
      .finally(() => {
        if (this.levelsReading === reading) this.levelsReading = null;
      });
    this.levelsReading = reading;
    return reading;
  }

  /** The non-zero levels levelKeys holds now. */
  private levelNumbers(): number[] {
    const prefix = this.keys.levelPrefix;
    return (this.levelKeys ?? []).filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
  }

  /** The queue keys of `levels` and the plain queue, highest level first. */
  private levelOrder(levels: number[]): string[] {
    const all = [...new Set([...levels, 0])].sort((a, b) => b - a);
    return all.map((l) => (l === 0 ? this.keys.queue : this.keys.levelPrefix + l));
  }

  /**
   * The queue keys a take reads (highest level first), or null for the plain
   * queue alone. The first call waits for the levels; later ones use what is
   * known and look again in the background once a second, so a take costs
   * no extra command, and a level another producer starts using is seen
   * within a second.
   */
  private takeKeys(): string[] | null | Promise<string[] | null> {
    if (this.levelsReadAt === -Infinity) return this.levelsReading ?? this.readLevels();
    if (this.levelsReading === null && Date.now() - this.levelsReadAt >= LEVELS_REFRESH_MS) this.readLevels().catch(() => undefined);
    return this.levelKeys;
  }

  /** Every queue key (the levels read fresh), highest level first: for listings, counts and removals. */
  private async allQueueKeys(): Promise<string[]> {
    return (await this.readLevels()) ?? [this.keys.queue];
  }

  async dequeue(): Promise<string | null> {
    let keys = this.takeKeys();
    if (keys instanceof Promise) keys = await keys;
    // About to wait, so the queue looked empty: look for new levels first (only an idle consumer pays for this).
    else if (Date.now() - this.levelsReadAt >= IDLE_LEVELS_REFRESH_MS) keys = await this.readLevels();
    if (!this.blocking) {
      if (keys === null) return asString(await this.client.call('RPOP', this.keys.queue));
      return this.popFirst(keys, 1).then((items) => items[0] ?? null);
    }
    if (this.closed) return null;
    const reply = await this.blockingCall('BRPOP', ...(keys ?? [this.keys.queue]), String(this.readTimeout));
    if (reply === null) return null;
    const pair = asStrings(reply);
    return pair[1] ?? null;
  }

  /** Up to `count` of the oldest messages of the highest non-empty level (LMPOP: one command, one level). */
  private async popFirst(keys: string[], count: number): Promise<string[]> {
    const reply = await this.client.call('LMPOP', keys.length, ...keys, 'RIGHT', 'COUNT', count);
    if (reply === null || reply === undefined) return [];
    const [, items] = reply as [unknown, unknown];
    return asStrings(items);
  }

  /** Runs a blocking command on the dedicated connection, where wake() can unblock it. */
  private async blockingCall(command: string, ...args: string[]): Promise<unknown> {
    const conn = this.blockingConnection();
    // The id lets wake() unblock this connection with CLIENT UNBLOCK; it is
    // pipelined ahead of the blocking command, so it costs no extra round trip.
    const idReply = serverCall(conn, this.keys.queue, 'CLIENT', 'ID').then(
      (id) => {
        this.blockingClientId = typeof id === 'number' ? id : null;
      },
      () => {
        this.blockingClientId = null;
      },
    );
    try {
      return await conn.call(command, ...args);
    } finally {
      await idReply;
      this.blockingClientId = null;
    }
  }

  async dequeueMany(count: number): Promise<string[]> {
    if (count <= 0) return [];
    let keys = this.takeKeys();
    // Only a storage's first take waits for the levels; the others issue their pop at once.
    if (keys instanceof Promise) keys = await keys;
    if (keys === null) return asStrings(await this.client.call('RPOP', this.keys.queue, count));
    return this.popFirst(keys, count);
  }

  wake(): void {
    const id = this.blockingClientId;
    if (id === null || this.closed) return;
    // Unblocks the BRPOP as if it timed out: nothing is popped, nothing lost.
    // Servers without CLIENT UNBLOCK just let the read timeout run out.
    serverCall(this.client, this.keys.queue, 'CLIENT', 'UNBLOCK', id).catch(() => undefined);
  }

  async unqueue(data: string): Promise<number> {
    const keys = await this.allQueueKeys();
    const counts = await Promise.all(keys.map((k) => this.client.call('LREM', k, 0, data)));
    return counts.reduce<number>((n, c) => n + Number(c), 0);
  }

  async queueSize(): Promise<number> {
    const keys = await this.allQueueKeys();
    const sizes = await Promise.all(keys.map((k) => this.client.call('LLEN', k)));
    return sizes.reduce<number>((n, c) => n + Number(c), 0);
  }

  async enqueuedItems(limit?: number): Promise<string[]> {
    if (limit !== undefined && limit <= 0) return [];
    // LPUSH puts the newest at index 0, so the next to run is at the end.
    const start = limit === undefined ? 0 : -limit;
    const keys = await this.allQueueKeys();
    const lists = await Promise.all(keys.map((k) => this.client.call('LRANGE', k, start, -1)));
    const all = lists.flatMap((l) => asStrings(l).reverse());
    return limit === undefined ? all : all.slice(0, limit);
  }

  async flushQueue(): Promise<void> {
    const keys = await this.allQueueKeys();
    await this.client.call('DEL', ...keys, this.keys.priorities);
    this.levelKeys = null;
    this.levelsReadAt = -Infinity;
  }

  // --- job controls ----------------------------------------------------------

  async countStart(key: string, ttlMs: number): Promise<number> {
    const k = this.keys.ratePrefix + key;
    const [n] = check(await this.client.multi([['INCR', k], ['PEXPIRE', k, Math.max(1, Math.ceil(ttlMs))]]));
    return Number(n);
  }

  async claimUnique(key: string, id: string): Promise<string | null> {
    // Pipelined: the HGET answers who holds the key right after the HSETNX, in the same round trip.
    const [set, holder] = await Promise.all([this.client.call('HSETNX', this.keys.unique, key, id), this.client.call('HGET', this.keys.unique, key)]);
    return Number(set) === 1 ? null : asString(holder);
  }

  async releaseUnique(key: string, id: string): Promise<void> {
    // No race: while `id` holds the key, no other task can take it, so only its holder removes it.
    if (asString(await this.client.call('HGET', this.keys.unique, key)) === id) await this.client.call('HDEL', this.keys.unique, key);
  }

  async park(name: string, data: string): Promise<void> {
    check(await this.client.multi([['LPUSH', this.keys.parkedPrefix + name, data], ['SADD', this.keys.parked, name]]));
  }

  async unpark(name: string): Promise<number> {
    const list = this.keys.parkedPrefix + name;
    let n = 0;
    // Newest first onto the take end, so the oldest is taken next; each move is atomic.
    while ((await this.client.call('LMOVE', list, this.keys.queue, 'LEFT', 'RIGHT')) !== null) n++;
    await this.client.call('SREM', this.keys.parked, name);
    return n;
  }

  async markChordMember(chord: string, member: string, ttlMs: number): Promise<{ added: boolean; count: number }> {
    const key = this.keys.chordPrefix + chord;
    // One MULTI: of two consumers marking the last two members at once, exactly one reads the full count with added = 1.
    const [added, count] = check(await this.client.multi([['HSETNX', key, member, 1], ['HLEN', key], ['PEXPIRE', key, Math.max(1, Math.ceil(ttlMs))]]));
    return { added: Number(added) === 1, count: Number(count) };
  }

  async parkedItems(name: string): Promise<string[]> {
    return asStrings(await this.client.call('LRANGE', this.keys.parkedPrefix + name, 0, -1)).reverse();
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
    // Same connection, so the PUBLISH is processed after the HSET: a woken reader finds the value.
    const set = this.client.call('HSET', this.keys.results, key, value);
    const pub = this.client.call('PUBLISH', this.keys.stored, key);
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

  // --- monitoring (redis-monitoring.ts) ---------------------------------------

  putConsumer(id: string, info: string, ttlMs: number): Promise<void> {
    return this.monitoring.putConsumer(id, info, ttlMs);
  }
  dropConsumer(id: string): Promise<void> {
    return this.monitoring.dropConsumer(id);
  }
  consumers(): Promise<ConsumerRecord[]> {
    return this.monitoring.consumers();
  }
  addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void> {
    return this.monitoring.addCounts(bucket, increments, ttlMs);
  }
  readCounts(buckets: string[]): Promise<Record<string, number>[]> {
    return this.monitoring.readCounts(buckets);
  }
  removeError(metadata: string): Promise<boolean> {
    return this.monitoring.removeError(metadata);
  }
  unschedule(data: string): Promise<boolean> {
    return this.monitoring.unschedule(data);
  }

  // --- events --------------------------------------------------------------

  emit(message: string): Promise<unknown> {
    return this.client.call('PUBLISH', this.keys.events, message);
  }

  listener(): EventSubscription {
    const conn = this.client.duplicate();
    // The subscription's own connection: pub/sub takes it over.
    const ready = conn.subscribe(this.keys.events, (message) => push(message));
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

  // --- in-flight lists (reliable delivery) ----------------------------------

  private inFlightKey(list: string): string {
    return this.keys.inFlightPrefix + list;
  }

  async takeMany(list: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    let keys = this.takeKeys();
    if (keys instanceof Promise) keys = await keys;
    if (keys === null) return this.moveMany(this.keys.queue, list, count);
    // Level by level, highest first, until `count` are taken: one more round trip per level that runs dry.
    const out: string[] = [];
    for (const key of keys) {
      out.push(...(await this.moveMany(key, list, count - out.length)));
      if (out.length >= count) break;
    }
    return out;
  }

  private async moveMany(from: string, list: string, count: number): Promise<string[]> {
    const key = this.inFlightKey(list);
    // Issued together, so the client writes them in one go: one round trip
    // for the batch, each move atomic on the server. Once the queue runs dry
    // the remaining moves return nil.
    const moves: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) moves.push(this.client.call('LMOVE', from, key, 'RIGHT', 'LEFT'));
    const replies = await Promise.all(moves);
    const out: string[] = [];
    for (const r of replies) if (r !== null && r !== undefined) out.push(String(r));
    return out;
  }

  async take(list: string): Promise<string | null> {
    const key = this.inFlightKey(list);
    // With priority levels, take one from the highest non-empty level first: BLMOVE waits on one list only (the plain queue).
    let keys = this.takeKeys();
    if (keys instanceof Promise) keys = await keys;
    else if (Date.now() - this.levelsReadAt >= IDLE_LEVELS_REFRESH_MS) keys = await this.readLevels();
    if (keys !== null) {
      const [one] = await this.takeMany(list, 1);
      if (one !== undefined) return one;
    }
    if (!this.blocking) return asString(await this.client.call('LMOVE', this.keys.queue, key, 'RIGHT', 'LEFT'));
    if (this.closed) return null;
    return asString(await this.blockingCall('BLMOVE', this.keys.queue, key, 'RIGHT', 'LEFT', String(this.readTimeout)));
  }

  ack(list: string, data: string): Promise<boolean> {
    // From the tail: the oldest messages sit there, and a finished task is usually one of them.
    return this.client.call('LREM', this.inFlightKey(list), -1, data).then((n) => Number(n) > 0);
  }

  async inFlightItems(list?: string): Promise<string[]> {
    const lists = list === undefined ? Object.keys(await this.inFlightOwners()) : [list];
    const replies = await Promise.all(lists.map((l) => this.client.call('LRANGE', this.inFlightKey(l), 0, -1)));
    return replies.flatMap((r) => asStrings(r).reverse());
  }

  async requeueNewest(list: string): Promise<string | null> {
    return asString(await this.client.call('LMOVE', this.inFlightKey(list), this.keys.queue, 'LEFT', 'RIGHT'));
  }

  async requeueInFlight(list: string, data: string): Promise<boolean> {
    // As in discardInFlight: LREM and RPUSH together, and a LREM that found
    // nothing is undone. Only the list's owner calls this, on its own list,
    // so the copy is nearly always there.
    const [removed] = check(
      await this.client.multi([
        ['LREM', this.inFlightKey(list), -1, data],
        ['RPUSH', this.keys.queue, data],
      ]),
    );
    if (Number(removed) > 0) return true;
    await this.client.call('LREM', this.keys.queue, -1, data);
    return false;
  }

  async peekNewest(list: string): Promise<string | null> {
    return asString(await this.client.call('LINDEX', this.inFlightKey(list), 0));
  }

  async discardInFlight(list: string, data: string, metadata: string): Promise<boolean> {
    // WATCH would need a connection of its own; instead the LREM and LPUSH
    // run together and a LREM that found nothing is undone by popping the
    // entry again. Only the owner of `list` calls this, so that is rare.
    const [removed, length] = check(
      await this.client.multi([
        ['LREM', this.inFlightKey(list), 1, data],
        ['LPUSH', this.keys.errors, metadata],
      ]),
    );
    if (Number(removed) === 0) {
      await this.client.call('LREM', this.keys.errors, 1, metadata);
      return false;
    }
    if (Number(length) > this.maxErrors) await this.client.call('LTRIM', this.keys.errors, 0, Math.floor(this.maxErrors * 0.9));
    return true;
  }

  async claimInFlight(from: string, to: string): Promise<'claimed' | 'empty' | 'busy'> {
    try {
      const renamed = Number(await this.client.call('RENAMENX', this.inFlightKey(from), this.inFlightKey(to)));
      return renamed === 1 ? 'claimed' : 'busy';
    } catch (err) {
      // Redis deletes empty lists, so an empty in-flight list does not exist.
      if (err instanceof Error && /no such key/i.test(err.message)) return 'empty';
      throw err;
    }
  }

  async registerInFlight(consumer: string, lists: string[]): Promise<void> {
    if (lists.length === 0) return;
    await this.client.call('HSET', this.keys.owners, ...lists.flatMap((l) => [l, consumer]));
  }

  async unregisterInFlight(lists: string[]): Promise<void> {
    if (lists.length === 0) return;
    await this.client.call('HDEL', this.keys.owners, ...lists);
  }

  async inFlightOwners(): Promise<Record<string, string>> {
    return hashReply(await this.client.call('HGETALL', this.keys.owners));
  }

  async heartbeat(consumer: string, ttlMs: number, info: string): Promise<void> {
    await this.client.call('SET', this.keys.consumerPrefix + consumer, info, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async dropHeartbeat(consumer: string): Promise<void> {
    await this.client.call('DEL', this.keys.consumerPrefix + consumer);
  }

  async heartbeats(consumers: string[]): Promise<(string | null)[]> {
    if (consumers.length === 0) return [];
    const reply = await this.client.call('MGET', ...consumers.map((c) => this.keys.consumerPrefix + c));
    if (!Array.isArray(reply)) throw new TypeError('expected an array reply from MGET');
    return reply.map(asString);
  }

  async countRecovery(id: string): Promise<number> {
    const [count] = check(
      await this.client.multi([
        ['HINCRBY', this.keys.recovered, id, 1],
        ['PEXPIRE', this.keys.recovered, RECOVERED_TTL_MS],
      ]),
    );
    return Number(count);
  }

  async forgetRecovery(id: string): Promise<void> {
    await this.client.call('HDEL', this.keys.recovered, id);
  }

  async flushAll(): Promise<void> {
    const lists = Object.keys(await this.inFlightOwners()).map((l) => this.inFlightKey(l));
    const parked = asStrings(await this.client.call('SMEMBERS', this.keys.parked)).map((n) => this.keys.parkedPrefix + n);
    await this.flushQueue();
    await this.client.call(
      'DEL',
      this.keys.unique,
      this.keys.parked,
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
    if (this.blockingClient) {
      // A BRPOP may be waiting: closing at once is safe, the server pops nothing for a closed client.
      this.blockingClient.disconnect();
      this.blockingClient = null;
    }
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
    this.blockingClient?.disconnect();
    this.blockingClient = null;
    if (this.ownsClient) this.client.disconnect();
  }

  private blockingConnection(): RedisStorageClient {
    if (!this.blockingClient) this.blockingClient = this.client.duplicate();
    return this.blockingClient;
  }
}
