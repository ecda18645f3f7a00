/**
 * Huey's exception classes. The hierarchy mirrors Python Huey 1.10: storage
 * and queue problems derive from QueueException, while CancelExecution,
 * RetryTask and TaskException are control flow / result errors.
 */

/** Metadata recorded when a task fails (stored in the result store and the error list). */
export interface ErrorMetadata {
  /** Task id, or null when the failing message could not be decoded. */
  id: string | null;
  /** Task name, or null when unknown. */
  task: string | null;
  retries: number;
  retryDelay: number;
  /** Unix timestamp in seconds at which the task was scheduled, or null. */
  executeTime: number | null;
  /** `Name: message` of the error, like Python's repr(exc). */
  error: string;
  /** The error's stack trace. */
  traceback: string;
  /** The raw queue message, kept when it could not be decoded or run. */
  message?: string;
}

/** Base class of queue and storage errors. */
export class QueueException extends Error {
  override name = 'QueueException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Writing to the queue failed; the task was not enqueued. */
export class QueueWriteException extends QueueException {
  override name = 'QueueWriteException';
}
/** Reading from the queue failed. */
export class QueueReadException extends QueueException {
  override name = 'QueueReadException';
}
/** Removing a message from the queue failed. */
export class QueueRemoveException extends QueueException {
  override name = 'QueueRemoveException';
}
/** Reading from the result store failed. */
export class DataStoreGetException extends QueueException {
  override name = 'DataStoreGetException';
}
/** Writing to the result store failed. */
export class DataStorePutException extends QueueException {
  override name = 'DataStorePutException';
}
/** A blocking result read reached its timeout. */
export class DataStoreTimeout extends QueueException {
  override name = 'DataStoreTimeout';
}
/** Adding a task to the schedule failed. */
export class ScheduleAddException extends QueueException {
  override name = 'ScheduleAddException';
}
/** Reading the schedule failed. */
export class ScheduleReadException extends QueueException {
  override name = 'ScheduleReadException';
}
/** The Huey instance or consumer is configured in a way that cannot work. */
export class ConfigurationError extends QueueException {
  override name = 'ConfigurationError';
}
/** A lock from `huey.lockTask()` is held by someone else. */
export class TaskLockedException extends QueueException {
  override name = 'TaskLockedException';
}

/**
 * Reliable mode: the task was handed back from dead consumers more than
 * maxRecoveries times, so it is taken to crash its workers and is not run
 * again. Stored as the task's error and in the error list.
 */
export class TaskPoisonedException extends QueueException {
  override name = 'TaskPoisonedException';
}

/** Thrown from a pre-execute hook to stop the task from running. */
export class CancelExecution extends Error {
  override name = 'CancelExecution';
}

/** When a retry asked for with RetryTask should run: `delay` seconds after the failed run, or at `eta`. */
export interface RetryTaskOptions {
  delay?: number;
  eta?: Date | number;
}

/**
 * Thrown from a task to ask for a retry (uses one of the task's retries)
 * without counting as an error. With `{ delay }` or `{ eta }` the retry runs
 * then, instead of after the task's retryDelay (and backoff).
 * @example throw new RetryTask({ delay: 30 });
 */
export class RetryTask extends Error {
  override name = 'RetryTask';
  readonly delay: number | null;
  readonly eta: Date | null;
  constructor(options: RetryTaskOptions | string = {}) {
    super(typeof options === 'string' ? options : 'retry requested');
    const o = typeof options === 'string' ? {} : options;
    if (o.delay !== undefined && o.eta !== undefined) throw new TypeError('RetryTask: give either delay or eta, not both');
    if (o.delay !== undefined && !(typeof o.delay === 'number' && o.delay >= 0)) throw new TypeError('RetryTask: delay must be a non-negative number of seconds');
    const eta = o.eta === undefined ? null : new Date(o.eta);
    if (eta !== null && Number.isNaN(eta.getTime())) throw new TypeError('RetryTask: eta is not a valid date');
    this.delay = o.delay ?? null;
    this.eta = eta;
  }
}

/**
 * The error of an attempt that ran past its `timeout`: it counts as a
 * failure (and is retried while retries are left). An async task sees its
 * AbortSignal fire with this error as the reason.
 */
export class TaskTimeout extends Error {
  override name = 'TaskTimeout';
  /** The timeout, in seconds. */
  readonly timeout: number;
  constructor(taskName: string, timeout: number) {
    super(`task ${taskName} ran longer than its timeout of ${timeout}s`);
    this.timeout = timeout;
  }
}

/** The error result of a task dropped because it had not started by its `expires`. */
export class TaskExpired extends Error {
  override name = 'TaskExpired';
  constructor(task: { name: string; id: string; expires: Date | null }) {
    super(`task ${task.name} (${task.id}) expired at ${task.expires ? task.expires.toISOString() : '?'} before it started`);
  }
}

/** Raised when reading the result of a task that failed; carries the failure's metadata. */
export class TaskException extends Error {
  override name = 'TaskException';
  readonly metadata: ErrorMetadata;
  constructor(metadata: ErrorMetadata) {
    super(metadata.error);
    this.metadata = metadata;
  }
}

/** A value cannot be carried through the serializer (a function, a class instance, a cycle, ...). */
export class SerializationError extends Error {
  override name = 'SerializationError';
  /** Where in the value the problem is, e.g. `args[1].when`. */
  readonly path: string;
  constructor(message: string, path: string) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

/** `Name: message` of any thrown value, like Python's repr(exc). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `Error: ${String(err)}`;
}

/** The stack trace of a thrown value (or its description when it has none). */
export function tracebackOf(err: unknown): string {
  if (err instanceof Error && typeof err.stack === 'string') return err.stack;
  return describeError(err);
}
