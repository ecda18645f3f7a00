/**
 * Consumer: runs a huey's workers and scheduler inside this process
 * (workerType 'async', alias 'greenlet': concurrent loops in one event loop).
 * `start()` brings them up; `stop()` lets running tasks finish (graceful) or
 * returns at once. Thread and process workers are pool-consumer.ts; signal
 * handling belongs to the huey-consumer CLI.
 *
 * With a reliable huey the consumer has an id, a heartbeat (membership.ts)
 * and one in-flight list, named by its id, that the shared feed moves tasks
 * into; a graceful stop hands back anything left in it and unregisters, an
 * immediate stop leaves it for other consumers to recover. While it runs,
 * it reconciles that list after every reconnect of the storage and now and
 * then (reconcile.ts), so a take whose reply was lost is not stuck there. A reliable huey
 * whose storage lacks the ReliableDelivery capability is refused here, when
 * the consumer is created, with a ConfigurationError naming what is missing.
 */
import { ConfigurationError, tracebackOf } from '../exceptions.js';
import type { Logger } from '../logger.js';
import { optionKeys } from '../option-check.js';
import { newConsumerId } from '../reliability.js';
import type { HueyRuntime } from '../runtime.js';
import { requireReliableDelivery } from '../storage/storage.js';
import { TaskExecutor } from './executor.js';
import { MessageFeed } from './feed.js';
import { Membership } from './membership.js';
import { Pacer } from './pacer.js';
import { Presence } from './presence.js';
import { Reconciler } from './reconcile.js';
import { Scheduler } from './scheduler.js';
import { startLines } from './start-lines.js';
import { guardStop } from './stop-guard.js';
import { Worker } from './worker.js';

/** Options of `huey.createConsumer()`. */
export interface ConsumerOptions {
  /** Number of concurrent workers (default 1). */
  workers?: number;
  /**
   * 'async' (default; alias 'greenlet'): tasks run concurrently in this
   * event loop. 'thread' or 'process': each worker is a worker thread or a
   * child process that imports `module` (CPU-bound tasks run in parallel).
   */
  workerType?: 'async' | 'greenlet' | 'thread' | 'process';
  /**
   * Thread and process workers: the module they import to find this huey and
   * its tasks, `path[:export]` (relative to the current folder; export
   * default `huey`) or a file URL (`new URL('./tasks.js', import.meta.url)`).
   * Default: the module that created the huey. Ignored by async workers.
   */
  module?: string | URL;
  /** Enqueue periodic tasks (default true). */
  periodic?: boolean;
  /** Seconds between scheduler runs, at most 60 (default 1). */
  schedulerInterval?: number;
  /** Crontabs read times in UTC (default true); false means local time. */
  utc?: boolean;
  /** Polling: first sleep after an empty poll, seconds (default 0.1). Only for non-blocking storage. */
  initialDelay?: number;
  /** Polling: sleep growth factor (default 1.15). */
  backoff?: number;
  /** Polling: longest sleep, seconds (default 10). */
  maxDelay?: number;
  /** Restart a worker loop that crashed (default true). */
  checkWorkerHealth?: boolean;
  /** Seconds to wait before restarting a crashed worker loop (default 1). */
  healthCheckInterval?: number;
  /** Free stale locks of this huey before starting (default false). */
  flushLocks?: boolean;
  /**
   * Seconds a graceful stop waits for a storage that has become unreachable
   * before it abandons the storage calls still waiting (they would wait for
   * the server forever). The storage is unusable afterwards, so this is for
   * a process that exits after the stop, like huey-consumer (which uses 2).
   * Default Infinity: wait for the server to come back.
   */
  unreachableStorageGrace?: number;
  /** Logger (default: the huey's). */
  logger?: Logger;
}

/** The keys ConsumerOptions allows (createConsumer() rejects others). */
export const CONSUMER_OPTION_KEYS = optionKeys<ConsumerOptions>({
  workers: true, workerType: true, periodic: true, schedulerInterval: true, utc: true, initialDelay: true,
  backoff: true, maxDelay: true, checkWorkerHealth: true, healthCheckInterval: true, flushLocks: true,
  unreachableStorageGrace: true, logger: true, module: true,
});

/** Supported in-process worker kinds. */
export const IN_PROCESS_WORKER_TYPES = ['async', 'greenlet'] as const;
/** Every worker kind createConsumer() takes. */
export const WORKER_KINDS = ['async', 'greenlet', 'thread', 'process'] as const;

/** The consumer's settings: the options with their defaults, checked. */
export type ConsumerSettings = Required<Omit<ConsumerOptions, 'logger' | 'module' | 'workerType'>> & { workerType: string };

/** The options with their defaults; throws ConfigurationError for a value that cannot work. */
export function resolveConsumerOptions(options: ConsumerOptions): ConsumerSettings {
  const workerType: string = options.workerType ?? 'async';
  if (!(WORKER_KINDS as readonly string[]).includes(workerType)) {
    throw new ConfigurationError(`workerType must be one of ${WORKER_KINDS.join(', ')} (got ${JSON.stringify(workerType)})`);
  }
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigurationError('workers must be a positive integer');
  const interval = options.schedulerInterval ?? 1;
  if (!(interval > 0)) throw new ConfigurationError('schedulerInterval must be a positive number of seconds');
  return {
    workers,
    workerType,
    periodic: options.periodic ?? true,
    schedulerInterval: Math.min(interval, 60),
    utc: options.utc ?? true,
    initialDelay: options.initialDelay ?? 0.1,
    backoff: options.backoff ?? 1.15,
    maxDelay: options.maxDelay ?? 10,
    checkWorkerHealth: options.checkWorkerHealth ?? true,
    healthCheckInterval: options.healthCheckInterval ?? 1,
    flushLocks: options.flushLocks ?? false,
    unreachableStorageGrace: options.unreachableStorageGrace ?? Infinity,
  };
}

/** Runs workers and a scheduler for one huey. */
export class Consumer {
  readonly workers: Worker[];
  readonly scheduler: Scheduler;
  readonly options: ConsumerSettings;
  private readonly logger: Logger;
  private readonly feed: MessageFeed;
  /** Reliable mode: this consumer's id (also the name of its in-flight list); null otherwise. */
  readonly consumerId: string | null;
  private readonly membership: Membership | null;
  /** This consumer's record for status and the dashboard (every consumer has one). */
  private readonly presence: Presence;
  private readonly reconciler: Reconciler | null;
  private stopping = false;
  private started = false;
  private loops: Promise<void>[] = [];
  private schedulerLoop: Promise<void> | null = null;
  private readonly pacer = new Pacer();

  constructor(
    readonly huey: HueyRuntime,
    options: ConsumerOptions = {},
  ) {
    if (huey.reliable) requireReliableDelivery(huey.storage);
    this.options = resolveConsumerOptions(options);
    const { workerType, workers } = this.options;
    if (!(IN_PROCESS_WORKER_TYPES as readonly string[]).includes(workerType)) {
      throw new ConfigurationError(`workerType "${workerType}" does not run in-process; huey.createConsumer() starts thread and process workers`);
    }
    this.logger = options.logger ?? huey.logger;
    this.consumerId = huey.reliable ? newConsumerId() : null;
    this.membership = this.consumerId === null ? null : new Membership(huey, this.consumerId, [this.consumerId], this.logger);
    this.presence = new Presence(huey, this.consumerId ?? newConsumerId(), { kind: workerType === 'greenlet' ? 'async' : workerType, workers, countsTasks: true }, this.logger);
    this.feed = new MessageFeed(huey.storage, this.consumerId === null ? { workers } : { workers, inFlight: this.consumerId, logger: this.logger });
    this.reconciler = this.consumerId === null ? null : new Reconciler(huey, this.feed, { list: this.consumerId, owner: this.consumerId, logger: this.logger });
    const sleep = (ms: number) => this.pacer.sleep(ms);
    const executor = new TaskExecutor(huey);
    this.workers = Array.from(
      { length: workers },
      () =>
        new Worker(huey, {
          initialDelay: this.options.initialDelay,
          backoff: this.options.backoff,
          maxDelay: this.options.maxDelay,
          source: this.feed,
          sleep,
          executor,
        }),
    );
    this.scheduler = new Scheduler(huey, {
      periodic: this.options.periodic,
      utc: this.options.utc,
      lastPeriodicMinute: Math.floor(huey.clock() / 60000),
      ...(this.consumerId === null ? {} : { consumerId: this.consumerId }),
    });
  }

  /** Whether start() was called and stop() was not. */
  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** Starts the workers and the scheduler; resolves once they are running. */
  async start(): Promise<void> {
    if (this.started) throw new ConfigurationError('this consumer was already started');
    if (this.huey.alwaysEager) {
      throw new ConfigurationError('a consumer cannot run a huey with alwaysEager enabled; set alwaysEager to false');
    }
    this.started = true;
    for (const line of startLines(this.huey, this.options)) this.logger.info(line);
    if (this.options.flushLocks) {
      const flushed = await this.huey.flushLocks();
      if (flushed.length) this.logger.warn(`found stale locks: ${flushed.join(', ')}`);
    }
    if (this.membership) {
      // Registered before the first task is taken, so no task is ever in an unregistered list.
      await this.membership.start();
      this.reconciler?.start();
      this.logger.info(`reliable delivery: consumer id ${this.consumerId}`);
    }
    this.presence.start();
    this.loops = this.workers.map((w, i) => this.runWorker(w, i + 1));
    this.schedulerLoop = this.pacer.every(
      this.options.schedulerInterval * 1000,
      () => this.scheduler.loop(),
      (err) => this.logger.error(`scheduler error: ${tracebackOf(err)}`),
    );
  }

  /**
   * Stops. Graceful (default): no new tasks are taken and running ones finish
   * before this resolves. Not graceful: resolves at once, leaving running
   * tasks to finish in the background.
   */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    this.feed.stop();
    this.pacer.stop();
    this.reconciler?.stop();
    if (options.graceful === false) {
      // Running tasks stay in flight; once the heartbeat expires, other consumers run them again.
      this.membership?.stop();
      this.presence.stop();
      this.logger.info('shutting down');
      return;
    }
    this.logger.info('shutting down gracefully...');
    // An unreachable storage would keep the loops (and what follows) waiting forever.
    const grace = this.options.unreachableStorageGrace;
    const unguard = Number.isFinite(grace) ? guardStop(this.huey, this.logger, grace * 1000) : () => undefined;
    try {
      await this.stopGracefully();
    } finally {
      unguard();
    }
  }

  private async stopGracefully(): Promise<void> {
    await Promise.allSettled([...this.loops, this.schedulerLoop]);
    // Only once every worker is idle: async workers share this process, and
    // what one worker's shutdown hook closes another's task may still use.
    for (const worker of this.workers) await worker.finalize();
    await this.presence.leave();
    if (this.membership) {
      try {
        await this.feed.release();
      } catch (err) {
        // Left registered: another consumer recovers them once the heartbeat expires.
        this.membership.stop();
        this.logger.error(`could not hand unfinished tasks back to the queue: ${tracebackOf(err)}`);
        await this.huey.emitter.flush(5000);
        return;
      }
      await this.membership.leave();
    }
    await this.huey.emitter.flush(5000);
    this.logger.info('all workers have stopped');
  }

  private async runWorker(worker: Worker, n: number): Promise<void> {
    await worker.initialize();
    while (!this.stopping) {
      try {
        // An empty read normally waited (BRPOP or a poll sleep); if it did not
        // (e.g. the storage was closed under us), yield so we never spin on microtasks.
        if (!(await worker.loop())) await new Promise((resolve) => setImmediate(resolve));
      } catch (err) {
        this.logger.error(`worker ${n} died: ${tracebackOf(err)}`);
        if (!this.options.checkWorkerHealth) return;
        this.logger.warn(`worker ${n} restarting`);
        await this.pacer.sleep(this.options.healthCheckInterval * 1000);
      }
    }
  }

}
