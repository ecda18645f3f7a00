// A consumer (and simpledb) whose stdout/stderr pipe is closed by its reader,
// as `huey-consumer ... 2>&1 | head -2` or a closed terminal does: the EPIPE
// is noticed once, tasks keep running, the -l file keeps the log, and SIGINT
// still stops it gracefully.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import type { Server } from '../../src/server/index.js';
import { APP, BIN, ROOT, appEnv, producer, requireBuild, simpledb, uniqueName } from './helpers.js';

const SIMPLEDB_BIN = resolve(ROOT, 'dist/bin/simpledb.js');

/** Spawns `args` with stdout and stderr piped, then closes our reading ends once `ready` shows up on stderr. */
function spawnThenCloseReader(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; seen: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((resolvePromise, reject) => {
    child.once('exit', () => reject(new Error(`exited before ${String(ready)}; output:\n${seen}`)));
    child.stdout?.on('data', () => undefined);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      seen += d;
      if (ready.test(seen)) {
        child.removeAllListeners('exit');
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolvePromise({ child, seen });
      }
    });
  });
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    if (child.exitCode !== null) return resolvePromise(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs}ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
  });
}

let server: Server;
let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  requireBuild();
  server = await simpledb();
  dir = mkdtempSync(join(tmpdir(), 'huey-epipe-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a closed console pipe', () => {
  it('huey-consumer keeps running tasks, logs to its -l file, and exits 0 on SIGINT', async () => {
    const name = uniqueName('epipe');
    const logfile = join(dir, `${name}.log`);
    const { child } = await spawnThenCloseReader([BIN, APP, '-l', logfile], appEnv(server.port, name), /ready; stop with Ctrl\+C/);
    children.push(child);
    const tasks = producer(server.port, name);
    try {
      // Each task logs two lines to the now-broken stderr (and prints nothing else).
      for (let i = 0; i < 3; i++) {
        const res = await tasks.sleepy(10, `after-epipe-${i}`);
        expect((await res.get({ blocking: true, timeout: 15 }))?.tag).toBe(`after-epipe-${i}`);
      }
      child.kill('SIGINT');
      expect(await exitOf(child, 15_000)).toBe(0);
      const log = readFileSync(logfile, 'utf8');
      expect(log).toMatch(/stderr is broken \(EPIPE\); logging to the console stopped/);
      expect(log.match(/stderr is broken/g)).toHaveLength(1);
      expect(log).toContain('executed sleepy');
      expect(log).toContain('received SIGINT, finishing running tasks');
      expect(log).not.toContain('uncaught exception');
    } finally {
      await tasks.huey.close();
    }
  });

  it('simpledb keeps serving with -d logging to a closed stderr, and exits on SIGINT', async () => {
    const { child, seen } = await spawnThenCloseReader([SIMPLEDB_BIN, '-p', '0', '-d', '--save', ''], {}, /ready to accept connections on [^\n]*:(\d+)\n/);
    children.push(child);
    const port = Number(/ready to accept connections on [^\n]*:(\d+)/.exec(seen)?.[1]);
    // Each connection logs debug lines to the closed stderr.
    for (let i = 0; i < 5; i++) {
      const client = new RedisClient({ host: '127.0.0.1', port });
      expect(await client.call('PING')).toBe('PONG');
      await client.quit();
    }
    child.kill('SIGINT');
    expect(await exitOf(child, 15_000)).toBe(0);
  });
});
