/**
 * TaskResult: the handle returned when a task is enqueued. It reads the
 * task's result from the result store with the seed's semantics: null while
 * not ready, TaskException if the task failed, and a destructive read (the
 * stored value is removed once read, then cached in the handle) unless
 * `preserve` is set. A blocking read is woken by the result's arrival.
 */
import { DataStoreGetException, DataStoreTimeout, QueueException, TaskException, describeError } from './exceptions.js';
import { decodeStored, progressKey, type StoredData } from './message.js';
import type { ValueSerializer } from './serializer.js';
import type { Storage } from './storage/storage.js';
import type { QueueTask } from './task.js';

/** What a call resolves to: a TaskResult, or null when the huey has no result store. */
export type ResultFor<RS extends boolean, R> = RS extends false ? null : TaskResult<R>;
/** What enqueueing a pipeline resolves to. */
export type ResultListFor<RS extends boolean> = RS extends false ? null : TaskResult<unknown>[];

/** What a TaskResult needs from its huey (Huey implements it). */
export interface ResultOwner {
  readonly storage: Storage;
  readonly serializer: ValueSerializer;
  revoke(task: QueueTask): Promise<void>;
  restore(task: QueueTask): Promise<boolean>;
  isRevoked(task: QueueTask): Promise<boolean>;
  /** A fresh copy of `task` (new id) to run at the given time. */
  copyTask<R>(task: QueueTask<R>, options: RescheduleOptions): QueueTask<R>;
  enqueue<R>(task: QueueTask<R>): Promise<TaskResult<R> | null>;
}

/** Options for TaskResult.get() and huey.result(). */
export interface GetOptions {
  /** Wait for the result instead of returning null when it is not ready. */
  blocking?: boolean;
  /** Seconds to wait when blocking; null/0/undefined waits forever. Throws DataStoreTimeout when reached. */
  timeout?: number | null;
  /** Growth factor of the fallback re-check interval (the seed's backoff; default 1.15). */
  backoff?: number;
  /** Longest fallback re-check interval in seconds (default 1). A stored result wakes the reader at once regardless. */
  maxDelay?: number;
  /** Revoke the task when the timeout is reached. */
  revokeOnTimeout?: boolean;
  /** Leave the result in the store after reading it. */
  preserve?: boolean;
}

/** Options for rescheduling. */
export interface RescheduleOptions {
  /** Run at this time. */
  eta?: Date | number;
  /** Run after this many seconds. */
  delay?: number;
}

/**
 * The result of one enqueued task.
 * @example
 * const res = await add(1, 2);
 * await res.get({ blocking: true, timeout: 5 }); // 3
 */
export class TaskResult<R = unknown> {
  /** The task's id. */
  readonly id: string;
  private cached: StoredData | null;
  /** Set for eager results: there is nothing to fetch from storage. */
  private readonly local: boolean;

  constructor(
    readonly huey: ResultOwner,
    readonly task: QueueTask<R>,
    local?: StoredData | null,
  ) {
    this.id = task.id;
    this.local = local !== undefined;
    this.cached = local ?? null;
  }

  /**
   * The task's return value, or null while it is not ready. Throws
   * TaskException if the task failed, DataStoreTimeout if a blocking read times out.
   * `get(true)` is short for `get({ blocking: true })`.
   */
  async get(options: GetOptions | boolean = {}): Promise<R | null> {
    const opts: GetOptions = typeof options === 'boolean' ? { blocking: options } : options;
    if (this.cached === null && !this.local) this.cached = await this.fetch(opts);
    const stored = this.cached;
    if (stored === null) return null;
    if (stored.kind === 'error') throw new TaskException(stored.error);
    return stored.value as R;
  }

  private async fetch(opts: GetOptions): Promise<StoredData | null> {
    const storage = this.huey.storage;
    const peek = opts.preserve === true;
    let raw: string | null;
    try {
      if (!opts.blocking) {
        raw = peek ? await storage.peekData(this.id) : await storage.popData(this.id);
      } else {
        const timeout = opts.timeout ? opts.timeout * 1000 : Infinity;
        raw = await storage.waitForData(this.id, {
          timeoutMs: timeout,
          peek,
          recheckMs: (opts.maxDelay ?? 1) * 1000,
          backoff: opts.backoff ?? 1.15,
          initialRecheckMs: 100,
        });
        if (raw === null) {
          if (opts.revokeOnTimeout) await this.revoke();
          throw new DataStoreTimeout(`no result for task ${this.id} within ${opts.timeout} s`);
        }
      }
    } catch (err) {
      if (err instanceof QueueException) throw err;
      throw new DataStoreGetException(`reading result ${this.id}: ${describeError(err)}`, { cause: err });
    }
    if (raw === null) return null;
    return decodeStored(raw, this.huey.serializer);
  }

  /** Stops this task from running if it has not started yet. */
  revoke(): Promise<void> {
    return this.huey.revoke(this.task);
  }

  /**
   * The last progress the running task reported (`task.progress(value,
   * data)`): `{ value, data }`, or null when it reported none or is done.
   */
  async progress(): Promise<{ value: unknown; data?: unknown } | null> {
    const raw = await this.huey.storage.peekData(progressKey(this.id));
    if (raw === null) return null;
    const stored = decodeStored(raw, this.huey.serializer);
    return stored.kind === 'value' ? (stored.value as { value: unknown; data?: unknown }) : null;
  }

  /** Undoes revoke(); returns whether the task was revoked. No effect if the task class is revoked. */
  restore(): Promise<boolean> {
    return this.huey.restore(this.task);
  }

  /** Whether this instance, or its task as a whole, is revoked. */
  isRevoked(): Promise<boolean> {
    return this.huey.isRevoked(this.task);
  }

  /**
   * Revokes this task and enqueues a copy (new id) to run at `eta`, after
   * `delay` seconds, or at once. No check is made that the original has not run.
   */
  async reschedule(options: RescheduleOptions = {}): Promise<TaskResult<R>> {
    await this.revoke();
    const copy = this.huey.copyTask(this.task, options);
    const res = await this.huey.enqueue(copy);
    if (res === null) throw new QueueException('reschedule(): the huey has no result store');
    return res as TaskResult<R>;
  }

  /** Forgets the cached result so the next get() reads the store again (e.g. after a retry). */
  reset(): void {
    if (!this.local) this.cached = null;
  }
}
