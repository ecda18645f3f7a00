/**
 * Retrying a failed task: one try less, EVENT_RETRYING, then back on the
 * queue at once, or on the schedule `retryDelay` seconds after the failed
 * run (the run's time, not the clock's, so a test's fake clock decides).
 */
import { EVENT_RETRYING } from '../events.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { enqueueForConsumer, scheduleForLater } from './requeue.js';

/** Schedules or enqueues the retry of a task that failed at `ts` (ms); resolves to whether storage took it. */
export function retryTask(rt: HueyRuntime, task: QueueTask, ts: number): Promise<boolean> {
  task.retries -= 1;
  rt.emitter.task(EVENT_RETRYING, task);
  rt.logger.info(`re-enqueueing task ${task.id}, ${task.retries} tries left`);
  if (task.retryDelay) {
    task.eta = new Date(ts + task.retryDelay * 1000);
    return scheduleForLater(rt, task);
  }
  return enqueueForConsumer(rt, task);
}
