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
 *
 * Its parts: mini-pool.ts runs the calls (the pool), mini-schedule.ts keeps
 * the scheduled ones in due order, mini-result.ts is the result handle and
 * mini-types.ts the public types; this file ties them into the class.
 */
import { periodicTime } from './crontab.js';
import type { MiniResult } from './mini-result.js';
import { MiniPool, makeJob, type MiniJob, type MiniTaskDef } from './mini-pool.js';
import { DueQueue, resolveSchedule } from './mini-schedule.js';
import type { MiniHueyOptions, MiniLogger, MiniScheduleOptions, MiniTask, MiniTaskOptions, MiniTickReport } from './mini-types.js';
import { checkOptions, optionKeys } from './option-check.js';

export { MiniResult, ResultTimeoutError } from './mini-result.js';
export type { MiniResultStatus } from './mini-result.js';
export type {
  MiniHueyOptions,
  MiniLogger,
  MiniScheduleOptions,
  MiniTask,
  MiniTaskOptions,
  MiniTickReport,
  PeriodicValidator,
} from './mini-types.js';

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
  readonly #periodic: MiniTaskDef[] = [];
  readonly #schedule = new DueQueue<MiniJob>();
  readonly #pool: MiniPool;
  #lastPeriodicMinute: number | null = null;
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
    this.#pool = new MiniPool(this.poolSize, (level, message, ...extra) => this.#log(level, message, ...extra));
  }

  /** Whether `start()` has started the scheduler (and `stop()` has not stopped it). */
  get isRunning(): boolean {
    return this.#timer !== null;
  }

  /** Tasks running now. */
  get activeCount(): number {
    return this.#pool.activeCount;
  }

  /** Tasks due or called but waiting for a pool slot. */
  get waitingCount(): number {
    return this.#pool.waitingCount;
  }

  /** Scheduled tasks not yet due. */
  get scheduledCount(): number {
    return this.#schedule.size;
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
    const def: MiniTaskDef = { name: options.name || fn.name || 'anonymous', fn: fn as MiniTaskDef['fn'], validate };
    if (validate) this.#periodic.push(def);

    const call = (...args: A): MiniResult<Awaited<R>> => {
      const job = makeJob(def, args, null, 'waiting');
      this.#pool.dispatch(job);
      return job.result as MiniResult<Awaited<R>>;
    };
    const schedule = (opts: MiniScheduleOptions<A>): MiniResult<Awaited<R>> => {
      checkOptions('schedule()', opts, optionKeys<MiniScheduleOptions<A>>({ args: true, delay: true, eta: true }));
      const { args = [] as unknown[], due } = resolveSchedule(def.name, opts, () => this.#now());
      const job = makeJob(def, args, new Date(due), 'scheduled');
      this.#schedule.push(due, job);
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
    return this.#pool.join();
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
        const job = makeJob(def, [], null, 'waiting');
        this.#log('info', `starting periodic task ${def.name}`);
        this.#pool.dispatch(job);
        report.periodic.push(job.result);
      }
    }

    for (let job = this.#schedule.popDue(t); job !== undefined; job = this.#schedule.popDue(t)) {
      job.controls.setStatus('waiting');
      this.#pool.dispatch(job);
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
}
