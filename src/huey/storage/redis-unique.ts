/**
 * The UniqueKeys capability (storage.ts) on Redis, for RedisStorage:
 * `huey.{name}.unique`, a hash of unique key -> id of the task holding it
 * (HSETNX: of two producers claiming a key at once, exactly one gets it).
 */
import type { RedisStorageClient } from './redis-connect.js';
import { asString, type redisKeys } from './redis-replies.js';
import type { UniqueKeys } from './storage.js';

export class RedisUniqueKeys implements UniqueKeys {
  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

  async claimUnique(key: string, id: string): Promise<string | null> {
    // Pipelined: the HGET answers who holds the key right after the HSETNX, in the same round trip.
    const [set, holder] = await Promise.all([this.client.call('HSETNX', this.keys.unique, key, id), this.client.call('HGET', this.keys.unique, key)]);
    return Number(set) === 1 ? null : asString(holder);
  }

  async releaseUnique(key: string, id: string): Promise<void> {
    // No race: while `id` holds the key, no other task can take it, so only its holder removes it.
    if (asString(await this.client.call('HGET', this.keys.unique, key)) === id) await this.client.call('HDEL', this.keys.unique, key);
  }
}
