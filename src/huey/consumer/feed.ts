/**
 * MessageFeed: one queue reader shared by all async workers of a consumer.
 * Idle workers wait in line; the feed takes as many messages as there are
 * waiting workers in one round trip (RPOP with a count), and only when the
 * queue is empty does it block (BRPOP) on the storage's dedicated
 * connection. So 50 workers cost one blocked connection, not 50, and a busy
 * queue is drained in batches. It never takes more messages than it has
 * workers waiting for, so a crash loses no more than BRPOP per worker would.
 */
import type { Storage } from '../storage/storage.js';
import type { MessageSource } from './worker.js';

interface Waiter {
  resolve(message: string | null): void;
  reject(err: unknown): void;
}

/** A MessageSource shared by several workers. */
export class MessageFeed implements MessageSource {
  private readonly waiters: Waiter[] = [];
  private fetching = false;
  private stopped = false;

  constructor(private readonly storage: Storage) {}

  next(): Promise<string | null> {
    if (this.stopped) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  /** Stops fetching; waiting workers get null. A fetch already under way still hands out what it got. */
  stop(): void {
    this.stopped = true;
    this.storage.wake();
    if (!this.fetching) for (const w of this.waiters.splice(0)) w.resolve(null);
  }

  private pump(): void {
    if (this.fetching || this.waiters.length === 0) return;
    if (this.stopped) {
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    this.fetching = true;
    void this.fetch().finally(() => {
      this.fetching = false;
      this.pump();
    });
  }

  private async fetch(): Promise<void> {
    let items: string[];
    try {
      items = await this.storage.dequeueMany(this.waiters.length);
      if (items.length === 0 && !this.stopped) {
        const one = await this.storage.dequeue();
        items = one === null ? [] : [one];
      }
    } catch (err) {
      for (const w of this.waiters.splice(0)) w.reject(err);
      return;
    }
    if (items.length === 0) {
      // Timed out or woken: let every waiting worker loop (and notice a stop).
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    for (const item of items) (this.waiters.shift() as Waiter).resolve(item);
  }
}
