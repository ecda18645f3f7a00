/**
 * The Storage contract: what a backend must do for huey. It mirrors Python
 * Huey's BaseStorage (enqueue, dequeue, ..., flush_all) in camelCase, with
 * every call returning a Promise and data as strings (JSON messages). A few
 * extensions make the Node consumer fast: batched dequeue, a way to wake a
 * blocked dequeue, and a blocking result read that is woken by the write
 * instead of polling.
 */

/** A stream of consumer events, as raw JSON strings. */
export interface EventSubscription extends AsyncIterableIterator<string> {
  /** Resolves when the subscription is active (events emitted after this are seen). */
  readonly ready: Promise<void>;
  /** Stops listening; pending and later `next()` calls end the iteration. */
  close(): Promise<void>;
}

/** Options for Storage.waitForData. */
export interface WaitForDataOptions {
  /** Give up after this many milliseconds (Infinity: never). */
  timeoutMs: number;
  /** Read without removing (peekData) instead of removing (popData). */
  peek: boolean;
  /** Longest single wait between re-checks, in ms, in case a notification is lost. */
  recheckMs: number;
  /** Re-check interval growth factor (the seed's backoff) applied from `initialRecheckMs` up to `recheckMs`. */
  backoff?: number;
  /** First re-check interval in ms (default 100). */
  initialRecheckMs?: number;
}

/** A huey storage backend. All keys/data are strings. */
export interface Storage {
  /** The huey name this storage belongs to. */
  readonly name: string;

  // --- queue ---------------------------------------------------------------
  /** Adds a message to the queue. */
  enqueue(data: string): Promise<void>;
  /**
   * Removes and returns the oldest message, or null if none. A blocking
   * storage waits up to its read timeout for one to arrive.
   */
  dequeue(): Promise<string | null>;
  /** Removes and returns up to `count` of the oldest messages at once, without waiting. */
  dequeueMany(count: number): Promise<string[]>;
  /** Makes dequeue calls that are waiting return soon (best effort; no message is lost). */
  wake(): void;
  /** Removes the given message from the queue; returns how many were removed. */
  unqueue(data: string): Promise<number>;
  /** Number of queued messages. */
  queueSize(): Promise<number>;
  /** Queued messages without removing them, in dequeue order (oldest first); at most `limit`. */
  enqueuedItems(limit?: number): Promise<string[]>;
  /** Empties the queue. */
  flushQueue(): Promise<void>;

  // --- schedule ------------------------------------------------------------
  /** Adds a message to run at `ts` (ms since the epoch). */
  addToSchedule(data: string, ts: number): Promise<void>;
  /** Removes and returns every message due at or before `ts` (ms since the epoch). */
  readSchedule(ts: number): Promise<string[]>;
  /** Number of scheduled messages. */
  scheduleSize(): Promise<number>;
  /** Scheduled messages without removing them, soonest first; at most `limit`. */
  scheduledItems(limit?: number): Promise<string[]>;
  /** Empties the schedule. */
  flushSchedule(): Promise<void>;

  // --- key/value (results, revocations, locks) -----------------------------
  /** Stores a value under `key`, and wakes anyone waiting for it (see waitForData). */
  putData(key: string, value: string): Promise<void>;
  /** Reads a value without removing it; null if absent. */
  peekData(key: string): Promise<string | null>;
  /** Reads several values without removing them; null for absent ones. */
  peekDataMany(keys: string[]): Promise<(string | null)[]>;
  /** Reads and removes a value; null if absent. */
  popData(key: string): Promise<string | null>;
  /** Whether `key` has a value. */
  hasDataForKey(key: string): Promise<boolean>;
  /** Stores a value only if `key` has none; returns whether it was stored. Atomic. */
  putIfEmpty(key: string, value: string): Promise<boolean>;
  /**
   * Waits until `key` has a value, then reads it (removing it unless `peek`).
   * Returns null on timeout. Woken by putData, so there is no polling delay.
   */
  waitForData(key: string, options: WaitForDataOptions): Promise<string | null>;
  /** Number of stored key/value pairs. */
  resultStoreSize(): Promise<number>;
  /** All key/value pairs, without removing them. */
  resultItems(): Promise<Record<string, string>>;
  /** Removes all key/value pairs. */
  flushResults(): Promise<void>;

  // --- errors --------------------------------------------------------------
  /** Adds error metadata (JSON) to the error list, newest first; the list is capped at maxErrors. */
  putError(metadata: string): Promise<void>;
  /** Error list entries, newest first. */
  getErrors(limit?: number, offset?: number): Promise<string[]>;
  /** Empties the error list. */
  flushErrors(): Promise<void>;

  // --- events --------------------------------------------------------------
  /** Publishes a consumer event (JSON) to listeners; what it resolves to is not used. */
  emit(message: string): Promise<unknown>;
  /** Subscribes to consumer events. */
  listener(): EventSubscription;

  /** Removes queue, schedule, results and errors. */
  flushAll(): Promise<void>;
  /** Releases connections and timers. The storage is unusable afterwards. */
  close(): Promise<void>;
}
