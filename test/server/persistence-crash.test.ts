// Crashes, with the CLI as users run it (node dist/bin/simpledb.js; build
// first): kill -9 in the middle of a stream of pipelined writes must keep
// every acknowledged write with appendfsync always, and lose at most about
// the last second with everysec; kill -9 during a BGSAVE leaves the previous
// snapshot intact; SIGTERM and SIGINT save a snapshot; a corrupt AOF stops
// the CLI with the file and offset.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection.js';
import { cliBuilt, makeTempDir, runCliFailing, spawnCli, type CliServer } from './persistence-helpers.js';

let dir: string;
let cleanup: () => void;
const running: CliServer[] = [];
beforeAll(() => {
  if (!cliBuilt()) throw new Error('dist/bin/simpledb.js is missing: run `npm run build` first');
});
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  cleanup();
});

async function start(args: string[]): Promise<CliServer> {
  const s = await spawnCli(['--dir', dir, ...args]);
  running.push(s);
  return s;
}

async function kill9(s: CliServer): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

/** The list's elements as numbers (read in pages: the list can be long). */
async function listOf(port: number, key: string): Promise<number[]> {
  const c = await RawConnection.open(port);
  const out: number[] = [];
  for (let start = 0; ; start += 1000) {
    const raw = await c.command('LRANGE', key, String(start), String(start + 999));
    const page = raw
      .split('\r\n')
      .filter((_, i, all) => all[i - 1]?.startsWith('$'))
      .map(Number);
    out.push(...page);
    if (page.length < 1000) break;
  }
  c.close();
  return out;
}

interface StreamResult {
  /** Replies received: writes 0..acked-1 were acknowledged. */
  acked: number;
  sent: number;
  /** When each acknowledgement arrived (ms). */
  ackTimes: number[];
  killedAt: number;
}

/**
 * Pipelines RPUSH l 0, RPUSH l 1, ... in batches of 50 every few ms (a busy
 * producer that keeps writes in flight), and kill -9s the server once
 * `killAfterMs` have passed, right after a last batch.
 */
async function writeUntilKilled(s: CliServer, killAfterMs: number): Promise<StreamResult> {
  const sock = createConnection({ port: s.port, host: '127.0.0.1' });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const ackTimes: number[] = [];
  let sent = 0;
  let pending = '';
  sock.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    let nl: number;
    while ((nl = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 2);
      if (!line.startsWith(':')) throw new Error(`unexpected reply ${line}`);
      ackTimes.push(Date.now());
    }
  });
  sock.on('error', () => {});
  const started = Date.now();
  let killedAt = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (Date.now() - started >= killAfterMs) {
        // A last batch goes out right before the kill: the crash lands mid-stream.
        let batch = '';
        for (let i = 0; i < 100; i++, sent++) batch += `*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$${String(sent).length}\r\n${sent}\r\n`;
        sock.write(batch);
        killedAt = Date.now();
        s.child.kill('SIGKILL');
        return resolve();
      }
      if (sent - ackTimes.length < 1000) {
        let batch = '';
        for (let i = 0; i < 50; i++, sent++) batch += `*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$${String(sent).length}\r\n${sent}\r\n`;
        sock.write(batch);
      }
      setTimeout(pump, 5);
    };
    pump();
  });
  await s.exited;
  sock.destroy();
  return { acked: ackTimes.length, sent, ackTimes, killedAt };
}

describe('kill -9 during pipelined writes', () => {
  it('appendfsync always: every acknowledged write is there after restart', async () => {
    const args = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
    const s = await start(args);
    const r = await writeUntilKilled(s, 1500);
    expect(r.acked).toBeGreaterThan(100);
    expect(r.sent).toBeGreaterThan(r.acked);
    const again = await start(args);
    const list = await listOf(again.port, 'l');
    // Every acknowledged write, in order, and nothing that was never sent.
    expect(list.length).toBeGreaterThanOrEqual(r.acked);
    expect(list.length).toBeLessThanOrEqual(r.sent);
    expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i));
  });

  it('appendfsync everysec: at most about the last second of acknowledged writes is lost', async () => {
    const args = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
    const s = await start(args);
    const r = await writeUntilKilled(s, 2500);
    expect(r.acked).toBeGreaterThan(100);
    const again = await start(args);
    const list = await listOf(again.port, 'l');
    expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i));
    // Writes acknowledged but missing must all have been acknowledged in the second before the kill.
    for (let i = list.length; i < r.acked; i++) expect(r.killedAt - r.ackTimes[i]).toBeLessThan(1500);
  });
});

describe('snapshots and signals', () => {
  async function write(port: number, ...commands: string[][]): Promise<string[]> {
    const c = await RawConnection.open(port);
    const out: string[] = [];
    for (const cmd of commands) out.push(await c.command(...cmd));
    c.close();
    return out;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} saves a snapshot (default save rules) that the next start loads`, async () => {
      const s = await start([]);
      await write(s.port, ['SET', 'k', 'v'], ['RPUSH', 'q', 'a', 'b'], ['SET', 't', 'x', 'EX', '1000']);
      s.child.kill(signal);
      expect(await s.exited).toBe(0);
      expect(readdirSync(dir)).toEqual(['dump.sdb']);
      const again = await start([]);
      const [v, q, ttl] = await write(again.port, ['GET', 'k'], ['LRANGE', 'q', '0', '-1'], ['TTL', 't']);
      expect(v).toBe('$1\r\nv\r\n');
      expect(q).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
      expect(Number(ttl.slice(1))).toBeGreaterThan(990);
    });
  }

  it('--save "" and no AOF: a signal saves nothing', async () => {
    const s = await start(['--save', '']);
    await write(s.port, ['SET', 'k', 'v']);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('kill -9 during a BGSAVE leaves the previous snapshot in place', async () => {
    const s = await start(['--save', '']);
    await write(s.port, ['SET', 'k', 'old'], ['SAVE']);
    const old = readFileSync(join(dir, 'dump.sdb'));
    const filler = Array.from({ length: 50 }, (_, i) => ['SET', `f${i}`, 'x']);
    await write(s.port, ['SET', 'k', 'new'], ...filler, ['CONFIG', 'SET', 'rdb-key-save-delay', '20000'], ['BGSAVE']);
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(dir).some((n) => n.startsWith('temp-'))).toBe(true);
    await kill9(s);
    expect(readFileSync(join(dir, 'dump.sdb'))).toEqual(old);
    const again = await start(['--save', '']);
    expect(await write(again.port, ['GET', 'k'])).toEqual(['$3\r\nold\r\n']);
  });

  it('a corrupt AOF stops the CLI with the file and the offset', async () => {
    const s = await start(['--appendonly', 'yes', '--save', '']);
    await write(s.port, ['SET', 'k', 'v']);
    s.child.kill('SIGTERM');
    await s.exited;
    const aof = join(dir, 'appendonly.aof');
    const size = readFileSync(aof).length;
    appendFileSync(aof, 'garbage\r\n*1\r\n$4\r\nPING\r\n');
    const { code, stderr } = await runCliFailing(['--dir', dir, '--appendonly', 'yes']);
    expect(code).toBe(1);
    expect(stderr).toContain(`Bad file format reading the append only file ${aof} at offset ${size}`);
  });
});
