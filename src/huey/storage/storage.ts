/**
 * The Storage contract: what a backend must do for huey. It mirrors Python
 * Huey's BaseStorage (enqueue, dequeue, ..., flush_all) in camelCase, with
 * every call returning a Promise and data as strings (JSON messages). A few
 * extensions make the Node consumer fast: batched dequeue, a way to wake a
 * blocked dequeue, and a blocking result read that is woken by the write
 * instead of polling.
 *
 * At-least-once delivery (docs/reliability.md) is a capability of its own,
 * ReliableDelivery: in-flight lists that tasks move into atomically while
 * they run, consumer heartbeats, and what recovery needs to hand a dead
 * consumer's tasks back. A backend needs only Storage to run in the default
 * mode; a consumer of a `reliable: true` huey checks for ReliableDelivery
 * when it is created (requireReliableDelivery) and says what is missing.
 */
import { ConfigurationError } from '../exceptions.js';

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

/** A huey storage backend: the core contract every backend implements. All keys/data are strings. */
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

  // --- key/value (results, locks) -----------------------------------------
  /** Stores a value under `key`, and wakes anyone waiting for it (see waitForData). */
  putData(key: string, value: string): Promise<void>;
  /** Reads a value without removing it; null if absent. */
  peekData(key: string): Promise<string | null>;
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
  /** Removes all key/value pairs, and every revocation record (they are kept apart from the results). */
  flushResults(): Promise<void>;

  // --- revocations (records as revocation.ts writes them, apart from the results) ---
  /** Stores a revocation record under `key`, replacing any. */
  putRevocation(key: string, value: string): Promise<void>;
  /** Reads several records without removing them; null for absent ones. */
  peekRevocations(keys: string[]): Promise<(string | null)[]>;
  /** Reads and removes a record; null if absent. */
  popRevocation(key: string): Promise<string | null>;
  /**
   * Whether any revocation record exists. The consumer asks right after it
   * takes messages from the queue, in the same round trip: when there are
   * none, what it just took cannot be revoked and no record needs reading.
   */
  hasRevocations(): Promise<boolean>;

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

  /** Removes queue, schedule, results, revocations and errors (and, with ReliableDelivery, the in-flight lists and recovery counts). */
  flushAll(): Promise<void>;
  /** Releases connections and timers. The storage is unusable afterwards. */
  close(): Promise<void>;

  /**
   * Optional, for storages behind a network connection: whether the server
   * is reachable right now. A consumer's graceful stop uses it (with abort())
   * so that it never waits forever on calls queued for a dead connection.
   */
  isConnected?(): boolean;
  /**
   * Optional, for storages behind a network connection: calls `listener`
   * whenever the connection is (re-)established, after a lost connection or a
   * failover to another server. Writes that failed meanwhile may have left
   * tasks stranded; a reliable consumer then checks its in-flight list.
   * Returns the function that stops the calls.
   */
  onReconnect?(listener: () => void): () => void;
  /**
   * Optional: drops every connection at once. Calls still waiting (including
   * those queued while offline, which never reached the server) are rejected,
   * and so are later ones. The storage is unusable afterwards; close() still
   * may be called.
   */
  abort?(): void;
  /**
   * Optional, for storages behind a network connection that re-establish it
   * on their own: calls `listener` each time the connection is ready again
   * after it was lost (a reliable consumer then reconciles its in-flight
   * lists: a take whose reply was lost left a message there that no worker
   * knows of). Returns the function that stops the calls.
   */
  onReconnect?(listener: () => void): () => void;
  /**
   * Optional: whether `err` (thrown by one of this storage's calls) says the
   * storage was unavailable, not that the call was wrong: the connection
   * dropped before the outcome was known (the call may or may not have taken
   * effect), or the server is still loading its data after a restart. While
   * the storage is open (it reconnects on its own), such a call can be tried
   * again. False after close() or abort().
   */
  isUnavailable?(err: unknown): boolean;
}

/**
 * The reliable-delivery capability (`reliable: true`). A consumer in reliable
 * mode takes each message by moving it atomically from the queue into an
 * in-flight list of its own, and removes it from there (ack) once its
 * outcome is stored. Lists are named by the caller and registered with the
 * consumer whose heartbeat vouches for them, so that any consumer can find
 * the lists of a dead one and hand them back.
 */
export interface ReliableDelivery {
  /**
   * Moves up to `count` of the oldest queued messages into the in-flight list
   * `list`, one atomic move each, and returns them oldest first. Never waits.
   */
  takeMany(list: string, count: number): Promise<string[]>;
  /**
   * dequeue() for reliable mode: the message moves atomically into the
   * in-flight list `list`. A blocking storage waits up to its read timeout;
   * wake() ends the wait (nothing is moved then).
   */
  take(list: string): Promise<string | null>;
  /** Removes one copy of `data` from in-flight list `list` (its task is done); resolves to whether it was there. */
  ack(list: string, data: string): Promise<boolean>;
  /** The messages of one in-flight list, oldest first; without `list`, of every registered list. */
  inFlightItems(list?: string): Promise<string[]>;
  /**
   * Moves the newest message of in-flight list `list` to the front of the
   * queue (it is the next to be dequeued) and returns it; null when the list
   * is empty. Moving a list's messages this way one by one keeps their order.
   */
  requeueNewest(list: string): Promise<string | null>;
  /**
   * Moves one copy of `data` from in-flight list `list` to the front of the
   * queue, in one atomic step; resolves to whether it was there (if not, the
   * queue is left as it was). A reliable consumer uses it for a message in
   * its own list that none of its workers runs.
   */
  requeueInFlight(list: string, data: string): Promise<boolean>;
  /** The newest message of in-flight list `list` without moving it; null when empty. */
  peekNewest(list: string): Promise<string | null>;
  /**
   * Gives up on a message: in one atomic step removes one copy of `data` from
   * in-flight list `list` and adds `metadata` to the error list (capped as
   * putError). Resolves to whether `data` was there; if not, nothing changes.
   */
  discardInFlight(list: string, data: string, metadata: string): Promise<boolean>;
  /**
   * Renames in-flight list `from` to `to` in one atomic step, unless `to`
   * holds messages: 'claimed' when done, 'empty' when `from` has no
   * messages, 'busy' when `to` has some (nothing changes then).
   */
  claimInFlight(from: string, to: string): Promise<'claimed' | 'empty' | 'busy'>;
  /** Records that in-flight `lists` belong to `consumer` (its heartbeat vouches for them). */
  registerInFlight(consumer: string, lists: string[]): Promise<void>;
  /** Forgets the registration of `lists` (their messages, if any, stay). */
  unregisterInFlight(lists: string[]): Promise<void>;
  /** Every registered in-flight list, with the consumer it belongs to. */
  inFlightOwners(): Promise<Record<string, string>>;
  /** Sets `consumer`'s heartbeat to `info`, expiring `ttlMs` from now (the server's clock). */
  heartbeat(consumer: string, ttlMs: number, info: string): Promise<void>;
  /** Removes `consumer`'s heartbeat at once (a consumer that stops cleanly). */
  dropHeartbeat(consumer: string): Promise<void>;
  /** The heartbeat info of each of `consumers`, or null where it is missing or has expired. */
  heartbeats(consumers: string[]): Promise<(string | null)[]>;
  /** Adds one to the number of times task `id` was recovered from a dead consumer; resolves to the new count. */
  countRecovery(id: string): Promise<number>;
  /** Forgets task `id`'s recovery count. */
  forgetRecovery(id: string): Promise<void>;
}

/** A storage with reliable delivery. */
export type ReliableStorage = Storage & ReliableDelivery;

/** The ReliableDelivery methods, as hasReliableDelivery checks them. */
export const RELIABLE_METHODS = ['takeMany', 'take', 'ack', 'inFlightItems', 'requeueNewest', 'requeueInFlight', 'peekNewest', 'discardInFlight', 'claimInFlight', 'registerInFlight', 'unregisterInFlight', 'inFlightOwners', 'heartbeat', 'dropHeartbeat', 'heartbeats', 'countRecovery', 'forgetRecovery'] as const;

/** The ReliableDelivery methods `storage` lacks (none: it has the capability). */
export function missingReliableDelivery(storage: Storage): string[] {
  const s = storage as unknown as Record<string, unknown>;
  return RELIABLE_METHODS.filter((m) => typeof s[m] !== 'function');
}

/** Whether `storage` has the reliable-delivery capability. */
export function hasReliableDelivery(storage: Storage): storage is ReliableStorage {
  return missingReliableDelivery(storage).length === 0;
}

/**
 * `storage` as a ReliableStorage, or a ConfigurationError naming what it
 * lacks: a consumer of a `reliable: true` huey calls this before it takes
 * any task, so that a backend without in-flight lists fails at start rather
 * than losing tasks later.
 */
export function requireReliableDelivery(storage: Storage): ReliableStorage {
  const missing = missingReliableDelivery(storage);
  if (missing.length === 0) return storage as ReliableStorage;
  const kind = storage.constructor?.name || 'this storage';
  throw new ConfigurationError(
    `reliable: true needs a storage with reliable delivery (in-flight lists, heartbeats, recovery counts); ${kind} lacks ${missing.join(', ')}. ` +
      'Use a backend that implements ReliableDelivery (MemoryStorage, RedisStorage, SqliteStorage), or set reliable: false.',
  );
}

/*
 * Job controls (docs/job-controls.md) need a little more from a storage than
 * the core. Each need is a capability of its own, so that a backend can
 * offer some and not others; a feature that needs one checks for it where it
 * is first used (a task declared with the option, a call, pause()) and says
 * what is missing, as requireReliableDelivery does.
 */

/**
 * Priority levels. A storage with this capability keeps one queue per level
 * and every queue method covers all of them: dequeue, dequeueMany, take and
 * takeMany take from the highest non-empty level first (FIFO within a
 * level), queueSize counts all levels, enqueuedItems lists them highest
 * first, unqueue and flushQueue reach every level. Level 0 is the plain
 * queue (enqueue()), so a storage without priorities in use behaves as before.
 */
export interface PriorityQueues {
  /** Adds a message to the queue of level `priority` (an integer; higher is taken first). */
  enqueuePriority(data: string, priority: number): Promise<void>;
}

/** Start counters for rate limits. */
export interface RateLimitCounters {
  /**
   * Adds one to counter `key`, creating it to live `ttlMs` (the server's
   * clock), and resolves to its new value. Atomic across consumers.
   */
  countStart(key: string, ttlMs: number): Promise<number>;
}

/** Unique keys: which task holds each key while it is queued, scheduled or running. */
export interface UniqueKeys {
  /** Gives `key` to task `id` unless another task holds it: resolves to null when given, else the holder's id. Atomic. */
  claimUnique(key: string, id: string): Promise<string | null>;
  /** Frees `key` if task `id` holds it (a key taken over by another task is left alone). */
  releaseUnique(key: string, id: string): Promise<void>;
}

/** Where the messages of a paused task wait (see Huey.pause). */
export interface PausedTasks {
  /** Sets a message of paused task `name` aside. */
  park(name: string, data: string): Promise<void>;
  /** Moves the messages set aside for `name` back to the front of the plain queue, oldest next; resolves to how many. */
  unpark(name: string): Promise<number>;
  /** The messages set aside for `name`, oldest first. */
  parkedItems(name: string): Promise<string[]>;
}

/** Chord counters: which members of a chord have finished. */
export interface ChordCounters {
  /**
   * Marks member `member` of chord `chord` finished, in one atomic step, and
   * resolves to whether it was not marked before (`added`) and how many
   * members are marked now (`count`). The record lives `ttlMs` after the last mark.
   */
  markChordMember(chord: string, member: string, ttlMs: number): Promise<{ added: boolean; count: number }>;
}

/** The job-control capabilities by the feature that needs them, and their methods. */
export const CONTROL_CAPABILITIES = {
  priority: { methods: ['enqueuePriority'], what: 'priority levels (PriorityQueues)' },
  rateLimit: { methods: ['countStart'], what: 'start counters (RateLimitCounters)' },
  unique: { methods: ['claimUnique', 'releaseUnique'], what: 'unique keys (UniqueKeys)' },
  pause: { methods: ['park', 'unpark', 'parkedItems'], what: 'a place for paused tasks (PausedTasks)' },
  chord: { methods: ['markChordMember'], what: 'chord counters (ChordCounters)' },
} as const;

/** What each feature's capability gives. */
export interface ControlCapabilities {
  priority: PriorityQueues;
  rateLimit: RateLimitCounters;
  unique: UniqueKeys;
  pause: PausedTasks;
  chord: ChordCounters;
}

/** Every job-control capability at once, as MemoryStorage, RedisStorage and SqliteStorage have them. */
export interface JobControlCapabilities extends PriorityQueues, RateLimitCounters, UniqueKeys, PausedTasks, ChordCounters {}

/** Whether `storage` has the capability `feature` needs. */
export function hasCapability<F extends keyof ControlCapabilities>(storage: Storage, feature: F): storage is Storage & ControlCapabilities[F] {
  const s = storage as unknown as Record<string, unknown>;
  return CONTROL_CAPABILITIES[feature].methods.every((m) => typeof s[m] === 'function');
}

/**
 * `storage` with the capability `feature` (priority, rateLimit, unique,
 * pause) needs, or a ConfigurationError naming what it lacks.
 */
export function requireCapability<F extends keyof ControlCapabilities>(storage: Storage, feature: F): Storage & ControlCapabilities[F] {
  if (hasCapability(storage, feature)) return storage;
  const s = storage as unknown as Record<string, unknown>;
  const cap = CONTROL_CAPABILITIES[feature];
  const missing = cap.methods.filter((m) => typeof s[m] !== 'function');
  const kind = storage.constructor?.name || 'this storage';
  throw new ConfigurationError(
    `${feature} needs a storage with ${cap.what}; ${kind} lacks ${missing.join(', ')}. Use a backend that implements it (MemoryStorage, RedisStorage, SqliteStorage), or do without ${feature}.`,
  );
}
