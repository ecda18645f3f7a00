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
import { RedisClient, type RedisClientOptions } from '../../client/index.js';
import { createSubscription } from './subscription.js';
import type { EventSubscription, ReliableStorage, WaitForDataOptions } from './storage.js';
import { Signal, waitLoop } from './wait.js';
import { StoredNotifier } from './redis-notifier.js';
import { asString, asStrings, check, hashReply, redisKeys } from './redis-replies.js';
import { RedisMonitoring } from './redis-monitoring.js';
import type { ConsumerRecord, Monitoring } from './monitoring.js';

export { redisKeys } from './redis-replies.js';

/** Options for RedisStorage. */
export interface RedisStorageOptions extends RedisClientOptions {
  /** Use this client for ordinary commands (its duplicates for the others). Not closed by close() unless owned. */
  client?: RedisClient;
  /** dequeue() waits with BRPOP (default true); false polls with RPOP. */
  blocking?: boolean;
  /** Seconds a BRPOP waits (default 1). */
  readTimeout?: number;
  /** Error list cap (default 1000); when exceeded it is trimmed to 90%. */
  maxErrors?: number;
}

/** How long the recovery counts live after the last recovery (they only matter while a task keeps coming back). */
const RECOVERED_TTL_MS = 7 * 24 * 3600 * 1000;

/** Storage on Redis or simpledb. See the file comment for the layout. */
export class RedisStorage implements ReliableStorage, Monitoring {
  readonly name: string;
  readonly keys: ReturnType<typeof redisKeys>;
  /** Connection for ordinary commands. */
  readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly blocking: boolean;
  private readonly readTimeout: number;
  private readonly maxErrors: number;
  private blockingClient: RedisClient | null = null;
  private blockingClientId: number | null = null;
  private readonly notifier: StoredNotifier;
  private readonly listeners = new Set<EventSubscription>();
  private closed = false;
  private readonly monitoring: RedisMonitoring;

  constructor(name = 'huey', options: RedisStorageOptions = {}) {
    this.name = name;
    this.keys = redisKeys(name);
    const { client, blocking, readTimeout, maxErrors, ...clientOptions } = options;
    this.ownsClient = client === undefined;
    this.client = client ?? new RedisClient({ url: 'redis://127.0.0.1:6379', ...clientOptions });
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

  async dequeue(): Promise<string | null> {
    if (!this.blocking) return asString(await this.client.call('RPOP', this.keys.queue));
    if (this.closed) return null;
    const reply = await this.blockingCall('BRPOP', this.keys.queue, String(this.readTimeout));
    if (reply === null) return null;
    const pair = asStrings(reply);
    return pair[1] ?? null;
  }

  /** Runs a blocking command on the dedicated connection, where wake() can unblock it. */
  private async blockingCall(command: string, ...args: string[]): Promise<unknown> {
    const conn = this.blockingConnection();
    // The id lets wake() unblock this connection with CLIENT UNBLOCK; it is
    // pipelined ahead of the blocking command, so it costs no extra round trip.
    const idReply = conn.call('CLIENT', 'ID').then(
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
    return asStrings(await this.client.call('RPOP', this.keys.queue, count));
  }

  wake(): void {
    const id = this.blockingClientId;
    if (id === null || this.closed) return;
    // Unblocks the BRPOP as if it timed out: nothing is popped, nothing lost.
    // Servers without CLIENT UNBLOCK just let the read timeout run out.
    this.client.call('CLIENT', 'UNBLOCK', id).catch(() => undefined);
  }

  async unqueue(data: string): Promise<number> {
    return Number(await this.client.call('LREM', this.keys.queue, 0, data));
  }

  async queueSize(): Promise<number> {
    return Number(await this.client.call('LLEN', this.keys.queue));
  }

  async enqueuedItems(limit?: number): Promise<string[]> {
    // LPUSH puts the newest at index 0, so the next to run is at the end.
    const start = limit === undefined ? 0 : -limit;
    if (limit !== undefined && limit <= 0) return [];
    return asStrings(await this.client.call('LRANGE', this.keys.queue, start, -1)).reverse();
  }

  async flushQueue(): Promise<void> {
    await this.client.call('DEL', this.keys.queue);
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
      release: async () => {
        this.listeners.delete(subscription);
        await conn.quit().catch(() => conn.disconnect());
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
    const key = this.inFlightKey(list);
    // Issued together, so the client writes them in one go: one round trip
    // for the batch, each move atomic on the server. Once the queue runs dry
    // the remaining moves return nil.
    const moves: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) moves.push(this.client.call('LMOVE', this.keys.queue, key, 'RIGHT', 'LEFT'));
    const replies = await Promise.all(moves);
    const out: string[] = [];
    for (const r of replies) if (r !== null && r !== undefined) out.push(String(r));
    return out;
  }

  async take(list: string): Promise<string | null> {
    const key = this.inFlightKey(list);
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
    await this.client.call(
      'DEL',
      this.keys.queue,
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

  private blockingConnection(): RedisClient {
    if (!this.blockingClient) this.blockingClient = this.client.duplicate();
    return this.blockingClient;
  }
}
