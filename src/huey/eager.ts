/**
 * Eager mode (`alwaysEager: true`): a call runs its task, and its pipeline,
 * right away in the caller, with hooks, and without storage, events or a
 * consumer. Arguments and results still make the serializer's round trip, so
 * a test in eager mode sees what a consumer would. The TaskResults it returns
 * hold their outcome: get() gives the value or throws TaskException.
 */
import type { Huey } from './api.js';
import { runPostExecute, runPreExecute } from './hooks.js';
import { decodeMessage, encodeMessage, type StoredData } from './message.js';
import { invokeTask } from './registry.js';
import { TaskResult } from './result.js';
import type { JsonValue } from './serializer.js';
import type { QueueTask } from './task.js';

/**
 * Runs `task` and the steps chained after it until one fails or is
 * cancelled; later steps are not run and their results read as null.
 */
export async function runEagerly(
  huey: Huey<boolean>,
  task: QueueTask,
): Promise<TaskResult<unknown> | TaskResult<unknown>[] | null> {
  const { serializer, logger } = huey;
  const copy = decodeMessage(encodeMessage(task, serializer), serializer);
  const chain = copy.chain();
  const outcomes: (StoredData | null)[] = chain.map(() => null);
  for (let i = 0; i < chain.length; i++) {
    const t = chain[i] as QueueTask;
    const def = huey.registry.get(t.name);
    if (!(await runPreExecute(huey.preExecuteHooks, t, logger))) break;
    let value: unknown;
    let error: unknown;
    let failed = false;
    try {
      value = await invokeTask(def, t);
      value = serializer.decode(JSON.parse(JSON.stringify(serializer.encode(value, 'result'))) as JsonValue);
      outcomes[i] = { kind: 'value', value };
    } catch (err) {
      failed = true;
      error = err;
      outcomes[i] = { kind: 'error', error: huey.errorMetadata(t, err) };
    }
    await runPostExecute(huey.postExecuteHooks, t, value, error, logger);
    if (failed) break;
    t.onComplete?.extendData(value);
  }
  if (!huey.resultStore) return null;
  const results = chain.map((t, i) => new TaskResult(huey, t, outcomes[i]));
  return task.onComplete ? results : (results[0] as TaskResult<unknown>);
}
