/**
 * TaskWrapper: what `huey.task(fn)` returns. Calling it enqueues the call and
 * resolves to a TaskResult; its methods schedule, build pipeline steps
 * (`s`), call the function locally, and revoke or restore the whole task.
 */
import { stampControls } from './controls.js';
import type { ResultGroup } from './group.js';
import type { TaskDefinition } from './registry.js';
import type { ResultFor } from './result.js';
import type { RevokeOptions } from './revocation.js';
import { QueueTask, type CallControls } from './task.js';

/** Options for `task.schedule()`: when, and this call's job controls (priority, timeout, expires). */
export interface ScheduleOptions<A extends unknown[]> extends CallControls {
  /** Arguments for the task function. */
  args?: A;
  /** Seconds from now. Give this or `eta`, not both. */
  delay?: number;
  /** When to run (a Date or ms since the epoch). */
  eta?: Date | number;
  /** Use this task id instead of a new UUID. */
  id?: string;
}

/** Every key ScheduleOptions knows (option checks list what is allowed from here). */
export const SCHEDULE_OPTION_KEYS = ['args', 'delay', 'eta', 'id', 'priority', 'timeout', 'expires'] as const;

/** What a task wrapper needs from its huey (Huey implements it). */
export interface WrapperOwner<RS extends boolean> {
  /** The producer's clock in ms (job controls count `expires` from it). */
  readonly clock: () => number;
  enqueue<R>(task: QueueTask<R>): Promise<ResultFor<RS, R>>;
  group<R>(tasks: QueueTask<R>[]): Promise<ResultGroup<R>>;
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
  /** Enqueues one call per argument list, as a group: `add.map([[1, 2], [3, 4]])`. */
  map(argsList: A[]): Promise<ResultGroup<R>>;
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
  const s = (...args: A): QueueTask<R> => {
    const task = new QueueTask<R>({ name: def.name, args, retries: def.retries, retryDelay: def.retryDelay });
    if (def.controls !== undefined) stampControls(def, task as QueueTask, huey.clock());
    return task;
  };
  const wrapper = ((...args: A) => huey.enqueue(s(...args))) as TaskWrapper<A, R, RS>;
  Object.defineProperty(wrapper, 'name', { value: def.name });
  Object.assign(wrapper, {
    taskName: def.name,
    huey,
    definition: def,
    retries: def.retries,
    retryDelay: def.retryDelay,
    s,
    map(argsList: A[]) {
      if (!Array.isArray(argsList) || argsList.some((a) => !Array.isArray(a))) throw new TypeError(`${def.name}.map() takes an array of argument lists`);
      return huey.group(argsList.map((args) => s(...args)));
    },
    schedule(options: ScheduleOptions<A>) {
      const eta = huey.normalizeEta(options);
      const task = new QueueTask<R>({
        id: options.id,
        name: def.name,
        args: options.args ?? [],
        eta,
        retries: def.retries,
        retryDelay: def.retryDelay,
      });
      stampControls(def, task as QueueTask, huey.clock(), options);
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
