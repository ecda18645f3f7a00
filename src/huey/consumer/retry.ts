/**
 * Retrying a failed task: one try less, EVENT_RETRYING, then back on the
 * queue at once, or on the schedule `retryDelay` seconds after the failed
 * run (the run's time, not the clock's, so a test's fake clock decides),
 * grown by the task's retryBackoff and spread by its retryJitter, or at
 * the time a RetryTask({ delay | eta }) asked for.
 */
import { EVENT_RETRYING } from '../events.js';
import { RetryTask } from '../exceptions.js';
import type { TaskDefinition } from '../registry.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { enqueueForConsumer, scheduleForLater } from './requeue.js';

/**
 * Schedules or enqueues the retry of a task that failed at `ts` (ms) with
 * `error`; resolves to whether storage took it. A RetryTask with a delay or
 * eta chooses the time; otherwise the delay is retryDelay, with the task's
 * backoff, jitter and maxRetryDelay (retryDelay(), below) when it has them.
 */
export function retryTask(rt: HueyRuntime, task: QueueTask, ts: number, def?: TaskDefinition, error?: unknown): Promise<boolean> {
  task.retries -= 1;
  const c = def?.controls;
  // Counted only where backoff needs it, so a plain task's retry message is what it always was.
  if (c !== undefined && c.retryBackoff !== 1) task.retried += 1;
  rt.emitter.task(EVENT_RETRYING, task);
  rt.logger.info(`re-enqueueing task ${task.id}, ${task.retries} tries left`);
  if (error instanceof RetryTask && (error.eta !== null || error.delay !== null)) {
    task.eta = error.eta ?? new Date(ts + (error.delay as number) * 1000);
    return scheduleForLater(rt, task);
  }
  const delay = c === undefined ? task.retryDelay : retryDelay(task.retryDelay, c, task.retried, Math.random);
  if (delay) {
    task.eta = new Date(ts + delay * 1000);
    return scheduleForLater(rt, task);
  }
  return enqueueForConsumer(rt, task);
}

/**
 * Seconds before a retry: `base` times backoff^(retries made before this
 * one), spread by +/- jitter (a fraction of it, drawn with `random`), at
 * most maxRetryDelay.
 */
export function retryDelay(
  base: number,
  c: { retryBackoff: number; retryJitter: number; maxRetryDelay: number },
  retried: number,
  random: () => number,
): number {
  let delay = base * c.retryBackoff ** Math.max(0, retried - 1);
  if (c.retryJitter > 0) delay *= 1 + (random() * 2 - 1) * c.retryJitter;
  return Math.max(0, Math.min(delay, c.maxRetryDelay));
}
