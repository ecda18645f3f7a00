/**
 * Job controls on the producer's side (docs/job-controls.md): checking a
 * task's control options once, when the task is declared, into the
 * TaskControls its definition carries; stamping them on each call; and the
 * unique key of a call. The consumer's side is in consumer/controls.ts.
 */
import type { TaskOptions } from './options.js';
import type { TaskControls, TaskDefinition } from './registry.js';
import type { ValueSerializer } from './serializer.js';
import { applyControls, type CallControls, type QueueTask } from './task.js';

/** The control options of TaskOptions, checked; undefined when the task uses none (it then costs nothing). */
export function parseControls(name: string, o: TaskOptions): TaskControls | undefined {
  const { priority, retryBackoff, retryJitter, maxRetryDelay, timeout, expires, rateLimit, unique } = o;
  if ([priority, retryBackoff, retryJitter, maxRetryDelay, timeout, expires, rateLimit, unique].every((v) => v === undefined)) return undefined;
  const bad = (what: string) => new TypeError(`task "${name}": ${what}`);
  if (priority !== undefined && !Number.isInteger(priority)) throw bad('priority must be an integer');
  if (retryBackoff !== undefined && !(typeof retryBackoff === 'number' && retryBackoff >= 1)) throw bad('retryBackoff must be a number >= 1');
  let jitter = 0;
  if (retryJitter === true) jitter = 0.5;
  else if (typeof retryJitter === 'number' && retryJitter >= 0 && retryJitter <= 1) jitter = retryJitter;
  else if (retryJitter !== undefined && retryJitter !== false) throw bad('retryJitter must be a boolean or a fraction from 0 to 1');
  if (maxRetryDelay !== undefined && !(typeof maxRetryDelay === 'number' && maxRetryDelay >= 0)) throw bad('maxRetryDelay must be a non-negative number of seconds');
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw bad('timeout must be a positive number of seconds');
  if (expires !== undefined && !(typeof expires === 'number' && expires >= 0)) throw bad('expires must be a non-negative number of seconds');
  if (rateLimit !== undefined) {
    const ok = typeof rateLimit === 'object' && rateLimit !== null && Number.isInteger(rateLimit.limit) && rateLimit.limit >= 1 && typeof rateLimit.per === 'number' && rateLimit.per > 0;
    if (!ok) throw bad('rateLimit must be { limit: a positive integer, per: seconds > 0 }');
  }
  if (unique !== undefined && typeof unique !== 'boolean' && typeof unique !== 'function') throw bad('unique must be true or a function of the arguments');
  return {
    priority: priority ?? 0,
    retryBackoff: retryBackoff ?? 1,
    retryJitter: jitter,
    maxRetryDelay: maxRetryDelay ?? Infinity,
    timeout: timeout ?? null,
    expires: expires ?? null,
    rateLimit: rateLimit ? { limit: rateLimit.limit, per: rateLimit.per } : null,
    unique: unique === true ? defaultUniqueKey : typeof unique === 'function' ? unique : null,
  };
}

/** Marks the default unique key (name and arguments), which needs the serializer. */
function defaultUniqueKey(): string {
  throw new Error('the default unique key is computed by uniqueKey()');
}

/**
 * Stamps a new call of `def` with the task's controls, then the call's own
 * (`perCall`), at time `now`. A task without controls is left as it is.
 */
export function stampControls(def: TaskDefinition, task: QueueTask, now: number, perCall?: CallControls): void {
  const c = def.controls;
  if (c !== undefined) {
    task.priority = c.priority;
    task.timeout = c.timeout;
    if (c.expires !== null) task.expires = new Date(now + c.expires * 1000);
  }
  if (perCall !== undefined) applyControls(task, perCall, now);
}

/**
 * The unique key of a call of `def` with `args`, or null when the task is
 * not unique: `<name>:<key>`, where the key is the task's function of the
 * arguments, or the arguments as the message encodes them.
 */
export function uniqueKey(def: TaskDefinition, args: unknown[], serializer: ValueSerializer): string | null {
  const fn = def.controls?.unique;
  if (!fn) return null;
  const key = fn === defaultUniqueKey ? JSON.stringify(serializer.encode(args, 'args')) : fn(args);
  if (typeof key !== 'string' || key === '') throw new TypeError(`task "${def.name}": unique() must return a non-empty string`);
  return `${def.name}:${key}`;
}
