/**
 * Huey: the task queue API. It turns functions into tasks (`task`,
 * `periodicTask`), enqueues calls and pipelines, reads results, revokes and
 * restores, runs hooks and locks, and holds `execute(task, now)`: the one
 * function that runs a dequeued task and turns every outcome (success,
 * error, lock, retry, cancel, revocation) into results, events and retries.
 * Storage backends are chosen by the subclasses (RedisHuey, SimpleHuey,
 * MemoryHuey) or given with the `storage` option. With `reliable: true` the
 * consumers deliver at least once (see reliability.ts and docs/reliability.md).
 */
import { performance } from 'node:perf_hooks';
import { Consumer, type ConsumerOptions } from './consumer/consumer.js';
import {
  EVENT_ERROR_ENQUEUEING,
  EVENT_ERROR_INTERNAL,
  EVENT_ERROR_SCHEDULING,
  EVENT_ERROR_STORING_RESULT,
  EVENT_ERROR_TASK,
  EVENT_FINISHED,
  EVENT_LOCKED,
  EVENT_RETRYING,
  EVENT_REVOKED,
  EVENT_SCHEDULED,
  EVENT_STARTED,
  EventPublisher,
  taskFields,
  type HueyEvent,
} from './events.js';
import {
  DataStoreGetException,
  DataStorePutException,
  QueueException,
  QueueWriteException,
  RetryTask,
  ScheduleAddException,
  ScheduleReadException,
  SerializationError,
  TaskLockedException,
  describeError,
  tracebackOf,
  type ErrorMetadata,
} from './exceptions.js';
import { runEagerly } from './eager.js';
import {
  HookList,
  hookArgs,
  runPostExecute,
  runPreExecute,
  type PostExecuteHook,
  type PreExecuteHook,
  type StartupHook,
} from './hooks.js';
import { TaskLock } from './lock.js';
import { reliabilitySettings, type ReliabilitySettings } from './reliability.js';
import { createConsoleLogger, type Logger } from './logger.js';
import { decodeMessage, decodeStored, encodeErrorResult, encodeMessage, encodeResult } from './message.js';
import { TaskRegistry, invokeTask, type PeriodicValidator, type TaskDefinition, type TaskFunction } from './registry.js';
import { TaskResult, type GetOptions, type RescheduleOptions } from './result.js';
import {
  classKey,
  encodeRevocation,
  evaluateRevocation,
  instanceKey,
  type RevokeOptions,
} from './revocation.js';
import { defaultSerializer, type ValueSerializer } from './serializer.js';
import { MemoryStorage } from './storage/memory.js';
import type { EventSubscription, Storage } from './storage/storage.js';
import { QueueTask, type Pipeline } from './task.js';
import { createTaskWrapper, type TaskWrapper } from './wrapper.js';

/** What a call resolves to: a TaskResult, or null when the huey has no result store. */
export type ResultFor<RS extends boolean, R> = RS extends false ? null : TaskResult<R>;
/** What enqueueing a pipeline resolves to. */
export type ResultListFor<RS extends boolean> = RS extends false ? null : TaskResult<unknown>[];

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
}

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


/** Options of `execute()`. */
export interface ExecuteOptions {
  /**
   * The task is known not to be revoked (no revocation record existed when
   * the consumer took it from the queue): skip reading its records.
   */
  knownUnrevoked?: boolean;
}

/** How an `execute()` ended. */
export interface ExecutionOutcome {
  status: 'finished' | 'error' | 'locked' | 'retry' | 'revoked' | 'canceled';
  value?: unknown;
  error?: unknown;
  /**
   * Whether everything the run had to leave in storage got there: its result
   * or error, its retry, the next step of its pipeline. When false, a
   * reliable consumer keeps the message in flight (it will run again) rather
   * than lose what could not be stored.
   */
  settled: boolean;
}

/** An async iterator of consumer events; `ready` resolves once listening. */
export interface EventStream extends AsyncIterableIterator<HueyEvent> {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Anything that names one task instance. */
export type TaskInstanceRef = QueueTask | TaskResult<unknown>;

function toMs(now: Date | number): number {
  return typeof now === 'number' ? now : now.getTime();
}

async function guard<T>(
  Exc: new (message: string, options?: { cause?: unknown }) => QueueException,
  what: string,
  op: Promise<T>,
): Promise<T> {
  try {
    return await op;
  } catch (err) {
    if (err instanceof QueueException) throw err;
    throw new Exc(`${what}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * A task queue. Usually built through RedisHuey, SimpleHuey or MemoryHuey.
 * @example
 * const huey = new MemoryHuey('my-app');
 * const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
 * const res = await add(1, 2);
 */
export class Huey<RS extends boolean = true> {
  readonly name: string;
  readonly storage: Storage;
  resultStore: boolean;
  /** Whether consumer events are published (the `events` option). */
  eventsEnabled: boolean;
  storeNone: boolean;
  alwaysEager: boolean;
  storeErrors: boolean;
  readonly blocking: boolean;
  serializer: ValueSerializer;
  logger: Logger;
  clock: () => number;
  /** Whether consumers deliver at least once (the `reliable` option). */
  readonly reliable: boolean;
  /** Reliable mode's timings and limits, from the options. */
  readonly reliability: ReliabilitySettings;
  readonly registry = new TaskRegistry();
  readonly preExecuteHooks = new HookList<PreExecuteHook>();
  readonly postExecuteHooks = new HookList<PostExecuteHook>();
  readonly startupHooks = new HookList<StartupHook>();
  /** Publishes consumer events. */
  readonly emitter: EventPublisher;
  private readonly lockKeys = new Map<string, string>();

  constructor(name = 'huey', options: HueyOptions<RS> = {}) {
    if (typeof name !== 'string' || name === '') throw new TypeError('a huey needs a non-empty name');
    this.name = name;
    this.resultStore = options.resultStore ?? true;
    this.eventsEnabled = options.events ?? true;
    this.storeNone = options.storeNone ?? false;
    this.alwaysEager = options.alwaysEager ?? false;
    this.storeErrors = options.storeErrors ?? true;
    this.blocking = options.blocking ?? true;
    this.serializer = options.serializer ?? defaultSerializer;
    this.logger = options.logger ?? createConsoleLogger('warn');
    this.clock = options.clock ?? Date.now;
    this.reliable = options.reliable ?? false;
    this.reliability = reliabilitySettings(options);
    this.storage =
      options.storage ??
      new MemoryStorage(name, {
        blocking: this.blocking,
        readTimeout: options.readTimeout,
        maxErrors: options.maxErrors,
        clock: this.clock,
      });
    this.emitter = new EventPublisher(this.storage, () => this.eventsEnabled, () => this.logger);
  }

  // --- declaring tasks -----------------------------------------------------

  /**
   * Turns `fn` into a task. Calling the result enqueues a call and resolves to
   * a TaskResult. With `retriesAsArgument` / `includeTask` the function gets
   * the retries left / the QueueTask as extra last arguments (in that order);
   * the task is then called without them.
   * @example const add = huey.task((a: number, b: number) => a + b, { name: 'add', retries: 2 });
   */
  task<F extends (...args: never[]) => unknown, const O extends TaskOptions = {}>(
    fn: F,
    options?: O,
  ): TaskWrapper<TaskArgs<F, O>, TaskReturn<F>, RS>;
  task(fn: TaskFunction, options: TaskOptions = {}): TaskWrapper<unknown[], unknown, RS> {
    return createTaskWrapper(this, this.define(fn, options));
  }

  /**
   * A task the consumer enqueues by itself in every minute for which
   * `validate(date)` is true (see crontab()). It takes no arguments.
   * @example huey.periodicTask(crontab({ minute: '0', hour: '3' }), backup, { name: 'backup' });
   */
  periodicTask<F extends (...args: never[]) => unknown>(
    validate: PeriodicValidator,
    fn: F,
    options: PeriodicTaskOptions = {},
  ): TaskWrapper<[], TaskReturn<F>, RS> {
    if (typeof validate !== 'function') throw new TypeError('periodicTask() needs a validator such as crontab({...})');
    return createTaskWrapper(this, this.define(fn, options, validate));
  }

  private define(fn: TaskFunction, options: TaskOptions, validate?: PeriodicValidator): TaskDefinition {
    if (typeof fn !== 'function') throw new TypeError('task() needs a function');
    const name = options.name ?? fn.name;
    if (!name) throw new TypeError('a task needs a stable name: use a named function or { name }');
    const retries = options.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0) throw new TypeError(`task "${name}": retries must be a non-negative integer`);
    const retryDelay = options.retryDelay ?? 0;
    if (!(retryDelay >= 0)) throw new TypeError(`task "${name}": retryDelay must be a non-negative number of seconds`);
    const def: TaskDefinition = {
      name,
      fn,
      retries,
      retryDelay,
      retriesAsArgument: options.retriesAsArgument === true,
      includeTask: options.includeTask === true,
      validate,
    };
    this.registry.register(def);
    return def;
  }

  // --- hooks ----------------------------------------------------------------

  /** Runs `fn(task)` before every task; throwing CancelExecution cancels the task. */
  registerPreExecute(name: string, fn: PreExecuteHook): void {
    this.preExecuteHooks.register(name, fn);
  }
  unregisterPreExecute(name: string): boolean {
    return this.preExecuteHooks.unregister(name);
  }
  /** Short form: `preExecute(fn)` (named by fn.name) or `preExecute(name, fn)`. Returns fn. */
  preExecute(nameOrFn: string | PreExecuteHook, fn?: PreExecuteHook): PreExecuteHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerPreExecute(name, hook);
    return hook;
  }

  /** Runs `fn(task, value, error)` after every task. */
  registerPostExecute(name: string, fn: PostExecuteHook): void {
    this.postExecuteHooks.register(name, fn);
  }
  unregisterPostExecute(name: string): boolean {
    return this.postExecuteHooks.unregister(name);
  }
  /** Short form: `postExecute(fn)` or `postExecute(name, fn)`. Returns fn. */
  postExecute(nameOrFn: string | PostExecuteHook, fn?: PostExecuteHook): PostExecuteHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerPostExecute(name, hook);
    return hook;
  }

  /** Runs `fn()` whenever a worker starts. */
  registerStartup(name: string, fn: StartupHook): void {
    this.startupHooks.register(name, fn);
  }
  unregisterStartup(name: string): boolean {
    return this.startupHooks.unregister(name);
  }
  /** Short form: `onStartup(fn)` or `onStartup(name, fn)`. Returns fn. */
  onStartup(nameOrFn: string | StartupHook, fn?: StartupHook): StartupHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerStartup(name, hook);
    return hook;
  }

  /** Runs the startup hooks; a failing hook is logged and the others still run. */
  async runStartupHooks(): Promise<void> {
    for (const [name, hook] of this.startupHooks.entries()) {
      try {
        await hook();
      } catch (err) {
        this.logger.error(`startup hook "${name}" failed: ${tracebackOf(err)}`);
      }
    }
  }

  // --- enqueueing -------------------------------------------------------------

  /**
   * Enqueues a task or pipeline. Resolves to its TaskResult (one per task for a
   * pipeline), or null without a result store. Arguments that cannot be
   * serialized throw SerializationError before anything is enqueued.
   */
  enqueue(task: Pipeline): Promise<ResultListFor<RS>>;
  enqueue<R>(task: QueueTask<R>): Promise<ResultFor<RS, R>>;
  async enqueue(task: QueueTask): Promise<TaskResult<unknown> | TaskResult<unknown>[] | null> {
    if (this.alwaysEager) return runEagerly(this, task);
    const message = encodeMessage(task, this.serializer);
    await guard(QueueWriteException, 'enqueue', this.storage.enqueue(message));
    if (!this.resultStore) return null;
    if (task.onComplete) return task.chain().map((t) => new TaskResult(this, t));
    return new TaskResult(this, task);
  }

  /** Turns `{ delay }` / `{ eta }` into an eta; both at once is an error. */
  normalizeEta(options: { delay?: number; eta?: Date | number }): Date | null {
    const { delay, eta } = options;
    if (delay !== undefined && delay !== null && eta !== undefined && eta !== null) {
      throw new TypeError('schedule(): give either delay or eta, not both');
    }
    if (delay !== undefined && delay !== null) {
      if (typeof delay !== 'number' || !Number.isFinite(delay)) throw new TypeError('schedule(): delay must be a number of seconds');
      return new Date(this.clock() + delay * 1000);
    }
    if (eta !== undefined && eta !== null) {
      const d = new Date(eta);
      if (Number.isNaN(d.getTime())) throw new TypeError('schedule(): eta is not a valid date');
      return d;
    }
    return null;
  }

  /** A fresh copy of `task` (new id) to run at the given time; used by reschedule(). */
  copyTask<R>(task: QueueTask<R>, options: RescheduleOptions): QueueTask<R> {
    return new QueueTask<R>({
      name: task.name,
      args: [...task.args],
      eta: this.normalizeEta(options),
      retries: task.retries,
      retryDelay: task.retryDelay,
    });
  }

  /** Adds a task to the schedule (the consumer moves it to the queue at its eta). */
  async addSchedule(task: QueueTask): Promise<void> {
    const message = encodeMessage(task, this.serializer);
    await guard(ScheduleAddException, 'add to schedule', this.storage.addToSchedule(message, task.eta ? task.eta.getTime() : 0));
  }

  /** Whether a task's eta has come at `now`. */
  readyToRun(task: QueueTask, now: Date | number = this.clock()): boolean {
    return task.eta === null || task.eta.getTime() <= toMs(now);
  }

  // --- executing ----------------------------------------------------------------

  /**
   * Runs a dequeued task whose eta has come: checks revocation, emits events,
   * runs hooks, stores the result or error, enqueues the pipeline's next step,
   * and schedules a retry. Never throws for task failures.
   */
  async execute(task: QueueTask, now: Date | number = this.clock(), options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
    const ts = toMs(now);
    const def = this.registry.get(task.name);

    let revoked = false;
    try {
      if (options.knownUnrevoked !== true) revoked = await this.checkRevokedForRun(task, ts);
    } catch (err) {
      // Storage trouble: we cannot tell whether it may run, so it is not run, and not lost either.
      this.emitter.task(EVENT_ERROR_INTERNAL, task, {}, err);
      this.logger.error(`error checking if task is revoked: ${task}: ${describeError(err)}`);
      return { status: 'error', error: err, settled: await this.setAside(task, err) };
    }
    if (revoked) {
      this.emitter.task(EVENT_REVOKED, task, { timestamp: ts / 1000 });
      this.logger.debug(`task ${task} was revoked, not running`);
      return { status: 'revoked', settled: true };
    }

    this.emitter.task(EVENT_STARTED, task, { timestamp: ts / 1000 });
    if (this.preExecuteHooks.size && !(await runPreExecute(this.preExecuteHooks, task, this.logger))) {
      return { status: 'canceled', settled: true };
    }

    this.logger.info(`executing ${task}`);
    const start = performance.now();
    let value: unknown = undefined;
    let error: unknown = undefined;
    let failed = false;
    try {
      value = await invokeTask(def, task);
    } catch (err) {
      failed = true;
      error = err;
    }
    const duration = (performance.now() - start) / 1000;

    let outcome: ExecutionOutcome;
    if (!failed) {
      outcome = await this.afterSuccess(def, task, value, duration);
    } else {
      outcome = await this.afterFailure(task, error, duration);
    }

    if (this.postExecuteHooks.size) await runPostExecute(this.postExecuteHooks, task, outcome.value, outcome.error, this.logger);

    if (failed && task.retries > 0) {
      if (!(await this.retry(task, ts))) outcome.settled = false;
    } else if (failed && error instanceof RetryTask) this.logger.error(`cannot retry task ${task.id}: no retries remaining`);
    return outcome;
  }

  private async afterSuccess(def: TaskDefinition, task: QueueTask, value: unknown, duration: number): Promise<ExecutionOutcome> {
    try {
      if (this.resultStore && !def.validate && ((value !== null && value !== undefined) || this.storeNone)) {
        await guard(DataStorePutException, 'store result', this.storage.putData(task.id, encodeResult(value, this.serializer)));
      }
    } catch (err) {
      // The task ran; only its result is lost. Keep the reason where people look.
      this.logger.error(`error storing result of ${task}: ${describeError(err)}`);
      this.emitter.task(EVENT_ERROR_STORING_RESULT, task, { duration }, err);
      // A result that cannot be serialized never will be: running again would not help.
      if (!(err instanceof SerializationError)) return { status: 'error', value, error: err, settled: false };
      const settled = this.storeErrors ? await this.recordError(task, err, true) : true;
      return { status: 'error', value, error: err, settled };
    }
    let settled = true;
    if (task.onComplete) {
      const next = task.onComplete;
      next.extendData(value);
      try {
        await this.enqueue(next);
      } catch (err) {
        this.emitter.task(EVENT_ERROR_ENQUEUEING, next, {}, err);
        this.logger.error(`error enqueueing pipeline step ${next}: ${describeError(err)}; message: ${this.messageText(next)}`);
        if (!(err instanceof SerializationError)) settled = false;
      }
    }
    this.logger.info(`executed ${task} in ${duration.toFixed(3)}s`);
    this.emitter.task(EVENT_FINISHED, task, { duration, timestamp: this.clock() / 1000 });
    return { status: 'finished', value, settled };
  }

  private async afterFailure(task: QueueTask, error: unknown, duration: number): Promise<ExecutionOutcome> {
    if (error instanceof RetryTask) return { status: 'retry', error, settled: true };
    if (error instanceof TaskLockedException) {
      this.logger.warn(`task ${task.id} could not run, unable to obtain lock`);
      const settled = this.storeErrors ? await this.recordError(task, error, false) : true;
      this.emitter.task(EVENT_LOCKED, task, { duration });
      return { status: 'locked', error, settled };
    }
    this.logger.error(`unhandled exception in task ${task}: ${tracebackOf(error)}`);
    const settled = this.storeErrors ? await this.recordError(task, error, true) : true;
    this.emitter.task(EVENT_ERROR_TASK, task, { duration }, error);
    return { status: 'error', error, settled };
  }

  /** Error metadata for a failed task. */
  errorMetadata(task: QueueTask, error: unknown): ErrorMetadata {
    return {
      ...taskFields(task),
      error: describeError(error),
      traceback: tracebackOf(error),
    };
  }

  /** Stores a failure (result store and, if asked, error list); resolves to whether it was stored. */
  private async recordError(task: QueueTask, error: unknown, toErrorList: boolean): Promise<boolean> {
    const metadata = this.errorMetadata(task, error);
    try {
      if (this.resultStore) await this.storage.putData(task.id, encodeErrorResult(metadata));
      if (toErrorList) await this.storage.putError(JSON.stringify(metadata));
      return true;
    } catch (err) {
      this.logger.error(`error storing the failure of ${task}: ${describeError(err)}`);
      return false;
    }
  }

  /** Schedules or enqueues the retry of a failed task; resolves to whether storage took it. */
  private async retry(task: QueueTask, ts: number): Promise<boolean> {
    task.retries -= 1;
    this.emitter.task(EVENT_RETRYING, task);
    this.logger.info(`re-enqueueing task ${task.id}, ${task.retries} tries left`);
    if (task.retryDelay) {
      task.eta = new Date(ts + task.retryDelay * 1000);
      return this.scheduleForLater(task);
    }
    return this.enqueueForConsumer(task);
  }

  /**
   * Puts a task on the schedule and emits EVENT_SCHEDULED (or EVENT_ERROR_SCHEDULING).
   * Resolves to whether it was scheduled.
   */
  async scheduleForLater(task: QueueTask): Promise<boolean> {
    this.logger.info(`adding ${task} to schedule`);
    try {
      await this.addSchedule(task);
    } catch (err) {
      this.emitter.task(EVENT_ERROR_SCHEDULING, task, {}, err);
      this.logger.error(`error adding task to schedule: ${task}: ${describeError(err)}; message: ${this.messageText(task)}`);
      return false;
    }
    this.emitter.task(EVENT_SCHEDULED, task);
    return true;
  }

  /**
   * Enqueues from inside the consumer: failures become EVENT_ERROR_ENQUEUEING, not exceptions.
   * Resolves to whether it was enqueued.
   */
  async enqueueForConsumer(task: QueueTask): Promise<boolean> {
    try {
      await guard(QueueWriteException, 'enqueue', this.storage.enqueue(encodeMessage(task, this.serializer)));
      return true;
    } catch (err) {
      this.emitter.task(EVENT_ERROR_ENQUEUEING, task, {}, err);
      this.logger.error(`error enqueueing task ${task}: ${describeError(err)}; message: ${this.messageText(task)}`);
      return false;
    }
  }

  /** The task's message for a log line, so a task that storage refused can still be recovered by hand. */
  private messageText(task: QueueTask): string {
    try {
      return encodeMessage(task, this.serializer);
    } catch (err) {
      return `(not serializable: ${describeError(err)})`;
    }
  }

  /**
   * Keeps a task the consumer could not safely run (e.g. its revocation could
   * not be read) in the error list, with its message, instead of running it
   * blindly or putting it straight back (which would spin on a broken store).
   */
  private async setAside(task: QueueTask, error: unknown): Promise<boolean> {
    const metadata: ErrorMetadata = { ...this.errorMetadata(task, error), message: this.messageText(task) };
    try {
      await this.storage.putError(JSON.stringify(metadata));
      return true;
    } catch (err) {
      this.logger.error(`could not keep task ${task} in the error list (${describeError(err)}); message: ${metadata.message}`);
      return false;
    }
  }

  /**
   * Handles a queue message that cannot be run (not JSON, unknown version,
   * unknown task name): logs a QueueException, emits EVENT_ERROR_INTERNAL and
   * keeps the message in the error list. Resolves to whether it was kept there.
   */
  async reportBadMessage(raw: string, error: unknown): Promise<boolean> {
    const err = error instanceof QueueException ? error : new QueueException(describeError(error), { cause: error });
    this.logger.error(`QueueException: ${err.message}`);
    let id: string | null = null;
    let name: string | null = null;
    try {
      const o = JSON.parse(raw) as { id?: unknown; name?: unknown };
      if (typeof o.id === 'string') id = o.id;
      if (typeof o.name === 'string') name = o.name;
    } catch {
      // Not JSON: nothing more to extract.
    }
    const extra: Record<string, unknown> = id ? { id, task: name } : {};
    this.emitter.status(EVENT_ERROR_INTERNAL, extra, err);
    const metadata: ErrorMetadata = {
      id,
      task: name,
      retries: 0,
      retryDelay: 0,
      executeTime: null,
      error: describeError(err),
      traceback: tracebackOf(err),
      message: raw,
    };
    try {
      await this.storage.putError(JSON.stringify(metadata));
      return true;
    } catch (putErr) {
      this.logger.error(`could not keep bad message in the error list (${describeError(putErr)}); message: ${raw}`);
      return false;
    }
  }

  /** Decodes a queue message; throws QueueException for malformed messages. */
  decode(raw: string): QueueTask {
    return decodeMessage(raw, this.serializer);
  }

  /** Takes every task due at `now` off the schedule (undecodable messages are left out). */
  async readSchedule(now: Date | number = this.clock()): Promise<QueueTask[]> {
    const raws = await guard(ScheduleReadException, 'read schedule', this.storage.readSchedule(toMs(now)));
    return this.decodeAll(raws);
  }

  /** New instances of the periodic tasks due in the minute of `now`. */
  readPeriodic(now: Date | number, options: { utc?: boolean } = {}): QueueTask[] {
    const minuteStart = new Date(Math.floor(toMs(now) / 60000) * 60000);
    const utc = options.utc ?? true;
    return this.registry
      .periodic()
      .filter((def) => def.validate?.(minuteStart, { utc }) === true)
      .map((def) => new QueueTask({ name: def.name, retries: def.retries, retryDelay: def.retryDelay }));
  }

  // --- revocation ---------------------------------------------------------------------

  /** Stops one task instance from running (see RevokeOptions). */
  async revoke(task: TaskInstanceRef, options?: RevokeOptions): Promise<void> {
    await this.revokeById(task.id, options);
  }

  /** Undoes revoke(); returns whether the instance was revoked. */
  async restore(task: TaskInstanceRef): Promise<boolean> {
    return this.restoreById(task.id);
  }

  /** revoke() by task id. */
  async revokeById(taskId: string, options?: RevokeOptions): Promise<void> {
    await guard(DataStorePutException, 'revoke', this.storage.putRevocation(instanceKey(taskId), encodeRevocation(options)));
  }

  /** restore() by task id. */
  async restoreById(taskId: string): Promise<boolean> {
    return (await guard(DataStoreGetException, 'restore', this.storage.popRevocation(instanceKey(taskId)))) !== null;
  }

  /** Stops every instance of a task (a TaskWrapper or a task name) from running. */
  async revokeAll(task: TaskWrapper<never, unknown, boolean> | string, options?: RevokeOptions): Promise<void> {
    const name = typeof task === 'string' ? task : task.taskName;
    await guard(DataStorePutException, 'revoke', this.storage.putRevocation(classKey(name), encodeRevocation(options)));
  }

  /** Undoes revokeAll(); individually revoked instances stay revoked. */
  async restoreAll(task: TaskWrapper<never, unknown, boolean> | string): Promise<boolean> {
    const name = typeof task === 'string' ? task : task.taskName;
    return (await guard(DataStoreGetException, 'restore', this.storage.popRevocation(classKey(name)))) !== null;
  }

  /**
   * Whether a task is revoked at `at` (default now). For a TaskWrapper: whether
   * the task as a whole is; for an instance (QueueTask, TaskResult or task id):
   * whether it or its whole task is.
   */
  async isRevoked(task: TaskWrapper<never, unknown, boolean> | TaskInstanceRef | string, at?: Date | number): Promise<boolean> {
    const now = at === undefined ? this.clock() : toMs(at);
    if (typeof task === 'function') return this.checkKey(classKey(task.taskName), now, false);
    const id = typeof task === 'string' ? task : task.id;
    if (await this.checkKey(instanceKey(id), now, false)) return true;
    const name = typeof task === 'string' ? null : task instanceof TaskResult ? task.task.name : task.name;
    return name !== null && this.checkKey(classKey(name), now, false);
  }

  private async checkKey(key: string, now: number, consume: boolean): Promise<boolean> {
    const [raw] = await guard(DataStoreGetException, 'is revoked', this.storage.peekRevocations([key]));
    const { revoked, remove } = evaluateRevocation(raw ?? null, now, consume);
    if (remove) await this.storage.popRevocation(key);
    return revoked;
  }

  /** The consumer's check: reads both records at once and consumes "once" records. */
  private async checkRevokedForRun(task: QueueTask, now: number): Promise<boolean> {
    const iKey = instanceKey(task.id);
    const cKey = classKey(task.name);
    const [iRaw, cRaw] = await this.storage.peekRevocations([iKey, cKey]);
    const inst = evaluateRevocation(iRaw ?? null, now, true);
    if (inst.remove) await this.storage.popRevocation(iKey);
    if (inst.revoked) return true;
    const cls = evaluateRevocation(cRaw ?? null, now, true);
    if (cls.remove) await this.storage.popRevocation(cKey);
    return cls.revoked;
  }

  // --- results and introspection -----------------------------------------------------------

  /** Reads a task's result by id (same options and semantics as TaskResult.get()). */
  async result<R = unknown>(taskId: string, options: GetOptions | boolean = {}): Promise<R | null> {
    return new TaskResult<R>(this, new QueueTask<R>({ id: taskId, name: '' })).get(options);
  }

  /** Queued tasks, next to run first (messages that cannot be decoded are left out). */
  async pending(limit?: number): Promise<QueueTask[]> {
    return this.decodeAll(await this.storage.enqueuedItems(limit));
  }

  /** Scheduled tasks, soonest first. */
  async scheduled(limit?: number): Promise<QueueTask[]> {
    return this.decodeAll(await this.storage.scheduledItems(limit));
  }

  /**
   * Tasks that reliable consumers have taken and not yet finished (including
   * those of dead consumers not yet recovered), oldest first within each consumer.
   */
  async inFlight(limit?: number): Promise<QueueTask[]> {
    const raws = await this.storage.inFlightItems();
    return this.decodeAll(limit === undefined ? raws : raws.slice(0, Math.max(0, limit)));
  }

  private decodeAll(raws: string[]): QueueTask[] {
    const out: QueueTask[] = [];
    for (const raw of raws) {
      try {
        out.push(decodeMessage(raw, this.serializer));
      } catch {
        // Listing only; the consumer reports undecodable messages when it meets them.
      }
    }
    return out;
  }

  /**
   * Everything in the result store by key: task results (values), failures
   * (their ErrorMetadata), revocations and locks (as stored).
   */
  async allResults(): Promise<Record<string, unknown>> {
    const items = await this.storage.resultItems();
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(items)) {
      try {
        const stored = decodeStored(raw, this.serializer);
        out[key] = stored.kind === 'value' ? stored.value : stored.error;
      } catch {
        out[key] = raw;
      }
    }
    return out;
  }

  /** The error list, newest first. */
  async errors(options: { limit?: number; offset?: number } = {}): Promise<ErrorMetadata[]> {
    const raws = await this.storage.getErrors(options.limit, options.offset ?? 0);
    return raws.map((raw) => {
      try {
        return JSON.parse(raw) as ErrorMetadata;
      } catch {
        return { id: null, task: null, retries: 0, retryDelay: 0, executeTime: null, error: 'unreadable error entry', traceback: '', message: raw };
      }
    });
  }

  pendingCount(): Promise<number> {
    return this.storage.queueSize();
  }
  scheduledCount(): Promise<number> {
    return this.storage.scheduleSize();
  }
  /** Number of tasks in flight (see inFlight()). */
  async inFlightCount(): Promise<number> {
    return (await this.storage.inFlightItems()).length;
  }
  resultCount(): Promise<number> {
    return this.storage.resultStoreSize();
  }
  /** Removes queue, schedule, results and errors, and the in-flight lists. */
  flush(): Promise<void> {
    return this.storage.flushAll();
  }
  /** Registered task names. */
  getTasks(): string[] {
    return this.registry.names();
  }
  /** Registered periodic task names. */
  getPeriodicTasks(): string[] {
    return this.registry.periodic().map((d) => d.name).sort();
  }
  /** Registered non-periodic task names. */
  getRegularTasks(): string[] {
    const periodic = new Set(this.getPeriodicTasks());
    return this.getTasks().filter((n) => !periodic.has(n));
  }

  // --- key/value helpers (the seed's put/get) ----------------------------------------------

  /** Stores any serializable value under `key` in the result store. */
  async put(key: string, value: unknown): Promise<void> {
    await guard(DataStorePutException, 'put', this.storage.putData(key, encodeResult(value, this.serializer)));
  }

  /** Reads (and removes, unless `peek`) a value stored with put(); null if absent. */
  async get(key: string, options: { peek?: boolean } = {}): Promise<unknown> {
    const raw = await guard(DataStoreGetException, 'get', options.peek ? this.storage.peekData(key) : this.storage.popData(key));
    if (raw === null) return null;
    const stored = decodeStored(raw, this.serializer);
    return stored.kind === 'value' ? stored.value : stored.error;
  }

  // --- locks -------------------------------------------------------------------------------

  /**
   * A named lock (see TaskLock): `await huey.lockTask('x').run(fn)` or
   * `huey.task(huey.lockTask('x').wrap(fn))`.
   */
  lockTask(name: string): TaskLock {
    const lock = new TaskLock(this.storage, this.name, name);
    this.lockKeys.set(lock.key, name);
    return lock;
  }

  /** Frees every lock made by lockTask() in this process; returns the names that were held. */
  async flushLocks(): Promise<string[]> {
    const flushed: string[] = [];
    for (const [key, name] of this.lockKeys) {
      if ((await this.storage.popData(key)) !== null) flushed.push(name);
    }
    return flushed;
  }

  // --- events and consumer ---------------------------------------------------------------

  /**
   * Consumer events as they are published. Await `ready` before triggering
   * work if you must not miss the first events; `close()` or `break` stops it.
   * @example for await (const e of huey.events()) if (e.status === EVENT_FINISHED) ...
   */
  events(): EventStream {
    const sub: EventSubscription = this.storage.listener();
    const stream: EventStream = {
      ready: sub.ready,
      close: () => sub.close(),
      async next(): Promise<IteratorResult<HueyEvent>> {
        for (;;) {
          const r = await sub.next();
          if (r.done) return { value: undefined, done: true };
          try {
            return { value: JSON.parse(r.value) as HueyEvent, done: false };
          } catch {
            // Someone else published garbage on our channel: skip it.
          }
        }
      },
      async return(): Promise<IteratorResult<HueyEvent>> {
        await sub.close();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return stream;
      },
    };
    return stream;
  }

  /**
   * A consumer running workers and the scheduler in this process.
   * @example const consumer = huey.createConsumer({ workers: 4 }); await consumer.start();
   */
  createConsumer(options: ConsumerOptions = {}): Consumer {
    return new Consumer(this as Huey<boolean>, options);
  }

  /** Sends pending events and closes the storage's connections. */
  async close(): Promise<void> {
    await this.emitter.flush(5000);
    await this.storage.close();
  }
}
