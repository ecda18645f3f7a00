// Reconciliation of a live consumer's own in-flight list (reliable mode), on
// MemoryStorage with an injected clock: what no worker of the feed runs goes
// back to the queue (counted, with EVENT_RECOVERED); what a worker runs, a
// finished task whose ack failed, and a take under way are left alone; when
// reconciliations happen (first check, every recoveryDelay, after a
// reconnect) is decided by the clock passed in.
import { describe, expect, it } from 'vitest';
import { MessageFeed } from '../../src/huey/consumer/feed.js';
import { Reconciler } from '../../src/huey/consumer/reconcile.js';
import { EVENT_POISONED, EVENT_RECOVERED } from '../../src/huey/index.js';
import { captureEvents, useBackend } from './backends.js';
import { fakeClock } from './helpers.js';
import { until } from './reliable-helpers.js';

const LIST = 'c1';

describe('reconciliation of a live consumer\'s in-flight list', () => {
  const b = useBackend('memory');

  /** A reliable huey with `n` tasks queued, a feed of 2 workers on list c1 and its reconciler. */
  async function setup(n: number, options: { maxRecoveries?: number; readTimeout?: number } = {}) {
    const clock = fakeClock();
    const huey = b.huey({ reliable: true, clock: clock.now, recoveryDelay: 30, ...options });
    const add = huey.task((a: number) => a + 1, { name: 'add' });
    const results = [];
    for (let i = 0; i < n; i++) results.push(await add(i));
    // Registered as a consumer's list is, so that inFlightCount() sees it.
    await huey.storage.registerInFlight('owner-1', [LIST]);
    const feed = new MessageFeed(huey.storage, { inFlight: LIST, workers: 2 });
    const reconciler = new Reconciler(huey, feed, { list: LIST, owner: 'owner-1' });
    /** A take the server carried out but whose reply was lost: in the list, unknown to the feed. */
    const lostTake = async () => (await huey.storage.takeMany(LIST, 1))[0] as string;
    return { clock, huey, feed, reconciler, results, lostTake };
  }

  it('hands back what no worker runs, to the front of the queue, with EVENT_RECOVERED; running tasks stay', async () => {
    const { clock, huey, feed, reconciler, results, lostTake } = await setup(4);
    const running = [await feed.next(), await feed.next()];
    const orphan = await lostTake();
    expect(await huey.inFlightCount()).toBe(3);
    const events = await captureEvents(huey, async () => {
      expect(await reconciler.check(clock.now())).toBe(1);
    });
    expect(events.map((e) => [e.status, e.id, e.recoveries, e.consumer])).toEqual([[EVENT_RECOVERED, results[2]?.id, 1, 'owner-1']]);
    expect(await huey.storage.inFlightItems(LIST)).toEqual(running);
    // Next to run, ahead of the task that was still queued.
    expect(await huey.storage.enqueuedItems()).toEqual([orphan, expect.stringContaining(results[3]?.id as string)]);
    expect(await huey.storage.countRecovery(results[2]?.id as string)).toBe(2);
  });

  it('runs on the first check, then only once recoveryDelay has passed by the clock, or at once after a reconnect', async () => {
    const { clock, huey, reconciler, lostTake } = await setup(4);
    await lostTake();
    expect(await reconciler.check(clock.now())).toBe(1);
    await lostTake();
    clock.advance(29);
    expect(await reconciler.check(clock.now())).toBe(0);
    expect(await huey.inFlightCount()).toBe(1);
    clock.advance(1);
    expect(await reconciler.check(clock.now())).toBe(1);
    expect(await huey.inFlightCount()).toBe(0);

    await lostTake();
    clock.advance(1);
    expect(await reconciler.check(clock.now())).toBe(0);
    reconciler.reconnected();
    await until(async () => (await huey.inFlightCount()) === 0, 5000, 'the reconciliation after a reconnect');
    // The reconnect was used up: the clock decides again.
    await lostTake();
    expect(await reconciler.check(clock.now())).toBe(0);
  });

  it('two copies of one message, one running: only the other goes back', async () => {
    const { clock, huey, feed, reconciler } = await setup(0);
    await huey.storage.enqueue('{"same":1}');
    await huey.storage.enqueue('{"same":1}');
    expect(await feed.next()).toBe('{"same":1}');
    await huey.storage.takeMany(LIST, 1);
    expect(await reconciler.check(clock.now())).toBe(1);
    expect(await huey.storage.inFlightItems(LIST)).toEqual(['{"same":1}']);
    expect(await huey.storage.enqueuedItems()).toEqual(['{"same":1}']);
  });

  it('a finished task whose ack failed is acked again, not handed back to run twice', async () => {
    const { clock, huey, feed, reconciler } = await setup(2);
    const storage = huey.storage;
    const done = (await feed.next()) as string;
    const ack = storage.ack.bind(storage);
    storage.ack = async () => {
      throw new Error('connection closed before the reply arrived');
    };
    feed.done(done, true);
    await new Promise((resolve) => setImmediate(resolve));
    storage.ack = ack;
    expect(await storage.inFlightItems(LIST)).toEqual([done]);
    const events = await captureEvents(huey, async () => {
      expect(await reconciler.check(clock.now())).toBe(0);
    });
    expect(events.filter((e) => e.status === EVENT_RECOVERED)).toEqual([]);
    expect(await storage.inFlightItems(LIST)).toEqual([]);
    expect(await storage.queueSize()).toBe(1);
  });

  it('a task whose outcome could not be stored goes back at the next reconciliation', async () => {
    const { clock, huey, feed, reconciler } = await setup(1);
    const message = (await feed.next()) as string;
    feed.done(message, false);
    expect(await huey.storage.inFlightItems(LIST)).toEqual([message]);
    expect(await reconciler.check(clock.now())).toBe(1);
    expect(await huey.storage.enqueuedItems()).toEqual([message]);
  });

  it('waits for a take under way (waking a blocked one) and starts none while it looks', async () => {
    const { clock, huey, feed, reconciler, lostTake } = await setup(1, { readTimeout: 30 });
    await lostTake();
    // The queue is empty: this fetch blocks in take() until woken.
    const waiting = feed.next();
    await new Promise((resolve) => setImmediate(resolve));
    const reconciled = reconciler.check(clock.now());
    expect(await waiting).toBeNull();
    expect(await reconciled).toBe(1);
    // The handed-back task is taken by the next fetch and is then a worker's.
    const again = await feed.next();
    expect(await huey.storage.inFlightItems(LIST)).toEqual([again]);
    clock.advance(30);
    expect(await reconciler.check(clock.now())).toBe(0);
  });

  it('past maxRecoveries the message is set aside with EVENT_POISONED, as recovery does', async () => {
    const { clock, huey, reconciler, results, lostTake } = await setup(1, { maxRecoveries: 1 });
    await huey.storage.countRecovery(results[0]?.id as string);
    await lostTake();
    const events = await captureEvents(huey, async () => {
      expect(await reconciler.check(clock.now())).toBe(1);
    });
    expect(events.map((e) => [e.status, e.id, e.recoveries])).toEqual([[EVENT_POISONED, results[0]?.id, 2]]);
    expect(await huey.inFlightCount()).toBe(0);
    expect(await huey.storage.queueSize()).toBe(0);
    expect(await huey.errors()).toHaveLength(1);
  });
});
