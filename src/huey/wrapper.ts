/**
 * TaskWrapper: what `huey.task(fn)` returns. Calling it enqueues the call and
 * resolves to a TaskResult; its methods schedule, build pipeline steps
 * (`s`), call the function locally, and revoke or restore the whole task.
 */
import { checkOptions, optionKeys } from './option-check.js';
import type { TaskDefinition } from './registry.js';
import type { ResultFor } from './result.js';
import type { RevokeOptions } from './revocation.js';
import { QueueTask } from './task.js';

/** Options for `task.schedule()`. */
export interface ScheduleOptions<A extends unknown[]> {
  /** Arguments for the task function. */
  args?: A;
  /** Seconds from now. Give this or `eta`, not both. */
  delay?: number;
  /** When to run (a Date or ms since the epoch). */
  eta?: Date | number;
  /** Use this task id instead of a new UUID. */
  id?: string;
}

const SCHEDULE_OPTION_KEYS = optionKeys<ScheduleOptions<unknown[]>>({ args: true, delay: true, eta: true, id: true });

/** What a task wrapper needs from its huey (Huey implements it). */
export interface WrapperOwner<RS extends boolean> {
  enqueue<R>(task: QueueTask<R>): Promise<ResultFor<RS, R>>;
  /** Turns `{ delay }` / `{ eta }` into an eta. */
  normalizeEta(options: { delay?: number; eta?: Date | number }): Date | null;
  revokeAll(task: TaskWrapper<never, unknown, boolean> | string, options?: RevokeOptions): Promise<void>;
  restoreAll(task: TaskWrapper<never, unknown, boolean> | string): Promise<boolean>;
  isRevoked(task: TaskWrapper<never, unknown, boolean>, at?: Date | number): Promise<boolean>;
}

/**
 * A task: call it to enqueue. `A` are the task's arguments, `R` its (awaited)
 * result, `RS` whether the huey stores results (calls resolve to null when not).
 */
export interface TaskWrapper<A extends unknown[] = unknown[], R = unknown, RS extends boolean = boolean> {
  /** Enqueues the call; resolves once it is in the queue. */
  (...args: A): Promise<ResultFor<RS, R>>;
  /** The registered task name (also the function's `name`). */
  readonly taskName: string;
  /** The huey this task belongs to. */
  readonly huey: WrapperOwner<RS>;
  /** The task's registry entry (function, retries, retryDelay, ...). */
  readonly definition: TaskDefinition;
  /** Default retries of each call. */
  readonly retries: number;
  /** Default seconds between retries. */
  readonly retryDelay: number;
  /** Enqueues the call to run after `delay` seconds or at `eta`. */
  schedule(options: ScheduleOptions<A>): Promise<ResultFor<RS, R>>;
  /** Calls the function here and now, without the queue. */
  callLocal(...args: A): R | Promise<R>;
  /** A QueueTask for this call (not enqueued): the start or a step of a pipeline. */
  s(...args: A): QueueTask<R>;
  /** Revokes every instance of this task (see RevokeOptions). */
  revoke(options?: RevokeOptions): Promise<void>;
  /** Undoes revoke(); returns whether the task was revoked. */
  restore(): Promise<boolean>;
  /** Whether every instance of this task is revoked (at `at`, default now). */
  isRevoked(at?: Date | number): Promise<boolean>;
}

/** Builds the callable wrapper for a registered task. */
export function createTaskWrapper<A extends unknown[], R, RS extends boolean>(
  huey: WrapperOwner<RS>,
  def: TaskDefinition,
): TaskWrapper<A, R, RS> {
  const s = (...args: A): QueueTask<R> =>
    new QueueTask<R>({ name: def.name, args, retries: def.retries, retryDelay: def.retryDelay });
  const wrapper = ((...args: A) => huey.enqueue(s(...args))) as TaskWrapper<A, R, RS>;
  Object.defineProperty(wrapper, 'name', { value: def.name });
  Object.assign(wrapper, {
    taskName: def.name,
    huey,
    definition: def,
    retries: def.retries,
    retryDelay: def.retryDelay,
    s,
    schedule(options: ScheduleOptions<A>) {
      checkOptions('schedule()', options, SCHEDULE_OPTION_KEYS);
      const eta = huey.normalizeEta(options);
      const task = new QueueTask<R>({
        id: options.id,
        name: def.name,
        args: options.args ?? [],
        eta,
        retries: def.retries,
        retryDelay: def.retryDelay,
      });
      return huey.enqueue(task);
    },
    callLocal(...args: A) {
      return (def.fn as (...a: A) => R | Promise<R>)(...args);
    },
    revoke(options?: RevokeOptions) {
      return huey.revokeAll(wrapper, options);
    },
    restore() {
      return huey.restoreAll(wrapper);
    },
    isRevoked(at?: Date | number) {
      return huey.isRevoked(wrapper, at);
    },
  });
  return wrapper;
}
