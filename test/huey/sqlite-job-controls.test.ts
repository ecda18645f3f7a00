// Job controls on SqliteHuey end to end: a priority, unique, rate-limited
// and paused task produced on one connection and run by a real consumer on
// another; an old file (before priority levels) upgraded in place; the
// in-process wake-ups of a priority enqueue and of a resume; the capability
// tables emptied by flushAll.
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/huey/index.js';
import { channel, listen } from '../../src/huey/storage/sqlite-wakeup.js';
import { useBackend } from './backends.js';
import { until } from './reliable-helpers.js';

describe('job controls on SqliteHuey', () => {
  const b = useBackend('sqlite');

  it('a priority, unique, rate-limited and paused task through a real consumer, produced on another connection', async () => {
    const worker = b.huey();
    const producer = b.huey({}, worker.name);
    const ran: string[] = [];
    // The same tasks on both hueys, as in two processes of one app; only the consumer's run.
    const define = (h: typeof worker, record: boolean) => {
      const body = (label: string) => {
        if (record) ran.push(label);
        return label;
      };
      return {
        job: h.task(body, { name: 'job' }),
        urgent: h.task(body, { name: 'urgent', priority: 5 }),
        sync: h.task(body, { name: 'sync', unique: true }),
        // A window of a day: the test cannot straddle two of them in practice.
        limited: h.task(body, { name: 'limited', rateLimit: { limit: 2, per: 86_400 } }),
        report: h.task(body, { name: 'report' }),
      };
    };
    define(worker, true);
    const p = define(producer, false);

    await producer.pause(p.report);
    await p.job('plain-1');
    await p.urgent('urgent-1');
    await p.job.schedule({ args: ['p9'], priority: 9 });
    const acme = await p.sync('acme');
    expect((await p.sync('acme')).id).toBe(acme.id);
    for (let i = 1; i <= 3; i++) await p.limited(`limited-${i}`);
    const report = await p.report('r1');
    expect((await producer.pending()).map((t) => t.args[0])).toEqual(['p9', 'urgent-1', 'plain-1', 'acme', 'limited-1', 'limited-2', 'limited-3', 'r1']);

    // One worker, so the order it takes them in is the order they run in.
    const consumer = worker.createConsumer({ workers: 1, periodic: false });
    await consumer.start();
    try {
      await until(async () => (await producer.pendingCount()) === 0 && ran.length === 6 && (await producer.paused(p.report)).length === 1, 20_000, 'queue drained');
      expect(ran).toEqual(['p9', 'urgent-1', 'plain-1', 'acme', 'limited-1', 'limited-2']);
      // Over the limit: waiting for the next window, not dropped or failed.
      expect((await producer.scheduled()).map((t) => t.args[0])).toEqual(['limited-3']);
      expect(await producer.errors()).toEqual([]);
      // The unique key is free once its task is done.
      expect(await acme.get({ blocking: true, timeout: 10 })).toBe('acme');
      expect((await p.sync('acme')).id).not.toBe(acme.id);
      // Resumed on the producer's connection: the consumer takes the message it had set aside.
      expect(await producer.resume(p.report)).toBe(true);
      expect(await report.get({ blocking: true, timeout: 20 })).toBe('r1');
      expect(ran).toContain('r1');
    } finally {
      await consumer.stop();
    }
  });

  it('a file made before priority levels gets the column and keeps its queue; its plain messages stay level 0', async () => {
    // The queue table as the first SQLite release made it, with a message in it.
    await b.storage().close();
    const old = new Database(b.filename());
    old.exec(`DROP TABLE huey_queue;
      CREATE TABLE huey_queue (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX huey_queue_order ON huey_queue (name, id);
      INSERT INTO huey_queue (name, data) VALUES ('old-file', 'from-before');`);
    old.close();
    const storage = b.storage({}, 'old-file') as SqliteStorage;
    await storage.enqueuePriority('high', 3);
    await storage.enqueue('plain');
    await storage.enqueuePriority('low', -2);
    expect(await storage.enqueuedItems()).toEqual(['high', 'from-before', 'plain', 'low']);
    expect(await storage.dequeueMany(10)).toEqual(['high', 'from-before', 'plain', 'low']);
  });

  it('a priority enqueue and a resume wake this process\'s waiting consumers at once', async () => {
    const storage = b.storage() as SqliteStorage;
    let wakes = 0;
    const stop = listen(channel(storage.filename, storage.name, 'queue'), () => wakes++);
    try {
      await storage.enqueuePriority('a', 4);
      expect(wakes).toBe(1);
      await storage.park('paused-task', 'b');
      expect(wakes).toBe(1);
      expect(await storage.unpark('paused-task')).toBe(1);
      expect(wakes).toBe(2);
      expect(await storage.unpark('paused-task')).toBe(0);
      expect(wakes).toBe(2);
    } finally {
      stop();
    }
  });

  it('unpark puts a task\'s messages at the front of the plain queue, oldest next; flushAll empties every capability\'s rows', async () => {
    const storage = b.storage() as SqliteStorage;
    await storage.enqueue('queued');
    await storage.enqueuePriority('high', 1);
    for (const m of ['p1', 'p2', 'p3']) await storage.park('t', m);
    await storage.park('other', 'o1');
    expect(await storage.parkedItems('t')).toEqual(['p1', 'p2', 'p3']);
    expect(await storage.unpark('t')).toBe(3);
    expect(await storage.enqueuedItems()).toEqual(['high', 'p1', 'p2', 'p3', 'queued']);
    expect(await storage.parkedItems('t')).toEqual([]);
    expect(await storage.countStart('k', 60_000)).toBe(1);
    expect(await storage.countStart('k', 60_000)).toBe(2);
    expect(await storage.claimUnique('u', 'id-1')).toBeNull();
    expect(await storage.claimUnique('u', 'id-2')).toBe('id-1');
    await storage.releaseUnique('u', 'id-2');
    expect(await storage.claimUnique('u', 'id-3')).toBe('id-1');
    await storage.flushAll();
    expect(await storage.queueSize()).toBe(0);
    expect(await storage.parkedItems('other')).toEqual([]);
    expect(await storage.countStart('k', 60_000)).toBe(1);
    expect(await storage.claimUnique('u', 'id-4')).toBeNull();
  });

  it('a rate counter starts again once it expires; unique keys and counters are shared by connections on one file', async () => {
    const one = b.storage() as SqliteStorage;
    const two = b.storage({}, one.name) as SqliteStorage;
    expect(await one.countStart('w', 1)).toBe(1);
    // The 1 ms counter expires; wait for the clock to pass it rather than for a fixed time.
    const start = Date.now();
    await until(() => Date.now() > start + 1, 1000, 'clock moved');
    expect(await two.countStart('w', 60_000)).toBe(1);
    expect(await one.countStart('w', 60_000)).toBe(2);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).claimUnique('same', `id-${i}`)));
    expect(claims.filter((c) => c === null)).toHaveLength(1);
    const winner = `id-${claims.indexOf(null)}`;
    expect(new Set(claims.filter((c) => c !== null))).toEqual(new Set([winner]));
  });
});
