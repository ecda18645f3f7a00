/**
 * Task locks on the storage's key/value API: `huey.lockTask(name)` takes the
 * key `<huey name>.lock.<name>` with putIfEmpty and frees it when done. A
 * second holder gets TaskLockedException, which the consumer reports as
 * EVENT_LOCKED (and retries, if the task has retries left).
 */
import { TaskLockedException } from './exceptions.js';
import type { Storage } from './storage/storage.js';

/** A named lock. Use `run(fn)` for a block of code or `wrap(fn)` for a task function. */
export class TaskLock {
  /** The storage key of this lock. */
  readonly key: string;

  constructor(
    private readonly storage: Storage,
    hueyName: string,
    readonly name: string,
  ) {
    this.key = `${hueyName}.lock.${name}`;
  }

  /** Takes the lock or throws TaskLockedException. */
  async acquire(): Promise<void> {
    if (!(await this.storage.putIfEmpty(this.key, '1'))) {
      throw new TaskLockedException(`unable to set lock: ${this.name}`);
    }
  }

  /** Frees the lock. */
  async release(): Promise<void> {
    await this.storage.popData(this.key);
  }

  /**
   * Runs `fn` holding the lock; throws TaskLockedException if it is held.
   * @example await huey.lockTask('db-backup').run(() => doDbBackup());
   */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  /**
   * Wraps a function so that each call holds the lock; the wrapper keeps the function's name.
   * @example const report = huey.task(huey.lockTask('reports').wrap(generateReport), { retries: 2 });
   */
  wrap<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    const wrapped = (...args: A): Promise<R> => this.run(() => fn(...args));
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    return wrapped;
  }
}
