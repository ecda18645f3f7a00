/**
 * The public types of MiniHuey (mini.ts): its options, the options of its
 * tasks and of `schedule()`, what `mini.task()` returns, and what one
 * scheduler pass reports. Kept apart so that mini.ts holds only the class.
 */
import type { PeriodicTime } from './crontab.js';
import type { MiniResult } from './mini-result.js';

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
