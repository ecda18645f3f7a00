// A TypeScript app (two .ts modules, one importing the other as './math.js')
// in a scratch folder, consumed by thread and process workers: started as
// the README says (the app's tsx, found by huey-consumer), with
// `node --import tsx`, and with the flags tsx's own CLI passes. Each run is checked by
// the results of tasks run in a worker thread or a worker process.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SimpleHuey } from '../../src/huey/index.js';
import type { Server } from '../../src/server/index.js';
import { removeScratchApps, scratchApp, writeApp } from '../helpers/npm-scratch-app.js';
import { BIN, ROOT, Spawned, requireBuild, simpledb, uniqueName } from './helpers.js';

// What tsx's CLI (`npx tsx huey-consumer ...`) starts node with; given directly, so the consumer is our child.
const TSX_CLI = ['--require', join(ROOT, 'node_modules/tsx/dist/preflight.cjs'), '--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href];

const APP = {
  'app/math.ts': `export function double(n: number): number {
  return n * 2;
}
`,
  'app/tasks.ts': `import { threadId } from 'node:worker_threads';
import { SimpleHuey } from 'huey-ts';
import { double } from './math.js';

export const huey = new SimpleHuey(process.env.HUEY_NAME as string, { url: process.env.HUEY_URL });
interface Where { value: number; pid: number; threadId: number }
export const twice = huey.task((n: number): Where => ({ value: double(n), pid: process.pid, threadId }), { name: 'twice' });
`,
};

describe('TypeScript task modules in thread and process workers', () => {
  const running: Spawned[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    await Promise.all(closers.splice(0).map((c) => c()));
    removeScratchApps();
  });

  async function server(): Promise<Server> {
    const s = await simpledb();
    closers.push(() => s.close());
    return s;
  }

  /** Runs `launcher + [huey-consumer, app/tasks.ts, -k kind, -w 2]` in the app and checks tasks run in its workers. */
  async function consumes(dir: string, launcher: string[], kind: 'thread' | 'process'): Promise<void> {
    const srv = await server();
    const name = uniqueName('ts');
    const env = { HUEY_NAME: name, HUEY_URL: `redis://127.0.0.1:${srv.port}` };
    const p = new Spawned(process.execPath, [...launcher, BIN, 'app/tasks.ts', '-k', kind, '-w', '2'], env, dir);
    running.push(p);
    await p.waitFor('ready; stop with Ctrl+C', 1, 40_000);
    await p.waitFor(/worker \d ready/, 2);
    expect(p.output).not.toContain('error importing');

    const producer = new SimpleHuey(name, { url: env.HUEY_URL });
    closers.push(() => producer.close());
    const twice = producer.task((() => undefined) as unknown as (n: number) => { value: number; pid: number; threadId: number }, { name: 'twice' });
    const results = await Promise.all([1, 2, 3].map(async (n) => (await twice(n)).get({ blocking: true, timeout: 30 })));
    expect(results.map((r) => r?.value)).toEqual([2, 4, 6]);
    for (const r of results) {
      if (kind === 'thread') {
        expect(r?.pid).toBe(p.pid);
        expect(r?.threadId).toBeGreaterThan(0);
      } else {
        expect(r?.pid).not.toBe(p.pid);
        expect(r?.threadId).toBe(0);
      }
    }
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);
  }

  const launchers: Array<[string, string[]]> = [
    ["the app's tsx (as the README runs it)", []],
    ['node --import tsx', ['--import', 'tsx']],
    ["the flags of tsx's CLI", TSX_CLI],
  ];
  for (const kind of ['thread', 'process'] as const) {
    for (const [how, launcher] of launchers) {
      it(`-k ${kind}, with ${how}`, async () => {
        requireBuild();
        const dir = scratchApp(true);
        writeApp(dir, APP);
        await consumes(dir, launcher, kind);
      });
    }
  }
});
