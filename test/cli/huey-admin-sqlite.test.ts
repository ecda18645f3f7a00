// The `huey` command on SqliteHuey, reached through the app (--app) or by URL
// (--url sqlite:PATH, HUEY_URL): status lists a running consumer and the tasks
// it ran, read through SQLite's Monitoring tables; errors and retry work on the
// file a consumer wrote; a URL naming no file is refused with a clear error;
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

  it('by URL: sqlite:PATH and sqlite:///abs/path (and HUEY_URL) read the file a consumer wrote; retry re-runs a failed task; a missing file is an error', async () => {
    const name = uniqueName('sqlite-url');
    const filename = join(dir, 'by-url.db');
    const huey = new SqliteHuey(name, { filename, logger: silentLogger, readTimeout: 0.1 });
    let attempts = 0;
    const flaky = huey.task(() => {
      attempts++;
      if (attempts === 1) throw new Error('first time fails');
      return 'ok';
    }, { name: 'flaky' });
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const p = new Spawned(process.execPath, [HUEY_BIN, ...args], env);
      const { code } = await p.waitExit();
      return { code, stdout: p.stdout, stderr: p.stderr };
    };
    const json = async (args: string[], env: Record<string, string> = {}) => {
      const r = await run([...args, '--json'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const byPath = ['--url', `sqlite:${filename}`, '--name', name];
    const consumer = huey.createConsumer({ workers: 2, periodic: false });
    await consumer.start();
    try {
      expect(await (await add(1, 2))!.get({ blocking: true, timeout: 10 })).toBe(3);
      const failed = await flaky();
      // The failure is in the error list once the consumer has recorded it.
      let errors = await json(['errors', ...byPath]);
      for (const end = Date.now() + 15_000; errors.length === 0 && Date.now() < end; ) errors = await json(['errors', ...byPath]);
      expect(errors).toMatchObject([{ id: failed!.id, task: 'flaky' }]);
      let s = await json(['status', '--url', `sqlite://${filename}`, '--name', name]);
      for (const end = Date.now() + 15_000; s.consumers[0]?.tasksRun !== 2 && Date.now() < end; ) s = await json(['status', '--url', `sqlite://${filename}`, '--name', name]);
      expect(s).toMatchObject({ name, monitoring: true, errors: 1, consumers: [{ alive: true, pid: process.pid, workers: 2, tasksRun: 2 }] });
      // HUEY_URL is read when --url is not given.
      expect(await json(['status', '--name', name], { HUEY_URL: `sqlite:${filename}` })).toMatchObject({ name, errors: 1 });
      // Retry by id: the consumer runs it again and its result is stored.
      const retried = await run(['retry', failed!.id, ...byPath]);
      expect(retried).toMatchObject({ code: 0, stderr: '' });
      expect(await failed!.get({ blocking: true, timeout: 15 })).toBe('ok');
      expect(attempts).toBe(2);
      expect(await json(['errors', ...byPath])).toEqual([]);
    } finally {
      await consumer.stop();
      await huey.close();
    }
    const missing = join(dir, 'nope.db');
    const bad = await run(['status', '--url', `sqlite:${missing}`, '--name', name]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`huey: no SQLite database at ${missing} (from --url/HUEY_URL "sqlite:${missing}"): give the file the app's SqliteHuey uses\n`);
    const empty = await run(['status', '--url', 'sqlite:']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^huey: "sqlite:" names no file: use sqlite:PATH/);
  });
});
