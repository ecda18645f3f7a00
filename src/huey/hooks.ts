/**
 * Named hook lists (pre-execute, post-execute, startup, shutdown) and the code that runs
 * them. Hooks run in the order they were registered; registering a name again
 * replaces that hook in place, as Python's OrderedDict does. A failing hook is
 * logged and never stops the task or the consumer, except CancelExecution
 * from a pre-execute hook, which cancels the task.
 */
import { CancelExecution, tracebackOf } from './exceptions.js';
import type { Logger } from './logger.js';
import type { QueueTask } from './task.js';

/** Runs before each task; throw CancelExecution to cancel it. */
export type PreExecuteHook = (task: QueueTask) => unknown;
/** Runs after each task with its value (or undefined) and error (or undefined). */
export type PostExecuteHook = (task: QueueTask, value: unknown, error: unknown) => unknown;
/** Runs when a worker starts. */
export type StartupHook = () => unknown;
/** Runs when a worker stops (after its last task), to close what its startup hook opened. */
export type ShutdownHook = () => unknown;

/** An ordered set of named callbacks. */
export class HookList<F extends (...args: never[]) => unknown> {
  private readonly hooks = new Map<string, F>();

  register(name: string, fn: F): void {
    if (typeof fn !== 'function') throw new TypeError(`hook "${name}" must be a function`);
    this.hooks.set(name, fn);
  }

  /** Removes a hook; returns whether it existed. */
  unregister(name: string): boolean {
    return this.hooks.delete(name);
  }

  get size(): number {
    return this.hooks.size;
  }

  entries(): [string, F][] {
    return [...this.hooks.entries()];
  }
}

/** Picks the hook name for the short forms `preExecute(fn)` / `preExecute(name, fn)`. */
export function hookArgs<F extends (...args: never[]) => unknown>(nameOrFn: string | F, maybeFn?: F): [string, F] {
  if (typeof nameOrFn === 'function') {
    if (!nameOrFn.name) throw new TypeError('an anonymous hook needs a name: hook(name, fn)');
    return [nameOrFn.name, nameOrFn];
  }
  if (typeof maybeFn !== 'function') throw new TypeError(`hook "${nameOrFn}" needs a function`);
  return [nameOrFn, maybeFn];
}

/** Runs pre-execute hooks; resolves to false when one cancelled the task. */
export async function runPreExecute(hooks: HookList<PreExecuteHook>, task: QueueTask, logger: Logger): Promise<boolean> {
  for (const [name, hook] of hooks.entries()) {
    try {
      await hook(task);
    } catch (err) {
      if (err instanceof CancelExecution) {
        logger.info(`execution of ${task} cancelled by ${name}`);
        return false;
      }
      logger.error(`pre-execute hook ${name} failed for ${task}: ${tracebackOf(err)}`);
    }
  }
  return true;
}

/** Runs post-execute hooks. */
export async function runPostExecute(
  hooks: HookList<PostExecuteHook>,
  task: QueueTask,
  value: unknown,
  error: unknown,
  logger: Logger,
): Promise<void> {
  for (const [name, hook] of hooks.entries()) {
    try {
      await hook(task, value, error);
    } catch (err) {
      logger.error(`post-execute hook ${name} failed for ${task}: ${tracebackOf(err)}`);
    }
  }
}
