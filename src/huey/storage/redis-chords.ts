/**
 * The ChordCounters capability (storage.ts) on Redis, for RedisStorage:
 * `huey.{name}.chord.<id>`, a hash with a TTL of a chord's finished members.
 */
import type { RedisStorageClient } from './redis-connect.js';
import { check, type redisKeys } from './redis-replies.js';
import type { ChordCounters } from './storage.js';

export class RedisChordCounters implements ChordCounters {
  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

  async markChordMember(chord: string, member: string, ttlMs: number): Promise<{ added: boolean; count: number }> {
    const key = this.keys.chordPrefix + chord;
    // One MULTI: of two consumers marking the last two members at once, exactly one reads the full count with added = 1.
    const [added, count] = check(await this.client.multi([['HSETNX', key, member, 1], ['HLEN', key], ['PEXPIRE', key, Math.max(1, Math.ceil(ttlMs))]]));
    return { added: Number(added) === 1, count: Number(count) };
  }
}
