/**
 * QueueTask: one invocation of a task (id, name, arguments, eta, retries),
 * optionally followed by a pipeline of further invocations (`then`).
 * It is what gets serialized into a queue message, what the consumer runs,
 * and what hooks and `includeTask` functions receive.
 */
import { randomUUID } from 'node:crypto';

/** The shape of anything with an `s()` that builds a QueueTask (a TaskWrapper). */
export interface Signable {
  s(...args: never[]): QueueTask;
}

/** Fields of a QueueTask. */
export interface QueueTaskInit {
  id?: string;
  name: string;
  args?: unknown[];
  eta?: Date | null;
  retries?: number;
  retryDelay?: number;
  onComplete?: QueueTask | null;
  /** Job controls (docs/job-controls.md). */
  priority?: number;
  timeout?: number | null;
  expires?: Date | null;
  retried?: number;
  unique?: string | null;
  /** Enqueued with the error's metadata when this task fails for good. */
  onError?: QueueTask | null;
  /** The chord this task is a member of. */
  chord?: { id: string; total: number } | null;
}

/** The per-call job controls of `QueueTask.with()` (and of `schedule()`). */
export interface CallControls {
  /** Higher runs first; 0 (the default) is the plain queue. An integer. */
  priority?: number;
  /** Seconds an attempt may run before it fails with TaskTimeout. */
  timeout?: number | null;
  /** Seconds from now, or a Date: a task not started by then is dropped (never run). */
  expires?: number | Date | null;
}

/**
 * One invocation of a task. `R` is the task's result type.
 * @example
 * const pipe = add.s(1, 2).then(add, 3);   // add(1, 2), then add(3, <result>)
 */
export class QueueTask<R = unknown> {
  /** Unique id (a UUID unless given); the result is stored under it. */
  readonly id: string;
  /** Registered task name. */
  readonly name: string;
  /** Arguments the task function is called with. */
  args: unknown[];
  /** When to run; null means as soon as possible. */
  eta: Date | null;
  /** Retries left. */
  retries: number;
  /** Seconds to wait before a retry. */
  retryDelay: number;
  /** The next task of a pipeline. */
  onComplete: QueueTask | null;
  /** Priority level: higher runs first; 0 is the plain queue. */
  priority: number;
  /** Seconds an attempt may run (null: no limit). */
  timeout: number | null;
  /** A task that has not started by then is dropped (null: never). */
  expires: Date | null;
  /** Retries already made (drives retryBackoff). */
  retried: number;
  /** The unique key this task holds while queued, scheduled or running (null: none). */
  unique: string | null;
  /**
   * Fires when the running attempt times out (its reason is the TaskTimeout).
   * Set by the consumer while the task runs with a timeout; a task with
   * `includeTask: true` passes it on to fetch() and the like.
   */
  signal?: AbortSignal;
  /** The task to enqueue, with the error's metadata as its last argument, when this one fails for good. */
  onError: QueueTask | null;
  /** The chord this task is a member of (huey.chord()): its id and number of members; null otherwise. */
  chord: { id: string; total: number } | null;
  /** Set by the consumer while the task runs (with includeTask): stores and announces its progress. */
  reporter?: (value: unknown, data?: unknown) => Promise<void>;
  /** Phantom field carrying the result type; never set. */
  declare readonly __result?: R;

  constructor(init: QueueTaskInit) {
    this.id = init.id ?? randomUUID();
    this.name = init.name;
    this.args = init.args ?? [];
    this.eta = init.eta ?? null;
    this.retries = init.retries ?? 0;
    this.retryDelay = init.retryDelay ?? 0;
    this.onComplete = init.onComplete ?? null;
    this.priority = init.priority ?? 0;
    this.timeout = init.timeout ?? null;
    this.expires = init.expires ?? null;
    this.retried = init.retried ?? 0;
    this.unique = init.unique ?? null;
    this.onError = init.onError ?? null;
    this.chord = init.chord ?? null;
  }

  /**
   * Adds an error callback to every step of this pipeline built so far that
   * has none: when a step fails for good (after its retries), `task(...args,
   * errorMetadata)` is enqueued. Returns this.
   * @example huey.enqueue(step.s().then(next).error(onError));
   */
  error<T extends Signable>(task: T, ...args: unknown[]): this {
    if ((typeof task !== 'function' && typeof task !== 'object') || task === null || typeof task.s !== 'function') {
      throw new TypeError('QueueTask.error(task, ...args) takes a task');
    }
    for (const step of this.chain()) if (step.onError === null) step.onError = (task.s as (...a: unknown[]) => QueueTask)(...args);
    return this;
  }

  /**
   * Inside a running task (includeTask: true): records its progress
   * (`value`, e.g. 0.5, and any `data`), which `result.progress()` reads
   * and a `progress` event announces.
   */
  progress(value: unknown, data?: unknown): Promise<void> {
    if (!this.reporter) return Promise.reject(new Error('progress() works only inside a running task (with includeTask: true)'));
    return this.reporter(value, data);
  }

  /**
   * Sets this call's job controls (for a step of a pipeline, where there is
   * no schedule()); `expires` in seconds counts from now. Returns this.
   * @example huey.enqueue(add.s(1, 2).with({ priority: 10 }).then(add, 3));
   */
  with(controls: CallControls, now: number = Date.now()): this {
    applyControls(this as QueueTask, controls, now);
    return this;
  }

  /**
   * Appends `task(...args)` to the end of this pipeline; when the previous task
   * finishes, its result is put in front of `args` (an array result is spread,
   * null/undefined/[] adds nothing). Returns this (the head of the pipeline).
   */
  then<T extends Signable>(task: T, ...args: unknown[]): Pipeline<R> {
    // `then` also makes a QueueTask look like a promise to `await`, which calls
    // then(resolve, reject): refuse clearly instead of failing somewhere odd.
    if ((typeof task !== 'function' && typeof task !== 'object') || task === null || typeof task.s !== 'function') {
      throw new TypeError('QueueTask.then(task, ...args) takes a task; a QueueTask cannot be awaited (enqueue it with huey.enqueue())');
    }
    const next = (task.s as (...a: unknown[]) => QueueTask)(...args);
    let tail: QueueTask = this as QueueTask;
    while (tail.onComplete) tail = tail.onComplete;
    tail.onComplete = next;
    return this as Pipeline<R>;
  }

  /** Puts a parent task's result in front of this task's arguments (see `then`). */
  extendData(result: unknown): void {
    if (result === null || result === undefined) return;
    if (Array.isArray(result)) {
      if (result.length === 0) return;
      this.args = [...result, ...this.args];
    } else {
      this.args = [result, ...this.args];
    }
  }

  /** This task and the ones chained after it, in order. */
  chain(): QueueTask[] {
    const out: QueueTask[] = [];
    for (let t: QueueTask | null = this as QueueTask; t; t = t.onComplete) out.push(t);
    return out;
  }

  toString(): string {
    let s = `${this.name}: ${this.id}`;
    if (this.eta) s += ` @${this.eta.toISOString()}`;
    if (this.retries) s += ` ${this.retries} retries`;
    if (this.onComplete) s += ` -> ${this.onComplete.toString()}`;
    return s;
  }
}

/** A QueueTask with at least one `then()`: enqueueing it gives one TaskResult per task. */
export type Pipeline<R = unknown> = QueueTask<R> & { readonly onComplete: QueueTask };

/** Checks and applies per-call job controls to `task` (the one place they are validated). */
export function applyControls(task: QueueTask, controls: CallControls, now: number): void {
  const { priority, timeout, expires } = controls;
  if (priority !== undefined) {
    if (!Number.isInteger(priority)) throw new TypeError(`task "${task.name}": priority must be an integer`);
    task.priority = priority;
  }
  if (timeout !== undefined) {
    if (timeout !== null && !(typeof timeout === 'number' && timeout > 0)) throw new TypeError(`task "${task.name}": timeout must be a positive number of seconds`);
    task.timeout = timeout;
  }
  if (expires !== undefined) task.expires = expiryDate(task.name, expires, now);
}

/** `expires` (seconds from `now`, a Date, or null) as a Date or null. */
export function expiryDate(name: string, expires: number | Date | null, now: number): Date | null {
  if (expires === null) return null;
  if (expires instanceof Date) {
    if (Number.isNaN(expires.getTime())) throw new TypeError(`task "${name}": expires is not a valid date`);
    return expires;
  }
  if (!(typeof expires === 'number' && expires >= 0)) throw new TypeError(`task "${name}": expires must be seconds (>= 0) or a Date`);
  return new Date(now + expires * 1000);
}
