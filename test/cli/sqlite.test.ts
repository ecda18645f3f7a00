// SqliteHuey shared by processes: two huey-consumer processes and two
// producer processes on one SQLite file run every task exactly once; in
// reliable mode a consumer killed with SIGKILL mid-task loses nothing (a new
// consumer recovers its tasks once its heartbeat expires).
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteHuey } from '../../src/huey/index.js';
import { until } from '../huey/reliable-helpers.js';
import { useScratchApp } from '../helpers/scratch-app.js';
import { uniqueName } from './helpers.js';

const APP = 'test/cli/fixtures/sqlite-app.js';
const PRODUCE = 'test/cli/fixtures/sqlite-produce.js';

/** How many times each tag started ('run') or finished ('done'), from the record file. */
function counts(file: string, what: 'run' | 'done'): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, tag] = line.split(' ');
    if (kind === what && tag) out.set(tag, (out.get(tag) ?? 0) + 1);
  }
  return out;
}

describe('SqliteHuey with several processes on one file', () => {
  const { env, start, node, keep } = useScratchApp({
    prefix: 'huey-sqlite-cli-',
    module: APP,
    env: (path) => ({ HUEY_SQLITE_FILE: path('huey.db'), HUEY_RECORD_FILE: path('record.txt'), HUEY_NAME: uniqueName('sq') }),
  });

  it('2 consumers (async and process workers) and 2 producers: every task runs exactly once', async () => {
    const perProducer = 150;
    const a = start(['-k', 'async', '-w', '4']);
    const b = start(['-k', 'process', '-w', '2']);
    await Promise.all([a.waitFor('ready; stop with Ctrl+C'), b.waitFor('ready; stop with Ctrl+C')]);
    const producers = ['x', 'y'].map((prefix) => node([PRODUCE, prefix], { HUEY_COUNT: String(perProducer) }));
    for (const p of producers) expect((await p.waitExit(60_000)).code).toBe(0);

    const tags = ['x', 'y'].flatMap((prefix) => Array.from({ length: perProducer }, (_, i) => `${prefix}-${i}`));
    await until(() => counts(env.HUEY_RECORD_FILE as string, 'done').size === tags.length, 60_000, 'every task to finish');
    // Both consumers took part: the log of each shows tasks it ran.
    expect(a.output).toMatch(/executing record/);
    expect(b.output).toMatch(/executing record/);
    // Stop both cleanly; then nothing is left and nothing ran twice.
    a.signal('SIGINT');
    b.signal('SIGINT');
    expect((await a.waitExit()).code).toBe(0);
    expect((await b.waitExit()).code).toBe(0);
    const runs = counts(env.HUEY_RECORD_FILE as string, 'run');
    expect([...runs.keys()].sort()).toEqual([...tags].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const huey = keep(new SqliteHuey(env.HUEY_NAME, { filename: env.HUEY_SQLITE_FILE }));
    expect(await huey.pendingCount()).toBe(0);
    expect(await huey.storage.resultStoreSize()).toBe(tags.length);
  });

  for (const kind of ['async', 'thread', 'process'] as const) {
    it(`reliable, -k ${kind}: a consumer killed with SIGKILL mid-task loses nothing`, async () => {
      const reliableEnv = { HUEY_RELIABLE: '1', HUEY_RECOVERY_DELAY: '2' };
      const huey = keep(new SqliteHuey(env.HUEY_NAME, { filename: env.HUEY_SQLITE_FILE, reliable: true }));
      const record = huey.task((() => null) as (tag: string, ms: number) => { tag: string } | null, { name: 'record' });

      const first = start(['-k', kind, '-w', '3'], reliableEnv);
      await first.waitFor('ready; stop with Ctrl+C');
      const tags = Array.from({ length: 15 }, (_, i) => `t-${i}`);
      const results = [];
      for (const tag of tags) results.push(await record(tag, 300));
      // Kill it once some task has started and not finished.
      await until(() => {
        const runs = counts(env.HUEY_RECORD_FILE as string, 'run').size;
        return runs > counts(env.HUEY_RECORD_FILE as string, 'done').size && runs >= 3;
      }, 20_000, 'a task that started and has not finished');
      first.signal('SIGKILL');
      await first.waitExit();
      await until(async () => (await huey.inFlightCount()) > 0 || counts(env.HUEY_RECORD_FILE as string, 'done').size === tags.length, 5_000, 'tasks in flight');
      const inFlightAtKill = await huey.inFlightCount();
      expect(inFlightAtKill).toBeGreaterThan(0);

      const second = start(['-k', kind, '-w', '3'], reliableEnv);
      const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 60, preserve: true })));
      expect(values.map((v) => v?.tag)).toEqual(tags);
      const done = counts(env.HUEY_RECORD_FILE as string, 'done');
      expect([...done.keys()].sort()).toEqual([...tags].sort());
      // Only what was in flight at the kill ran again.
      const twice = [...counts(env.HUEY_RECORD_FILE as string, 'run').values()].filter((n) => n > 1);
      expect(twice.every((n) => n === 2)).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(inFlightAtKill);
      second.signal('SIGINT');
      expect((await second.waitExit()).code).toBe(0);
      expect(await huey.inFlightCount()).toBe(0);
      expect(await huey.pendingCount()).toBe(0);
    });
  }
});
