/**
 * What a run leaves in storage (its result or error record, its retry, the
 * next step of its pipeline, a revocation read before it runs) must not be
 * lost to a dropped connection. The client reconnects on its own but never
 * resends a command whose reply was lost, so a call cut off that way is
 * tried again here, until the storage is back, while the task stays in
 * flight; only then is it acknowledged. So is a call a restarted server
 * refused while it was still loading its data. A store that may have taken effect
 * before the reply was lost can happen twice: a result is overwritten with
 * the same value, an error record or a follow-up task may be there twice
 * (at-least-once, see docs/reliability.md). Any other failure is the
 * caller's to handle, as before.
 */
import { describeError } from '../exceptions.js';
import type { HueyRuntime } from '../runtime.js';

/** First pause after a call was cut off, and the longest one (ms). */
const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 2000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `op`; while it fails because the storage is unavailable (see
 * Storage.isUnavailable; never after the storage was closed), waits and runs it again. `what` names the call in
 * the log. Calls made while the client reconnects wait in its queue, so a
 * pause is only needed between failures.
 * @example await untilStored(rt, `store result of ${task}`, () => rt.storage.putData(task.id, value));
 */
export async function untilStored<T>(
  rt: Pick<HueyRuntime, 'storage' | 'logger'>,
  what: string,
  op: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = pause,
): Promise<T> {
  let wait = FIRST_PAUSE_MS;
  let tries = 0;
  for (;;) {
    try {
      const value = await op();
      if (tries > 0) rt.logger.info(`${what}: done after the connection came back`);
      return value;
    } catch (err) {
      if (!rt.storage.isUnavailable?.(err)) throw err;
      if (tries === 0) rt.logger.warn(`${what}: the storage is unavailable (${describeError(err)}); trying again until it is back`);
      tries++;
      await sleep(wait);
      wait = Math.min(wait * 2, LONGEST_PAUSE_MS);
    }
  }
}
