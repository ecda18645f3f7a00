/**
 * In-process wake-ups for SqliteStorage. SQLite has no notifications, so
 * waiters (a blocking dequeue, a blocking result read, an event listener)
 * poll; but a write made by this process wakes the waiters of this process
 * at once, across every SqliteStorage open on the same file and huey name.
 * Writes from other processes are seen at the next poll.
 */
import { resolve } from 'node:path';

const waiters = new Map<string, Set<() => void>>();

/** The key that names one channel (queue, a result key, events) of one huey in one file. */
export function channel(filename: string, name: string, what: string): string {
  const file = filename === ':memory:' ? filename : resolve(filename);
  return `${file}\0${name}\0${what}`;
}

/** Calls `fn` on every notify(key) until the returned function is called. */
export function listen(key: string, fn: () => void): () => void {
  let set = waiters.get(key);
  if (!set) waiters.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0 && waiters.get(key) === set) waiters.delete(key);
  };
}

/** Wakes the in-process waiters of `key`. */
export function notify(key: string): void {
  const set = waiters.get(key);
  if (set) for (const fn of [...set]) fn();
}
