/**
 * The RateLimitCounters capability (storage.ts) on Redis, for RedisStorage:
 * `huey.{name}.rate.<key>`, a string with a TTL counting the starts of one
 * rate-limit window (INCR and PEXPIRE in one MULTI, atomic across consumers).
 */
import type { RedisStorageClient } from './redis-connect.js';
import { check, type redisKeys } from './redis-replies.js';
import type { RateLimitCounters } from './storage.js';

export class RedisRateLimitCounters implements RateLimitCounters {
  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

  async countStart(key: string, ttlMs: number): Promise<number> {
    const k = this.keys.ratePrefix + key;
    const [n] = check(await this.client.multi([['INCR', k], ['PEXPIRE', k, Math.max(1, Math.ceil(ttlMs))]]));
    return Number(n);
  }
}
