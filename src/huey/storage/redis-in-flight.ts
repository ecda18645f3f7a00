/**
 * The ReliableDelivery capability (storage.ts, docs/reliability.md) on
 * Redis, for RedisStorage:
 *
 *   huey.{name}.inflight.<list>  list: messages being run (LMOVE/BLMOVE in, LREM out)
 *   huey.{name}.owners           hash: in-flight list -> consumer id
 *   huey.{name}.consumer.<id>    string with a TTL: a consumer's heartbeat
 *   huey.{name}.recovered        hash: task id -> times recovered from dead consumers
 *
 * No Lua: takes are LMOVE (several pipelined in one round trip) or, to wait,
 * BLMOVE on the storage's blocking connection.
 */
import type { RedisBlockingConnection } from './redis-blocking.js';
import type { RedisStorageClient } from './redis-connect.js';
import type { RedisQueueLevels } from './redis-priorities.js';
import { asString, asStrings, check, hashReply, type redisKeys } from './redis-replies.js';
import type { ReliableDelivery } from './storage.js';

/** How long the recovery counts live after the last recovery (they only matter while a task keeps coming back). */
const RECOVERED_TTL_MS = 7 * 24 * 3600 * 1000;

/** What the in-flight lists share with their RedisStorage. */
export interface RedisInFlightHost {
  readonly client: RedisStorageClient;
  readonly keys: ReturnType<typeof redisKeys>;
  readonly levels: RedisQueueLevels;
  readonly blocker: RedisBlockingConnection;
  /** take() waits up to readTimeout seconds for a message. */
  readonly blocking: boolean;
  readonly readTimeout: number;
  readonly maxErrors: number;
  isClosed(): boolean;
}

export class RedisInFlight implements ReliableDelivery {
  private readonly client: RedisStorageClient;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(private readonly host: RedisInFlightHost) {
    this.client = host.client;
    this.keys = host.keys;
  }

  private inFlightKey(list: string): string {
    return this.keys.inFlightPrefix + list;
  }

  /** The keys of every registered in-flight list (for flushAll). */
  async registeredKeys(): Promise<string[]> {
    return Object.keys(await this.inFlightOwners()).map((l) => this.inFlightKey(l));
  }

  async takeMany(list: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    let keys = this.host.levels.forTake();
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
    const keys = await this.host.levels.beforeWait();
    if (keys !== null) {
      const [one] = await this.takeMany(list, 1);
      if (one !== undefined) return one;
    }
    if (!this.host.blocking) return asString(await this.client.call('LMOVE', this.keys.queue, key, 'RIGHT', 'LEFT'));
    if (this.host.isClosed()) return null;
    return asString(await this.host.blocker.call('BLMOVE', this.keys.queue, key, 'RIGHT', 'LEFT', String(this.host.readTimeout)));
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
    if (Number(length) > this.host.maxErrors) await this.client.call('LTRIM', this.keys.errors, 0, Math.floor(this.host.maxErrors * 0.9));
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
}
