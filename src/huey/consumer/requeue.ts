/**
 * Putting a task back from inside the consumer: on the schedule (a task
 * dequeued before its eta, a retry with a delay) or on the queue (a retry, a
 * periodic task). Storage failures here are not exceptions but events
 * (EVENT_ERROR_SCHEDULING / EVENT_ERROR_ENQUEUEING) and a log line with the
 * message, and the caller learns whether storage took the task.
 */
import { EVENT_ERROR_ENQUEUEING, EVENT_ERROR_SCHEDULING, EVENT_SCHEDULED } from '../events.js';
import { QueueWriteException, ScheduleAddException, describeError } from '../exceptions.js';
import { guardStorage } from '../guard.js';
import { enqueueAtPriority } from '../enqueue.js';
import { encodeMessage } from '../message.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { messageText } from './error-records.js';
import { untilStored } from './until-stored.js';

/**
 * Puts a task on the schedule and emits EVENT_SCHEDULED (or EVENT_ERROR_SCHEDULING).
 * Resolves to whether it was scheduled.
 */
export async function scheduleForLater(rt: HueyRuntime, task: QueueTask): Promise<boolean> {
  rt.logger.info(`adding ${task} to schedule`);
  try {
    const message = encodeMessage(task, rt.serializer);
    const eta = task.eta ? task.eta.getTime() : 0;
    await guardStorage(ScheduleAddException, 'add to schedule', untilStored(rt, `schedule ${task}`, () => rt.storage.addToSchedule(message, eta)));
  } catch (err) {
    rt.emitter.task(EVENT_ERROR_SCHEDULING, task, {}, err);
    rt.logger.error(`error adding task to schedule: ${task}: ${describeError(err)}; message: ${messageText(task, rt.serializer)}`);
    return false;
  }
  rt.emitter.task(EVENT_SCHEDULED, task);
  return true;
}

/**
 * Enqueues from inside the consumer: failures become EVENT_ERROR_ENQUEUEING, not exceptions.
 * Resolves to whether it was enqueued.
 */
export async function enqueueForConsumer(rt: HueyRuntime, task: QueueTask): Promise<boolean> {
  try {
    const message = encodeMessage(task, rt.serializer);
    await guardStorage(QueueWriteException, 'enqueue', untilStored(rt, `enqueue ${task}`, () => enqueueAtPriority(rt.storage, message, task.priority)));
    return true;
  } catch (err) {
    rt.emitter.task(EVENT_ERROR_ENQUEUEING, task, {}, err);
    rt.logger.error(`error enqueueing task ${task}: ${describeError(err)}; message: ${messageText(task, rt.serializer)}`);
    return false;
  }
}
