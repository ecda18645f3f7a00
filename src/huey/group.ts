/**
 * ResultGroup: the results of tasks enqueued together (`huey.group()`,
 * `task.map()`), read in order (`get`) or as they finish (`asCompleted`),
 * and revoked or restored as a whole. Each member is an ordinary
 * TaskResult; the group only reads them together.
 */
import { TaskException } from './exceptions.js';
import type { GetOptions, TaskResult } from './result.js';

/** Options of ResultGroup.get() and asCompleted(). */
export interface GroupGetOptions extends GetOptions {
  /** Give a failed member's TaskException in its place instead of throwing it. */
  returnErrors?: boolean;
}

/**
 * The results of a group of tasks, in the order they were given.
 * @example
 * const group = await huey.group([add.s(1, 2), add.s(3, 4)]);
 * await group.get({ blocking: true, timeout: 5 });   // [3, 7]
 */
export class ResultGroup<R = unknown> {
  constructor(readonly results: TaskResult<R>[]) {}

  /** Number of members. */
  get length(): number {
    return this.results.length;
  }

  /** The members' task ids, in order. */
  get ids(): string[] {
    return this.results.map((r) => r.id);
  }

  /**
   * Every member's result, in order (null for a member not ready, unless
   * blocking). A failed member throws its TaskException, or with
   * `returnErrors` stands in its place. With `blocking`, `timeout` bounds the
   * wait for the whole group.
   */
  async get(options: GroupGetOptions = {}): Promise<(R | TaskException | null)[]> {
    const deadline = options.timeout ? Date.now() + options.timeout * 1000 : null;
    const out: (R | TaskException | null)[] = [];
    for (const r of this.results) {
      const timeout = deadline === null ? options.timeout : Math.max(0.001, (deadline - Date.now()) / 1000);
      out.push(await readMember(r, { ...options, timeout }));
    }
    return out;
  }

  /**
   * Yields members' results as they finish (blocking reads of all of them at
   * once), each as `{ index, id, value }`. A failed member throws, or with
   * `returnErrors` yields its TaskException as the value.
   */
  async *asCompleted(options: GroupGetOptions = {}): AsyncGenerator<{ index: number; id: string; value: R | TaskException | null }> {
    type Read = { index: number; value: R | TaskException | null; error?: unknown };
    const pending = new Map<number, Promise<Read>>();
    this.results.forEach((r, index) => {
      // Never rejects: a failure is thrown when its turn comes, and the other reads are not left unhandled.
      const read = readMember(r, { ...options, blocking: true }).then(
        (value): Read => ({ index, value }),
        (error: unknown): Read => ({ index, value: null, error }),
      );
      pending.set(index, read);
    });
    while (pending.size > 0) {
      const { index, value, error } = await Promise.race(pending.values());
      pending.delete(index);
      if (error !== undefined) throw error;
      yield { index, id: (this.results[index] as TaskResult<R>).id, value };
    }
  }

  /** Revokes every member. */
  async revoke(): Promise<void> {
    await Promise.all(this.results.map((r) => r.revoke()));
  }

  /** Restores every member; resolves to whether each was revoked. */
  restore(): Promise<boolean[]> {
    return Promise.all(this.results.map((r) => r.restore()));
  }
}

async function readMember<R>(r: TaskResult<R>, options: GroupGetOptions): Promise<R | TaskException | null> {
  try {
    return await r.get(options);
  } catch (err) {
    if (options.returnErrors && err instanceof TaskException) return err;
    throw err;
  }
}
