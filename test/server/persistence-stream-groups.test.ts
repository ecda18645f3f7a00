// Consumer groups survive persistence: a snapshot (SAVE, restart), the AOF
// (replayed at start) and a rewritten AOF must all rebuild the same groups,
// consumers, pending entries (owner, delivery time and count), last IDs and
// read counters. XINFO STREAM FULL shows all of it; only a consumer's
// seen-time is not kept by the AOF (as in Redis), so it is masked there.
// A version-1 snapshot (streams without groups) must still load.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/server/persistence/crc32.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { makeTempDir, open, waitForJobs } from './persistence-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => cleanup());

type Opened = Awaited<ReturnType<typeof open>>;

/** Streams with groups in several states: reads with and without NOACK, acks, claims, a deleted consumer, SETID. */
async function populateGroups(s: Opened): Promise<void> {
  const c = await RawConnection.open(s.server.port);
  const run = async (...argv: string[]) => {
    const r = await c.command(...argv);
    expect(r, argv.join(' ')).not.toMatch(/^-/);
  };
  for (let i = 1; i <= 12; i++) await run('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await run('XGROUP', 'CREATE', 's', 'g1', '0');
  await run('XGROUP', 'CREATE', 's', 'g2', '$');
  await run('XGROUP', 'CREATE', 's', 'g3', '3-0', 'ENTRIESREAD', '3');
  await run('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '4', 'STREAMS', 's', '>');
  await run('XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '3', 'STREAMS', 's', '>');
  await run('XREADGROUP', 'GROUP', 'g1', 'alice', 'STREAMS', 's', '0');
  await run('XACK', 's', 'g1', '2-0', '6-0');
  await run('XCLAIM', 's', 'g1', 'carol', '0', '3-0', '5-0', 'TIME', '1600000000000', 'RETRYCOUNT', '9');
  await run('XAUTOCLAIM', 's', 'g1', 'dave', '0', '7-0', 'COUNT', '1');
  await run('XGROUP', 'CREATECONSUMER', 's', 'g1', 'idle-one');
  await run('XGROUP', 'CREATECONSUMER', 's', 'g1', 'gone');
  await run('XGROUP', 'DELCONSUMER', 's', 'g1', 'gone');
  await run('XREADGROUP', 'GROUP', 'g3', 'n', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>');
  await run('XADD', 's', '13-0', 'f', 'v13');
  await run('XDEL', 's', '12-0');
  await run('XREADGROUP', 'GROUP', 'g2', 'x', 'STREAMS', 's', '>');
  await run('XGROUP', 'CREATE', 'other', 'empty', '$', 'MKSTREAM');
  await run('XGROUP', 'CREATE', 'other', 'moved', '0');
  await run('XGROUP', 'SETID', 'other', 'moved', '5-0', 'ENTRIESREAD', '7');
  await run('SELECT', '3');
  await run('XADD', 'in3', '1-1', 'a', 'b');
  await run('XGROUP', 'CREATE', 'in3', 'g', '0');
  await run('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'in3', '>');
  c.close();
}

/** XINFO STREAM FULL (everything a group holds) of each stream, seen-times masked when asked. */
async function groupState(s: Opened, maskSeenTime: boolean): Promise<string[]> {
  const c = await RawConnection.open(s.server.port);
  const out: string[] = [];
  for (const [db, key] of [['0', 's'], ['0', 'other'], ['3', 'in3']]) {
    await c.command('SELECT', db);
    let full = await c.command('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0');
    if (maskSeenTime) full = full.replace(/(\$9\r\nseen-time\r\n):\d+/g, '$1:N');
    out.push(full, await c.command('XINFO', 'GROUPS', key));
  }
  c.close();
  return out;
}

describe('consumer groups and persistence', () => {
  it('a snapshot keeps groups, consumers, pending entries and counters exactly', async () => {
    const s = await open({ dir });
    await populateGroups(s);
    const before = await groupState(s, false);
    expect(before[0]).toContain('carol');
    expect(await s.client.call('SAVE')).toBe('OK');
    await s.close();
    const r = await open({ dir });
    expect(await groupState(r, false)).toEqual(before);
    await r.close();
  });

  it('a snapshot keeps a pending entry whose stream entry was deleted', async () => {
    const s = await open({ dir });
    const c = await RawConnection.open(s.server.port);
    await c.command('XADD', 's', '1-0', 'f', 'v');
    await c.command('XGROUP', 'CREATE', 's', 'g', '0');
    await c.command('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    await c.command('XDEL', 's', '1-0');
    const history = await c.command('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0');
    expect(history).toBe('*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*-1\r\n');
    await s.client.call('SAVE');
    c.close();
    await s.close();
    const r = await open({ dir });
    const d = await RawConnection.open(r.server.port);
    expect(await d.command('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0')).toBe(history);
    d.close();
    await r.close();
  });

  it('replaying the AOF rebuilds the same groups', async () => {
    const s = await open({ dir, appendonly: true, appendfsync: 'always' });
    await populateGroups(s);
    const before = await groupState(s, true);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await groupState(r, true)).toEqual(before);
    await r.close();
  });

  it('a served XREADGROUP BLOCK is logged as XCLAIM and XGROUP SETID, and replays', async () => {
    const s = await open({ dir, appendonly: true, appendfsync: 'always' });
    const [a, p] = [await RawConnection.open(s.server.port), await RawConnection.open(s.server.port)];
    await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reply = a.command('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    while (!(await p.command('INFO', 'clients')).includes('blocked_clients:1')) await new Promise((r) => setTimeout(r, 5));
    await p.command('XADD', 's', '5-0', 'f', 'v');
    expect(await reply).toContain('5-0');
    const aof = readFileSync(join(dir, 'appendonly.aof'), 'latin1');
    expect(aof).toMatch(/XCLAIM\r\n\$1\r\ns\r\n\$1\r\ng\r\n\$1\r\nc\r\n\$1\r\n0\r\n\$3\r\n5-0\r\n\$4\r\nTIME\r\n\$13\r\n\d{13}\r\n\$10\r\nRETRYCOUNT\r\n\$1\r\n1\r\n\$5\r\nFORCE\r\n\$6\r\nJUSTID\r\n\$6\r\nLASTID\r\n\$3\r\n5-0\r\n/);
    expect(aof).toContain('SETID\r\n$1\r\ns\r\n$1\r\ng\r\n$3\r\n5-0\r\n$11\r\nENTRIESREAD\r\n$1\r\n1\r\n');
    const before = await p.command('XINFO', 'STREAM', 's', 'FULL');
    a.close();
    p.close();
    await s.close();
    const r = await open({ dir, appendonly: true });
    const c = await RawConnection.open(r.server.port);
    const mask = (x: string) => x.replace(/(\$9\r\nseen-time\r\n):\d+/g, '$1:N');
    expect(mask(await c.command('XINFO', 'STREAM', 's', 'FULL'))).toBe(mask(before));
    c.close();
    await r.close();
  });

  it('a rewritten AOF rebuilds the same groups', async () => {
    const s = await open({ dir, appendonly: true });
    await populateGroups(s);
    const before = await groupState(s, true);
    await s.client.call('BGREWRITEAOF');
    await waitForJobs(s.client);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await groupState(r, true)).toEqual(before);
    await r.close();
  });

  it('a version-1 snapshot (a stream without groups) still loads', async () => {
    // Header, SELECT_DB 0 with one key, STREAM "s" with last ID 9-0 and entry 2-1 {f: v}, EOF, CRC.
    const id = (ms: number, seq: number) => {
      const b = Buffer.alloc(16);
      b.writeBigUInt64LE(BigInt(ms), 0);
      b.writeBigUInt64LE(BigInt(seq), 8);
      return b;
    };
    const body = Buffer.concat([
      Buffer.from('SIMPLEDBSNAP', 'latin1'),
      Buffer.from([1, 0, 0, 0]),
      Buffer.alloc(8),
      Buffer.from([0xfe, 0, 1, 0x05, 1, 0x73]),
      id(9, 0),
      Buffer.from([1]),
      id(2, 1),
      Buffer.from([1, 1, 0x66, 1, 0x76, 0xff]),
    ]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(body));
    writeFileSync(join(dir, 'dump.sdb'), Buffer.concat([body, crc]));
    const r = await open({ dir });
    const c = await RawConnection.open(r.server.port);
    expect(await c.command('XRANGE', 's', '-', '+')).toBe('*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(await c.command('XINFO', 'GROUPS', 's')).toBe('*0\r\n');
    expect(await c.command('XADD', 's', '9-0', 'f', 'v')).toMatch(/^-ERR The ID specified in XADD is equal or smaller/);
    expect(await c.command('XGROUP', 'CREATE', 's', 'g', '0')).toBe('+OK\r\n');
    c.close();
    await r.close();
  });
});
