// The Storage contract, run against every backend (memory, simpledb, Redis).
// Mirrors Python Huey's BaseStorage semantics plus our extensions.
import { describe, expect, it } from 'vitest';
import type { Backend } from './backends.js';

export function storageContract(b: Backend): void {
  describe(`Storage contract (${b.kind})`, () => {
    describe('queue', () => {
      it('dequeues in FIFO order and returns null when empty', async () => {
        const s = b.storage({ blocking: false });
        await s.enqueue('a');
        await s.enqueue('b');
        await s.enqueue('c');
        expect(await s.queueSize()).toBe(3);
        expect(await s.dequeue()).toBe('a');
        expect(await s.dequeue()).toBe('b');
        expect(await s.dequeue()).toBe('c');
        expect(await s.dequeue()).toBeNull();
        expect(await s.queueSize()).toBe(0);
      });

      it('a blocking dequeue times out with null on an empty queue', async () => {
        const s = b.storage({ blocking: true, readTimeout: 0.05 });
        expect(await s.dequeue()).toBeNull();
      });

      it('a blocking dequeue receives a message enqueued while it waits', async () => {
        const s = b.storage({ blocking: true, readTimeout: 5 });
        const waiting = s.dequeue();
        await new Promise((r) => setTimeout(r, 20));
        await s.enqueue('late');
        expect(await waiting).toBe('late');
      });

      it('dequeueMany takes up to count messages, oldest first', async () => {
        const s = b.storage();
        for (const m of ['1', '2', '3', '4']) await s.enqueue(m);
        expect(await s.dequeueMany(3)).toEqual(['1', '2', '3']);
        expect(await s.dequeueMany(3)).toEqual(['4']);
        expect(await s.dequeueMany(3)).toEqual([]);
        expect(await s.dequeueMany(0)).toEqual([]);
      });

      it('wake() ends a waiting dequeue with null and loses nothing', async () => {
        const s = b.storage({ blocking: true, readTimeout: 1 });
        const waiting = s.dequeue();
        await new Promise((r) => setTimeout(r, 30));
        s.wake();
        expect(await waiting).toBeNull();
        await s.enqueue('kept');
        expect(await s.dequeueMany(5)).toEqual(['kept']);
      });

      it('unqueue removes a given message', async () => {
        const s = b.storage();
        await s.enqueue('x');
        await s.enqueue('y');
        await s.enqueue('x');
        expect(await s.unqueue('x')).toBe(2);
        expect(await s.unqueue('nope')).toBe(0);
        expect(await s.enqueuedItems()).toEqual(['y']);
      });

      it('enqueuedItems lists without removing, next to run first, with a limit', async () => {
        const s = b.storage();
        for (const m of ['a', 'b', 'c']) await s.enqueue(m);
        expect(await s.enqueuedItems()).toEqual(['a', 'b', 'c']);
        expect(await s.enqueuedItems(2)).toEqual(['a', 'b']);
        expect(await s.queueSize()).toBe(3);
        await s.flushQueue();
        expect(await s.queueSize()).toBe(0);
        expect(await s.enqueuedItems()).toEqual([]);
      });

      it('carries any text: unicode, quotes, newlines, large payloads', async () => {
        const s = b.storage();
        const odd = ['héllo ☃ 🎉', 'line1\nline2\r\n', '"quoted" \\ back', 'x'.repeat(200_000)];
        for (const m of odd) await s.enqueue(m);
        expect(await s.dequeueMany(10)).toEqual(odd);
      });
    });

    describe('schedule', () => {
      it('reads and removes only what is due, soonest first', async () => {
        const s = b.storage();
        await s.addToSchedule('t30', 30_000);
        await s.addToSchedule('t10', 10_000);
        await s.addToSchedule('t20', 20_000);
        expect(await s.scheduleSize()).toBe(3);
        expect(await s.readSchedule(5_000)).toEqual([]);
        expect(await s.readSchedule(20_000)).toEqual(['t10', 't20']);
        expect(await s.scheduleSize()).toBe(1);
        expect(await s.readSchedule(20_000)).toEqual([]);
        expect(await s.readSchedule(1e13)).toEqual(['t30']);
        expect(await s.scheduleSize()).toBe(0);
      });

      it('lists scheduled items without removing them, with a limit, and flushes', async () => {
        const s = b.storage();
        await s.addToSchedule('late', 2_000);
        await s.addToSchedule('early', 1_000);
        await s.addToSchedule('never-due', 9e12);
        expect(await s.scheduledItems()).toEqual(['early', 'late', 'never-due']);
        expect(await s.scheduledItems(2)).toEqual(['early', 'late']);
        expect(await s.scheduleSize()).toBe(3);
        await s.flushSchedule();
        expect(await s.scheduledItems()).toEqual([]);
      });

      it('keeps real epoch-millisecond timestamps exact', async () => {
        const s = b.storage();
        const t = Date.parse('2030-06-01T12:00:00.123Z');
        await s.addToSchedule('m', t);
        expect(await s.readSchedule(t - 1)).toEqual([]);
        expect(await s.readSchedule(t)).toEqual(['m']);
      });
    });

    describe('key/value', () => {
      it('put, peek, pop, has, putIfEmpty', async () => {
        const s = b.storage();
        expect(await s.peekData('k')).toBeNull();
        expect(await s.popData('k')).toBeNull();
        expect(await s.hasDataForKey('k')).toBe(false);
        await s.putData('k', 'v1');
        expect(await s.hasDataForKey('k')).toBe(true);
        expect(await s.peekData('k')).toBe('v1');
        expect(await s.peekData('k')).toBe('v1');
        expect(await s.putIfEmpty('k', 'v2')).toBe(false);
        expect(await s.popData('k')).toBe('v1');
        expect(await s.popData('k')).toBeNull();
        expect(await s.putIfEmpty('k', 'v3')).toBe(true);
        expect(await s.peekData('k')).toBe('v3');
        await s.putData('k', 'v4');
        expect(await s.peekData('k')).toBe('v4');
      });

      it('revocation records: put, peek several, pop, and whether any exist, apart from the results', async () => {
        const s = b.storage();
        expect(await s.hasRevocations()).toBe(false);
        await s.putRevocation('r:a', '1');
        await s.putRevocation('rt:c', '3');
        await s.putData('r:a', 'a result under the same name');
        expect(await s.hasRevocations()).toBe(true);
        expect(await s.peekRevocations(['r:a', 'r:b', 'rt:c'])).toEqual(['1', null, '3']);
        expect(await s.peekRevocations([])).toEqual([]);
        await s.putRevocation('r:a', '1 again');
        expect(await s.popRevocation('r:a')).toBe('1 again');
        expect(await s.popRevocation('r:a')).toBeNull();
        expect(await s.peekData('r:a')).toBe('a result under the same name');
        expect(await s.resultItems()).toEqual({ 'r:a': 'a result under the same name' });
        expect(await s.hasRevocations()).toBe(true);
        expect(await s.popRevocation('rt:c')).toBe('3');
        expect(await s.hasRevocations()).toBe(false);
      });

      it('flushResults and flushAll also remove revocation records', async () => {
        const s = b.storage();
        await s.putRevocation('r:a', '1');
        await s.flushResults();
        expect(await s.hasRevocations()).toBe(false);
        await s.putRevocation('r:a', '1');
        await s.flushAll();
        expect(await s.peekRevocations(['r:a'])).toEqual([null]);
      });

      it('counts, lists and flushes the result store', async () => {
        const s = b.storage();
        await s.putData('x', '1');
        await s.putData('y', '2');
        expect(await s.resultStoreSize()).toBe(2);
        expect(await s.resultItems()).toEqual({ x: '1', y: '2' });
        await s.flushResults();
        expect(await s.resultStoreSize()).toBe(0);
        expect(await s.resultItems()).toEqual({});
      });

      it('waitForData returns at once when the value is there, removing it', async () => {
        const s = b.storage();
        await s.putData('r', 'done');
        expect(await s.waitForData('r', { timeoutMs: 1000, peek: false, recheckMs: 1000 })).toBe('done');
        expect(await s.hasDataForKey('r')).toBe(false);
      });

      it('waitForData is woken by a later putData (no polling: the re-check interval is longer than the timeout); peek leaves the value', async () => {
        const s = b.storage();
        const waiting = s.waitForData('r', { timeoutMs: 5_000, peek: true, recheckMs: 60_000, initialRecheckMs: 60_000 });
        await new Promise((r) => setTimeout(r, 30));
        await s.putData('r', 'later');
        expect(await waiting).toBe('later');
        expect(await s.peekData('r')).toBe('later');
      });

      it('waitForData gives null on timeout', async () => {
        const s = b.storage();
        expect(await s.waitForData('missing', { timeoutMs: 50, peek: false, recheckMs: 20 })).toBeNull();
      });

      it('only one of two destructive waiters gets a value', async () => {
        const s = b.storage();
        const w1 = s.waitForData('once', { timeoutMs: 300, peek: false, recheckMs: 50 });
        const w2 = s.waitForData('once', { timeoutMs: 300, peek: false, recheckMs: 50 });
        await new Promise((r) => setTimeout(r, 30));
        await s.putData('once', 'v');
        const got = [await w1, await w2];
        expect(got.filter((g) => g === 'v')).toHaveLength(1);
        expect(got.filter((g) => g === null)).toHaveLength(1);
      });
    });

    describe('errors', () => {
      it('keeps errors newest first with limit and offset', async () => {
        const s = b.storage();
        for (const e of ['e1', 'e2', 'e3', 'e4']) await s.putError(e);
        expect(await s.getErrors()).toEqual(['e4', 'e3', 'e2', 'e1']);
        expect(await s.getErrors(2)).toEqual(['e4', 'e3']);
        expect(await s.getErrors(2, 1)).toEqual(['e3', 'e2']);
        await s.flushErrors();
        expect(await s.getErrors()).toEqual([]);
      });

      it('caps the error list at maxErrors, trimming to 90%', async () => {
        const s = b.storage({ maxErrors: 10 });
        for (let i = 0; i < 11; i++) await s.putError(`e${i}`);
        const errors = await s.getErrors();
        expect(errors.length).toBe(10);
        expect(errors[0]).toBe('e10');
        expect(errors).not.toContain('e0');
      });
    });

    describe('events', () => {
      it('delivers emitted messages to listeners in order; close ends the stream', async () => {
        const s = b.storage();
        const l1 = s.listener();
        const l2 = s.listener();
        await Promise.all([l1.ready, l2.ready]);
        for (const m of ['one', 'two', 'three']) await s.emit(m);
        const first = [await l1.next(), await l1.next(), await l1.next()].map((r) => r.value);
        expect(first).toEqual(['one', 'two', 'three']);
        expect((await l2.next()).value).toBe('one');
        await l1.close();
        expect((await l1.next()).done).toBe(true);
        await l2.close();
      });

      it('emit without listeners is fine, and is not replayed to later listeners', async () => {
        const s = b.storage();
        await s.emit('nobody listens');
        const l = s.listener();
        await l.ready;
        await s.emit('after');
        expect((await l.next()).value).toBe('after');
        await l.close();
      });
    });

    it('flushAll empties queue, schedule, results and errors', async () => {
      const s = b.storage();
      await s.enqueue('q');
      await s.addToSchedule('s', 1);
      await s.putData('k', 'v');
      await s.putError('e');
      await s.flushAll();
      expect(await s.queueSize()).toBe(0);
      expect(await s.scheduleSize()).toBe(0);
      expect(await s.resultStoreSize()).toBe(0);
      expect(await s.getErrors()).toEqual([]);
    });

    // Memory storage lives in one object, so only the Redis backends have a "second process".
    if (b.kind !== 'memory') it('two storage objects on one name (two processes) share the queue and wake each other', async () => {
      const producer = b.storage();
      const consumer = b.storage({ blocking: true, readTimeout: 5 }, producer.name);
      const waitingPop = consumer.dequeue();
      const waitingResult = producer.waitForData('res', { timeoutMs: 5_000, peek: false, recheckMs: 60_000, initialRecheckMs: 60_000 });
      await new Promise((r) => setTimeout(r, 30));
      await producer.enqueue('job');
      expect(await waitingPop).toBe('job');
      await consumer.putData('res', 'done');
      expect(await waitingResult).toBe('done');
      const l = producer.listener();
      await l.ready;
      await consumer.emit('event');
      expect((await l.next()).value).toBe('event');
      await l.close();
    });

    it('storages with different names do not share data', async () => {
      const s1 = b.storage();
      const s2 = b.storage();
      await s1.enqueue('only-in-1');
      await s1.putData('k', 'v');
      expect(await s2.queueSize()).toBe(0);
      expect(await s2.peekData('k')).toBeNull();
    });
  });
}
