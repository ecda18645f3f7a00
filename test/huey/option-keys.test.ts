// Every options object of the user's API rejects keys it does not know with a
// TypeError naming the key and, where there is one, the right name; in plain
// JavaScript a misspelt option would otherwise be ignored silently.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryHuey, MiniHuey, SimpleHuey, SqliteHuey, TaskException, TaskResult } from '../../src/huey/index.js';

// The calls below are what a plain-JavaScript user can write; the casts only get them past the types.
type Loose = Record<string, unknown>;
const loose = (o: Loose) => o as never;

describe('unknown option keys are errors', () => {
  it('revoke({ revokeOnce }) names the key and the right name, and revokes nothing', async () => {
    const huey = new MemoryHuey('opts');
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    await expect(add.revoke(loose({ revokeOnce: true }))).rejects.toThrow(
      new TypeError('revoke(): unknown option "revokeOnce" (did you mean "once"?)'),
    );
    expect(await add.isRevoked()).toBe(false);
    const res = await add(1, 2);
    await expect(res!.revoke(loose({ revoke_until: new Date() }))).rejects.toThrow(/unknown option "revoke_until" \(did you mean "until"\?\)/);
    await expect(huey.revokeById(res!.id, loose({ once: true, forever: true }))).rejects.toThrow(/revoke\(\): unknown option "forever" \(known options: until, once\)/);
    expect(await res!.isRevoked()).toBe(false);
  });

  it('each call of the API checks its options', async () => {
    const huey = new MemoryHuey('opts2');
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    const cases: [string, () => unknown, RegExp][] = [
      ['Huey', () => new MemoryHuey('x', loose({ always_eager: true })), /MemoryHuey options: unknown option "always_eager" \(did you mean "alwaysEager"\?\)/],
      ['SimpleHuey', () => new SimpleHuey('x', loose({ uri: 'redis://h' })), /SimpleHuey options: unknown option "uri"/],
      ['task', () => huey.task(() => 1, loose({ name: 't1', retry_delay: 5 })), /task\(\): unknown option "retry_delay" \(did you mean "retryDelay"\?\)/],
      ['task context', () => huey.task(() => 1, loose({ name: 't2', context: true })), /did you mean "includeTask"/],
      ['periodicTask', () => huey.periodicTask(() => true, () => 1, loose({ name: 'p', retriesAsArgument: true })), /periodicTask\(\): unknown option "retriesAsArgument"/],
      ['createConsumer', () => huey.createConsumer(loose({ worker_type: 'async' })), /createConsumer\(\): unknown option "worker_type" \(did you mean "workerType"\?\)/],
      ['MiniHuey', () => new MiniHuey('m', loose({ pool_size: 2 })), /did you mean "poolSize"/],
    ];
    for (const [what, call, error] of cases) expect(call, what).toThrow(error);
    // schedule() reports bad options at the call, as it does a bad eta/delay.
    expect(() => add.schedule(loose({ args: [1, 2], countdown: 5 }))).toThrow(/schedule\(\): unknown option "countdown"/);
    expect(await huey.pendingCount()).toBe(0);
    const res = await add(1, 2);
    await expect(res!.get(loose({ blocking: true, timeOut: 1 }))).rejects.toThrow(/get\(\): unknown option "timeOut" \(did you mean "timeout"\?\)/);
    await expect(res!.reschedule(loose({ delay: 1, eta_: 1 }))).rejects.toThrow(/reschedule\(\): unknown option "eta_"/);
    await expect(huey.errors(loose({ count: 1 }))).rejects.toThrow(/errors\(\): unknown option "count"/);
  });
});

describe('the options of job controls, fan-out, Cluster/Sentinel and SQLite are known', () => {
  it('task() and schedule() take every job control', async () => {
    const huey = new MemoryHuey('controls');
    const job = huey.task(() => 1, {
      name: 'job',
      priority: 1,
      retryBackoff: 2,
      retryJitter: true,
      maxRetryDelay: 10,
      timeout: 5,
      expires: 60,
      rateLimit: { limit: 1, per: 1 },
      unique: true,
    });
    const res = await job.schedule({ args: [], priority: 2, timeout: 1, expires: 30, delay: 10 });
    expect(res).toBeInstanceOf(TaskResult);
    expect(() => huey.task(() => 1, loose({ name: 'x', rate_limit: { limit: 1, per: 1 } }))).toThrow(/did you mean "rateLimit"/);
  });

  it('RedisHuey knows cluster and sentinel (checked before the two are refused together)', () => {
    const both = loose({ cluster: { nodes: ['redis://127.0.0.1:1'] }, sentinel: { sentinels: [{ host: '127.0.0.1', port: 1 }], name: 'm' } });
    expect(() => new SimpleHuey('x', both)).toThrow(/cluster or sentinel, not both/);
  });

  it('SqliteHuey checks its own options and gives the Huey only the Huey options', async () => {
    expect(() => new SqliteHuey('x', loose({ file: 'huey.db' }))).toThrow(/SqliteHuey options: unknown option "file"/);
    const dir = mkdtempSync(join(tmpdir(), 'huey-opts-'));
    try {
      const huey = new SqliteHuey('x', { filename: join(dir, 'h.db'), busyTimeout: 100, pollInterval: 0.05, maxEvents: 10, alwaysEager: true });
      const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
      expect(await (await add(1, 2))!.get()).toBe(3);
      await huey.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a group's get({ returnErrors }) is the group's option, not passed on to each member", async () => {
    const huey = new MemoryHuey('groups', { alwaysEager: true });
    const half = huey.task((n: number) => {
      if (n % 2) throw new Error('odd');
      return n / 2;
    }, { name: 'half' });
    const group = await half.map([[2], [3]]);
    const [even, odd] = await group.get({ returnErrors: true });
    expect(even).toBe(1);
    expect(odd).toBeInstanceOf(TaskException);
    await expect(group.get(loose({ return_errors: true }))).rejects.toThrow(/get\(\): unknown option "return_errors"/);
  });
});
