// The `huey` command on SqliteHuey (the app given with --app): status lists a
// running consumer and the tasks it ran, read through SQLite's Monitoring tables;
// pause and resume from the command reach the consumer of this process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteHuey, silentLogger } from '../../src/huey/index.js';
import { ROOT, Spawned, requireBuild, uniqueName } from './helpers.js';

const HUEY_BIN = resolve(ROOT, 'dist/bin/huey.js');
const APP = 'test/cli/fixtures/sqlite-admin-app.js';

describe('huey command on SQLite', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'huey-admin-sqlite-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status shows the consumer alive and its tasks run, then no consumer after a clean stop; pause and resume from another process', async () => {
    const name = uniqueName('sqlite-admin');
    const filename = join(dir, 'huey.db');
    const huey = new SqliteHuey(name, { filename, logger: silentLogger, readTimeout: 0.1 });
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    const run = async (args: string[]) => {
      const p = new Spawned(process.execPath, [HUEY_BIN, ...args, '--app', APP], { HUEY_NAME: name, HUEY_SQLITE_FILE: filename });
      const { code } = await p.waitExit();
      return { code, stdout: p.stdout, stderr: p.stderr };
    };
    const status = async () => {
      const r = await run(['status', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    try {
      const consumer = huey.createConsumer({ workers: 2, periodic: false });
      await consumer.start();
      const results = await Promise.all([add(1, 2), add(3, 4)]);
      expect(await Promise.all(results.map((r) => r!.get({ blocking: true, timeout: 10 })))).toEqual([3, 7]);
      // Counters are written about once a second.
      let s = await status();
      for (const end = Date.now() + 15_000; s.consumers[0]?.tasksRun !== 2 && Date.now() < end; ) s = await status();
      expect(s).toMatchObject({ monitoring: true, consumers: [{ alive: true, pid: process.pid, workers: 2, tasksRun: 2 }] });
      // Paused by the command: the consumer sets the task's messages aside until the command resumes it.
      const paused = await run(['pause', '--task', 'add']);
      expect([paused.code, paused.stdout.trim()]).toEqual([0, 'paused add']);
      expect(await huey.isPaused('add')).toBe(true);
      const held = await add(5, 6);
      for (const end = Date.now() + 15_000; (await huey.paused('add')).length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      expect((await huey.paused('add')).map((t) => t.args)).toEqual([[5, 6]]);
      const resumed = await run(['resume', '--task', 'add']);
      expect([resumed.code, resumed.stdout.trim()]).toEqual([0, 'resumed add']);
      expect(await held!.get({ blocking: true, timeout: 10 })).toBe(11);
      await consumer.stop();
      expect((await status()).consumers).toEqual([]);
    } finally {
      await huey.close();
    }
  });
});
