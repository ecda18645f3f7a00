// The event stream a storage's listener() returns: messages pushed by the
// backend (in-memory fan-out, or a pub/sub connection) queue up until the
// consumer of the async iterator asks for them.

import type { EventSubscription } from './storage.js';

/**
 * Builds an EventSubscription. The caller wires `push` to its message source
 * and gives `release`, run once on close (unsubscribe, drop the connection).
 */
export function createSubscription(options: {
  ready: Promise<void>;
  release: () => Promise<void> | void;
}): { subscription: EventSubscription; push: (message: string) => void } {
  const buffer: string[] = [];
  const pending: Array<(r: IteratorResult<string>) => void> = [];
  let done = false;
  const push = (message: string) => {
    if (done) return;
    const p = pending.shift();
    if (p) p({ value: message, done: false });
    else buffer.push(message);
  };
  const close = async (): Promise<void> => {
    if (done) return;
    done = true;
    for (const p of pending.splice(0)) p({ value: undefined, done: true });
    await options.release();
  };
  const subscription: EventSubscription = {
    ready: options.ready,
    close,
    next: () => {
      const item = buffer.shift();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => pending.push(resolve));
    },
    return: async () => {
      await close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return subscription;
    },
  };
  return { subscription, push };
}
