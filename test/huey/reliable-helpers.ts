// Helpers for the reliable-mode suites: waiting for a condition (with a
// generous deadline, never a timing assertion), a promise to open by hand,
// and a consumer made to look dead (its heartbeat expired).
import type { Backend, TestHuey } from './backends.js';

/** Resolves once `check()` is true; fails after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise with its resolve function. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

/**
 * Makes `consumer`'s heartbeat expire. Memory storage expires heartbeats by
 * the huey's (injected) clock, so the clock moves on; Redis and simpledb
 * expire them by their own clock, so the heartbeat gets a 1 ms TTL and we
 * wait until the server has dropped it.
 */
export async function expireHeartbeat(
  b: Backend,
  huey: TestHuey<boolean>,
  consumer: string,
  clock: { advance(seconds: number): void },
): Promise<void> {
  if (b.kind === 'memory') {
    clock.advance(huey.reliability.recoveryDelayMs / 1000 + 1);
  } else {
    await huey.storage.heartbeat(consumer, 1, 'expiring');
  }
  await until(async () => (await huey.storage.heartbeats([consumer]))[0] === null, 10_000, `expiry of ${consumer}'s heartbeat`);
}

/** A consumer that took `count` messages into its in-flight list (named after it) and then stopped beating. */
export async function deadConsumer(
  b: Backend,
  huey: TestHuey<boolean>,
  id: string,
  count: number,
  clock: { advance(seconds: number): void },
): Promise<string[]> {
  await huey.storage.registerInFlight(id, [id]);
  await huey.storage.heartbeat(id, huey.reliability.heartbeatTtlMs, '{}');
  const taken = await huey.storage.takeMany(id, count);
  await expireHeartbeat(b, huey, id, clock);
  return taken;
}
