/**
 * The option types of the user's API: a Huey's options (HueyOptions), a
 * task's (TaskOptions, PeriodicTaskOptions), and the types that give a task
 * wrapper the parameters and result of the function it wraps.
 */
import type { Logger } from './logger.js';
import type { ValueSerializer } from './serializer.js';
import type { Storage } from './storage/storage.js';

/** Options of a Huey instance. */
export interface HueyOptions<RS extends boolean = boolean> {
  /** Store task return values (default true). */
  resultStore?: RS;
  /** Publish consumer events (default true). */
  events?: boolean;
  /** Store null/undefined return values too (default false). */
  storeNone?: boolean;
  /** Run tasks at once in the caller instead of enqueueing them (default false). */
  alwaysEager?: boolean;
  /** Store failures in the result store and the error list (default true). */
  storeErrors?: boolean;
  /**
   * Workers wait on the queue (BRPOP) instead of polling it (default true,
   * unlike Python Huey 1.10, whose polling adds up to max-delay of latency).
   */
  blocking?: boolean;
  /** Seconds a blocking dequeue waits before checking for shutdown (default 1). */
  readTimeout?: number;
  /** Size of the error list (default 1000). */
  maxErrors?: number;
  /** How arguments and results are encoded (default: the tagged JSON serializer). */
  serializer?: ValueSerializer;
  /** Where huey logs (default: warnings and errors to stderr). */
  logger?: Logger;
  /** The producer's clock in ms, used for `delay` (default Date.now). */
  clock?: () => number;
  /** The storage backend (default: a MemoryStorage). */
  storage?: Storage;
  /**
   * At-least-once delivery (default false): a consumer keeps each task in an
   * in-flight list of its own until its outcome is stored, and the tasks of
   * a consumer that died are handed back to the queue. A task may then run
   * more than once, so tasks should be idempotent. See docs/reliability.md.
   */
  reliable?: boolean;
  /** Reliable mode: seconds without a heartbeat after which a consumer counts as dead and its tasks are recovered (default 30). */
  recoveryDelay?: number;
  /** Reliable mode: seconds between a consumer's heartbeats (default a fifth of recoveryDelay, at most 5). */
  heartbeatInterval?: number;
  /** Reliable mode: a task recovered from dead consumers more than this many times goes to the error list instead (default 3). */
  maxRecoveries?: number;
}

/** Options of `huey.task()`. */
export interface TaskOptions {
  /** Registered name; defaults to the function's name. */
  name?: string;
  /** Times to retry a failed call (default 0). */
  retries?: number;
  /** Seconds to wait before a retry (default 0). */
  retryDelay?: number;
  /** Pass the retries left as an extra last argument (before the task, if includeTask). */
  retriesAsArgument?: boolean;
  /** Pass the QueueTask as an extra last argument. */
  includeTask?: boolean;

  // --- job controls (docs/job-controls.md) ---
  /** Priority of each call (an integer; higher runs first; default 0, the plain queue). */
  priority?: number;
  /** Multiplies the retry delay at each further retry: retryDelay * retryBackoff^(retries made). */
  retryBackoff?: number;
  /** Spread each retry delay at random: true for up to +/-50%, or a fraction of it (0 to 1). */
  retryJitter?: boolean | number;
  /** Longest retry delay in seconds, after backoff and jitter. */
  maxRetryDelay?: number;
  /** Seconds an attempt may run before it fails with TaskTimeout. */
  timeout?: number;
  /** Seconds after enqueueing by which a call must have started, or it is dropped. */
  expires?: number;
  /** At most `limit` starts per `per` seconds, across every consumer of the huey; the rest wait. */
  rateLimit?: RateLimit;
  /** One call per key while queued, scheduled or running: true (name and arguments) or a function of the arguments. */
  unique?: boolean | ((args: unknown[]) => string);
}

/** A task's rate limit: at most `limit` starts per `per` seconds. */
export interface RateLimit {
  limit: number;
  per: number;
}

/** Every key TaskOptions knows (option checks list what is allowed from here). */
export const TASK_OPTION_KEYS = [
  'name',
  'retries',
  'retryDelay',
  'retriesAsArgument',
  'includeTask',
  'priority',
  'retryBackoff',
  'retryJitter',
  'maxRetryDelay',
  'timeout',
  'expires',
  'rateLimit',
  'unique',
] as const;

type ParamsOf<F> = F extends (...args: infer P) => unknown ? P : never;
type DropLast<T extends unknown[]> = T extends [...infer H, unknown] ? H : T;

/**
 * The arguments a task is called with: the function's parameters, minus the
 * trailing retries / task parameters that `retriesAsArgument` / `includeTask` fill in.
 */
export type TaskArgs<F, O> = O extends { includeTask: true }
  ? O extends { retriesAsArgument: true }
    ? DropLast<DropLast<ParamsOf<F>>>
    : DropLast<ParamsOf<F>>
  : O extends { retriesAsArgument: true }
    ? DropLast<ParamsOf<F>>
    : ParamsOf<F>;

/** A task's result type: what its function returns, awaited. */
export type TaskReturn<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** Options of `huey.periodicTask()`. */
export type PeriodicTaskOptions = Omit<TaskOptions, 'retriesAsArgument'>;
