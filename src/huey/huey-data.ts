/**
 * HueyData: the layer of the Huey class (api.ts) that reads and writes
 * what a huey's storage holds outside of running tasks: the listings and
 * counts that the `huey` command and the dashboard show, flushing, the
 * registered task names, the seed's key/value put() and get(), and locks.
 * A listing never fails on one bad entry (introspection.ts decodes them).
 * The chain of layers is described in huey-core.ts.
 */
import { DataStoreGetException, DataStorePutException, type ErrorMetadata } from './exceptions.js';
import { guardStorage } from './guard.js';
import { HueyCore } from './huey-core.js';
import { decodeAll, inFlightMessages, readAllResults, readErrors } from './introspection.js';
import { TaskLock } from './lock.js';
import { decodeStored, encodeResult } from './message.js';
import { checkOptions } from './option-check.js';
import type { QueueTask } from './task.js';

/** Listings, counts, key/value and locks of a huey (see Huey in api.ts). */
export class HueyData extends HueyCore {
  private readonly lockKeys = new Map<string, string>();

  // --- listings and counts -----------------------------------------------------------------

  /** Queued tasks, next to run first (messages that cannot be decoded are left out). */
  async pending(limit?: number): Promise<QueueTask[]> {
    return decodeAll(await this.storage.enqueuedItems(limit), this.serializer);
  }

  /** Scheduled tasks, soonest first. */
  async scheduled(limit?: number): Promise<QueueTask[]> {
    return decodeAll(await this.storage.scheduledItems(limit), this.serializer);
  }

  /**
   * Tasks that reliable consumers have taken and not yet finished (including
   * those of dead consumers not yet recovered), oldest first within each
   * consumer. None with a storage that lacks reliable delivery.
   */
  async inFlight(limit?: number): Promise<QueueTask[]> {
    const raws = await inFlightMessages(this.storage);
    return decodeAll(limit === undefined ? raws : raws.slice(0, Math.max(0, limit)), this.serializer);
  }

  /**
   * Everything in the result store by key: task results (values), failures
   * (their ErrorMetadata), locks and put() values (as stored).
   */
  allResults(): Promise<Record<string, unknown>> {
    return readAllResults(this.storage, this.serializer);
  }

  /** The error list, newest first. */
  async errors(options: { limit?: number; offset?: number } = {}): Promise<ErrorMetadata[]> {
    checkOptions('errors()', options, ['limit', 'offset']);
    return readErrors(this.storage, options);
  }

  pendingCount(): Promise<number> {
    return this.storage.queueSize();
  }
  scheduledCount(): Promise<number> {
    return this.storage.scheduleSize();
  }
  /** Number of tasks in flight (see inFlight()). */
  async inFlightCount(): Promise<number> {
    return (await inFlightMessages(this.storage)).length;
  }
  resultCount(): Promise<number> {
    return this.storage.resultStoreSize();
  }
  /** Removes queue, schedule, results and errors, and the in-flight lists. */
  flush(): Promise<void> {
    return this.storage.flushAll();
  }
  /** Registered task names. */
  getTasks(): string[] {
    return this.registry.names();
  }
  /** Registered periodic task names. */
  getPeriodicTasks(): string[] {
    return this.registry.periodic().map((d) => d.name).sort();
  }
  /** Registered non-periodic task names. */
  getRegularTasks(): string[] {
    const periodic = new Set(this.getPeriodicTasks());
    return this.getTasks().filter((n) => !periodic.has(n));
  }

  // --- key/value helpers (the seed's put/get) ----------------------------------------------

  /** Stores any serializable value under `key` in the result store. */
  async put(key: string, value: unknown): Promise<void> {
    await guardStorage(DataStorePutException, 'put', this.storage.putData(key, encodeResult(value, this.serializer)));
  }

  /** Reads (and removes, unless `peek`) a value stored with put(); null if absent. */
  async get(key: string, options: { peek?: boolean } = {}): Promise<unknown> {
    checkOptions('get()', options, ['peek']);
    const raw = await guardStorage(DataStoreGetException, 'get', options.peek ? this.storage.peekData(key) : this.storage.popData(key));
    if (raw === null) return null;
    const stored = decodeStored(raw, this.serializer);
    return stored.kind === 'value' ? stored.value : stored.error;
  }

  // --- locks -------------------------------------------------------------------------------

  /**
   * A named lock (see TaskLock): `await huey.lockTask('x').run(fn)` or
   * `huey.task(huey.lockTask('x').wrap(fn))`.
   */
  lockTask(name: string): TaskLock {
    const lock = new TaskLock(this.storage, this.name, name);
    this.lockKeys.set(lock.key, name);
    return lock;
  }

  /** Frees every lock made by lockTask() in this process; returns the names that were held. */
  async flushLocks(): Promise<string[]> {
    const flushed: string[] = [];
    for (const [key, name] of this.lockKeys) {
      if ((await this.storage.popData(key)) !== null) flushed.push(name);
    }
    return flushed;
  }
}
