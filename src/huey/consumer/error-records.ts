/**
 * What the consumer keeps when things go wrong: the error metadata of a
 * failed task (result store and error list), tasks set aside because they
 * could not safely run, and queue messages that cannot be run at all (bad
 * messages). Every record carries what is needed to recover the task by hand.
 */
import { EVENT_ERROR_INTERNAL, taskFields } from '../events.js';
import { QueueException, describeError, tracebackOf, type ErrorMetadata } from '../exceptions.js';
import { encodeErrorResult, encodeMessage } from '../message.js';
import type { HueyRuntime } from '../runtime.js';
import type { ValueSerializer } from '../serializer.js';
import type { QueueTask } from '../task.js';
import { untilStored } from './until-stored.js';

/** Error metadata for a failed task. */
export function errorMetadata(task: QueueTask, error: unknown): ErrorMetadata {
  return {
    ...taskFields(task),
    error: describeError(error),
    traceback: tracebackOf(error),
  };
}

/** The task's message for a log line, so a task that storage refused can still be recovered by hand. */
export function messageText(task: QueueTask, serializer: ValueSerializer): string {
  try {
    return encodeMessage(task, serializer);
  } catch (err) {
    return `(not serializable: ${describeError(err)})`;
  }
}

/** Stores a failure (result store and, if asked, error list); resolves to whether it was stored. */
export async function recordError(rt: HueyRuntime, task: QueueTask, error: unknown, toErrorList: boolean): Promise<boolean> {
  const metadata = errorMetadata(task, error);
  try {
    const what = `store the failure of ${task}`;
    if (rt.resultStore) await untilStored(rt, what, () => rt.storage.putData(task.id, encodeErrorResult(metadata)));
    // The message rides along in the error list so that `huey retry` can run the task again with its arguments.
    const entry = JSON.stringify({ ...metadata, message: messageText(task, rt.serializer) });
    if (toErrorList) await untilStored(rt, what, () => rt.storage.putError(entry));
    return true;
  } catch (err) {
    rt.logger.error(`error storing the failure of ${task}: ${describeError(err)}`);
    return false;
  }
}

/**
 * Keeps a task the consumer could not safely run (e.g. its revocation could
 * not be read) in the error list, with its message, instead of running it
 * blindly or putting it straight back (which would spin on a broken store).
 */
export async function setAside(rt: HueyRuntime, task: QueueTask, error: unknown): Promise<boolean> {
  const metadata: ErrorMetadata = { ...errorMetadata(task, error), message: messageText(task, rt.serializer) };
  try {
    await untilStored(rt, `keep task ${task} in the error list`, () => rt.storage.putError(JSON.stringify(metadata)));
    return true;
  } catch (err) {
    rt.logger.error(`could not keep task ${task} in the error list (${describeError(err)}); message: ${metadata.message}`);
    return false;
  }
}

/**
 * Handles a queue message that cannot be run (not JSON, unknown version,
 * unknown task name): logs a QueueException, emits EVENT_ERROR_INTERNAL and
 * keeps the message in the error list. When the message has a task id, the
 * error is also stored as that task's result, so a producer waiting on it
 * gets TaskException at once rather than at its timeout. Resolves to whether
 * it was all kept.
 */
export async function reportBadMessage(rt: HueyRuntime, raw: string, error: unknown): Promise<boolean> {
  const err = error instanceof QueueException ? error : new QueueException(describeError(error), { cause: error });
  let id: string | null = null;
  let name: string | null = null;
  try {
    const o = JSON.parse(raw) as { id?: unknown; name?: unknown };
    if (typeof o.id === 'string') id = o.id;
    if (typeof o.name === 'string') name = o.name;
  } catch {
    // Not JSON: nothing more to extract.
  }
  rt.logger.error(`QueueException: ${err.message}${id ? ` (task ${id})` : ''}`);
  const extra: Record<string, unknown> = id ? { id, task: name } : {};
  rt.emitter.status(EVENT_ERROR_INTERNAL, extra, err);
  const metadata: ErrorMetadata = {
    id,
    task: name,
    retries: 0,
    retryDelay: 0,
    executeTime: null,
    error: describeError(err),
    traceback: tracebackOf(err),
    message: raw,
  };
  try {
    await untilStored(rt, 'keep a bad message in the error list', () => rt.storage.putError(JSON.stringify(metadata)));
    const taskId = id;
    if (taskId !== null && rt.resultStore) {
      await untilStored(rt, 'store the error result of a bad message', () => rt.storage.putData(taskId, encodeErrorResult(metadata)));
    }
    return true;
  } catch (putErr) {
    rt.logger.error(`could not keep bad message in the error list (${describeError(putErr)}); message: ${raw}`);
    return false;
  }
}
