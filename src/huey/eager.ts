/**
 * Eager mode (`alwaysEager: true`): a call runs its task, and its pipeline,
 * right away in the caller, with hooks, and without storage, events or a
 * consumer. Arguments and results still make the serializer's round trip, so
 * a test in eager mode sees what a consumer would. The caller (Huey.enqueue)
 * wraps each step's outcome in a TaskResult that holds it: get() gives the
 * value or throws TaskException.
 */
import { errorMetadata } from './consumer/error-records.js';
import { runPostExecute, runPreExecute } from './hooks.js';
import { decodeMessage, encodeMessage, type StoredData } from './message.js';
import { invokeTask } from './registry.js';
import type { HueyRuntime } from './runtime.js';
import type { JsonValue } from './serializer.js';
import type { QueueTask } from './task.js';

/** The steps that ran (a copy of the pipeline) and each one's outcome, null for steps that did not run. */
export interface EagerRun {
  chain: QueueTask[];
  outcomes: (StoredData | null)[];
}

/**
 * Runs `task` and the steps chained after it until one fails or is
 * cancelled; later steps are not run and their outcomes stay null.
 */
export async function runEagerly(rt: HueyRuntime, task: QueueTask): Promise<EagerRun> {
  const { serializer, logger } = rt;
  const copy = decodeMessage(encodeMessage(task, serializer), serializer);
  const chain = copy.chain();
  const outcomes: (StoredData | null)[] = chain.map(() => null);
  for (let i = 0; i < chain.length; i++) {
    const t = chain[i] as QueueTask;
    const def = rt.registry.get(t.name);
    if (!(await runPreExecute(rt.preExecuteHooks, t, logger))) break;
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
      outcomes[i] = { kind: 'error', error: errorMetadata(t, err) };
    }
    await runPostExecute(rt.postExecuteHooks, t, value, error, logger);
    if (failed) break;
    t.onComplete?.extendData(value);
  }
  return { chain, outcomes };
}
