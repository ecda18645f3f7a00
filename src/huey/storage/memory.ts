/**
 * MemoryStorage: the Storage contract held in this process's memory. Used by
 * MemoryHuey (tests, eager mode, single-process apps) and as the reference
 * the contract suite checks the Redis backend against. Nothing persists and
 * nothing is shared between processes.
 *
 * The queue's levels are in memory-priorities.ts; each other capability is a
 * module of its own, bound onto the storage by bind-capability.ts: reliable
 * delivery (memory-in-flight.ts), rate-limit counters (memory-rate-limits.ts),
 * unique keys (memory-unique.ts), paused tasks (memory-paused.ts), chord
 * counters (memory-chords.ts) and monitoring's records and counters
 * (memory-monitoring.ts).
 */
import { bindCapability, bindControls } from './bind-capability.js';
import { MemoryChordCounters } from './memory-chords.js';
import { MemoryInFlight } from './memory-in-flight.js';
import { MEMORY_MONITORING_METHODS, MemoryMonitoring } from './memory-monitoring.js';
import { MemoryPausedTasks } from './memory-paused.js';
import { MemoryLevels } from './memory-priorities.js';
import { MemoryRateLimitCounters } from './memory-rate-limits.js';
import { MemoryUniqueKeys } from './memory-unique.js';
import type { Monitoring } from './monitoring.js';
import { RELIABLE_METHODS, type EventSubscription, type JobControlCapabilities, type ReliableDelivery, type Storage, type WaitForDataOptions } from './storage.js';
import { createSubscription } from './subscription.js';
import { Signal, waitLoop } from './wait.js';

/** Options for MemoryStorage. */
export interface MemoryStorageOptions {
  /** dequeue() waits up to readTimeout for a message (default true). */
  blocking?: boolean;
  /** Seconds a blocking dequeue waits (default 1). */
  readTimeout?: number;
  /** Error list cap (default 1000); when exceeded it is trimmed to 90%. */
  maxErrors?: number;
  /** The clock heartbeats expire by, in ms (default Date.now); tests pass a fake one. */
  clock?: () => number;
}

interface ScheduledEntry {
  ts: number;
  seq: number;
  data: string;
}

/** The capabilities MemoryStorage gets from modules of their own, bound on in the constructor. */
export interface MemoryStorage extends ReliableDelivery, JobControlCapabilities, Monitoring {}

/** Storage in memory. See the Storage interface and its capabilities for each method. */
export class MemoryStorage implements Storage {
  readonly name: string;
  private readonly blocking: boolean;
  private readonly readTimeoutMs: number;
  private readonly maxErrors: number;
  private readonly queue = new MemoryLevels();
  private readonly dequeueWaiters: Array<(item: string | null) => void> = [];
  private schedule: ScheduledEntry[] = [];
  private seq = 0;
  private readonly data = new Map<string, string>();
  private readonly revocations = new Map<string, string>();
  private readonly dataWatchers = new Map<string, Set<() => void>>();
  private errors: string[] = [];
  private readonly subscribers = new Set<(message: string) => void>();
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly clock: () => number;
  private closed = false;
  /** The capabilities' parts, for flushAll. */
  private readonly parts: { clear(): void }[];

  constructor(name = 'huey', options: MemoryStorageOptions = {}) {
    this.name = name;
    this.blocking = options.blocking ?? true;
    this.readTimeoutMs = (options.readTimeout ?? 1) * 1000;
    this.maxErrors = options.maxErrors ?? 1000;
    this.clock = options.clock ?? Date.now;
    const inFlight = new MemoryInFlight({
      name,
      blocking: this.blocking,
      clock: this.clock,
      isClosed: () => this.closed,
      shift: () => this.queue.shift(),
      shiftUpTo: (count) => this.shiftUpTo(count),
      waitForItem: (onItem) => this.waitForItem(onItem),
      toFront: (item) => this.toFront(item),
      putError: (metadata) => this.putError(metadata),
    });
    const controls = {
      rateLimit: new MemoryRateLimitCounters(this.clock),
      unique: new MemoryUniqueKeys(),
      pause: new MemoryPausedTasks((item) => this.toFront(item)),
      chord: new MemoryChordCounters(),
    };
    this.parts = [inFlight, ...Object.values(controls)];
    bindCapability(this, inFlight, RELIABLE_METHODS);
    // enqueuePriority is this class's own (it hands a message to a waiting dequeue first).
    bindControls(this, controls);
    bindCapability(this, new MemoryMonitoring(this.clock), MEMORY_MONITORING_METHODS);
  }

  // --- queue ---------------------------------------------------------------

  async enqueue(data: string): Promise<void> {
    const waiter = this.dequeueWaiters.shift();
    if (waiter) waiter(data);
    else this.queue.plain.push(data);
  }

  async enqueuePriority(data: string, priority: number): Promise<void> {
    const waiter = this.dequeueWaiters.shift();
    if (waiter) waiter(data);
    else this.queue.push(data, priority);
  }

  dequeue(): Promise<string | null> {
    const item = this.queue.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.closed) return Promise.reject(new Error(`memory storage "${this.name}" is closed`));
    if (!this.blocking) return Promise.resolve(null);
    return this.waitForItem();
  }

  /**
   * Waits up to the read timeout for the next enqueue, which hands its item
   * over synchronously to `onItem` first (so, for take(), the item is in
   * flight before anyone else can see it). Resolves to the item, or null.
   */
  private waitForItem(onItem?: (item: string) => void): Promise<string | null> {
    return new Promise((resolve) => {
      const waiter = (value: string | null) => {
        clearTimeout(timer);
        if (value !== null) onItem?.(value);
        resolve(value);
      };
      const timer = setTimeout(() => {
        const i = this.dequeueWaiters.indexOf(waiter);
        if (i >= 0) this.dequeueWaiters.splice(i, 1);
        resolve(null);
      }, this.readTimeoutMs);
      this.dequeueWaiters.push(waiter);
    });
  }

  private shiftUpTo(count: number): string[] {
    const out: string[] = [];
    while (out.length < count) {
      const item = this.queue.shift();
      if (item === undefined) break;
      out.push(item);
    }
    return out;
  }

  async dequeueMany(count: number): Promise<string[]> {
    return this.shiftUpTo(count);
  }

  wake(): void {
    for (const waiter of this.dequeueWaiters.splice(0)) waiter(null);
  }

  /** Puts a message back at the front of the plain queue (or straight into a waiting dequeue). */
  private toFront(item: string): void {
    const waiter = this.dequeueWaiters.shift();
    if (waiter) waiter(item);
    else this.queue.plain.unshift(item);
  }

  async unqueue(data: string): Promise<number> {
    let n = 0;
    for (const level of this.queue.all()) n += level.removeAll(data);
    return n;
  }

  async queueSize(): Promise<number> {
    let n = 0;
    for (const level of this.queue.all()) n += level.length;
    return n;
  }

  async enqueuedItems(limit?: number): Promise<string[]> {
    const all = this.queue.all().flatMap((level) => level.toArray());
    return limit === undefined ? all : all.slice(0, limit);
  }

  async flushQueue(): Promise<void> {
    this.queue.clear();
  }

  // --- schedule ------------------------------------------------------------

  async addToSchedule(data: string, ts: number): Promise<void> {
    const entry = { ts, seq: this.seq++, data };
    // Binary search keeps the schedule sorted by (ts, insertion order).
    let lo = 0;
    let hi = this.schedule.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.schedule[mid] as ScheduledEntry).ts <= ts) lo = mid + 1;
      else hi = mid;
    }
    this.schedule.splice(lo, 0, entry);
  }

  async readSchedule(ts: number): Promise<string[]> {
    let n = 0;
    while (n < this.schedule.length && (this.schedule[n] as ScheduledEntry).ts <= ts) n++;
    return this.schedule.splice(0, n).map((e) => e.data);
  }

  async scheduleSize(): Promise<number> {
    return this.schedule.length;
  }

  async scheduledItems(limit?: number): Promise<string[]> {
    const all = this.schedule.map((e) => e.data);
    return limit === undefined ? all : all.slice(0, limit);
  }

  async flushSchedule(): Promise<void> {
    this.schedule = [];
  }

  async putData(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    const watchers = this.dataWatchers.get(key);
    if (watchers) for (const w of watchers) w();
  }

  async peekData(key: string): Promise<string | null> {
    return this.data.get(key) ?? null;
  }

  async popData(key: string): Promise<string | null> {
    const value = this.data.get(key);
    if (value === undefined) return null;
    this.data.delete(key);
    return value;
  }

  async hasDataForKey(key: string): Promise<boolean> {
    return this.data.has(key);
  }

  async putIfEmpty(key: string, value: string): Promise<boolean> {
    if (this.data.has(key)) return false;
    await this.putData(key, value);
    return true;
  }

  async waitForData(key: string, options: WaitForDataOptions): Promise<string | null> {
    const signal = new Signal();
    let set = this.dataWatchers.get(key);
    if (!set) this.dataWatchers.set(key, (set = new Set()));
    set.add(signal.notify);
    try {
      return await waitLoop(() => (options.peek ? this.peekData(key) : this.popData(key)), signal, options);
    } finally {
      set.delete(signal.notify);
      if (set.size === 0) this.dataWatchers.delete(key);
    }
  }

  async resultStoreSize(): Promise<number> {
    return this.data.size;
  }

  async resultItems(): Promise<Record<string, string>> {
    return Object.fromEntries(this.data);
  }

  async flushResults(): Promise<void> {
    this.data.clear();
    this.revocations.clear();
  }

  async putRevocation(key: string, value: string): Promise<void> {
    this.revocations.set(key, value);
  }

  async peekRevocations(keys: string[]): Promise<(string | null)[]> {
    return keys.map((k) => this.revocations.get(k) ?? null);
  }

  async popRevocation(key: string): Promise<string | null> {
    const value = this.revocations.get(key);
    if (value === undefined) return null;
    this.revocations.delete(key);
    return value;
  }

  async hasRevocations(): Promise<boolean> {
    return this.revocations.size > 0;
  }

  async putError(metadata: string): Promise<void> {
    this.errors.unshift(metadata);
    if (this.errors.length > this.maxErrors) this.errors.length = Math.floor(this.maxErrors * 0.9) + 1;
  }

  async getErrors(limit?: number, offset = 0): Promise<string[]> {
    return this.errors.slice(offset, limit === undefined ? undefined : offset + limit);
  }

  async flushErrors(): Promise<void> {
    this.errors = [];
  }

  // --- monitoring's removals, and events ---------------------------------

  async removeError(metadata: string): Promise<boolean> {
    const i = this.errors.indexOf(metadata);
    if (i >= 0) this.errors.splice(i, 1);
    return i >= 0;
  }

  async unschedule(data: string): Promise<boolean> {
    const i = this.schedule.findIndex((e) => e.data === data);
    if (i >= 0) this.schedule.splice(i, 1);
    return i >= 0;
  }

  async emit(message: string): Promise<void> {
    for (const s of this.subscribers) s(message);
  }

  listener(): EventSubscription {
    const { subscription, push } = createSubscription({
      ready: Promise.resolve(),
      release: () => {
        this.subscribers.delete(push);
        this.subscriptions.delete(subscription);
      },
    });
    this.subscribers.add(push);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async flushAll(): Promise<void> {
    await this.flushQueue();
    await this.flushSchedule();
    await this.flushResults();
    await this.flushErrors();
    for (const part of this.parts) part.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }
}
