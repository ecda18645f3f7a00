/**
 * The Monitoring capability (monitoring.ts) on Redis or simpledb, for
 * RedisStorage. Keys, all under the huey's hash tag:
 *
 *   huey.{name}.consumers        hash: consumer id -> its latest record (JSON)
 *   huey.{name}.alive.<id>       string with a TTL: the consumer is alive while it exists
 *   huey.{name}.counts.<bucket>  hash of integer counters (HINCRBY), optionally expiring
 *
 * Each call is one pipelined round trip; no MULTI is needed because every
 * counter write is an increment and a record is rewritten whole.
 */
import type { RedisStorageClient } from './redis-connect.js';
import type { ConsumerRecord, Monitoring } from './monitoring.js';
import { hashReply, type redisKeys } from './redis-replies.js';

export class RedisMonitoring implements Monitoring {
  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

  async putConsumer(id: string, info: string, ttlMs: number): Promise<void> {
    await Promise.all([
      this.client.call('SET', this.keys.alivePrefix + id, '1', 'PX', Math.max(1, Math.ceil(ttlMs))),
      this.client.call('HSET', this.keys.consumers, id, info),
    ]);
  }

  async dropConsumer(id: string): Promise<void> {
    await Promise.all([this.client.call('DEL', this.keys.alivePrefix + id), this.client.call('HDEL', this.keys.consumers, id)]);
  }

  async consumers(): Promise<ConsumerRecord[]> {
    const records = Object.entries(hashReply(await this.client.call('HGETALL', this.keys.consumers)));
    if (records.length === 0) return [];
    const alive = await this.client.call('MGET', ...records.map(([id]) => this.keys.alivePrefix + id));
    const flags = Array.isArray(alive) ? alive : [];
    return records.map(([id, info], i) => ({ id, info, alive: flags[i] !== null && flags[i] !== undefined }));
  }

  async addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void> {
    const key = this.keys.countsPrefix + bucket;
    const calls: Promise<unknown>[] = [];
    for (const [field, n] of Object.entries(increments)) if (n !== 0) calls.push(this.client.call('HINCRBY', key, field, Math.round(n)));
    if (calls.length === 0) return;
    if (ttlMs > 0) calls.push(this.client.call('PEXPIRE', key, Math.ceil(ttlMs)));
    await Promise.all(calls);
  }

  async readCounts(buckets: string[]): Promise<Record<string, number>[]> {
    const replies = await Promise.all(buckets.map((b) => this.client.call('HGETALL', this.keys.countsPrefix + b)));
    return replies.map((r) => {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(hashReply(r))) out[k] = Number(v);
      return out;
    });
  }

  async removeError(metadata: string): Promise<boolean> {
    return Number(await this.client.call('LREM', this.keys.errors, 1, metadata)) > 0;
  }

  async unschedule(data: string): Promise<boolean> {
    return Number(await this.client.call('ZREM', this.keys.schedule, data)) > 0;
  }
}
