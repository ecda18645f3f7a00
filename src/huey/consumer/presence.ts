/**
 * Presence: every consumer, reliable or not, keeps a short record in the
 * storage (the Monitoring capability) so that `huey status` and the
 * dashboard list live and dead consumers: host, pid, worker kind and count,
 * since when, its last beat, tasks run and the tasks running now. Every
 * PRESENCE_INTERVAL_MS it rewrites the record (alive for PRESENCE_TTL_MS)
 * and, in the same round trip, samples the queue's length for the history
 * chart. When the tasks it runs change, it rewrites the record sooner, but
 * at most once every REFRESH_MS, so a busy consumer pays one write a second,
 * not one per task. A clean stop removes the record; a consumer that dies leaves it,
 * and it shows as dead until forgotten (`huey flush consumers`).
 * Storages without Monitoring get none of this, silently.
 */
import { hostname } from 'node:os';
import { describeError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import type { HueyRuntime } from '../runtime.js';
import { hasMonitoring, type MonitoredStorage } from '../storage/monitoring.js';
import { taskStatsFor, type TaskStats } from './task-stats.js';

export const PRESENCE_INTERVAL_MS = 5000;
export const PRESENCE_TTL_MS = 3 * PRESENCE_INTERVAL_MS;
const REFRESH_MS = 1000;
/** At most this many running tasks are listed in a record (it is rewritten every beat). */
const MAX_RUNNING_LISTED = 50;

/** A consumer record as stored (JSON). */
export interface ConsumerInfo {
  id: string;
  host: string;
  pid: number;
  /** Worker kind: async, thread or process. */
  kind: string;
  workers: number;
  /** ms since the epoch. */
  since: number;
  /** Last beat, ms since the epoch (by this consumer's clock). */
  beat: number;
  /** Tasks run by this process's workers (null when they run in other processes). */
  tasksRun: number | null;
  running: { id: string; task: string; since: number }[];
  reliable: boolean;
}

export class Presence {
  private readonly storage: MonitoredStorage | null;
  private readonly stats: TaskStats | null;
  private readonly since: number;
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private lastBeat = 0;
  private refresh: NodeJS.Timeout | null = null;

  constructor(
    private readonly huey: HueyRuntime,
    readonly id: string,
    private readonly what: { kind: string; workers: number; countsTasks: boolean },
    private readonly logger: Logger = huey.logger,
  ) {
    this.storage = hasMonitoring(huey.storage) ? huey.storage : null;
    this.stats = taskStatsFor(huey);
    this.since = huey.clock();
  }

  /** Beats now (not awaited: a storage that is not reachable yet must not hold up the consumer's start) and every interval. */
  start(): void {
    if (!this.storage || this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), PRESENCE_INTERVAL_MS);
    this.timer.unref();
    if (this.stats && this.what.countsTasks) this.stats.onRunningChange = () => this.refreshSoon();
  }

  private refreshSoon(): void {
    if (this.refresh || !this.timer) return;
    this.refresh = setTimeout(() => {
      this.refresh = null;
      if (this.timer) void this.beat();
    }, Math.max(0, this.lastBeat + REFRESH_MS - this.huey.clock()));
    this.refresh.unref();
  }

  /** Rewrites the record and samples the queue length. Failures are logged at debug: a missed beat is harmless. */
  beat(): Promise<void> {
    const storage = this.storage;
    if (!storage) return Promise.resolve();
    this.beating ??= (async () => {
      this.lastBeat = this.huey.clock();
      try {
        const [, depth] = await Promise.all([storage.putConsumer(this.id, JSON.stringify(this.info()), PRESENCE_TTL_MS), storage.queueSize()]);
        this.stats?.sampleDepth(depth);
      } catch (err) {
        this.logger.debug(`could not update the consumer record: ${describeError(err)}`);
      }
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /** Stops beating and leaves the record to expire (the consumer shows as dead). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.refresh) clearTimeout(this.refresh);
    this.timer = this.refresh = null;
    if (this.stats?.onRunningChange) this.stats.onRunningChange = null;
  }

  /**
   * A clean stop: writes the last counters and removes the record. Bounded,
   * like the last events: an unreachable storage must not hold up a stop
   * for this (the record then expires and shows as dead).
   */
  async leave(timeoutMs = 5000): Promise<void> {
    this.stop();
    const storage = this.storage;
    if (!storage) return;
    let timer: NodeJS.Timeout | undefined;
    const work = (async () => {
      await this.beating;
      await this.stats?.flush();
      await storage.dropConsumer(this.id);
    })().catch((err: unknown) => this.logger.debug(`could not remove the consumer record: ${describeError(err)}`));
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private info(): ConsumerInfo {
    const running = this.stats && this.what.countsTasks ? this.stats.running(MAX_RUNNING_LISTED) : [];
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      kind: this.what.kind,
      workers: this.what.workers,
      since: this.since,
      beat: this.huey.clock(),
      tasksRun: this.stats && this.what.countsTasks ? this.stats.tasksRun : null,
      running,
      reliable: this.huey.reliable,
    };
  }
}
