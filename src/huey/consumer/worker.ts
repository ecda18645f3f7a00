/**
 * Worker: takes one message per `loop(now)` from its source and hands it to
 * the TaskExecutor (executor.ts), which reports bad messages, schedules
 * future ones and runs due ones. The clock is a parameter, so tests drive a
 * worker step by step; the consumer (or a thread/process host) just calls
 * `loop()` until it stops. Empty polls of a non-blocking storage back off.
 */
import { EVENT_ERROR_DEQUEUEING } from '../events.js';
import { describeError, tracebackOf } from '../exceptions.js';
import type { HueyRuntime } from '../runtime.js';
import { TaskExecutor } from './executor.js';

/** Where a worker gets messages from (the storage, or a consumer's shared feed). */
export interface MessageSource {
  /** The next message, or null if none arrived (blocking sources wait up to their read timeout). */
  next(): Promise<string | null>;
  /**
   * Called once the worker is finished with a message; `settled` says whether
   * everything its run produced reached storage. A reliable source removes
   * the message from its in-flight list only then.
   */
  done?(message: string, settled: boolean): void;
  /**
   * Whether `message`, just returned by next(), is known not to be revoked
   * (no revocation record existed when it was taken), so that its records
   * need not be read. Asked once per message; sources that cannot tell
   * leave it out.
   */
  knownUnrevoked?(message: string): boolean;
}

/** Options for a Worker. */
export interface WorkerOptions {
  /** Seconds to sleep after an empty poll of a non-blocking queue (default 0.1). */
  initialDelay?: number;
  /** Growth factor of that sleep after each empty poll (default 1.15). */
  backoff?: number;
  /** Longest sleep in seconds (default 10). */
  maxDelay?: number;
  /** Message source (default: the huey's storage). */
  source?: MessageSource;
  /** How to sleep (the consumer passes one that wakes on stop). */
  sleep?: (ms: number) => Promise<void>;
  /** The executor to run tasks with (default: a new one for the huey; the consumer's workers share one). */
  executor?: TaskExecutor;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Pulls messages and runs them. */
export class Worker {
  private delay: number;
  private readonly initialDelay: number;
  private readonly backoff: number;
  private readonly maxDelay: number;
  private readonly source: MessageSource;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly executor: TaskExecutor;

  constructor(
    readonly huey: HueyRuntime,
    options: WorkerOptions = {},
  ) {
    this.initialDelay = options.initialDelay ?? 0.1;
    this.delay = this.initialDelay;
    this.backoff = options.backoff ?? 1.15;
    this.maxDelay = options.maxDelay ?? 10;
    this.source = options.source ?? { next: () => huey.storage.dequeue() };
    this.sleep = options.sleep ?? defaultSleep;
    this.executor = options.executor ?? new TaskExecutor(huey);
  }

  /** Runs the startup hooks (once per worker, when it comes online); a failing hook is logged and the others still run. */
  async initialize(): Promise<void> {
    await this.runHooks('startup', this.huey.startupHooks.entries());
  }

  /** Runs the shutdown hooks (once per worker, after its last task); a failing hook is logged and the others still run. */
  async finalize(): Promise<void> {
    await this.runHooks('shutdown', this.huey.shutdownHooks.entries());
  }

  private async runHooks(kind: string, hooks: [string, () => unknown][]): Promise<void> {
    for (const [name, hook] of hooks) {
      try {
        await hook();
      } catch (err) {
        this.huey.logger.error(`${kind} hook "${name}" failed: ${tracebackOf(err)}`);
      }
    }
  }

  /**
   * One iteration: take a message (if any) and handle it at time `now`
   * (default: the huey's clock). Resolves to whether a message was handled.
   */
  async loop(now?: Date | number): Promise<boolean> {
    let raw: string | null;
    try {
      raw = await this.source.next();
    } catch (err) {
      this.huey.emitter.status(EVENT_ERROR_DEQUEUEING, {}, err);
      this.huey.logger.error(`error reading from queue: ${describeError(err)}`);
      await this.pause();
      return false;
    }
    if (raw === null) {
      if (!this.huey.blocking) await this.pause();
      return false;
    }
    this.delay = this.initialDelay;
    const unrevoked = this.source.knownUnrevoked?.(raw) ?? false;
    // A message whose handling threw is not done: a reliable source keeps it in flight.
    const settled = await this.executor.handle(raw, now ?? this.huey.clock(), unrevoked);
    this.source.done?.(raw, settled);
    return true;
  }

  private async pause(): Promise<void> {
    if (this.delay > this.maxDelay) this.delay = this.maxDelay;
    this.huey.logger.debug(`no messages, sleeping for ${this.delay}s`);
    await this.sleep(this.delay * 1000);
    this.delay *= this.backoff;
  }
}
