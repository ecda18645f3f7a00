// The Monitoring capability's contract and what consumers write through it
// (records, counters), run against each backend by the monitoring-*.test.ts files.
import { expect, it } from 'vitest';
import { hasMonitoring, type MonitoredStorage } from '../../src/huey/storage/monitoring.js';
import { readThroughput, readTotals } from '../../src/admin/history.js';
import { consumers, status } from '../../src/admin/inspect.js';
import { metricsText } from '../../src/admin/metrics.js';
import { parsePrometheus, sample } from './prometheus.js';
import type { Backend } from '../huey/backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

export function monitoringContract(backend: Backend): void {
  const storage = (): MonitoredStorage => {
    const s = backend.storage();
    if (!hasMonitoring(s)) throw new Error('storage lacks Monitoring');
    return s;
  };

  it('keeps consumer records listed after their TTL runs out, as dead, until dropped', async () => {
    const s = storage();
    await s.putConsumer('a', '{"n":1}', 60_000);
    await s.putConsumer('b', '{"n":2}', 40);
    await s.putConsumer('a', '{"n":3}', 60_000);
    await sleep(120);
    const rows = (await s.consumers()).sort((x, y) => x.id.localeCompare(y.id));
    expect(rows).toEqual([
      { id: 'a', info: '{"n":3}', alive: true },
      { id: 'b', info: '{"n":2}', alive: false },
    ]);
    await s.dropConsumer('b');
    expect((await s.consumers()).map((r) => r.id)).toEqual(['a']);
  });

  it('adds counters per bucket, reads absent buckets as empty, and expires buckets with a TTL', async () => {
    const s = storage();
    await s.addCounts('total', { 'finished|add': 2, 'failed|add': 1 }, 0);
    await s.addCounts('total', { 'finished|add': 3 }, 0);
    // A TTL no stall of a loaded machine reaches before the read right after.
    await s.addCounts('m1', { x: 1 }, 600_000);
    expect(await s.readCounts(['total', 'none', 'm1'])).toEqual([{ 'finished|add': 5, 'failed|add': 1 }, {}, { x: 1 }]);
    // The last write's TTL is the bucket's: a short one, waited out, drops the bucket (and only it).
    await s.addCounts('m1', { x: 1 }, 40);
    await sleep(120);
    expect(await s.readCounts(['m1', 'total'])).toEqual([{}, { 'finished|add': 5, 'failed|add': 1 }]);
  });

  it('removes one error-list entry and one scheduled message', async () => {
    const s = storage();
    await s.putError('e1');
    await s.putError('e2');
    expect(await s.removeError('e1')).toBe(true);
    expect(await s.removeError('e1')).toBe(false);
    expect(await s.getErrors()).toEqual(['e2']);
    await s.addToSchedule('m1', 1000);
    await s.addToSchedule('m2', 2000);
    expect(await s.unschedule('m1')).toBe(true);
    expect(await s.unschedule('m1')).toBe(false);
    expect(await s.scheduledItems()).toEqual(['m2']);
  });

  it('a running consumer is listed with its tasks; its counters reach the storage and the metrics; a clean stop removes it', async () => {
    const huey = backend.huey();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = huey.task(async () => gate, { name: 'slow' });
    const ok = huey.task((a: number) => a * 2, { name: 'ok' });
    const bad = huey.task(() => {
      throw new Error('nope');
    }, { name: 'bad', retries: 1 });
    const before = parsePrometheus(await metricsText(huey));
    expect(sample(before, 'huey_tasks_finished_total', { task: 'ok' })).toBeUndefined();

    const consumer = huey.createConsumer({ workers: 3 });
    await consumer.start();
    try {
      await slow();
      await until(async () => (await consumers(huey)).some((c) => c.running.some((r) => r.task === 'slow')) || (await status(huey)).inflight > 0);
      const [me] = await consumers(huey);
      expect(me).toMatchObject({ alive: true, pid: process.pid, kind: 'async', workers: 3 });
      await ok(1);
      await ok(2);
      await bad();
      release();
      await until(async () => (await readTotals(huey)).get('bad')?.failed === 2);
      const totals = await readTotals(huey);
      expect(totals.get('ok')).toMatchObject({ finished: 2, failed: 0, retried: 0 });
      expect(totals.get('bad')).toMatchObject({ finished: 0, failed: 2, retried: 1 });
      await until(async () => (await readTotals(huey)).get('slow')?.finished === 1);
      const text = parsePrometheus(await metricsText(huey));
      expect(sample(text, 'huey_tasks_finished_total', { task: 'ok' })).toBe(2);
      expect(sample(text, 'huey_tasks_failed_total', { task: 'bad' })).toBe(2);
      expect(sample(text, 'huey_tasks_retried_total', { task: 'bad' })).toBe(1);
      expect(sample(text, 'huey_task_duration_seconds_count', { task: 'ok' })).toBe(2);
      expect(sample(text, 'huey_task_duration_seconds_bucket', { task: 'ok', le: '+Inf' })).toBe(2);
      expect(sample(text, 'huey_consumers', {})).toBe(1);
      const minutes = await readThroughput(huey, 2);
      expect(minutes.reduce((n, m) => n + m.finished, 0)).toBe(3);
    } finally {
      release();
      await consumer.stop();
    }
    expect(await consumers(huey)).toEqual([]);
  });
}
