// Per-worker resources (the seed's db_task, in Node's terms): a startup hook
// opens a pool, tasks borrow from it, a shutdown hook closes it after the
// worker's last task. For async, thread and process workers, run by
// huey-consumer and stopped with SIGINT.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHuey } from '../../src/huey/index.js';
import { consumer, requireBuild, uniqueName, type Spawned } from './helpers.js';

const APP = 'test/cli/fixtures/resources-app.js';

describe('per-worker resources: onStartup and onShutdown around tasks', () => {
  const running: Spawned[] = [];
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    for (const c of cleanup.splice(0)) await c();
  });

  for (const kind of ['async', 'thread', 'process'] as const) {
    it(`-k ${kind}: each worker opens its pool before its first task and closes it after its last`, async () => {
      requireBuild();
      const dir = mkdtempSync(join(tmpdir(), 'huey-resources-'));
      const env = { HUEY_SQLITE_FILE: join(dir, 'huey.db'), HUEY_RECORD_FILE: join(dir, 'record.txt'), HUEY_NAME: uniqueName('res') };
      const huey = new SqliteHuey(env.HUEY_NAME, { filename: env.HUEY_SQLITE_FILE });
      cleanup.push(async () => {
        await huey.close();
        rmSync(dir, { recursive: true, force: true });
      });
      const useConnection = huey.task((() => '') as (tag: string) => string, { name: 'useConnection' });

      const p = consumer([APP, '-k', kind, '-w', '2'], env);
      running.push(p);
      await p.waitFor('ready; stop with Ctrl+C');
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await useConnection(`t${i}`));
      const owners = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 20 })));
      p.signal('SIGINT');
      expect((await p.waitExit()).code).toBe(0);

      const lines = readFileSync(env.HUEY_RECORD_FILE, 'utf8').trim().split('\n');
      const opened = lines.filter((l) => l.startsWith('open ')).map((l) => l.split(' ')[1]);
      const closed = lines.filter((l) => l.startsWith('close ')).map((l) => l.split(' ')[1]);
      // Async workers share their process's pool; thread and process workers have one each.
      expect(opened.length).toBe(kind === 'async' ? 1 : 2);
      expect([...closed].sort()).toEqual([...opened].sort());
      expect(lines.filter((l) => l.startsWith('leak'))).toEqual([]);
      // Every task ran on an open pool of the worker that ran it, between its open and its close.
      for (const owner of owners) expect(opened).toContain(owner);
      for (const w of opened) {
        const first = lines.indexOf(`open ${w}`);
        const last = lines.indexOf(`close ${w}`);
        const uses = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith(`use ${w} `));
        expect(uses.every(([, i]) => i > first && i < last)).toBe(true);
      }
      expect(lines.filter((l) => l.startsWith('use ')).length).toBe(6);
    });
  }
});
