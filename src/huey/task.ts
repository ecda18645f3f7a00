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
  }

  /**
   * Appends `task(...args)` to the end of this pipeline; when the previous task
   * finishes, its result is added after `args`, as Huey's `extend_data` does
   * (an array result is spread like a Python tuple, null/undefined/[] add
   * nothing, any other value, a plain object included, is one argument). Returns this (the head of the pipeline).
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

  /** Adds a parent task's result after this task's own arguments (see `then`). */
  extendData(result: unknown): void {
    if (result === null || result === undefined) return;
    if (Array.isArray(result)) {
      if (result.length === 0) return;
      this.args = [...this.args, ...result];
    } else {
      this.args = [...this.args, result];
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
