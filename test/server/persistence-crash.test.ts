// Crashes, with the CLI as users run it (node dist/bin/simpledb.js; build
// first): kill -9 in the middle of a stream of pipelined writes must keep
// every acknowledged write, with appendfsync always and everysec; kill -9
// during a BGSAVE leaves the previous snapshot intact; SIGTERM and SIGINT
// save a snapshot; a corrupt AOF stops the CLI with the file and offset.
// Crashes land where a test needs them: the server is frozen (SIGSTOP) in the
// state to crash in, checked, then killed, so a slow machine changes nothing.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection.js';
import { cliBuilt, makeTempDir, runCliFailing, spawnCli, waitFor, type CliServer } from './persistence-helpers.js';

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
}

const rpush = (n: number): string => `*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$${String(n).length}\r\n${n}\r\n`;

/** The process's scheduler state letter (R, S, T for stopped, ...): /proc on Linux, ps elsewhere. */
function processState(pid: number): string {
  const stat = `/proc/${pid}/stat`;
  if (existsSync(stat)) {
    const fields = readFileSync(stat, 'latin1');
    // The state follows the command name, which is in parentheses and may hold anything.
    return fields[fields.lastIndexOf(')') + 2];
  }
  return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'latin1' }).trim()[0];
}

/**
 * Stops the server with SIGSTOP wherever it is (mid-read, mid-write, mid-fsync)
 * and returns once it is really stopped: from then on it acknowledges nothing.
 */
async function freeze(s: CliServer): Promise<void> {
  s.child.kill('SIGSTOP');
  await waitFor(() => processState(s.child.pid!) === 'T', 'the server to stop');
}

/**
 * Pipelines RPUSH l 0, RPUSH l 1, ... in batches of 50 every few ms (a busy
 * producer that keeps up to 1000 writes in flight). Once `minAcked` writes
 * are acknowledged and more are in flight, the server is frozen where it
 * stands, a last batch is sent that it cannot have read, and it is killed
 * with SIGKILL: so the crash always lands with writes in flight, however
 * slowly either side is scheduled.
 */
async function writeUntilKilled(s: CliServer, minAcked: number): Promise<StreamResult> {
  const sock = createConnection({ port: s.port, host: '127.0.0.1' });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  let acked = 0;
  let sent = 0;
  let pending = '';
  sock.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    let nl: number;
    while ((nl = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 2);
      if (!line.startsWith(':')) throw new Error(`unexpected reply ${line}`);
      acked++;
    }
  });
  sock.on('error', () => {});
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  const send = (count: number) => {
    let batch = '';
    for (let i = 0; i < count; i++, sent++) batch += rpush(sent);
    sock.write(batch);
  };
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (s.child.exitCode !== null) return reject(new Error(`simpledb exited early: ${s.stderr()}`));
      if (acked >= minAcked && sent > acked) return resolve();
      if (sent - acked < 1000) send(50);
      setTimeout(pump, 5);
    };
    pump();
  });
  await freeze(s);
  send(100);
  s.child.kill('SIGKILL');
  await s.exited;
  // Replies the server sent before it stopped still count as acknowledged.
  await closed;
  return { acked, sent };
}

// A killed process loses nothing it wrote: the kernel keeps its writes. The
// server acknowledges a write only after writing it to the AOF (and fsyncing
// it under `always`), so no acknowledged write may be lost under either
// policy; what fsync adds only shows when the machine itself goes down.
describe('kill -9 during pipelined writes', () => {
  for (const policy of ['always', 'everysec'] as const) {
    it(`appendfsync ${policy}: every acknowledged write is there after restart`, async () => {
      const args = ['--appendonly', 'yes', '--appendfsync', policy, '--save', ''];
      const s = await start(args);
      const r = await writeUntilKilled(s, 2000);
      expect(r.sent).toBeGreaterThan(r.acked);
      const again = await start(args);
      const list = await listOf(again.port, 'l');
      // Every acknowledged write, in order, and nothing that was never sent.
      expect(list.length).toBeGreaterThanOrEqual(r.acked);
      expect(list.length).toBeLessThanOrEqual(r.sent);
      expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i));
    });
  }
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
      const [, , , expireAt] = await write(s.port, ['SET', 'k', 'v'], ['RPUSH', 'q', 'a', 'b'], ['SET', 't', 'x', 'EX', '1000'], ['PEXPIRETIME', 't']);
      s.child.kill(signal);
      expect(await s.exited).toBe(0);
      expect(readdirSync(dir)).toEqual(['dump.sdb']);
      const again = await start([]);
      const [v, q, loadedExpireAt] = await write(again.port, ['GET', 'k'], ['LRANGE', 'q', '0', '-1'], ['PEXPIRETIME', 't']);
      expect(v).toBe('$1\r\nv\r\n');
      expect(q).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
      // The same absolute expiry, to the millisecond, however long the restart took.
      expect(loadedExpireAt).toBe(expireAt);
      expect(Number(expireAt.slice(1))).toBeGreaterThan(Date.now());
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
    await write(s.port, ['SET', 'k', 'new'], ...filler, ['CONFIG', 'SET', 'rdb-key-save-delay', '200000'], ['BGSAVE']);
    const saving = () => readdirSync(dir).some((n) => n.startsWith('temp-'));
    await waitFor(saving, 'the BGSAVE to start writing');
    // Frozen, the server cannot finish the save (it runs in the server process) between this check and the kill.
    await freeze(s);
    expect(saving()).toBe(true);
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
