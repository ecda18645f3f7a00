/**
 * Huey: the user's API of a task queue. It turns functions into tasks
 * (`task`, `periodicTask`), enqueues calls and pipelines, reads results,
 * revokes and restores, registers hooks, makes locks, lists what is queued,
 * and creates consumers. Running tasks is the consumer's job
 * (consumer/executor.ts), which sees a huey only through the HueyRuntime
 * interface (runtime.ts), so this file depends on the consumer and never
 * the other way round. Storage backends are chosen by the subclasses
 * (RedisHuey, SimpleHuey, MemoryHuey) or given with the `storage` option.
 * With `reliable: true` the consumers deliver at least once (see
 * reliability.ts and docs/reliability.md).
 *
 * The class is the last of a chain of layers, one job each (huey-core.ts:
 * settings, storage, registry, hooks; huey-data.ts: listings, counts,
 * put/get, locks; huey-revocation.ts: revoke, restore, pause). This file
 * holds what needs the whole huey: declaring tasks, enqueueing (a
 * TaskResult and a TaskWrapper call back into it), fan-out, results,
 * events and consumers.
 */
import { CONSUMER_OPTION_KEYS, type Consumer, type ConsumerOptions } from './consumer/consumer.js';
import { createConsumerFor } from './consumer/create.js';
import type { PoolConsumer } from './consumer/pool-consumer.js';
import { originOf, recordOrigin } from './origin.js';
import { parseControls, uniqueKey } from './controls.js';
import { runEagerly } from './eager.js';
import { enqueueAtPriority } from './enqueue.js';
import { eventStream, type EventStream } from './events.js';
import { ConfigurationError, QueueWriteException, ScheduleAddException } from './exceptions.js';
import { guardStorage, toMs } from './guard.js';
import { ChordResult, enqueueChord } from './chord.js';
import { ResultGroup } from './group.js';
import { HueyRevocation } from './huey-revocation.js';
import { encodeMessage } from './message.js';
import { checkOptions } from './option-check.js';
import {
  PERIODIC_TASK_OPTION_KEYS,
  TASK_OPTION_KEYS,
  type HueyOptions,
  type PeriodicTaskOptions,
  type TaskArgs,
  type TaskOptions,
  type TaskReturn,
} from './options.js';
import type { PeriodicValidator, TaskDefinition, TaskFunction } from './registry.js';
import { RESCHEDULE_OPTION_KEYS, TaskResult, type GetOptions, type RescheduleOptions, type ResultFor, type ResultListFor } from './result.js';
import type { HueyRuntime } from './runtime.js';
import { requireCapability } from './storage/storage.js';
import { QueueTask, type Pipeline } from './task.js';
import { createTaskWrapper, type TaskWrapper } from './wrapper.js';

export type { HueyOptions, PeriodicTaskOptions, TaskArgs, TaskOptions, TaskReturn } from './options.js';
export type { ResultFor, ResultListFor } from './result.js';
export type { EventStream } from './events.js';
export type { TaskInstanceRef } from './huey-revocation.js';

/**
 * A task queue. Usually built through RedisHuey, SimpleHuey or MemoryHuey.
 * @example
 * const huey = new MemoryHuey('my-app');
 * const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
 * const res = await add(1, 2);
 */
export class Huey<RS extends boolean = true> extends HueyRevocation implements HueyRuntime {
  /** Whether any task is unique: only then does enqueue() look for a unique key. */
  private uniqueTasks = false;

  constructor(name = 'huey', options: HueyOptions<RS> = {}) {
    super(name, options);
    recordOrigin(this);
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
    checkOptions('task()', options, TASK_OPTION_KEYS);
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
    checkOptions('periodicTask()', options, PERIODIC_TASK_OPTION_KEYS);
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
    const controls = parseControls(name, options);
    // A storage that cannot carry a control fails here, when the task is declared, not at its first call.
    if (controls?.priority) requireCapability(this.storage, 'priority');
    if (controls?.rateLimit) requireCapability(this.storage, 'rateLimit');
    if (controls?.unique) requireCapability(this.storage, 'unique');
    const def: TaskDefinition = {
      name,
      fn,
      retries,
      retryDelay,
      retriesAsArgument: options.retriesAsArgument === true,
      includeTask: options.includeTask === true,
      validate,
      ...(controls === undefined ? {} : { controls }),
    };
    this.registry.register(def);
    if (controls?.unique) this.uniqueTasks = true;
    return def;
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
    const owner = this as Huey<boolean>;
    if (this.alwaysEager) {
      const { chain, outcomes } = await runEagerly(this, task);
      if (!this.resultStore) return null;
      const results = chain.map((t, i) => new TaskResult(owner, t, outcomes[i]));
      return task.onComplete ? results : (results[0] as TaskResult<unknown>);
    }
    if (this.uniqueTasks && task.unique === null) {
      const def = this.registry.find(task.name);
      task.unique = def ? uniqueKey(def, task.args, this.serializer) : null;
    }
    if (task.unique !== null) {
      const holder = await guardStorage(QueueWriteException, 'claim unique key', requireCapability(this.storage, 'unique').claimUnique(task.unique, task.id));
      if (holder !== null) {
        // Already queued, scheduled or running: the caller gets that task's result handle.
        if (!this.resultStore) return null;
        const existing = new TaskResult(owner, new QueueTask({ id: holder, name: task.name }));
        return task.onComplete ? [existing] : existing;
      }
    }
    try {
      const message = encodeMessage(task, this.serializer);
      await guardStorage(QueueWriteException, 'enqueue', enqueueAtPriority(this.storage, message, task.priority));
    } catch (err) {
      if (task.unique !== null) await requireCapability(this.storage, 'unique').releaseUnique(task.unique, task.id).catch(() => undefined);
      throw err;
    }
    if (!this.resultStore) return null;
    if (task.onComplete) return task.chain().map((t) => new TaskResult(owner, t));
    return new TaskResult(owner, task);
  }

  /**
   * Enqueues tasks together (pipelined) and resolves to their ResultGroup:
   * results in order with `get()`, as they finish with `asCompleted()`. A
   * pipeline member stands for its last step's result. Needs a result store.
   * @example const group = await huey.group([add.s(1, 2), add.s(3, 4)]); await group.get({ blocking: true }); // [3, 7]
   */
  async group<R = unknown>(tasks: QueueTask<R>[]): Promise<ResultGroup<R>> {
    if (!Array.isArray(tasks) || tasks.some((t) => !(t instanceof QueueTask))) throw new TypeError('group() takes an array of tasks built with task.s(...)');
    if (!this.resultStore) throw new ConfigurationError('a group needs a result store (resultStore: true)');
    const enqueued = await Promise.all(tasks.map((t) => this.enqueue(t as QueueTask)));
    const results = enqueued.map((r) => (Array.isArray(r) ? r[r.length - 1] : r) as TaskResult<R>);
    return new ResultGroup<R>(results);
  }

  /**
   * A chord: enqueues `members` and, once every one of them has finished,
   * runs `callback` with the list of their results appended to its own
   * arguments (`total.s(10)` runs as `total(10, [r1, r2, ...])`). A member
   * that fails for good (after its retries) fails the chord: a
   * `chord-failed` event, and the callback never runs.
   * @example const chord = await huey.chord([add.s(1, 2), add.s(3, 4)], total.s(10)); await chord.get({ blocking: true }); // total(10, [3, 7])
   */
  chord<R = unknown>(members: QueueTask[], callback: QueueTask<R>): Promise<ChordResult<R>> {
    return enqueueChord(this, members, callback);
  }

  /** The result handle of a task (not enqueued here). */
  resultOf<R>(task: QueueTask<R>): TaskResult<R> {
    return new TaskResult<R>(this as Huey<boolean>, task);
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
    checkOptions('reschedule()', options, RESCHEDULE_OPTION_KEYS);
    return new QueueTask<R>({
      name: task.name,
      args: [...task.args],
      eta: this.normalizeEta(options),
      retries: task.retries,
      retryDelay: task.retryDelay,
      priority: task.priority,
      timeout: task.timeout,
    });
  }

  /** Adds a task to the schedule (the consumer moves it to the queue at its eta). */
  async addSchedule(task: QueueTask): Promise<void> {
    const message = encodeMessage(task, this.serializer);
    await guardStorage(ScheduleAddException, 'add to schedule', this.storage.addToSchedule(message, task.eta ? task.eta.getTime() : 0));
  }

  /** New instances of the periodic tasks due in the minute of `now` (crontabs read UTC unless `utc: false`). */
  readPeriodic(now: Date | number, options: { utc?: boolean } = {}): QueueTask[] {
    return this.registry.duePeriodic(new Date(Math.floor(toMs(now) / 60000) * 60000), options.utc ?? true);
  }

  // --- results ----------------------------------------------------------------------------

  /** Reads a task's result by id (same options and semantics as TaskResult.get()). */
  async result<R = unknown>(taskId: string, options: GetOptions | boolean = {}): Promise<R | null> {
    return new TaskResult<R>(this as Huey<boolean>, new QueueTask<R>({ id: taskId, name: '' })).get(options);
  }

  // --- events and consumer ---------------------------------------------------------------

  /**
   * Consumer events as they are published. Await `ready` before triggering
   * work if you must not miss the first events; `close()` or `break` stops it.
   * @example for await (const e of huey.events()) if (e.status === EVENT_FINISHED) ...
   */
  events(): EventStream {
    return eventStream(this.storage);
  }

  /**
   * A consumer: workers and the scheduler in this process (async), or worker
   * threads / child processes that import `module` (default: the module that
   * created this huey) and a scheduler here.
   * @example const consumer = huey.createConsumer({ workers: 4 }); await consumer.start();
   * @example const pool = huey.createConsumer({ workerType: 'process', workers: 4, module: 'app/tasks.js' });
   */
  createConsumer(options: ConsumerOptions & { workerType: 'thread' | 'process' }): PoolConsumer;
  createConsumer(options?: ConsumerOptions & { workerType?: 'async' | 'greenlet' }): Consumer;
  createConsumer(options?: ConsumerOptions): Consumer | PoolConsumer;
  createConsumer(options: ConsumerOptions = {}): Consumer | PoolConsumer {
    checkOptions('createConsumer()', options, CONSUMER_OPTION_KEYS);
    return createConsumerFor(this, options, originOf(this));
  }

  /** Sends pending events and closes the storage's connections. */
  async close(): Promise<void> {
    await this.emitter.flush(5000);
    await this.storage.close();
  }
}
