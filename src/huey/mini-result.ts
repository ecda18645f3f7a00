/**
 * MiniResult: the outcome of one MiniHuey task run (see mini.ts), like the
 * gevent AsyncResult of Huey's MiniHuey, and ResultTimeoutError, what its
 * `get({ timeout })` rejects with when the run is not done in time.
 */
import { randomUUID } from 'node:crypto';

/** Where a task stands: waiting for its time, waiting for a pool slot, running, or done. */
export type MiniResultStatus = 'scheduled' | 'waiting' | 'running' | 'finished' | 'failed';

/** `result.get({ timeout })` gave up waiting. The task itself goes on. */
export class ResultTimeoutError extends Error {
  override name = 'ResultTimeoutError';
  readonly id: string;
  readonly timeout: number;
  constructor(id: string, timeout: number) {
    super(`task result ${id} not ready after ${timeout}s`);
    this.id = id;
    this.timeout = timeout;
  }
}

/** What MiniHuey uses to settle a result (the `bind` callback of the constructor). */
export interface ResultControls<R> {
  setStatus(status: MiniResultStatus): void;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * The outcome of one task run, like the gevent AsyncResult that Huey's
 * MiniHuey returns: `get()` waits for it, `ready()` and `successful()` peek.
 *
 * @example
 * const res = fetchUrl('https://example.com');
 * const html = await res.get();               // rejects with the task's own error if it threw
 * await res.get({ timeout: 5 });              // or ResultTimeoutError after 5 s
 */
export class MiniResult<R> {
  /** A fresh UUID per run. */
  readonly id: string;
  /** The task's name. */
  readonly name: string;
  /** When a scheduled run is due; null for immediate and periodic runs. */
  readonly eta: Date | null;
  #status: MiniResultStatus;
  #value: R | undefined;
  #error: unknown;
  readonly #promise: Promise<R>;
  readonly #settledListeners = new Set<() => void>();

  /** @internal Results are made by MiniHuey; `bind` receives the means to settle this one. */
  constructor(name: string, eta: Date | null, status: MiniResultStatus, bind: (controls: ResultControls<R>) => void) {
    this.id = randomUUID();
    this.name = name;
    this.eta = eta;
    this.#status = status;
    let resolve!: (value: R) => void;
    let reject!: (error: unknown) => void;
    this.#promise = new Promise<R>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody has to read a result (periodic runs have no reader): a failure is logged, not an unhandled rejection.
    this.#promise.catch(() => undefined);
    const settled = () => {
      for (const listener of this.#settledListeners) listener();
      this.#settledListeners.clear();
    };
    bind({
      setStatus: (status) => {
        this.#status = status;
      },
      resolve: (value) => {
        this.#status = 'finished';
        this.#value = value;
        resolve(value);
        settled();
      },
      reject: (error) => {
        this.#status = 'failed';
        this.#error = error;
        reject(error);
        settled();
      },
    });
  }

  /** Where the task stands now. */
  get status(): MiniResultStatus {
    return this.#status;
  }

  /** The task's return value, once it has finished; undefined before. */
  get value(): R | undefined {
    return this.#value;
  }

  /** What the task threw, once it has failed; undefined otherwise. */
  get error(): unknown {
    return this.#error;
  }

  /** True once the task has finished or failed. */
  ready(): boolean {
    return this.#status === 'finished' || this.#status === 'failed';
  }

  /** True once the task has finished without throwing. */
  successful(): boolean {
    return this.#status === 'finished';
  }

  /**
   * Waits for the task: resolves with its value, rejects with what it threw.
   * With `timeout` (seconds), rejects with ResultTimeoutError if it is not done by then.
   */
  get(options: { timeout?: number } = {}): Promise<R> {
    const { timeout } = options;
    if (timeout === undefined || this.ready()) return this.#promise;
    if (typeof timeout !== 'number' || !(timeout >= 0)) {
      return Promise.reject(new RangeError(`timeout must be a number of seconds >= 0, got ${String(timeout)}`));
    }
    return new Promise<R>((resolve, reject) => {
      const onSettled = () => {
        clearTimeout(timer);
        this.#promise.then(resolve, reject);
      };
      const timer = setTimeout(() => {
        this.#settledListeners.delete(onSettled);
        reject(new ResultTimeoutError(this.id, timeout));
      }, timeout * 1000);
      this.#settledListeners.add(onSettled);
    });
  }
}
