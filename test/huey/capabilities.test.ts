// Storage capabilities: a backend that implements only the core Storage
// contract runs a huey in the default mode, and a reliable huey on it is
// refused when its consumer is created, with an error naming what is missing.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, Huey, MemoryStorage, hasCapability, hasReliableDelivery, silentLogger, type Storage } from '../../src/huey/index.js';

/** The core contract only, on top of a MemoryStorage: what a new backend (say, SQLite) starts with. */
class CoreOnlyStorage implements Storage {
  private readonly m: MemoryStorage;
  constructor(readonly name: string) {
    this.m = new MemoryStorage(name, { readTimeout: 0.05 });
  }
  enqueue = (data: string) => this.m.enqueue(data);
  dequeue = () => this.m.dequeue();
  dequeueMany = (count: number) => this.m.dequeueMany(count);
  wake = () => this.m.wake();
  unqueue = (data: string) => this.m.unqueue(data);
  queueSize = () => this.m.queueSize();
  enqueuedItems = (limit?: number) => this.m.enqueuedItems(limit);
  flushQueue = () => this.m.flushQueue();
  addToSchedule = (data: string, ts: number) => this.m.addToSchedule(data, ts);
  readSchedule = (ts: number) => this.m.readSchedule(ts);
  scheduleSize = () => this.m.scheduleSize();
  scheduledItems = (limit?: number) => this.m.scheduledItems(limit);
  flushSchedule = () => this.m.flushSchedule();
  putData = (key: string, value: string) => this.m.putData(key, value);
  peekData = (key: string) => this.m.peekData(key);
  popData = (key: string) => this.m.popData(key);
  hasDataForKey = (key: string) => this.m.hasDataForKey(key);
  putIfEmpty = (key: string, value: string) => this.m.putIfEmpty(key, value);
  waitForData: Storage['waitForData'] = (key, options) => this.m.waitForData(key, options);
  resultStoreSize = () => this.m.resultStoreSize();
  resultItems = () => this.m.resultItems();
  flushResults = () => this.m.flushResults();
  putRevocation = (key: string, value: string) => this.m.putRevocation(key, value);
  peekRevocations = (keys: string[]) => this.m.peekRevocations(keys);
  popRevocation = (key: string) => this.m.popRevocation(key);
  hasRevocations = () => this.m.hasRevocations();
  putError = (metadata: string) => this.m.putError(metadata);
  getErrors = (limit?: number, offset?: number) => this.m.getErrors(limit, offset);
  flushErrors = () => this.m.flushErrors();
  emit = (message: string) => this.m.emit(message);
  listener = () => this.m.listener();
  flushAll = () => this.m.flushAll();
  close = () => this.m.close();
}

describe('storage capabilities', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tells a storage with reliable delivery from one without', () => {
    expect(hasReliableDelivery(new MemoryStorage('caps-mem'))).toBe(true);
    expect(hasReliableDelivery(new CoreOnlyStorage('caps-core'))).toBe(false);
  });

  it('a core-only storage runs tasks in the default mode', async () => {
    const huey = new Huey('caps-default', { storage: new CoreOnlyStorage('caps-default'), logger: silentLogger });
    cleanups.push(() => huey.close());
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    const consumer = huey.createConsumer({ workers: 2 });
    await consumer.start();
    cleanups.push(() => consumer.stop());
    const res = await add(1, 2);
    expect(await res.get({ blocking: true, timeout: 5 })).toBe(3);
    expect(await huey.inFlight()).toEqual([]);
    expect(await huey.inFlightCount()).toBe(0);
  });

  it('a reliable huey on a core-only storage is refused when its consumer is created, naming what is missing', async () => {
    const huey = new Huey('caps-reliable', { storage: new CoreOnlyStorage('caps-reliable'), logger: silentLogger, reliable: true });
    cleanups.push(() => huey.close());
    huey.task(() => 1, { name: 'one' });
    expect(() => huey.createConsumer()).toThrow(ConfigurationError);
    expect(() => huey.createConsumer()).toThrow(/reliable: true needs a storage with reliable delivery.*CoreOnlyStorage lacks takeMany, take, ack/);
    // Nothing was taken from the queue.
    await huey.enqueue(huey.task(() => 2, { name: 'two' }).s());
    expect(await huey.pendingCount()).toBe(1);
  });

  it('job controls that need a capability are refused on a core-only storage, naming it; timeouts and expiry need none', async () => {
    const storage = new CoreOnlyStorage('caps-controls');
    const huey = new Huey('caps-controls', { storage, logger: silentLogger });
    cleanups.push(() => huey.close());
    for (const feature of ['priority', 'rateLimit', 'unique', 'pause'] as const) {
      expect(hasCapability(storage, feature)).toBe(false);
      expect(hasCapability(new MemoryStorage('caps-mem'), feature)).toBe(true);
    }
    expect(() => huey.task(() => 1, { name: 'p', priority: 1 })).toThrow(/priority needs a storage with priority levels \(PriorityQueues\); CoreOnlyStorage lacks enqueuePriority/);
    expect(() => huey.task(() => 1, { name: 'r', rateLimit: { limit: 1, per: 1 } })).toThrow(/rateLimit needs .*lacks countStart/);
    expect(() => huey.task(() => 1, { name: 'u', unique: true })).toThrow(/unique needs .*lacks claimUnique, releaseUnique/);
    const plain = huey.task(() => 1, { name: 'plain', timeout: 5, expires: 60 });
    await expect(huey.pause(plain)).rejects.toThrow(ConfigurationError);
    await expect(plain.schedule({ priority: 3 })).rejects.toThrow(/lacks enqueuePriority/);
    expect(await huey.pendingCount()).toBe(0);
    await plain();
    expect(await huey.pendingCount()).toBe(1);
  });
});
