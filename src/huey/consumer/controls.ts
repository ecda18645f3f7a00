/**
 * Job controls on the consumer's side (docs/job-controls.md), each a step
 * the executor takes only for tasks that use it: dropping an expired task,
 * holding back a task over its rate limit, setting aside a paused task's
 * message, running an attempt under a timeout, and freeing a unique key
 * once its task is done.
 */
import { EVENT_ERROR_TASK, EVENT_EXPIRED, EVENT_PAUSED, EVENT_RATE_LIMITED } from '../events.js';
import { TaskExpired, TaskTimeout, describeError } from '../exceptions.js';
import { decodeMessage, encodeMessage } from '../message.js';
import { invokeTask, type TaskDefinition } from '../registry.js';
import { checkBeforeRun } from '../revocation.js';
import type { HueyRuntime } from '../runtime.js';
import { requireCapability } from '../storage/storage.js';
import type { QueueTask } from '../task.js';
import { recordError, reportBadMessage, setAside } from './error-records.js';
import { scheduleForLater } from './requeue.js';
import { retryTask } from './retry.js';

/** Whether `task` has expired at `ts` (ms). */
export function isExpired(task: QueueTask, ts: number): boolean {
  return task.expires !== null && task.expires.getTime() < ts;
}

/** Drops an expired task: EVENT_EXPIRED, an error result (TaskExpired), its unique key freed. Resolves to whether that was stored. */
export async function expire(rt: HueyRuntime, task: QueueTask): Promise<boolean> {
  rt.logger.info(`task ${task} expired before it started, not running`);
  rt.emitter.task(EVENT_EXPIRED, task, { expires: (task.expires as Date).getTime() / 1000 });
  const settled = rt.storeErrors ? await recordError(rt, task, new TaskExpired(task), false) : true;
  await releaseUnique(rt, task);
  return settled;
}

/**
 * Counts this start against the task's rate limit, in fixed windows of
 * `per` seconds from the epoch (by the run's time `ts`). Over the limit,
 * the task goes on the schedule for the start of the next window
 * (EVENT_RATE_LIMITED) and this resolves to whether storage took it;
 * within the limit it resolves to null and the task runs.
 */
export async function holdBackIfLimited(rt: HueyRuntime, def: TaskDefinition, task: QueueTask, ts: number): Promise<boolean | null> {
  const limit = def.controls?.rateLimit;
  if (!limit) return null;
  const perMs = limit.per * 1000;
  const window = Math.floor(ts / perMs);
  let count: number;
  try {
    // Lives two windows, so a clock a little behind the server's still finds its counter.
    count = await requireCapability(rt.storage, 'rateLimit').countStart(`${task.name}:${window}`, 2 * perMs);
  } catch (err) {
    // Unknown count: not run (the limit might be exceeded) and not lost.
    rt.logger.error(`error counting the start of ${task} for its rate limit: ${describeError(err)}`);
    return setAside(rt, task, err);
  }
  if (count <= limit.limit) return null;
  task.eta = new Date((window + 1) * perMs);
  rt.logger.info(`task ${task} is over its rate limit of ${limit.limit} per ${limit.per}s; runs in the next window`);
  rt.emitter.task(EVENT_RATE_LIMITED, task, { limit: limit.limit, per: limit.per });
  return scheduleForLater(rt, task);
}

/**
 * Sets aside a message of a paused task (EVENT_PAUSED). If the task was
 * resumed meanwhile (its pause record is gone once the message is set
 * aside), takes the messages back itself, so none waits for a resume that
 * already happened. Resolves to whether the message is safe in storage.
 */
export async function setAsidePaused(rt: HueyRuntime, task: QueueTask, ts: number): Promise<boolean> {
  try {
    const storage = requireCapability(rt.storage, 'pause');
    await storage.park(task.name, encodeMessage(task, rt.serializer));
    rt.emitter.task(EVENT_PAUSED, task);
    if ((await checkBeforeRun(rt.storage, task, ts)) !== 'paused') await storage.unpark(task.name);
    return true;
  } catch (err) {
    rt.logger.error(`error setting aside paused task ${task}: ${describeError(err)}`);
    return setAside(rt, task, err);
  }
}

/**
 * Runs an attempt that has a timeout of `seconds`: the task gets an
 * AbortSignal (task.signal) that fires with a TaskTimeout at the deadline,
 * and the attempt fails with that error then, whether or not the task
 * stops. A task that ignores the signal goes on in the background, with
 * its outcome ignored; one that blocks the event loop cannot be stopped
 * here (thread and process workers are replaced by their master instead).
 */
export function invokeWithTimeout(def: TaskDefinition, task: QueueTask, seconds: number): Promise<unknown> {
  const controller = new AbortController();
  task.signal = controller.signal;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const err = new TaskTimeout(task.name, seconds);
      controller.abort(err);
      reject(err);
    }, seconds * 1000);
    const settle = (fn: (v: unknown) => void) => (v: unknown) => {
      clearTimeout(timer);
      fn(v);
    };
    new Promise((r) => r(invokeTask(def, task))).then(settle(resolve), settle(reject));
  });
}

/** The timeout of an attempt of `task`, in seconds, or null. */
export function timeoutOf(def: TaskDefinition, task: QueueTask): number | null {
  return task.timeout ?? def.controls?.timeout ?? null;
}

/** Frees the task's unique key, if it holds one (its task is done: finished, failed for good, revoked, expired). */
export async function releaseUnique(rt: HueyRuntime, task: QueueTask): Promise<void> {
  if (task.unique === null) return;
  try {
    await requireCapability(rt.storage, 'unique').releaseUnique(task.unique, task.id);
  } catch (err) {
    rt.logger.error(`error freeing unique key ${task.unique} of ${task}: ${describeError(err)}`);
  }
}

/**
 * The timeout of a raw message's task in seconds, or null: what a thread or
 * process worker tells its master. Cheap for a huey without timeouts (no
 * decoding unless the message or some task has one).
 */
export function timeoutOfMessage(rt: HueyRuntime, raw: string): number | null {
  if (!raw.includes('"timeout"') && !rt.registry.hasTimeouts()) return null;
  try {
    const task = decodeMessage(raw, rt.serializer);
    const def = rt.registry.find(task.name);
    return def ? timeoutOf(def, task) : null;
  } catch {
    return null;
  }
}

/**
 * The outcome of a task whose thread or process worker was replaced because
 * it ran past its timeout (`raw` is its message, `ts` the time): an error
 * result and error-list entry with TaskTimeout, EVENT_ERROR_TASK, and a
 * retry while retries are left (else its unique key is freed). Resolves to
 * whether all of that reached storage.
 */
export async function failOverrun(rt: HueyRuntime, raw: string, ts: number): Promise<boolean> {
  let task: QueueTask;
  try {
    task = decodeMessage(raw, rt.serializer);
  } catch (err) {
    return reportBadMessage(rt, raw, err);
  }
  const def = rt.registry.find(task.name);
  const error = new TaskTimeout(task.name, (def && timeoutOf(def, task)) ?? 0);
  rt.logger.error(`task ${task} ran past its timeout; its worker was replaced`);
  let settled = rt.storeErrors ? await recordError(rt, task, error, true) : true;
  rt.emitter.task(EVENT_ERROR_TASK, task, {}, error);
  if (task.retries > 0) settled = (await retryTask(rt, task, ts, def, error)) && settled;
  else await releaseUnique(rt, task);
  return settled;
}
