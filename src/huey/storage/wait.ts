/**
 * The blocking result read shared by the backends: arm a notification for a
 * key, then read; if nothing is there, sleep until notified (or until a
 * re-check interval passes, in case a notification was lost) and read again.
 * Arming before the first read means a write between read and sleep is
 * never missed.
 */
import type { WaitForDataOptions } from './storage.js';

/** A level-triggered wake-up flag: a notify() before wait() makes the next wait() return at once. */
export class Signal {
  private flagged = false;
  private wakeUp: (() => void) | null = null;

  notify = (): void => {
    this.flagged = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  };

  /** Resolves on notify() or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.flagged) {
      this.flagged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, Math.max(0, ms));
      this.wakeUp = () => {
        clearTimeout(timer);
        this.flagged = false;
        resolve();
      };
    });
  }
}

/**
 * Runs the wait loop: `read` is called first, then after every wake-up or re-check.
 * `signal` must already be armed (subscribed) by the caller.
 */
export async function waitLoop(
  read: () => Promise<string | null>,
  signal: Signal,
  options: WaitForDataOptions,
): Promise<string | null> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = options.backoff && options.backoff > 1 ? options.backoff : 1;
  let recheck = Math.min(options.initialRecheckMs ?? 100, options.recheckMs);
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return null;
    await signal.wait(Math.min(remaining, recheck));
    recheck = Math.min(recheck * backoff, options.recheckMs);
  }
}
