/**
 * A graceful stop waits for running tasks and for the storage calls under
 * way (a worker's dequeue, the scheduler's read, storing a result). With the
 * server unreachable those calls sit in the client's offline queue and never
 * settle, so the stop would wait forever. This guard watches the storage
 * while a stop is under way: once it has been unreachable for `graceMs`
 * (time for a reconnect already under way to finish), it aborts the storage,
 * which rejects the waiting calls. Running task functions still finish;
 * only what they would store is lost, as it would be anyway.
 */
import type { Logger } from '../logger.js';
import type { HueyRuntime } from '../runtime.js';

/** How long a stop waits for an unreachable storage to come back before giving up on it. */
export const DEAD_STORAGE_GRACE_MS = 2000;

const CHECK_EVERY_MS = 100;

/**
 * Starts watching; returns the function that stops watching (call it once the stop is done).
 * Does nothing for storages that cannot tell whether they are connected (memory).
 * @example const unguard = guardStop(huey, logger); await stopEverything(); unguard();
 */
export function guardStop(huey: Pick<HueyRuntime, 'storage'>, logger: Logger, graceMs = DEAD_STORAGE_GRACE_MS): () => void {
  const storage = huey.storage;
  if (!storage.isConnected || !storage.abort) return () => undefined;
  let downSince: number | null = null;
  const timer = setInterval(() => {
    if (storage.isConnected?.()) {
      downSince = null;
      return;
    }
    const now = Date.now();
    downSince ??= now;
    if (now - downSince < graceMs) return;
    clearInterval(timer);
    logger.warn(
      'the storage is unreachable, so the stop does not wait for it: its pending calls are abandoned ' +
        '(tasks still running finish, but their results cannot be stored)',
    );
    storage.abort?.();
  }, CHECK_EVERY_MS);
  // Never what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
