/**
 * MiniHuey: the seed's "Mini-Huey", a huey-like task API that runs inside the
 * application's own process. No storage, no separate consumer: calling a task
 * runs it in this event loop (at most `poolSize` at a time), `schedule()`
 * keeps it in memory until it is due, and tasks given a `validate` function
 * (usually a crontab) run when the once-a-minute check says so.
 *
 * Scheduling is driven by `tick(now)`, one pass of the scheduler with the time
 * passed in; `start()` only calls it from a timer. Tests call `tick()` with
 * their own dates instead of sleeping. Nothing here touches huey's storage,
 * so MiniHuey works without Redis or simpledb.
 */
import { periodicTime, type PeriodicTime } from './crontab.js';
import { MiniResult, type MiniResultStatus, type ResultControls } from './mini-result.js';
import { checkOptions, optionKeys } from './option-check.js';

export { MiniResult, ResultTimeoutError } from './mini-result.js';
export type { MiniResultStatus } from './mini-result.js';

/**
 * Decides whether a periodic task runs in the minute of `date` (a `crontab()`
 * validator fits); `time` has that minute's fields in the MiniHuey's mode (`utc`).
 */
export type PeriodicValidator = (date: Date, time: PeriodicTime) => boolean;

/** Where MiniHuey reports task starts, finishes and failures. Any console-like object fits. */
export interface MiniLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** Options of `new MiniHuey()`. */
export interface MiniHueyOptions {
  /** Seconds between scheduler passes once `start()`ed (the seed's `interval`). Default 1. */
  interval?: number;
  /** Most tasks running at once; more calls wait their turn in call order. Default: no limit. */
  poolSize?: number;
  /** The clock, for `schedule({ delay })` and the scheduler's passes. Default `() => new Date()`. */
  now?: () => Date;
  /** Evaluate periodic validators in UTC rather than local time. Default false. */
  utc?: boolean;
  /** Default: errors to stderr, nothing else. */
  logger?: MiniLogger;
}

/** Options of `mini.task()`. */
export interface MiniTaskOptions {
  /** Name used in logs and on results. Default: the function's name. */
  name?: string;
  /** Makes the task periodic: it also runs in every minute this returns true for. */
  validate?: PeriodicValidator;
}

/** Options of `task.schedule()`: exactly one of `delay` and `eta`. */
export interface MiniScheduleOptions<A extends unknown[]> {
  /** The task's arguments. Default none. */
  args?: A;
  /** Seconds from now (by the MiniHuey's clock). */
  delay?: number;
  /** The moment it becomes due. */
  eta?: Date;
}

/** A function registered with `mini.task()`: call it to run the task, or `schedule()` it. */
export interface MiniTask<A extends unknown[], R> {
  /** Runs the task as soon as a pool slot is free. */
  (...args: A): MiniResult<Awaited<R>>;
  /** The task's name. */
  readonly name: string;
  /** The periodic validator, when the task has one. */
  readonly validate: PeriodicValidator | undefined;
  /** Runs the task later: after `delay` seconds or at `eta`, at the first scheduler pass from then on. */
  schedule(options: MiniScheduleOptions<A>): MiniResult<Awaited<R>>;
  /** Calls the function directly, here and now, bypassing the pool. */
  callLocal(...args: A): R;
}

/** What one scheduler pass started. */
export interface MiniTickReport {
  /** Periodic tasks whose validator matched (checked on the first pass of each minute only). */
  periodic: MiniResult<unknown>[];
  /** Scheduled tasks that became due. */
  scheduled: MiniResult<unknown>[];
}

interface TaskDef {
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  readonly validate: PeriodicValidator | undefined;
}

interface Job {
  readonly task: TaskDef;
  readonly args: unknown[];
  readonly result: MiniResult<unknown>;
  readonly controls: ResultControls<unknown>;
}

interface ScheduledJob {
  readonly due: number;
  readonly seq: number;
  readonly job: Job;
}

const defaultLogger: MiniLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message, ...extra) => console.error(`[huey.mini] ${message}`, ...extra),
};

/**
 * A huey that lives in the calling process (the seed's Mini-Huey).
 *
 * @example
 * import { MiniHuey, crontab } from 'huey-ts';
 *
 * const huey = new MiniHuey('app', { poolSize: 4 });
 * const fetchUrl = huey.task(async (url: string) => (await fetch(url)).text());
 * huey.task(async () => { await backup(); }, { name: 'backup', validate: crontab({ minute: '0', hour: '4' }) });
 *
 * huey.start();                                          // scheduler for schedule() and periodic tasks
 * const html = await fetchUrl('https://www.google.com/').get();
 * const later = fetchUrl.schedule({ args: ['https://www.yahoo.com/'], delay: 30 });
 * await later.get();                                     // about 30 s later
 * await huey.stop();                                     // stops the scheduler, waits for running tasks
 */
export class MiniHuey {
  /** The name given to this instance (used in logs). */
  readonly name: string;
  /** Seconds between scheduler passes. */
  readonly interval: number;
  /** Most tasks running at once; Infinity when unbounded. */
  readonly poolSize: number;
  /** Whether periodic validators see UTC. */
  readonly utc: boolean;
  readonly #now: () => Date;
  readonly #logger: MiniLogger;
  readonly #periodic: TaskDef[] = [];
  readonly #schedule: ScheduledJob[] = []; // a binary min-heap on (due, seq)
  #seq = 0;
  #lastPeriodicMinute: number | null = null;
  // Jobs waiting for a pool slot, first come first served; #waitingHead avoids O(n) shifts.
  #waiting: Job[] = [];
  #waitingHead = 0;
  #active = 0;
  #idleListeners: (() => void)[] = [];
  #timer: NodeJS.Timeout | null = null;

  /**
   * @example
   * const huey = new MiniHuey('app', { poolSize: 2, utc: true });
   */
  constructor(name = 'huey', options: MiniHueyOptions = {}) {
    checkOptions('MiniHuey options', options, optionKeys<MiniHueyOptions>({ interval: true, poolSize: true, now: true, utc: true, logger: true }));
    const { interval = 1, poolSize, now = () => new Date(), utc = false, logger = defaultLogger } = options;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
      throw new RangeError(`MiniHuey: interval must be a number of seconds > 0, got ${String(interval)}`);
    }
    if (poolSize !== undefined && poolSize !== Infinity && !(Number.isInteger(poolSize) && poolSize >= 1)) {
      throw new RangeError(`MiniHuey: poolSize must be a whole number >= 1, got ${String(poolSize)}`);
    }
    if (typeof now !== 'function') throw new TypeError('MiniHuey: now must be a function returning a Date');
    this.name = name;
    this.interval = interval;
    this.poolSize = poolSize ?? Infinity;
    this.utc = utc;
    this.#now = now;
    this.#logger = logger;
  }

  /** Whether `start()` has started the scheduler (and `stop()` has not stopped it). */
  get isRunning(): boolean {
    return this.#timer !== null;
  }

  /** Tasks running now. */
  get activeCount(): number {
    return this.#active;
  }

  /** Tasks due or called but waiting for a pool slot. */
  get waitingCount(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  /** Scheduled tasks not yet due. */
  get scheduledCount(): number {
    return this.#schedule.length;
  }

  /** Names of the periodic tasks, in registration order (for banners and logs). */
  get periodicTasks(): string[] {
    return this.#periodic.map((t) => t.name);
  }

  /**
   * Registers a function as a task. There is no separate periodic decorator:
   * pass `validate` (e.g. a crontab) and the task also runs on that schedule.
   *
   * @example
   * const add = huey.task((a: number, b: number) => a + b);
   * await add(1, 2).get();                                      // 3
   * await add.schedule({ args: [1, 2], delay: 10 }).get();      // 3, ten seconds later
   * huey.task(() => rotateLogs(), { name: 'rotate', validate: crontab({ minute: '0' }) });
   */
  task<A extends unknown[], R>(fn: (...args: A) => R, options: MiniTaskOptions = {}): MiniTask<A, R> {
    if (typeof fn !== 'function') throw new TypeError('MiniHuey.task: expected a function');
    checkOptions('MiniHuey.task()', options, optionKeys<MiniTaskOptions>({ name: true, validate: true }));
    const { validate } = options;
    if (validate !== undefined && typeof validate !== 'function') {
      throw new TypeError('MiniHuey.task: validate must be a function of a Date (e.g. crontab(...))');
    }
    const def: TaskDef = { name: options.name || fn.name || 'anonymous', fn: fn as TaskDef['fn'], validate };
    if (validate) this.#periodic.push(def);

    const call = (...args: A): MiniResult<Awaited<R>> => {
      const job = this.#makeJob(def, args, null, 'waiting');
      this.#dispatch(job);
      return job.result as MiniResult<Awaited<R>>;
    };
    const schedule = (opts: MiniScheduleOptions<A>): MiniResult<Awaited<R>> => {
      checkOptions('schedule()', opts, optionKeys<MiniScheduleOptions<A>>({ args: true, delay: true, eta: true }));
      const { args = [] as unknown[], due } = this.#resolveSchedule(def.name, opts);
      const job = this.#makeJob(def, args, new Date(due), 'scheduled');
      this.#heapPush({ due, seq: this.#seq++, job });
      this.#log('debug', `scheduled ${def.name} (${job.result.id}) for ${new Date(due).toISOString()}`);
      return job.result as MiniResult<Awaited<R>>;
    };
    Object.defineProperty(call, 'name', { value: def.name });
    return Object.assign(call, { validate, schedule, callLocal: (...args: A): R => fn(...args) });
  }

  /**
   * Starts the scheduler: a pass now, then one every `interval` seconds.
   * Immediate calls run without it; scheduled and periodic tasks need it.
   * @throws if it is already running.
   */
  start(): void {
    if (this.#timer !== null) throw new Error(`MiniHuey ${this.name}: the scheduler is already running`);
    this.#log('info', `${this.name}: scheduler started`);
    this.#safeTick();
    this.#timer = setInterval(() => this.#safeTick(), this.interval * 1000);
  }

  /**
   * Stops the scheduler and resolves once no task is running or waiting for a
   * slot. Scheduled tasks not yet due stay pending until the next `start()`.
   * Stopping a stopped MiniHuey only waits.
   */
  async stop(): Promise<void> {
    if (this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
      this.#log('info', `${this.name}: scheduler stopped`);
    }
    await this.join();
  }

  /** Resolves once no task is running or waiting for a pool slot (scheduled tasks do not count). */
  join(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleListeners.push(resolve));
  }

  /**
   * One scheduler pass at `now`: starts the scheduled tasks that are due and,
   * on the first pass in each minute, the periodic tasks whose validator
   * matches that minute. Errors in validators are logged and skipped.
   *
   * @example
   * huey.tick(new Date('2024-01-01T04:00:00'));   // runs a crontab({ minute: '0', hour: '4' }) task
   */
  tick(now: Date = this.#now()): MiniTickReport {
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new TypeError(`MiniHuey.tick: expected a valid Date, got ${String(now)}`);
    }
    const report: MiniTickReport = { periodic: [], scheduled: [] };
    const t = now.getTime();

    // Once per wall-clock minute rather than every 60 s since start (as Huey's MiniHuey did), so that
    // runs land at the start of the minute and never drift; a clock that goes back does not re-run a minute.
    const minute = Math.floor(t / 60_000);
    if (this.#lastPeriodicMinute === null || minute > this.#lastPeriodicMinute) {
      this.#lastPeriodicMinute = minute;
      for (const def of this.#periodic) {
        let matches = false;
        try {
          matches = def.validate!(new Date(t), periodicTime(new Date(t), this.utc));
        } catch (err) {
          this.#log('error', `periodic task ${def.name}: its validator threw`, err);
        }
        if (!matches) continue;
        const job = this.#makeJob(def, [], null, 'waiting');
        this.#log('info', `starting periodic task ${def.name}`);
        this.#dispatch(job);
        report.periodic.push(job.result);
      }
    }

    while (this.#schedule.length > 0 && this.#schedule[0]!.due <= t) {
      const { job } = this.#heapPop();
      job.controls.setStatus('waiting');
      this.#dispatch(job);
      report.scheduled.push(job.result);
    }
    return report;
  }

  // A logger that throws must not leave a slot taken or a result unsettled.
  #log(level: keyof MiniLogger, message: string, ...extra: unknown[]): void {
    try {
      this.#logger[level](message, ...extra);
    } catch {
      // Nowhere left to report it.
    }
  }

  #safeTick(): void {
    try {
      this.tick();
    } catch (err) {
      // A broken clock must not kill the timer; the next pass may succeed.
      this.#log('error', `${this.name}: scheduler pass failed`, err);
    }
  }

  #resolveSchedule(name: string, opts: MiniScheduleOptions<unknown[]>): { args: unknown[] | undefined; due: number } {
    if (opts === null || typeof opts !== 'object') {
      throw new TypeError(`${name}.schedule: expected { args, delay } or { args, eta }`);
    }
    const { args, delay, eta } = opts;
    if (args !== undefined && !Array.isArray(args)) {
      throw new TypeError(`${name}.schedule: args must be an array`);
    }
    const hasDelay = delay !== undefined && delay !== null;
    const hasEta = eta !== undefined && eta !== null;
    if (hasDelay && hasEta) throw new Error(`${name}.schedule: give either a delay or an eta, not both`);
    if (hasDelay) {
      if (typeof delay !== 'number' || !Number.isFinite(delay)) {
        throw new TypeError(`${name}.schedule: delay must be a number of seconds, got ${String(delay)}`);
      }
      return { args, due: this.#now().getTime() + delay * 1000 };
    }
    if (hasEta) {
      if (!(eta instanceof Date) || Number.isNaN(eta.getTime())) {
        throw new TypeError(`${name}.schedule: eta must be a valid Date, got ${String(eta)}`);
      }
      return { args, due: eta.getTime() };
    }
    throw new Error(`${name}.schedule: either a delay (in seconds) or an eta (a Date) must be given`);
  }

  #makeJob(task: TaskDef, args: unknown[], eta: Date | null, status: MiniResultStatus): Job {
    let controls!: ResultControls<unknown>;
    const result = new MiniResult<unknown>(task.name, eta, status, (c) => {
      controls = c;
    });
    return { task, args, result, controls };
  }

  #dispatch(job: Job): void {
    if (this.#active < this.poolSize) {
      this.#run(job);
    } else {
      job.controls.setStatus('waiting');
      this.#waiting.push(job);
    }
  }

  #run(job: Job): void {
    this.#active++;
    job.controls.setStatus('running');
    const started = performance.now();
    const { task, args, result, controls } = job;
    this.#log('debug', `executing ${task.name} (${result.id})`);
    // Start in a microtask so the caller gets its result object before the function runs.
    // The slot is freed before the result settles, so whoever awaits get() sees the counts already updated.
    Promise.resolve()
      .then(() => task.fn(...(args as never[])))
      .then(
        (value) => {
          this.#active--;
          this.#log('info', `executed ${task.name} (${result.id}) in ${((performance.now() - started) / 1000).toFixed(3)}s`);
          controls.resolve(value);
          this.#next();
        },
        (err: unknown) => {
          this.#active--;
          this.#log('error', `task ${task.name} (${result.id}) failed`, err);
          controls.reject(err);
          this.#next();
        },
      );
  }

  #next(): void {
    while (this.#active < this.poolSize && this.#waitingHead < this.#waiting.length) {
      const job = this.#waiting[this.#waitingHead++]!;
      this.#run(job);
    }
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    if (this.#isIdle()) {
      this.#waiting = [];
      this.#waitingHead = 0;
      const listeners = this.#idleListeners;
      this.#idleListeners = [];
      for (const listener of listeners) listener();
    }
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.waitingCount === 0;
  }

  #heapPush(item: ScheduledJob): void {
    const heap = this.#schedule;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #heapPop(): ScheduledJob {
    const heap = this.#schedule;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

// Earlier due time first; equal times in the order they were scheduled.
function before(a: ScheduledJob, b: ScheduledJob): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
