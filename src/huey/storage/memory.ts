/**
 * MemoryStorage: the Storage contract held in this process's memory. Used by
 * MemoryHuey (tests, eager mode, single-process apps) and as the reference
 * the contract suite checks the Redis backend against. Nothing persists and
 * nothing is shared between processes.
 */
import { createSubscription } from './subscription.js';
import type { ChordCounters, EventSubscription, PausedTasks, PriorityQueues, RateLimitCounters, ReliableStorage, UniqueKeys, WaitForDataOptions } from './storage.js';
import { Signal, waitLoop } from './wait.js';
import { MemoryMonitoringState } from './memory-monitoring.js';
import type { ConsumerRecord, Monitoring } from './monitoring.js';

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

/** A FIFO of strings with O(1) push and shift. */
class Fifo {
  private items: string[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(item: string): void {
    this.items.push(item);
  }
  /** Puts an item back at the front (it is the next shift()). */
  unshift(item: string): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    // Compact now and then so the consumed prefix does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  toArray(): string[] {
    return this.items.slice(this.head);
  }
  removeAll(item: string): number {
    const live = this.toArray();
    const kept = live.filter((x) => x !== item);
    this.items = kept;
    this.head = 0;
    return live.length - kept.length;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** Storage in memory. See the Storage interface and its capabilities for each method. */
export class MemoryStorage implements ReliableStorage, PriorityQueues, RateLimitCounters, UniqueKeys, PausedTasks, ChordCounters, Monitoring {
  readonly name: string;
  private readonly blocking: boolean;
  private readonly readTimeoutMs: number;
  private readonly maxErrors: number;
  private readonly queue = new Fifo();
  private readonly dequeueWaiters: Array<(item: string | null) => void> = [];
  private schedule: ScheduledEntry[] = [];
  private seq = 0;
  private readonly data = new Map<string, string>();
  private readonly revocations = new Map<string, string>();
  private readonly dataWatchers = new Map<string, Set<() => void>>();
  private errors: string[] = [];
  private readonly subscribers = new Set<(message: string) => void>();
  private readonly subscriptions = new Set<EventSubscription>();
  // In-flight lists hold their messages oldest first.
  private readonly inFlight = new Map<string, string[]>();
  private readonly owners = new Map<string, string>();
  private readonly beats = new Map<string, { info: string; expiresAt: number }>();
  private readonly recovered = new Map<string, number>();
  private readonly clock: () => number;
  private closed = false;
  private readonly monitoring: MemoryMonitoringState;
  // Priority levels other than 0 (the plain queue), and every level in the order they are taken.
  private readonly levels = new Map<number, Fifo>();
  private takeOrder: Fifo[] = [];
  private readonly counters = new Map<string, { n: number; expiresAt: number }>();
  private readonly uniqueKeys = new Map<string, string>();
  private readonly parked = new Map<string, string[]>();
  private readonly chords = new Map<string, Set<string>>();

  constructor(name = 'huey', options: MemoryStorageOptions = {}) {
    this.name = name;
    this.blocking = options.blocking ?? true;
    this.readTimeoutMs = (options.readTimeout ?? 1) * 1000;
    this.maxErrors = options.maxErrors ?? 1000;
    this.clock = options.clock ?? Date.now;
    this.monitoring = new MemoryMonitoringState(this.clock);
  }

  async enqueue(data: string): Promise<void> {
    const waiter = this.dequeueWaiters.shift();
    if (waiter) waiter(data);
    else this.queue.push(data);
  }

  async enqueuePriority(data: string, priority: number): Promise<void> {
    if (priority === 0) return this.enqueue(data);
    const waiter = this.dequeueWaiters.shift();
    if (waiter) return waiter(data);
    let level = this.levels.get(priority);
    if (!level) {
      this.levels.set(priority, (level = new Fifo()));
      const sorted = [...this.levels.keys(), 0].sort((a, b) => b - a);
      this.takeOrder = sorted.map((p) => (p === 0 ? this.queue : (this.levels.get(p) as Fifo)));
    }
    level.push(data);
  }

  /** The next message of the highest non-empty level. */
  private shift(): string | undefined {
    if (this.levels.size === 0) return this.queue.shift();
    for (const level of this.takeOrder) {
      const item = level.shift();
      if (item !== undefined) return item;
    }
    return undefined;
  }

  /** The plain queue and every priority level. */
  private allLevels(): Fifo[] {
    return this.levels.size === 0 ? [this.queue] : this.takeOrder;
  }

  dequeue(): Promise<string | null> {
    const item = this.shift();
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

  async dequeueMany(count: number): Promise<string[]> {
    const out: string[] = [];
    while (out.length < count) {
      const item = this.shift();
      if (item === undefined) break;
      out.push(item);
    }
    return out;
  }

  wake(): void {
    for (const waiter of this.dequeueWaiters.splice(0)) waiter(null);
  }

  // --- in-flight lists (reliable delivery) ----------------------------------

  private list(name: string): string[] {
    let l = this.inFlight.get(name);
    if (!l) this.inFlight.set(name, (l = []));
    return l;
  }

  async takeMany(list: string, count: number): Promise<string[]> {
    const taken = await this.dequeueMany(count);
    if (taken.length) this.list(list).push(...taken);
    return taken;
  }

  async take(list: string): Promise<string | null> {
    const item = this.shift();
    if (item !== undefined) {
      this.list(list).push(item);
      return item;
    }
    if (this.closed) throw new Error(`memory storage "${this.name}" is closed`);
    if (!this.blocking) return null;
    return this.waitForItem((item) => this.list(list).push(item));
  }

  async ack(list: string, data: string): Promise<boolean> {
    return this.removeOne(list, data);
  }

  private removeOne(list: string, data: string): boolean {
    const l = this.inFlight.get(list);
    const i = l ? l.indexOf(data) : -1;
    if (!l || i < 0) return false;
    l.splice(i, 1);
    if (l.length === 0) this.inFlight.delete(list);
    return true;
  }

  async inFlightItems(list?: string): Promise<string[]> {
    const names = list === undefined ? [...this.owners.keys()] : [list];
    return names.flatMap((n) => [...(this.inFlight.get(n) ?? [])]);
  }

  async requeueNewest(list: string): Promise<string | null> {
    const l = this.inFlight.get(list);
    const item = l?.pop();
    if (item === undefined) return null;
    if (l?.length === 0) this.inFlight.delete(list);
    this.toFront(item);
    return item;
  }

  async requeueInFlight(list: string, data: string): Promise<boolean> {
    if (!this.removeOne(list, data)) return false;
    this.toFront(data);
    return true;
  }

  /** Puts a message back at the front of the queue (or straight into a waiting dequeue). */
  private toFront(item: string): void {
    const waiter = this.dequeueWaiters.shift();
    if (waiter) waiter(item);
    else this.queue.unshift(item);
  }

  async peekNewest(list: string): Promise<string | null> {
    const l = this.inFlight.get(list);
    return l && l.length ? (l[l.length - 1] as string) : null;
  }

  async discardInFlight(list: string, data: string, metadata: string): Promise<boolean> {
    if (!this.removeOne(list, data)) return false;
    await this.putError(metadata);
    return true;
  }

  async claimInFlight(from: string, to: string): Promise<'claimed' | 'empty' | 'busy'> {
    const source = this.inFlight.get(from);
    if (!source || source.length === 0) return 'empty';
    if ((this.inFlight.get(to)?.length ?? 0) > 0) return 'busy';
    this.inFlight.delete(from);
    this.inFlight.set(to, source);
    return 'claimed';
  }

  async registerInFlight(consumer: string, lists: string[]): Promise<void> {
    for (const l of lists) this.owners.set(l, consumer);
  }

  async unregisterInFlight(lists: string[]): Promise<void> {
    for (const l of lists) this.owners.delete(l);
  }

  async inFlightOwners(): Promise<Record<string, string>> {
    return Object.fromEntries(this.owners);
  }

  async heartbeat(consumer: string, ttlMs: number, info: string): Promise<void> {
    this.beats.set(consumer, { info, expiresAt: this.clock() + ttlMs });
  }

  async dropHeartbeat(consumer: string): Promise<void> {
    this.beats.delete(consumer);
  }

  async heartbeats(consumers: string[]): Promise<(string | null)[]> {
    const now = this.clock();
    return consumers.map((c) => {
      const beat = this.beats.get(c);
      return beat && beat.expiresAt > now ? beat.info : null;
    });
  }

  async countRecovery(id: string): Promise<number> {
    const n = (this.recovered.get(id) ?? 0) + 1;
    this.recovered.set(id, n);
    return n;
  }

  async forgetRecovery(id: string): Promise<void> {
    this.recovered.delete(id);
  }

  async unqueue(data: string): Promise<number> {
    let n = 0;
    for (const level of this.allLevels()) n += level.removeAll(data);
    return n;
  }

  async queueSize(): Promise<number> {
    let n = 0;
    for (const level of this.allLevels()) n += level.length;
    return n;
  }

  async enqueuedItems(limit?: number): Promise<string[]> {
    const all = this.allLevels().flatMap((level) => level.toArray());
    return limit === undefined ? all : all.slice(0, limit);
  }

  async flushQueue(): Promise<void> {
    this.queue.clear();
    this.levels.clear();
    this.takeOrder = [];
  }

  // --- job controls ----------------------------------------------------------

  async countStart(key: string, ttlMs: number): Promise<number> {
    const now = this.clock();
    const c = this.counters.get(key);
    if (c && c.expiresAt > now) return ++c.n;
    this.counters.set(key, { n: 1, expiresAt: now + ttlMs });
    return 1;
  }

  async claimUnique(key: string, id: string): Promise<string | null> {
    const holder = this.uniqueKeys.get(key);
    if (holder !== undefined) return holder;
    this.uniqueKeys.set(key, id);
    return null;
  }

  async releaseUnique(key: string, id: string): Promise<void> {
    if (this.uniqueKeys.get(key) === id) this.uniqueKeys.delete(key);
  }

  async park(name: string, data: string): Promise<void> {
    let l = this.parked.get(name);
    if (!l) this.parked.set(name, (l = []));
    l.push(data);
  }

  async unpark(name: string): Promise<number> {
    const l = this.parked.get(name) ?? [];
    this.parked.delete(name);
    for (let i = l.length - 1; i >= 0; i--) {
      const item = l[i] as string;
      const waiter = this.dequeueWaiters.shift();
      if (waiter) waiter(item);
      else this.queue.unshift(item);
    }
    return l.length;
  }

  async markChordMember(chord: string, member: string): Promise<{ added: boolean; count: number }> {
    let done = this.chords.get(chord);
    if (!done) this.chords.set(chord, (done = new Set()));
    const added = !done.has(member);
    done.add(member);
    return { added, count: done.size };
  }

  async parkedItems(name: string): Promise<string[]> {
    return [...(this.parked.get(name) ?? [])];
  }

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

  // --- monitoring (monitoring.ts) --------------------------------------------

  async putConsumer(id: string, info: string, ttlMs: number): Promise<void> {
    this.monitoring.putConsumer(id, info, ttlMs);
  }

  async dropConsumer(id: string): Promise<void> {
    this.monitoring.dropConsumer(id);
  }

  async consumers(): Promise<ConsumerRecord[]> {
    return this.monitoring.consumers();
  }

  async addCounts(bucket: string, increments: Record<string, number>, ttlMs: number): Promise<void> {
    this.monitoring.addCounts(bucket, increments, ttlMs);
  }

  async readCounts(buckets: string[]): Promise<Record<string, number>[]> {
    return this.monitoring.readCounts(buckets);
  }

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
    this.inFlight.clear();
    this.recovered.clear();
    this.counters.clear();
    this.uniqueKeys.clear();
    this.parked.clear();
    this.chords.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }
}
