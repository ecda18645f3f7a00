// The append-only file, in-process: what gets logged (absolute expiry,
// served blocking pops, MULTI/EXEC framing, expired keys as DEL), replay at
// start for every type, a torn tail cut off with a warning, a torn
// transaction dropped whole, corruption refused with file and offset,
// BGREWRITEAOF equivalence (also with writes during the rewrite), automatic
// rewrite, and turning the AOF on and off with CONFIG SET.
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server, startServer, type ServerOptions } from '../../src/server/index.js';
import { bin, dumpState, info, makeTempDir, open, populate, waitFor, waitForJobs } from './persistence-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
});
afterEach(() => cleanup());

const aofPath = () => join(dir, 'appendonly.aof');
const readAof = () => readFileSync(aofPath(), 'latin1');
/** The AOF as a list of commands (each an argv), for readable assertions. */
function aofCommands(): string[][] {
  const text = readAof();
  const out: string[][] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\r\n', pos);
    const argc = Number(text.slice(pos + 1, nl));
    pos = nl + 2;
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const l = text.indexOf('\r\n', pos);
      const len = Number(text.slice(pos + 1, l));
      argv.push(text.slice(l + 2, l + 2 + len));
      pos = l + 2 + len + 2;
    }
    out.push(argv);
  }
  return out;
}

describe('AOF logging', () => {
  it('logs writes in RESP with SELECT, relative expiry as absolute, and nothing for reads or no-op writes', async () => {
    const s = await open({ dir, appendonly: true, appendfsync: 'always' });
    const before = Date.now();
    await s.client.call('SET', 'k', 'v');
    await s.client.call('GET', 'k');
    await s.client.call('EXPIRE', 'k', 100);
    await s.client.call('SET', 'e', 'v', 'EX', 50);
    await s.client.call('SETEX', 'x', 10, 'v');
    await s.client.call('DEL', 'missing');
    await s.client.call('SELECT', 2);
    await s.client.call('RPUSH', 'l', 'a');
    const after = Date.now();
    const cmds = aofCommands();
    expect(cmds.map((c) => c[0])).toEqual(['SELECT', 'SET', 'PEXPIREAT', 'SET', 'SET', 'SELECT', 'RPUSH']);
    expect(cmds[0]).toEqual(['SELECT', '0']);
    expect(cmds[1]).toEqual(['SET', 'k', 'v']);
    const pexpireat = Number(cmds[2][2]);
    expect(pexpireat).toBeGreaterThanOrEqual(before + 100_000);
    expect(pexpireat).toBeLessThanOrEqual(after + 100_000);
    expect(cmds[3].slice(0, 4)).toEqual(['SET', 'e', 'v', 'PXAT']);
    expect(Number(cmds[3][4])).toBeGreaterThanOrEqual(before + 50_000);
    expect(cmds[4].slice(0, 4)).toEqual(['SET', 'x', 'v', 'PXAT']);
    expect(cmds[5]).toEqual(['SELECT', '2']);
    await s.close();
  });

  it('logs a served BLPOP as LPOP, and frames a transaction with MULTI/EXEC once', async () => {
    const s = await open({ dir, appendonly: true });
    const waiter = s.client.duplicate();
    const popped = waiter.call('BLPOP', 'q', 0);
    await waitFor(async () => (await info(s.client, 'clients')).blocked_clients === '1', 'the BLPOP to block');
    await s.client.call('RPUSH', 'q', 'job');
    expect(await popped).toEqual(['q', 'job']);
    await s.client.multi([
      ['SET', 'a', '1'],
      ['GET', 'a'],
      ['INCR', 'a'],
    ]);
    // A transaction without writes leaves no trace.
    await s.client.multi([['GET', 'a']]);
    await waitFor(() => aofCommands().length >= 7, 'the log');
    expect(aofCommands()).toEqual([
      ['SELECT', '0'],
      ['RPUSH', 'q', 'job'],
      ['LPOP', 'q'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['INCR', 'a'],
      ['EXEC'],
    ]);
    waiter.disconnect();
    await s.close();
  });

  it('logs a DEL for an expired key, so replay does not resurrect it under a later write', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'k', 'v', 'PX', 30);
    await new Promise((r) => setTimeout(r, 80));
    // APPEND finds k expired: the server now holds "x" with no TTL.
    await s.client.call('APPEND', 'k', 'x');
    expect(aofCommands().map((c) => c[0])).toEqual(['SELECT', 'SET', 'DEL', 'APPEND']);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await r.client.call('GET', 'k')).toBe('x');
    expect(await r.client.call('PTTL', 'k')).toBe(-1);
    await r.close();
  });
});

describe('acknowledgement waits for the log', () => {
  // A disk that refuses writes (/dev/full: ENOSPC) shows the ordering without racing a crash:
  // under `always` no reply may leave before its write is in the file.
  it('appendfsync always: replies are held while the AOF cannot be written, and sent once it is', async () => {
    const s = await open({ dir, appendonly: true, appendfsync: 'always' });
    await s.client.call('SET', 'before', '1');
    const aof = s.server.persistence.aof;
    aof.open('/dev/full');
    let answered = false;
    const reply = s.client.call('SET', 'k', 'v').then((r) => {
      answered = true;
      return r;
    });
    await waitFor(() => !aof.lastWriteOk, 'the failed write');
    // Another retry fails too; still nothing acknowledged.
    await new Promise((r) => setTimeout(r, 1200));
    expect(answered).toBe(false);
    aof.open(aofPath(), 0);
    expect(await reply).toBe('OK');
    expect(aof.lastWriteOk).toBe(true);
    expect(readAof()).toContain('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await r.client.call('MGET', 'before', 'k')).toEqual(['1', 'v']);
    await r.close();
  });

  it('appendfsync everysec: a write error is reported in INFO and the command is retried into the file', async () => {
    const s = await open({ dir, appendonly: true, appendfsync: 'everysec' });
    const aof = s.server.persistence.aof;
    aof.open('/dev/full');
    expect(await s.client.call('SET', 'k', 'v')).toBe('OK');
    expect((await info(s.client)).aof_last_write_status).toBe('err');
    aof.open(aofPath(), 0);
    await waitFor(async () => (await info(s.client)).aof_last_write_status === 'ok', 'the retried write');
    expect(readAof()).toContain('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    await s.close();
  });
});

describe('AOF replay', () => {
  it('restores every type, binary values, expiry times and databases', async () => {
    const s = await open({ dir, appendonly: true });
    await populate(s.client);
    await s.client.call('LPOP', 'list');
    await s.client.call('HDEL', 'hash', 'f1');
    await s.client.call('ZINCRBY', 'zset', 10, 'a');
    const state = await dumpState(s.client);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    expect((await info(r.client)).rdb_changes_since_last_save).toBe('0');
    await r.close();
  });

  it('replays commands that reach other databases, pops, random and approximate commands in their logged form', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'a', '1');
    await s.client.call('MOVE', 'a', 3);
    await s.client.call('SET', 'b', '2', 'EX', 500);
    await s.client.call('COPY', 'b', 'b2', 'DB', 4);
    await s.client.call('SELECT', 4);
    await s.client.call('SET', 'only4', 'x');
    await s.client.call('SWAPDB', 4, 6);
    await s.client.call('SELECT', 0);
    await s.client.call('SADD', 'set', 'a', 'b', 'c', 'd', 'e');
    await s.client.call('SPOP', 'set', 2);
    await s.client.call('RPUSH', 'l', 'x', 'y', 'z');
    await s.client.call('LMPOP', 1, 'l', 'LEFT', 'COUNT', 2);
    await s.client.call('HSET', 'h', 'f', '1.5');
    await s.client.call('HINCRBYFLOAT', 'h', 'f', '0.1');
    await s.client.call('INCRBYFLOAT', 'fl', '3.3');
    for (let i = 0; i < 300; i++) await s.client.call('XADD', 'st', 'MAXLEN', '~', 100, '*', 'i', i);
    await s.client.call('SELECT', 9);
    await s.client.call('SET', 'gone', 'x');
    await s.client.call('FLUSHDB');
    await s.client.call('SELECT', 0);
    const state = await dumpState(s.client);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('replays sorted-set algebra, multi-key pops and SORT ... STORE (pops in their logged ZPOPMIN/ZPOPMAX form)', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('ZADD', 'z1', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    await s.client.call('ZADD', 'z2', 10, 'b', 20, 'c', 30, 'e');
    await s.client.call('SADD', 'set', 'a', 'e', 'f');
    await s.client.call('ZUNIONSTORE', 'u', 3, 'z1', 'z2', 'set', 'WEIGHTS', 1, 0.5, 2, 'AGGREGATE', 'MAX');
    await s.client.call('ZINTERSTORE', 'i', 2, 'z1', 'z2');
    await s.client.call('ZDIFFSTORE', 'd', 2, 'z1', 'set');
    await s.client.call('ZUNIONSTORE', 'gone', 1, 'missing');
    await s.client.call('ZMPOP', 2, 'missing', 'z1', 'MAX', 'COUNT', 2);
    await s.client.call('BZMPOP', 0, 1, 'z2', 'MIN', 'COUNT', 5);
    await s.client.call('RPUSH', 'nums', 3, 1, 2);
    await s.client.call('MSET', 'w_1', 9, 'w_2', 8, 'w_3', 7);
    await s.client.call('SORT', 'nums', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'STORE', 'sorted');
    await s.client.call('SORT', 'set', 'BY', 'nosort', 'STORE', 'alpha');
    const state = await dumpState(s.client);
    await s.close();
    const log = readAof();
    expect(log).not.toContain('ZMPOP');
    expect(log).toContain('ZPOPMAX\r\n$2\r\nz1\r\n$1\r\n2');
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('keeps keys whose TTL ran out while the server was down out of the keyspace', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'short', 'v', 'PX', 50);
    await s.client.call('SET', 'long', 'v', 'EX', 100);
    await s.close();
    await new Promise((r) => setTimeout(r, 100));
    const r = await open({ dir, appendonly: true });
    expect(await r.client.call('EXISTS', 'short')).toBe(0);
    expect(await r.client.call('EXISTS', 'long')).toBe(1);
    await r.close();
  });

  it('does not read the AOF when appendonly is no', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'k', 'v');
    await s.close();
    const r = await open({ dir, appendonly: false });
    expect(await r.client.call('DBSIZE')).toBe(0);
    await r.close();
  });
});

describe('damaged AOF', () => {
  const logFile = () => join(dir, 'server.log');

  async function writeValidAof(): Promise<number> {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'a', '1');
    await s.client.call('RPUSH', 'l', 'x', 'y');
    await s.close();
    return statSync(aofPath()).size;
  }

  for (const [name, tail] of [
    ['inside a bulk string', '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\nhel'],
    ['inside a length line', '*3\r\n$3\r\nSET\r\n$1'],
    ['right after the count', '*3\r\n'],
    ['before the final CRLF', '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r'],
  ] as const) {
    it(`cuts off a torn last command (${name}) with a warning and starts`, async () => {
      const good = await writeValidAof();
      appendFileSync(aofPath(), tail);
      const s = await open({ dir, appendonly: true, logFile: logFile(), logLevel: 'warn' });
      expect(await s.client.call('GET', 'a')).toBe('1');
      expect(await s.client.call('LRANGE', 'l', 0, -1)).toEqual(['x', 'y']);
      expect(await s.client.call('EXISTS', 'b')).toBe(0);
      expect(statSync(aofPath()).size).toBe(good);
      const log = readFileSync(logFile(), 'utf8');
      expect(log).toContain(`Truncating the AOF ${aofPath()} at offset ${good}`);
      // New writes go after the cut, and the file replays again.
      await s.client.call('SET', 'c', '3');
      await s.close();
      const r = await open({ dir, appendonly: true });
      expect(await r.client.call('MGET', 'a', 'c')).toEqual(['1', '3']);
      await r.close();
    });
  }

  it('drops a transaction whose EXEC never reached the file, whole', async () => {
    const good = await writeValidAof();
    appendFileSync(aofPath(), '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n');
    const s = await open({ dir, appendonly: true, logFile: logFile(), logLevel: 'warn' });
    expect(await s.client.call('EXISTS', 'b', 'n')).toBe(0);
    expect(statSync(aofPath()).size).toBe(good);
    expect(readFileSync(logFile(), 'utf8')).toContain('MULTI without EXEC');
    await s.close();
  });

  it('refuses to start on a torn tail when aof-load-truncated is no', async () => {
    await writeValidAof();
    appendFileSync(aofPath(), '*2\r\n$3\r\nDEL');
    // aof-load-truncated is a CONFIG parameter: set it on a server before it loads.
    const refused = startServerWith({ dir, appendonly: true }, (s) => s.configTable.setMany([['aof-load-truncated', 'no']]));
    await expect(refused).rejects.toThrow(/at offset \d+: short read: the last command is incomplete/);
  });

  for (const [name, corrupt, what] of [
    ['a wrong prefix byte', '*1\r\n$4\r\nPING\r\nXXXX', "expected '*'"],
    ['zero bytes', '\0\0\0\0\0\0\0\0', "expected '*'"],
    ['a bad length', '*2\r\n$x\r\n', 'bad bulk length'],
    ['a bulk string without CRLF', '*2\r\n$3\r\nDELxx\r\n', 'bulk string not followed by CRLF'],
    ['an unknown command', '*2\r\n$6\r\nNOSUCH\r\n$1\r\nk\r\n', "unknown command 'NOSUCH'"],
    ['a wrong arity', '*2\r\n$3\r\nSET\r\n$1\r\nk\r\n', "wrong number of arguments for 'set'"],
  ] as const) {
    it(`refuses to start on corruption in the middle (${name}), naming the file and the offset`, async () => {
      const good = await writeValidAof();
      // Valid commands after the damage: it is not a torn tail.
      appendFileSync(aofPath(), corrupt + '*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n9\r\n');
      const before = readFileSync(aofPath());
      const started = startServer({ host: '127.0.0.1', port: 0, dir, appendonly: true });
      await expect(started).rejects.toThrow(`Bad file format reading the append only file ${aofPath()} at offset `);
      const message = await started.then(
        () => '',
        (e: Error) => e.message,
      );
      expect(message).toContain(what);
      const offset = Number(/at offset (\d+)/.exec(message)![1]);
      expect(offset).toBeGreaterThanOrEqual(good);
      expect(offset).toBeLessThan(good + corrupt.length + 1);
      // The file is left as it was, for the operator to inspect.
      expect(readFileSync(aofPath())).toEqual(before);
    });
  }
});

/** Creates a server, lets `configure` change it before it loads, then listens. */
async function startServerWith(options: ServerOptions, configure: (s: Server) => void): Promise<void> {
  const server = new Server({ host: '127.0.0.1', port: 0, ...options });
  configure(server);
  try {
    await server.listen();
  } finally {
    await server.close();
  }
}

describe('BGREWRITEAOF', () => {
  it('compacts the log into an equivalent one', async () => {
    const s = await open({ dir, appendonly: true });
    await populate(s.client);
    for (let i = 0; i < 300; i++) await s.client.call('INCR', 'counter');
    for (let i = 0; i < 100; i++) await s.client.call('LPUSH', 'churn', i);
    for (let i = 0; i < 100; i++) await s.client.call('RPOP', 'churn');
    const state = await dumpState(s.client);
    const sizeBefore = statSync(aofPath()).size;
    expect(await s.client.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await waitForJobs(s.client);
    const f = await info(s.client);
    expect(f.aof_rewrites).toBe('1');
    expect(f.aof_last_bgrewrite_status).toBe('ok');
    expect(Number(f.aof_current_size)).toBe(statSync(aofPath()).size);
    expect(statSync(aofPath()).size).toBeLessThan(sizeBefore);
    expect(await dumpState(s.client)).toEqual(state);
    // Writes after the rewrite are appended to the new file.
    await s.client.call('SET', 'after', 'rewrite');
    const expected = { ...state, '0:after': { type: 'string', value: 'rewrite', expireAt: -1 } };
    await s.close();
    expect(readdirSync(dir).filter((n) => n.startsWith('temp'))).toEqual([]);
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(expected);
    await r.close();
  });

  it('keeps the writes made while it runs (rewrite buffer), in order', async () => {
    const s = await open({ dir, appendonly: true });
    await populate(s.client);
    // Slow the rewrite down (Redis's rdb-key-save-delay) so writes land while it runs.
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 20000);
    expect(await s.client.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
    let during = 0;
    while ((await info(s.client)).aof_rewrite_in_progress === '1') {
      await s.client.call('RPUSH', 'during', during);
      await s.client.call('INCR', 'counter');
      await s.client.call('LPOP', 'biglist');
      await s.client.call('SELECT', 5);
      await s.client.call('SET', `k${during}`, during);
      await s.client.call('SELECT', 0);
      during++;
    }
    expect(during).toBeGreaterThan(5);
    await s.client.call('SET', 'last', 'x');
    const state = await dumpState(s.client);
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('answers "already in progress" while it runs', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('SET', 'k', 'v');
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 300000);
    expect(await s.client.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await expect(s.client.call('BGREWRITEAOF')).rejects.toThrow('ERR Background append only file rewriting already in progress');
    expect((await info(s.client)).aof_rewrite_in_progress).toBe('1');
    await s.client.call('CONFIG', 'SET', 'rdb-key-save-delay', 0);
    await waitForJobs(s.client);
    await s.close();
  });

  it('runs by itself once the AOF doubles past auto-aof-rewrite-min-size', async () => {
    const s = await open({ dir, appendonly: true });
    await s.client.call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '4kb');
    // In one transaction: one by one, on a slow machine, the 100 ms cron could rewrite mid-way (and again).
    await s.client.multi(Array.from({ length: 400 }, (_, i) => ['SET', 'same', `value-${i}`]));
    await waitFor(async () => (await info(s.client)).aof_rewrites === '1', 'the automatic rewrite');
    await waitForJobs(s.client);
    expect(statSync(aofPath()).size).toBeLessThan(4096);
    expect(Number((await info(s.client)).aof_base_size)).toBe(statSync(aofPath()).size);
    await s.close();
  });
});

describe('CONFIG SET appendonly', () => {
  it('yes writes the current data as the AOF and logs from then on; no stops logging', async () => {
    const s = await open({ dir });
    await populate(s.client);
    expect(existsSync(aofPath())).toBe(false);
    await s.client.call('CONFIG', 'SET', 'appendonly', 'yes');
    await waitFor(async () => (await info(s.client)).aof_rewrites === '1', 'the initial rewrite');
    await s.client.call('SET', 'later', '1');
    const state = await dumpState(s.client);
    await s.client.call('CONFIG', 'SET', 'appendonly', 'no');
    await s.client.call('SET', 'unlogged', '1');
    expect(readAof()).not.toContain('unlogged');
    await s.close();
    const r = await open({ dir, appendonly: true });
    expect(await dumpState(r.client)).toEqual(state);
    await r.close();
  });

  it('appendfsync can be changed at runtime and is reported', async () => {
    const s = await open({ dir, appendonly: true });
    expect(await s.client.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    await s.client.call('CONFIG', 'SET', 'appendfsync', 'always');
    await s.client.call('SET', 'k', 'v');
    expect(readAof()).toContain('k');
    expect(await s.client.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
    await s.close();
  });
});

describe('AOF with a binary keyspace', () => {
  it('writes keys and values byte for byte', async () => {
    const s = await open({ dir, appendonly: true });
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    await s.client.call('SET', bin(all), bin(all));
    await s.close();
    expect(readFileSync(aofPath())).toEqual(
      Buffer.concat([Buffer.from('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$256\r\n'), bin(all), Buffer.from('\r\n$256\r\n'), bin(all), Buffer.from('\r\n')]),
    );
    const r = await open({ dir, appendonly: true });
    expect((await r.client.callBuffer<Buffer>('GET', bin(all))).equals(bin(all))).toBe(true);
    await r.close();
  });

  it('loads an AOF written by Redis (with its annotations)', async () => {
    writeFileSync(aofPath(), '#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    const s = await open({ dir, appendonly: true });
    expect(await s.client.call('GET', 'k')).toBe('v');
    await s.close();
  });
});
