/**
 * What a run reports beyond its result: progress while it runs
 * (`task.progress()`: stored under `progress:<id>` in the result store, and
 * an EVENT_PROGRESS), and its error callback when it fails for good
 * (`task.s().error(onError)`: the callback is enqueued with the error's
 * metadata as its last argument).
 */
import { EVENT_PROGRESS } from '../events.js';
import { describeError } from '../exceptions.js';
import { encodeResult, progressKey } from '../message.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { errorMetadata } from './error-records.js';
import { enqueueForConsumer } from './requeue.js';

/** Lets `task.progress()` work while the task runs. */
export function attachProgress(rt: HueyRuntime, task: QueueTask): void {
  task.reporter = async (value, data) => {
    await rt.storage.putData(progressKey(task.id), encodeResult(data === undefined ? { value } : { value, data }, rt.serializer));
    rt.emitter.task(EVENT_PROGRESS, task, data === undefined ? { progress: value } : { progress: value, data });
  };
}

/** Once the task is done for good, its progress record goes (the result says the rest). */
export async function dropProgress(rt: HueyRuntime, task: QueueTask): Promise<void> {
  task.reporter = undefined;
  try {
    await rt.storage.popData(progressKey(task.id));
  } catch (err) {
    rt.logger.warn(`could not remove the progress of ${task}: ${describeError(err)}`);
  }
}

/** Enqueues the error callback of a task that failed for good; resolves to whether storage took it (true when there is none). */
export function enqueueErrorCallback(rt: HueyRuntime, task: QueueTask, error: unknown): Promise<boolean> {
  const callback = task.onError;
  if (callback === null) return Promise.resolve(true);
  callback.args = [...callback.args, errorMetadata(task, error)];
  rt.logger.info(`task ${task} failed: enqueueing its error callback ${callback.name}`);
  return enqueueForConsumer(rt, callback);
}
