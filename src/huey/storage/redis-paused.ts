/**
 * The PausedTasks capability (storage.ts) on Redis, for RedisStorage:
 *
 *   huey.{name}.paused.<task>    list: messages of a paused task, set aside
 *   huey.{name}.paused           set: task names with messages set aside
 */
import type { RedisStorageClient } from './redis-connect.js';
import { asStrings, check, type redisKeys } from './redis-replies.js';
import type { PausedTasks } from './storage.js';

export class RedisPausedTasks implements PausedTasks {
  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

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

  async parkedItems(name: string): Promise<string[]> {
    return asStrings(await this.client.call('LRANGE', this.keys.parkedPrefix + name, 0, -1)).reverse();
  }

  /** The set of paused names and every list of set-aside messages (for flushAll). */
  async allKeys(): Promise<string[]> {
    const names = asStrings(await this.client.call('SMEMBERS', this.keys.parked));
    return [this.keys.parked, ...names.map((n) => this.keys.parkedPrefix + n)];
  }
}
