/**
 * MiniHuey's pool (see mini.ts): runs task calls in this event loop, at
 * most `size` at a time; further calls wait their turn, first come first
 * served. Each call is a MiniJob whose MiniResult the pool settles, and
 * `join()` resolves once nothing is running or waiting.
 */
import { MiniResult, type MiniResultStatus, type ResultControls } from './mini-result.js';
import type { MiniLogger, PeriodicValidator } from './mini-types.js';

/** A task registered with `mini.task()`. */
export interface MiniTaskDef {
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  readonly validate: PeriodicValidator | undefined;
}

/** One call of a task, with the result handed to the caller and the means to settle it. */
export interface MiniJob {
  readonly task: MiniTaskDef;
  readonly args: unknown[];
  readonly result: MiniResult<unknown>;
  readonly controls: ResultControls<unknown>;
}

/** A job for one call of `task`, its result in state `status`. */
export function makeJob(task: MiniTaskDef, args: unknown[], eta: Date | null, status: MiniResultStatus): MiniJob {
  let controls!: ResultControls<unknown>;
  const result = new MiniResult<unknown>(task.name, eta, status, (c) => {
    controls = c;
  });
  return { task, args, result, controls };
}

/** Where the pool reports starts, finishes and failures. */
export type MiniPoolLog = (level: keyof MiniLogger, message: string, ...extra: unknown[]) => void;

/** Runs jobs, at most `size` at once (Infinity: no limit). */
export class MiniPool {
  // Jobs waiting for a slot, first come first served; #waitingHead avoids O(n) shifts.
  #waiting: MiniJob[] = [];
  #waitingHead = 0;
  #active = 0;
  #idleListeners: (() => void)[] = [];
  readonly #log: MiniPoolLog;

  /** `log` must never throw: a logger that does must not leave a slot taken or a result unsettled. */
  constructor(
    readonly size: number,
    log: MiniPoolLog,
  ) {
    this.#log = log;
  }

  /** Jobs running now. */
  get activeCount(): number {
    return this.#active;
  }

  /** Jobs waiting for a slot. */
  get waitingCount(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  /** Runs `job` now if a slot is free, else queues it. */
  dispatch(job: MiniJob): void {
    if (this.#active < this.size) {
      this.#run(job);
    } else {
      job.controls.setStatus('waiting');
      this.#waiting.push(job);
    }
  }

  /** Resolves once no job is running or waiting. */
  join(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleListeners.push(resolve));
  }

  #run(job: MiniJob): void {
    this.#active++;
    job.controls.setStatus('running');
    const started = performance.now();
    const { task, args, result, controls } = job;
    this.#log('debug', `executing ${task.name} (${result.id})`);
    // Start in a microtask so the caller gets its result object before the function runs.
    // The slot is freed before the result settles, so whoever awaits get() sees the counts already updated.
    Promise.resolve()
      .then(() => task.fn(...(args as never[])))
      .then(
        (value) => {
          this.#active--;
          this.#log('info', `executed ${task.name} (${result.id}) in ${((performance.now() - started) / 1000).toFixed(3)}s`);
          controls.resolve(value);
          this.#next();
        },
        (err: unknown) => {
          this.#active--;
          this.#log('error', `task ${task.name} (${result.id}) failed`, err);
          controls.reject(err);
          this.#next();
        },
      );
  }

  #next(): void {
    while (this.#active < this.size && this.#waitingHead < this.#waiting.length) {
      const job = this.#waiting[this.#waitingHead++]!;
      this.#run(job);
    }
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    if (this.#isIdle()) {
      this.#waiting = [];
      this.#waitingHead = 0;
      const listeners = this.#idleListeners;
      this.#idleListeners = [];
      for (const listener of listeners) listener();
    }
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.waitingCount === 0;
  }
}
