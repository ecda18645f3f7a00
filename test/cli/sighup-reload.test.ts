// SIGHUP picks up changed code in thread and process workers: a real
// huey-consumer runs an app from a scratch folder; the task module is
// rewritten on disk while a task runs; after SIGHUP the running task has
// finished with the old code, a task enqueued during the restart is not
// lost, and tasks enqueued once the workers are back run the new code. The async kind restarts in place on
// the code already loaded, and says so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimpleHuey } from '../../src/huey/index.js';
import type { Server } from '../../src/server/index.js';
import { removeScratchApps, scratchApp, writeApp } from '../helpers/npm-scratch-app.js';
import { BIN, Spawned, requireBuild, simpledb, uniqueName } from './helpers.js';

/** The task module at one version: `version()` says which, `slow(ms)` too, after a wait. */
function tasksAt(version: string): string {
  return `import { SimpleHuey } from 'huey-ts';
export const huey = new SimpleHuey(process.env.HUEY_NAME, { url: process.env.HUEY_URL });
export const version = huey.task(() => '${version}', { name: 'version' });
export const slow = huey.task(async (ms) => { await new Promise((r) => setTimeout(r, ms)); return '${version} slow'; }, { name: 'slow' });
`;
}

describe('SIGHUP and changed code', () => {
  let server: Server;
  const running: Spawned[] = [];
  const producers: SimpleHuey[] = [];
  beforeAll(async () => {
    requireBuild();
    server = await simpledb();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    await Promise.all(producers.splice(0).map((h) => h.close()));
    removeScratchApps();
  });
  afterAll(async () => {
    await server.close();
  });

  async function consume(kind: string) {
    const dir = scratchApp(false);
    writeApp(dir, { 'app/tasks.js': tasksAt('v1') });
    const name = uniqueName(`hup-${kind}`);
    const url = `redis://127.0.0.1:${server.port}`;
    const p = new Spawned(process.execPath, [BIN, 'app/tasks.js', '-k', kind, '-w', '2'], { HUEY_NAME: name, HUEY_URL: url }, dir);
    running.push(p);
    await p.waitFor('ready; stop with Ctrl+C');
    const huey = new SimpleHuey(name, { url });
    producers.push(huey);
    const version = huey.task((() => '') as () => string, { name: 'version' });
    const slow = huey.task((() => '') as (ms: number) => string, { name: 'slow' });
    return { dir, p, version, slow };
  }

  for (const kind of ['thread', 'process'] as const) {
    it(`-k ${kind}: after SIGHUP new tasks run the code on disk; none is lost`, async () => {
      const { dir, p, version, slow } = await consume(kind);
      expect(await (await version()).get({ blocking: true, timeout: 20 })).toBe('v1');
      const running = await slow(1500);
      await p.waitFor(`executing slow: ${running.id}`);

      writeFileSync(join(dir, 'app/tasks.js'), tasksAt('v2'));
      p.signal('SIGHUP');
      await p.waitFor('restarting workers gracefully');
      const during = await version(); // enqueued while the workers restart
      await p.waitFor(`restarted 2 ${kind} worker(s)`);

      expect(await running.get({ blocking: true, timeout: 20 })).toBe('v1 slow');
      // Not lost. A worker that was already waiting on the queue when told to stop runs what it receives: old code.
      expect(['v1', 'v2']).toContain(await during.get({ blocking: true, timeout: 20 }));
      expect(await (await version()).get({ blocking: true, timeout: 20 })).toBe('v2');
      p.signal('SIGINT');
      expect((await p.waitExit()).code).toBe(0);
    });
  }

  it('-k async: SIGHUP restarts the consumer in place on the loaded code, and says so', async () => {
    const { dir, p, version, slow } = await consume('async');
    const running = await slow(1000);
    await p.waitFor(`executing slow: ${running.id}`);
    writeFileSync(join(dir, 'app/tasks.js'), tasksAt('v2'));
    p.signal('SIGHUP');
    await p.waitFor('huey consumer started with', 2);
    expect(p.output).toContain('async workers keep the code already loaded');
    expect(await running.get({ blocking: true, timeout: 20 })).toBe('v1 slow');
    expect(await (await version()).get({ blocking: true, timeout: 20 })).toBe('v1');
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);
  });
});
