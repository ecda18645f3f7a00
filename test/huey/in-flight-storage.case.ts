// The Storage contract's reliable-delivery part (in-flight lists, heartbeats,
// recovery counts), run against every backend like storage.case.ts.
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/huey/index.js';
import type { Backend } from './backends.js';
import { fakeClock } from './helpers.js';
import { until } from './reliable-helpers.js';

export function inFlightContract(b: Backend): void {
  describe(`Storage contract: in-flight lists (${b.kind})`, () => {
    it('takeMany moves the oldest messages into the list, oldest first; ack removes one copy', async () => {
      const s = b.storage();
      for (const m of ['a', 'b', 'c', 'd']) await s.enqueue(m);
      expect(await s.takeMany('w1', 3)).toEqual(['a', 'b', 'c']);
      expect(await s.enqueuedItems()).toEqual(['d']);
      expect(await s.inFlightItems('w1')).toEqual(['a', 'b', 'c']);
      expect(await s.ack('w1', 'b')).toBe(true);
      expect(await s.ack('w1', 'b')).toBe(false);
      expect(await s.ack('other', 'a')).toBe(false);
      expect(await s.inFlightItems('w1')).toEqual(['a', 'c']);
      expect(await s.takeMany('w1', 5)).toEqual(['d']);
      expect(await s.takeMany('w1', 5)).toEqual([]);
      expect(await s.takeMany('w1', 0)).toEqual([]);
      expect(await s.queueSize()).toBe(0);
    });

    it('ack removes only one of two identical messages', async () => {
      const s = b.storage();
      await s.enqueue('same');
      await s.enqueue('same');
      await s.takeMany('w', 2);
      expect(await s.ack('w', 'same')).toBe(true);
      expect(await s.inFlightItems('w')).toEqual(['same']);
    });

    it('take moves one message; without a message a polling storage returns null', async () => {
      const s = b.storage({ blocking: false });
      expect(await s.take('w')).toBeNull();
      await s.enqueue('x');
      await s.enqueue('y');
      expect(await s.take('w')).toBe('x');
      expect(await s.inFlightItems('w')).toEqual(['x']);
      expect(await s.enqueuedItems()).toEqual(['y']);
    });

    it('a blocking take receives a message enqueued while it waits, straight into the list', async () => {
      const s = b.storage({ blocking: true, readTimeout: 5 });
      const waiting = s.take('w');
      await new Promise((r) => setTimeout(r, 20));
      await s.enqueue('late');
      expect(await waiting).toBe('late');
      expect(await s.inFlightItems('w')).toEqual(['late']);
      expect(await s.queueSize()).toBe(0);
    });

    it('a blocking take times out with null; wake() ends it with null and moves nothing', async () => {
      const s = b.storage({ blocking: true, readTimeout: 0.05 });
      expect(await s.take('w')).toBeNull();
      const long = b.storage({ blocking: true, readTimeout: 2 });
      const waiting = long.take('w');
      await new Promise((r) => setTimeout(r, 30));
      long.wake();
      expect(await waiting).toBeNull();
      await long.enqueue('kept');
      expect(await long.inFlightItems('w')).toEqual([]);
      expect(await long.enqueuedItems()).toEqual(['kept']);
    });

    it('requeueNewest hands messages back to the front of the queue, keeping their order', async () => {
      const s = b.storage();
      for (const m of ['1', '2', '3', '4']) await s.enqueue(m);
      await s.takeMany('w', 3);
      expect(await s.peekNewest('w')).toBe('3');
      expect(await s.requeueNewest('w')).toBe('3');
      expect(await s.requeueNewest('w')).toBe('2');
      expect(await s.requeueNewest('w')).toBe('1');
      expect(await s.requeueNewest('w')).toBeNull();
      expect(await s.peekNewest('w')).toBeNull();
      expect(await s.dequeueMany(10)).toEqual(['1', '2', '3', '4']);
    });

    it('requeueInFlight moves one given copy to the front of the queue; a missing one changes nothing', async () => {
      const s = b.storage();
      for (const m of ['a', 'b', 'a', 'c', 'd']) await s.enqueue(m);
      await s.takeMany('w', 4);
      expect(await s.requeueInFlight('w', 'a')).toBe(true);
      expect(await s.inFlightItems('w')).toEqual(expect.arrayContaining(['a', 'b', 'c']));
      expect(await s.inFlightItems('w')).toHaveLength(3);
      expect(await s.requeueInFlight('w', 'b')).toBe(true);
      expect(await s.requeueInFlight('w', 'b')).toBe(false);
      expect(await s.requeueInFlight('other', 'c')).toBe(false);
      // The last one handed back is the next to be dequeued, ahead of what was queued.
      expect(await s.enqueuedItems()).toEqual(['b', 'a', 'd']);
      expect((await s.inFlightItems('w')).sort()).toEqual(['a', 'c']);
    });

    it('a message handed back reaches a dequeue that is waiting', async () => {
      const s = b.storage({ blocking: true, readTimeout: 5 });
      await s.enqueue('m');
      await s.takeMany('w', 1);
      const other = b.storage({ blocking: true, readTimeout: 5 }, s.name);
      // Memory storage cannot be shared: there the same storage waits.
      const reader = b.kind === 'memory' ? s : other;
      const waiting = reader.dequeue();
      await new Promise((r) => setTimeout(r, 20));
      expect(await s.requeueNewest('w')).toBe('m');
      expect(await waiting).toBe('m');
    });

    it('discardInFlight moves a message to the error list in one step; a missing message changes nothing', async () => {
      const s = b.storage();
      await s.enqueue('poison');
      await s.takeMany('w', 1);
      expect(await s.discardInFlight('w', 'poison', '{"error":"x"}')).toBe(true);
      expect(await s.inFlightItems('w')).toEqual([]);
      expect(await s.getErrors()).toEqual(['{"error":"x"}']);
      expect(await s.discardInFlight('w', 'poison', '{"error":"y"}')).toBe(false);
      expect(await s.getErrors()).toEqual(['{"error":"x"}']);
    });

    it('discardInFlight respects the error list cap', async () => {
      const s = b.storage({ maxErrors: 10 });
      for (let i = 0; i < 10; i++) await s.putError(`e${i}`);
      await s.enqueue('m');
      await s.takeMany('w', 1);
      await s.discardInFlight('w', 'm', 'last');
      const errors = await s.getErrors();
      expect(errors[0]).toBe('last');
      expect(errors.length).toBeLessThanOrEqual(10);
    });

    it('claimInFlight renames a list atomically: claimed, empty, busy', async () => {
      const s = b.storage();
      for (const m of ['a', 'b', 'c']) await s.enqueue(m);
      await s.takeMany('dead', 2);
      expect(await s.claimInFlight('nothing-here', 'mine')).toBe('empty');
      expect(await s.claimInFlight('dead', 'mine')).toBe('claimed');
      expect(await s.inFlightItems('dead')).toEqual([]);
      expect(await s.inFlightItems('mine')).toEqual(['a', 'b']);
      await s.takeMany('dead2', 1);
      expect(await s.claimInFlight('dead2', 'mine')).toBe('busy');
      expect(await s.inFlightItems('dead2')).toEqual(['c']);
      expect(await s.inFlightItems('mine')).toEqual(['a', 'b']);
    });

    it('registered lists: owners, and inFlightItems() across them', async () => {
      const s = b.storage();
      for (const m of ['a', 'b', 'c']) await s.enqueue(m);
      await s.registerInFlight('c1', ['c1']);
      await s.registerInFlight('c2', ['c2/w1', 'c2/w2']);
      await s.registerInFlight('c2', []);
      await s.takeMany('c1', 1);
      await s.takeMany('c2/w2', 2);
      expect(await s.inFlightOwners()).toEqual({ c1: 'c1', 'c2/w1': 'c2', 'c2/w2': 'c2' });
      expect((await s.inFlightItems()).sort()).toEqual(['a', 'b', 'c']);
      await s.unregisterInFlight(['c2/w1', 'c2/w2']);
      await s.unregisterInFlight([]);
      expect(await s.inFlightOwners()).toEqual({ c1: 'c1' });
      expect(await s.inFlightItems()).toEqual(['a']);
      // Unregistering forgets the list, not its messages.
      expect(await s.inFlightItems('c2/w2')).toEqual(['b', 'c']);
    });

    it('heartbeats: set with a TTL, read back, dropped, and gone once expired', async () => {
      const s = b.storage();
      expect(await s.heartbeats([])).toEqual([]);
      await s.heartbeat('alive', 60_000, '{"pid":1}');
      await s.heartbeat('dropped', 60_000, 'x');
      await s.heartbeat('expiring', 1, 'y');
      await s.dropHeartbeat('dropped');
      await until(async () => (await s.heartbeats(['expiring']))[0] === null);
      expect(await s.heartbeats(['alive', 'dropped', 'expiring', 'never'])).toEqual(['{"pid":1}', null, null, null]);
    });

    it('recovery counts go up by one per call and can be forgotten', async () => {
      const s = b.storage();
      expect(await s.countRecovery('t1')).toBe(1);
      expect(await s.countRecovery('t1')).toBe(2);
      expect(await s.countRecovery('t2')).toBe(1);
      await s.forgetRecovery('t1');
      expect(await s.countRecovery('t1')).toBe(1);
    });

    it('flushAll empties the registered in-flight lists and the recovery counts too', async () => {
      const s = b.storage();
      await s.enqueue('a');
      await s.registerInFlight('c', ['c']);
      await s.takeMany('c', 1);
      await s.countRecovery('t');
      await s.flushAll();
      expect(await s.inFlightItems()).toEqual([]);
      expect(await s.countRecovery('t')).toBe(1);
    });

    if (b.kind === 'memory') {
      it('memory: heartbeats expire by the injected clock', async () => {
        const clock = fakeClock();
        const s = new MemoryStorage('clocked', { clock: clock.now });
        await s.heartbeat('c', 30_000, 'info');
        clock.advance(29.999);
        expect(await s.heartbeats(['c'])).toEqual(['info']);
        clock.advance(0.001);
        expect(await s.heartbeats(['c'])).toEqual([null]);
        await s.close();
      });
    }
  });
}
