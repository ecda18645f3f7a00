// Snapshots, in-process: SAVE/BGSAVE round trips of every type with expiry,
// BGSAVE serving clients meanwhile and capturing one point in time, save
// rules, LASTSAVE and INFO fields, SHUTDOWN with and without NOSAVE, the
// checksum and format checks, and the choice between snapshot and AOF at
// startup.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { dumpState, info, makeTempDir, open, populate, waitFor, waitForJobs } from './persistence-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => cleanup());

const dumpPath = () => join(dir, 'dump.sdb');

describe('SAVE and BGSAVE', () => {
  it('SAVE round-trips every type, binary data, expiry times and databases', async () => {
    const s = await open({ dir });
    await populate(s.client);
    const state = await dumpState(s.client);
    expect(await s.client.call('SAVE')).toBe('OK');
    expect(readdirSync(dir)).toEqual(['dump.sdb']);
    await s.close();
    const r = await open({ dir });
    expect(await dumpState(r.client)).toEqual(state);
    const f = await info(r.client);
    expect(Number(f.rdb_last_load_keys_loaded)).toBe(Object.keys(state).length);
    expect(f.rdb_changes_since_last_save).toBe('0');
    await r.close();
  });

  it('BGSAVE round-trips too, resets the change counter and moves LASTSAVE', async () => {
    const s = await open({ dir });
    await populate(s.client);
    const state = await dumpState(s.client);
    const before = await s.client.call<number>('LASTSAVE');
    expect(Number((await info(s.client)).rdb_changes_since_last_save)).toBeGreaterThan(0);
    // LASTSAVE has one-second resolution: make sure the save lands in a later second.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await s.client.call('BGSAVE')).toBe('Background saving started');
    await waitForJobs(s.client);
    const f = await info(s.client);
    expect(f.rdb_last_bgsave_status).toBe('ok');
    expect(f.rdb_saves).toBe('1');
    expect(f.rdb_changes_since_last_save).toBe('0');
    const after = await s.client.call<number>('LASTSAVE');
    expect(after).toBeGreaterThan(before);
    expect(Number(f.rdb_last_save_time)).toBe(after);
    await s.close();
    const r = await open({ dir });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('BGSAVE serves clients while it runs and saves the data as it was when it started', async () => {
    const s = await open({ dir });
    await s.client.call('RPUSH', 'list', ...Array.from({ length: 50 }, (_, i) => i));
    for (let i = 0; i < 50; i++) await s.client.call('SET', `k${i}`, i);
    const state = await dumpState(s.client);
    // 20 ms per key: the save spans about a second of client traffic.
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 20000);
    expect(await s.client.call('BGSAVE')).toBe('Background saving started');
    let servedDuringSave = 0;
    while ((await info(s.client)).rdb_bgsave_in_progress === '1') {
      await s.client.call('LPOP', 'list');
      await s.client.call('SET', `k${servedDuringSave % 50}`, 'changed');
      await s.client.call('SET', `new${servedDuringSave}`, 'x');
      servedDuringSave++;
    }
    expect(servedDuringSave).toBeGreaterThan(10);
    expect((await info(s.client)).rdb_last_bgsave_status).toBe('ok');
    await s.close();
    const r = await open({ dir });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('answers Redis\'s errors while a BGSAVE runs', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'k', 'v');
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 300000);
    expect(await s.client.call('BGSAVE')).toBe('Background saving started');
    await expect(s.client.call('BGSAVE')).rejects.toThrow('ERR Background save already in progress');
    await expect(s.client.call('SAVE')).rejects.toThrow('ERR Background save already in progress');
    expect(await s.client.call('BGREWRITEAOF')).toBe('Background append only file rewriting scheduled');
    const f = await info(s.client);
    expect(f.rdb_bgsave_in_progress).toBe('1');
    expect(f.aof_rewrite_scheduled).toBe('1');
    await waitFor(async () => (await info(s.client)).aof_rewrite_in_progress === '1', 'the scheduled rewrite');
    await expect(s.client.call('BGSAVE')).rejects.toThrow(
      "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    );
    expect(await s.client.call('BGSAVE', 'SCHEDULE')).toBe('Background saving scheduled');
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 0);
    await waitForJobs(s.client);
    await waitFor(async () => (await info(s.client)).rdb_saves === '2', 'the scheduled BGSAVE');
    await s.close();
  });

  it('leaves no temp file behind and replaces the previous snapshot atomically', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'v', '1');
    await s.client.call('SAVE');
    const first = readFileSync(dumpPath());
    await s.client.call('SET', 'v', '2');
    await s.client.call('BGSAVE');
    await waitForJobs(s.client);
    expect(readdirSync(dir)).toEqual(['dump.sdb']);
    expect(readFileSync(dumpPath())).not.toEqual(first);
    await s.close();
  });

  it('SHUTDOWN while a BGSAVE runs removes its temp file', async () => {
    const s = await open({ dir, save: '' });
    for (let i = 0; i < 20; i++) await s.client.call('SET', `k${i}`, i);
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 100000);
    await s.client.call('BGSAVE');
    await waitFor(() => readdirSync(dir).some((n) => n.startsWith('temp-')), 'the temp file');
    const closed = new Promise<void>((r) => s.server.onClosed(r));
    void s.client.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    await closed;
    expect(readdirSync(dir)).toEqual([]);
    s.client.disconnect();
  });
});

describe('save rules', () => {
  it('a rule whose time and change count are reached starts a BGSAVE', async () => {
    const s = await open({ dir, save: '1 3' });
    expect(await s.client.call('CONFIG', 'GET', 'save')).toEqual(['save', '1 3']);
    await s.client.call('SET', 'a', '1');
    await s.client.call('SET', 'b', '1');
    // Two changes: below the rule, nothing happens even after the second passes.
    await new Promise((r) => setTimeout(r, 1300));
    expect((await info(s.client)).rdb_saves).toBe('0');
    await s.client.call('SET', 'c', '1');
    await waitFor(async () => (await info(s.client)).rdb_saves === '1', 'the rule to fire');
    await waitForJobs(s.client);
    expect(existsSync(dumpPath())).toBe(true);
    await s.close();
  });

  it('CONFIG SET save replaces the rules; "" removes them', async () => {
    const s = await open({ dir });
    await s.client.call('CONFIG', 'SET', 'save', '1 1');
    await s.client.call('SET', 'a', '1');
    await waitFor(async () => (await info(s.client)).rdb_saves === '1', 'the rule to fire');
    await s.client.call('CONFIG', 'SET', 'save', '');
    await s.client.call('SET', 'b', '1');
    await new Promise((r) => setTimeout(r, 1300));
    expect((await info(s.client)).rdb_saves).toBe('1');
    await s.close();
  });
});

describe('SHUTDOWN', () => {
  async function shutdown(s: Awaited<ReturnType<typeof open>>, ...args: string[]): Promise<void> {
    const closed = new Promise<void>((r) => s.server.onClosed(r));
    void s.client.call('SHUTDOWN', ...args).catch(() => {});
    await closed;
    s.client.disconnect();
  }

  it('saves a snapshot when save rules are set, which the next start loads', async () => {
    const s = await open({ dir, save: '3600 1' });
    await populate(s.client);
    const state = await dumpState(s.client);
    await shutdown(s);
    const r = await open({ dir });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('NOSAVE skips the snapshot; SAVE forces one without rules', async () => {
    const s = await open({ dir, save: '3600 1' });
    await s.client.call('SET', 'k', 'v');
    await shutdown(s, 'NOSAVE');
    expect(existsSync(dumpPath())).toBe(false);
    const t = await open({ dir, save: '' });
    await t.client.call('SET', 'k', 'v');
    await shutdown(t);
    expect(existsSync(dumpPath())).toBe(false);
    const u = await open({ dir, save: '' });
    await u.client.call('SET', 'k', 'v');
    await shutdown(u, 'SAVE');
    expect(existsSync(dumpPath())).toBe(true);
  });

  it('fsyncs the AOF, and a failed final save refuses to shut down unless FORCE', async () => {
    const s = await open({ dir, appendonly: true, save: '3600 1' });
    await s.client.call('SET', 'k', 'v');
    // A directory where the snapshot should go makes the rename fail.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dumpPath());
    writeFileSync(join(dumpPath(), 'keep'), 'x');
    await expect(s.client.call('SHUTDOWN')).rejects.toThrow('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(await s.client.call('GET', 'k')).toBe('v');
    await shutdown(s, 'FORCE');
    const r = await open({ dir, appendonly: true });
    expect(await r.client.call('GET', 'k')).toBe('v');
    await r.close();
  });
});

describe('loading at startup', () => {
  it('loads the snapshot when the AOF is on but has no file yet, and writes the AOF from it', async () => {
    const s = await open({ dir });
    await populate(s.client);
    const state = await dumpState(s.client);
    await s.client.call('SAVE');
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    expect(existsSync(join(dir, 'appendonly.aof'))).toBe(true);
    await r.close();
    // The AOF now holds everything: without the snapshot the data is still there.
    const { rmSync } = await import('node:fs');
    rmSync(dumpPath());
    const t = await open({ dir, appendonly: true });
    expect(await dumpState(t.client)).toEqual(state);
    await t.close();
  });

  it('prefers an existing AOF over the snapshot', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'from', 'aof');
    await s.close();
    const t = await open({ dir });
    await t.client.call('SET', 'from', 'snapshot');
    await t.client.call('SAVE');
    await t.close();
    const r = await open({ dir, appendonly: true });
    expect(await r.client.call('GET', 'from')).toBe('aof');
    await r.close();
  });

  it('skips keys that expired while the server was down and counts them', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'short', 'v', 'PX', 50);
    await s.client.call('SET', 'long', 'v', 'EX', 100);
    await s.client.call('SAVE');
    await s.close();
    await new Promise((r) => setTimeout(r, 100));
    const r = await open({ dir });
    expect(await r.client.call('KEYS', '*')).toEqual(['long']);
    expect((await info(r.client)).rdb_last_load_keys_expired).toBe('1');
    await r.close();
  });

  it('an embedded server without persistence options reads no file', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'k', 'v');
    await s.client.call('SAVE');
    await s.close();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await open({});
      expect(await r.client.call('DBSIZE')).toBe(0);
      await r.close();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('damaged snapshots are refused', () => {
  async function savedSnapshot(): Promise<Buffer> {
    const s = await open({ dir });
    await populate(s.client);
    await s.client.call('SAVE');
    await s.close();
    return readFileSync(dumpPath());
  }

  const start = () => startServer({ host: '127.0.0.1', port: 0, dir });

  it('a flipped byte fails the checksum', async () => {
    const good = await savedSnapshot();
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)] ^= 0x01;
    writeFileSync(dumpPath(), bad);
    await expect(start()).rejects.toThrow(`Bad snapshot file ${dumpPath()}: checksum mismatch`);
  });

  it('a truncated file (a half-written snapshot) fails the checksum', async () => {
    const good = await savedSnapshot();
    writeFileSync(dumpPath(), good.subarray(0, good.length - 100));
    await expect(start()).rejects.toThrow(/checksum mismatch/);
  });

  it('a file that is not a snapshot, or from a newer format version, is named as such', async () => {
    const good = await savedSnapshot();
    writeFileSync(dumpPath(), 'REDIS0011 not ours');
    await expect(start()).rejects.toThrow('not a simpledb snapshot');
    const newer = Buffer.from(good);
    newer.writeUInt16LE(99, 12);
    writeFileSync(dumpPath(), newer);
    await expect(start()).rejects.toThrow('format version 99 is not supported');
  });

  it('the bytes are those of the example in docs/snapshot-format.md', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'k', 'abc');
    await s.client.call('RPUSH', 'l', 'x');
    await s.client.call('SAVE');
    await s.close();
    const file = readFileSync(dumpPath());
    expect(file.subarray(0, 16).toString('hex')).toBe(Buffer.from('SIMPLEDBSNAP').toString('hex') + '02000000');
    expect(file.subarray(24).toString('hex')).toMatch(/^fe000200016b0361626301016c010178ff[0-9a-f]{8}$/);
    const { crc32 } = await import('../../src/server/persistence/crc32.js');
    expect(file.readUInt32LE(file.length - 4)).toBe(crc32(file.subarray(0, file.length - 4)));
  });

  it('keys expired when the save starts are not written, nor a database left without keys', async () => {
    const s = await open({ dir });
    await s.client.call('SET', 'kept', 'v');
    await s.client.call('SET', 'gone', 'v', 'PX', 20);
    await s.client.call('SELECT', 7);
    await s.client.call('SET', 'gone7', 'v', 'PX', 20);
    await new Promise((r) => setTimeout(r, 50));
    await s.client.call('SAVE');
    await s.close();
    const file = readFileSync(dumpPath());
    expect(file.includes('gone')).toBe(false);
    expect(file.includes(Buffer.from([0xfe, 0x07]))).toBe(false);
    // Database 0 holds exactly one key.
    expect(file.subarray(24, 27).toString('hex')).toBe('fe0001');
  });

  it('the checksum covers the whole file, so its size matches what was written', async () => {
    const good = await savedSnapshot();
    expect(statSync(dumpPath()).size).toBe(good.length);
    expect(good.subarray(0, 12).toString('latin1')).toBe('SIMPLEDBSNAP');
    expect(good[good.length - 5]).toBe(0xff);
  });
});
