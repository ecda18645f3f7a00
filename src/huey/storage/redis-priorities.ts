/**
 * The PriorityQueues capability (storage.ts) on Redis, for RedisStorage:
 * one list per level (`huey.{name}.queue.<level>`, level 0 being the plain
 * `huey.{name}.queue`) and a sorted set of the levels in use
 * (`huey.{name}.priorities`), so that taking stays one command over the
 * level keys, highest first (docs/job-controls.md says why).
 *
 * RedisQueueLevels also keeps this process's view of the levels in use,
 * which RedisStorage's queue methods and its in-flight takes read: null
 * while none are (then the plain queue is read exactly as without
 * priorities), refreshed in the background at most once a second.
 */
import type { RedisStorageClient } from './redis-connect.js';
import { asStrings, type redisKeys } from './redis-replies.js';
import type { PriorityQueues } from './storage.js';

/** How often a busy reader looks for priority levels other producers started using (in the background). */
const LEVELS_REFRESH_MS = 1000;
/** How stale the known levels may be when a reader is about to wait on an empty queue. */
const IDLE_LEVELS_REFRESH_MS = 100;

/** Queue keys to read highest first, null for the plain queue alone, or a promise of either while they are first read. */
export type TakeKeys = string[] | null | Promise<string[] | null>;

export class RedisQueueLevels implements PriorityQueues {
  private levelKeys: string[] | null = null;
  private levelsReadAt = -Infinity;
  /** A read of the levels under way, if any. */
  private levelsReading: Promise<string[] | null> | null = null;

  constructor(
    private readonly client: RedisStorageClient,
    private readonly keys: ReturnType<typeof redisKeys>,
  ) {}

  async enqueuePriority(data: string, priority: number): Promise<void> {
    if (priority === 0) {
      await this.client.call('LPUSH', this.keys.queue, data);
      return;
    }
    // The level is registered first, on the same connection, so a reader that sees the message knows its level.
    const level = String(priority);
    const key = this.keys.levelPrefix + level;
    await Promise.all([this.client.call('ZADD', this.keys.priorities, level, level), this.client.call('LPUSH', key, data)]);
    // A consumer in this process takes from the new level at once, not after its next look.
    if (this.levelKeys === null || !this.levelKeys.includes(key)) this.levelKeys = this.levelOrder([...this.levelNumbers(), priority]);
  }

  /**
   * Reads the priority levels in use. levelsReadAt is set once the reply is
   * in: a take that comes while the first read is still under way (another
   * call, such as a queue count, started it) waits for it rather than
   * taking from the plain queue as if no level were in use.
   */
  read(): Promise<string[] | null> {
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
   * The queue keys a take reads. The first call waits for the levels; later
   * ones use what is known and look again in the background once a second,
   * so a take costs no extra command, and a level another producer starts
   * using is seen within a second.
   */
  forTake(): TakeKeys {
    if (this.levelsReadAt === -Infinity) return this.levelsReading ?? this.read();
    if (this.levelsReading === null && Date.now() - this.levelsReadAt >= LEVELS_REFRESH_MS) this.read().catch(() => undefined);
    return this.levelKeys;
  }

  /**
   * forTake() for a reader about to wait: the queue looked empty, so it
   * looks for new levels first if its view is older than 0.1 s (only an
   * idle consumer pays for this).
   */
  async beforeWait(): Promise<string[] | null> {
    const keys = this.forTake();
    if (keys instanceof Promise) return keys;
    return Date.now() - this.levelsReadAt >= IDLE_LEVELS_REFRESH_MS ? this.read() : keys;
  }

  /** Every queue key (the levels read fresh), highest level first: for listings, counts and removals. */
  async all(): Promise<string[]> {
    return (await this.read()) ?? [this.keys.queue];
  }

  /** Up to `count` of the oldest messages of the highest non-empty level of `keys` (LMPOP: one command, one level). */
  async popFirst(keys: string[], count: number): Promise<string[]> {
    const reply = await this.client.call('LMPOP', keys.length, ...keys, 'RIGHT', 'COUNT', count);
    if (reply === null || reply === undefined) return [];
    const [, items] = reply as [unknown, unknown];
    return asStrings(items);
  }

  /** Forgets the levels (the queues were just deleted). */
  forget(): void {
    this.levelKeys = null;
    this.levelsReadAt = -Infinity;
  }
}
