// The wire protocol against a real redis-server: malformed RESP, lengths
// beyond Redis's limits, inline commands (quoting, telnet-style typing),
// seeded random bytes, partial commands cut by a disconnect, a 40 MB value and
// 10k pipelined commands. For each input, everything the server sends back
// and whether it closes the connection must be the same as Redis; meanwhile
// another client's connection and data stay intact.
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { expectSameReplies, startPair, type ServerPair } from '../helpers/differential.js';
import { encodeCommand, frameEnd, RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

type Pair = [RawConnection, RawConnection];

/**
 * Reads what Redis sends until it goes quiet, then as many frames from
 * simpledb (waiting for each, so a slow moment does not cut the stream
 * short), then whatever else simpledb sent. Returns [ours, theirs], masked.
 */
async function readSameStream(conns: Pair, mask: (s: string) => string = (s) => s): Promise<[string, string]> {
  const theirs = await conns[1].readUntilQuiet(300);
  const buf = Buffer.from(theirs, 'latin1');
  let ours = '';
  for (let pos = 0; pos >= 0 && pos < buf.length; pos = frameEnd(buf, pos)) ours += (await conns[0].readReply(5000)).toString('latin1');
  ours += await conns[0].readUntilQuiet(50);
  return [mask(ours), mask(theirs)];
}

/**
 * Sends one request on a new socket and collects `length` bytes of reply,
 * joined once (RawConnection re-joins its buffer on every chunk, which is
 * slow for a 40 MB reply).
 */
function request(port: number, wire: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write(wire));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= length) {
        socket.destroy();
        resolve(Buffer.concat(chunks, received));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${received} of ${length} bytes`)));
  });
}

/** Quiet period that ends a read when the server neither answers nor closes (a request left waiting). */
const QUIET_MS = 100;

const seeded = (seed: number) => {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
};

/** MONITOR lines carry a time and the client's address: keep the database, mask the rest. */
const maskMonitor = (s: string) => s.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/gm, '+<time> [$1 <addr>]');

describeWithRedis('protocol (differential)', () => {
  let pair: ServerPair;
  /** A connection that holds data throughout: it must never be disturbed. */
  let keeper: Pair;
  const KEEPER_DATA: string[][] = [
    ['SET', 'keep:string', 'value'],
    ['RPUSH', 'keep:list', 'a', 'b', 'c'],
    ['HSET', 'keep:hash', 'f', 'v'],
    ['ZADD', 'keep:zset', '1.5', 'm'],
  ];
  const KEEPER_CHECK: string[][] = [
    ['GET', 'keep:string'],
    ['LRANGE', 'keep:list', '0', '-1'],
    ['HGETALL', 'keep:hash'],
    ['ZRANGE', 'keep:zset', '0', '-1', 'WITHSCORES'],
    ['PING'],
  ];

  beforeAll(async () => {
    pair = await startPair();
    keeper = await pair.connect();
    await expectSameReplies(keeper, [['FLUSHALL'], ...KEEPER_DATA]);
  });
  afterAll(async () => {
    if (keeper) {
      // Everything above left the keeper's connection and data alone.
      expect(keeper.map((c) => c.closed)).toEqual([false, false]);
      await expectSameReplies(keeper, [...KEEPER_CHECK, ['DBSIZE']]);
    }
    await pair?.close();
  });

  interface Outcome {
    output: string;
    closed: boolean;
  }

  /**
   * Sends each write on a fresh connection to each server; returns what came
   * back and whether it was closed. With `closes`, waits (up to 10 s) for
   * both servers to close the connection first, so a slow moment is not
   * mistaken for a connection left open.
   */
  async function exchange(writes: readonly (string | Buffer)[], closes = false): Promise<[Outcome, Outcome]> {
    const conns = await pair.connect();
    const outputs = ['', ''];
    for (const w of writes) {
      const got = await Promise.all(
        conns.map(async (c) => {
          if (!c.closed) c.write(w);
          return c.readUntilQuiet(QUIET_MS);
        }),
      );
      got.forEach((g, i) => (outputs[i] += g));
    }
    if (closes) {
      await Promise.all(conns.map((c) => c.waitClosed(10_000)));
      const rest = await Promise.all(conns.map((c) => c.readUntilQuiet(QUIET_MS)));
      rest.forEach((r, i) => (outputs[i] += r));
    }
    // A busy machine may be slower than the quiet period: while the two
    // differ, give both more time (a real difference never goes away).
    for (let i = 0; i < 5 && (outputs[0] !== outputs[1] || conns[0].closed !== conns[1].closed); i++) {
      if (conns.some((c) => c.closed)) await Promise.all(conns.map((c) => c.waitClosed(500)));
      const more = await Promise.all(conns.map((c) => c.readUntilQuiet(300)));
      more.forEach((m, j) => (outputs[j] += m));
    }
    const outcomes = conns.map((c, i) => ({ output: outputs[i], closed: c.closed })) as [Outcome, Outcome];
    for (const c of conns) c.close();
    return outcomes;
  }

  async function expectSameOutcome(writes: readonly (string | Buffer)[], closes = false): Promise<Outcome> {
    const [ours, theirs] = await exchange(writes, closes);
    const label = JSON.stringify(writes.map((w) => (typeof w === 'string' ? w : w.toString('latin1'))).join('')).slice(0, 200);
    expect(ours, `outcome of ${label}`).toEqual(theirs);
    return theirs;
  }

  const mb = (...argv: string[]) => encodeCommand(argv).toString('latin1');

  it('malformed multibulk requests: Redis\'s errors, then the connection closes', async () => {
    const cases = [
      '*x\r\n',
      '*01\r\n',
      '*+1\r\n',
      '* 1\r\n',
      '*\r\n',
      '*-0\r\n',
      '*1\r\nx4\r\nPING\r\n',
      '*2\r\n$4\r\nECHO\r\n:1\r\n',
      '*1\r\n\xff4\r\nPING\r\n',
      '*1\r\n$\r\n',
      '*1\r\n$04\r\nPING\r\n',
      '*1\r\n$4a\r\nPING\r\n',
      // Replies to the commands before the bad one come first.
      mb('SET', 'p', '1') + mb('GET', 'p') + '*1\r\n$x\r\n' + mb('PING'),
      'PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n@\r\n',
    ];
    const outcomes = await Promise.all(cases.map((wire) => expectSameOutcome([wire], true)));
    expect(outcomes.map((o) => o.closed)).toEqual(cases.map(() => true));
  });

  it('lengths beyond the limits, negative lengths and empty requests', async () => {
    const cases: string[][] = [
      ['*2147483648\r\n'],
      ['*-9223372036854775809\r\n'],
      ['*100000000000000000000\r\n'],
      ['*1\r\n$536870913\r\n'],
      ['*1\r\n$-1\r\n'],
      ['*1\r\n$-2\r\n'],
      ['*1\r\n$9223372036854775808\r\n'],
      // Accepted, and left waiting for the rest.
      ['*2147483647\r\n'],
      ['*1\r\n$536870912\r\n'],
      // Empty requests are skipped.
      ['*0\r\n*-1\r\n*-9223372036854775808\r\nPING\r\n'],
      ['*0\r\n', '*-5\r\n', mb('PING')],
      // A body that does not end in CRLF: the two bytes are skipped unchecked.
      ['*1\r\n$4\r\nPINGxx' + mb('PING')],
      ['*1\rX$4\r\nPING\r\n'],
    ];
    await Promise.all(cases.map((writes) => expectSameOutcome(writes)));
  });

  it('too big requests: inline, count strings, bulk count strings', async () => {
    await expectSameOutcome(['a'.repeat(200_000)]);
    await expectSameOutcome(['*' + '1'.repeat(70_000)]);
    await expectSameOutcome(['*1\r\n$' + '1'.repeat(70_000)]);
    // A NUL hides the line end from Redis: the request waits, then is too big.
    await expectSameOutcome(['ECHO a\x00b\r\n', 'PING\r\n']);
    await expectSameOutcome(['*1\x00\r\n$4\r\nPING\r\n']);
    await expectSameOutcome(['ECHO \x00' + 'b\r\n'.repeat(70_000)]);
  });

  it('inline commands: quoting rules and errors', async () => {
    const cases = [
      'PING\r\n',
      'PING\n',
      'ping\r\n',
      '\r\n\r\n\n  \r\nPING\r\n',
      'SET a "b c"\r\nGET a\r\n',
      'ECHO "a\\x41\\n\\r\\t\\b\\a\\q\\"\\\\"\r\n',
      'ECHO "\\x4g" "\\xFf" "\\x"\r\n',
      "ECHO 'a\\'b\\n \"c\"'\r\n",
      `ECHO "" ''\r\n`,
      `ECHO ab"c d" e'f g'\r\n`,
      'ECHO "a"\tb\r\n',
      'ECHO\x0ba\x0bb\r\n',
      'ECHO \x0b\x0ca\x0bb\r\n',
      'EC\rHO x\r\n',
      'ECHO \xff\x80\r\n',
      'NOSUCH a "b c" d\r\n',
      'GET\r\n',
      'ECHO "abc\r\n',
      "ECHO 'abc\r\n",
      'ECHO "abc\\"\r\n',
      'ECHO "abc"d\r\n',
      "ECHO 'abc'd\r\n",
      `ECHO "a"'b'\r\n`,
      'PING\r\nECHO "unbalanced\r\nPING\r\n',
      'PING',
    ];
    await Promise.all(cases.map((wire) => expectSameOutcome([wire])));
  });

  it('random bytes (seeded): same replies, same closes, other clients unharmed', async () => {
    const rnd = seeded(20_240_611);
    const alphabet = ['*', '$', '\r', '\n', '\r\n', '0', '1', '2', '4', '-', 'PING', 'ECHO', ' ', '"', "'", '\\', 'x', '\x00', '\t', '\x0b', '*1\r\n', '$4\r\n', '*2\r\n$4\r\nECHO\r\n'];
    const cases: string[] = [];
    for (let k = 0; k < 150; k++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 30);
      for (let i = 0; i < n; i++) s += rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)] : String.fromCharCode(Math.floor(rnd() * 256));
      cases.push(s + '\r\nPING\r\n');
    }
    // Independent connections: run them a few at a time.
    for (let i = 0; i < cases.length; i += 10) {
      await Promise.all(cases.slice(i, i + 10).map((wire) => expectSameOutcome([wire])));
    }
    // Pure noise too.
    for (let k = 0; k < 10; k++) {
      const noise = Buffer.alloc(1 + Math.floor(rnd() * 4096));
      for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rnd() * 256);
      await expectSameOutcome([noise]);
    }
    await expectSameReplies(keeper, KEEPER_CHECK);
  });

  it('a partial command followed by a disconnect runs nothing', async () => {
    const partials = [
      mb('SET', 'cut', 'value').slice(0, -3),
      '*3\r\n$3\r\nSET\r\n$3\r\ncut\r\n',
      '*3\r\n$3\r\nSET\r\n$3\r\ncut\r\n$1000000\r\n' + 'x'.repeat(100_000),
      'SET cut inline',
      mb('SET', 'done', '1') + '*2\r\n$3\r\nDEL',
    ];
    for (const wire of partials) {
      const conns = await pair.connect();
      for (const c of conns) c.write(wire);
      await Promise.all(conns.map((c) => c.readUntilQuiet(QUIET_MS)));
      for (const c of conns) c.close();
    }
    const check = await pair.connect();
    await expectSameReplies(check, [['GET', 'cut'], ['GET', 'done'], ['DEL', 'done']]);
    await expectSameReplies(keeper, KEEPER_CHECK);
  });

  it('a 40 MB value: SET, GET, STRLEN, APPEND, GETRANGE', async () => {
    const size = 40 * 1024 * 1024;
    const value = Buffer.alloc(size);
    for (let i = 0; i < size; i++) value[i] = (i * 7 + (i >> 10)) & 0xff;
    const conns = await pair.connect();
    // 40 MB to take in: a generous bound for a busy machine instead of readReply's default.
    const set = encodeCommand(['SET', 'big', value]);
    const setReplies = await Promise.all(conns.map(async (c) => (c.write(set), (await c.readReply(60_000)).toString('latin1'))));
    expect(setReplies).toEqual(['+OK\r\n', '+OK\r\n']);
    await expectSameReplies(conns, [['STRLEN', 'big']]);
    const header = `$${size}\r\n`;
    const replies = await Promise.all(
      [pair.simpledbPort, pair.redisPort].map((port) => request(port, encodeCommand(['GET', 'big']), header.length + size + 2)),
    );
    for (const r of replies) {
      expect(r.length).toBe(header.length + size + 2);
      expect(r.toString('latin1', 0, header.length)).toBe(header);
      expect(r.subarray(header.length, header.length + size).equals(value)).toBe(true);
    }
    await expectSameReplies(conns, [['APPEND', 'big', 'tail'], ['GETRANGE', 'big', String(size - 3), '-1'], ['DEL', 'big']]);
    for (const c of conns) c.close();
  });

  it('10k pipelined commands in one write', async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      const k = `pipe:${i % 97}`;
      switch (i % 8) {
        case 0: parts.push(encodeCommand(['SET', k, String(i)])); break;
        case 1: parts.push(encodeCommand(['GET', k])); break;
        case 2: parts.push(encodeCommand(['INCR', 'pipe:counter'])); break;
        case 3: parts.push(encodeCommand(['RPUSH', 'pipe:list', String(i)])); break;
        case 4: parts.push(Buffer.from(`ECHO "inline ${i}"\r\n`)); break;
        case 5: parts.push(encodeCommand(['NOSUCH', String(i)])); break;
        case 6: parts.push(encodeCommand(['GET'])); break;
        default: parts.push(encodeCommand(['LLEN', 'pipe:list']));
      }
    }
    const wire = Buffer.concat(parts);
    const conns = await pair.connect();
    for (const c of conns) c.write(wire);
    const read = async (c: RawConnection) => {
      const replies: string[] = [];
      for (let i = 0; i < 10_000; i++) replies.push((await c.readReply(10_000)).toString('latin1'));
      return replies;
    };
    const [ours, theirs] = await Promise.all(conns.map(read));
    expect(ours.length).toBe(10_000);
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) expect(ours[i], `reply ${i}`).toBe(theirs[i]);
    await expectSameReplies(conns, [['LLEN', 'pipe:list'], ['GET', 'pipe:counter'], ['PING']]);
    for (const c of conns) c.close();
  });

  it('typing into telnet: one byte per packet, PING, SET with quotes, GET', async () => {
    const conns = await pair.connect();
    const type = async (line: string) => {
      for (const ch of line) {
        for (const c of conns) c.write(ch);
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    for (const line of ['PING\r\n', 'SET a "b c"\r\n', 'GET a\r\n', 'ECHO \'it\\\'s\'\r\n', '\r\n', 'DEL a\r\n']) {
      await type(line);
      const [ours, theirs] = await readSameStream(conns);
      expect(ours, `reply to ${JSON.stringify(line)}`).toBe(theirs);
    }
    for (const c of conns) c.close();
  });

  it('MONITOR typed inline shows the other clients\' commands as redis-cli prints them', async () => {
    const monitor = await pair.connect();
    const other = await pair.connect();
    for (const c of monitor) c.write('MONITOR\r\n');
    expect(await Promise.all(monitor.map(async (c) => (await c.readReply()).toString('latin1')))).toEqual(['+OK\r\n', '+OK\r\n']);
    for (const c of other) c.write('SET greeting "hello world"\r\nGET greeting\r\nECHO "\\x00\\xff\\"\\\\"\r\nSELECT 5\r\nDEL greeting\r\n');
    for (const c of other) for (let i = 0; i < 5; i++) await c.readReply();
    const [ours, theirs] = await readSameStream(monitor, maskMonitor);
    expect(ours).toBe(theirs);
    expect(theirs.split('\r\n').length).toBe(6);
    for (const c of [...monitor, ...other]) c.close();
  });
});

describe('protocol (simpledb)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  }

  for (const [what, wire, reply] of [
    ['a protocol error', '*x\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
    ['QUIT', 'QUIT\r\n', '+OK\r\n'],
  ] as const) {
    it(`after ${what}, a peer that keeps its side open is still disconnected and forgotten`, async () => {
      const before = server.clients.size;
      const socket = createConnection({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
      await new Promise((r) => socket.once('connect', r));
      let received = '';
      let closed = false;
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => (closed = true));
      await until(() => server.clients.size === before + 1);
      socket.write(wire);
      // The peer goes on sending: none of it may be kept.
      const junk = Buffer.alloc(64 * 1024, 'j');
      for (let i = 0; i < 20 && !closed; i++) {
        socket.write(junk);
        await new Promise((r) => setTimeout(r, 5));
      }
      await until(() => server.clients.size === before);
      expect(received).toBe(reply);
      expect(server.clients.size).toBe(before);
      socket.destroy();
    });
  }

  it('a pipeline behind a blocked BLPOP is kept without re-joining it on every read, then runs', async () => {
    const blocked = await RawConnection.open(server.port);
    const pusher = await RawConnection.open(server.port);
    const id = Number((await blocked.command('CLIENT', 'ID')).slice(1));
    blocked.write(encodeCommand(['BLPOP', 'flood', '0']));
    await until(() => server.clients.get(id)?.blocked != null);
    const n = 600_000;
    const ping = encodeCommand(['PING']);
    const flood = Buffer.concat(Array<Buffer>(n).fill(ping));
    const concat = vi.spyOn(Buffer, 'concat');
    blocked.write(flood);
    await until(() => server.clients.get(id)!.pendingInputBytes === flood.length);
    const copied = concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
    concat.mockRestore();
    expect(server.clients.get(id)!.pendingInputBytes).toBe(flood.length);
    // Joining the unparsed tail on each 64 KB read would copy hundreds of MB here.
    expect(copied).toBeLessThan(2 * flood.length);
    expect(await pusher.command('RPUSH', 'flood', 'x')).toBe(':1\r\n');
    const expected = '*2\r\n$5\r\nflood\r\n$1\r\nx\r\n' + '+PONG\r\n'.repeat(n);
    let got = '';
    // Bounded by time, not by a count of quiet moments: a busy machine pauses the server often.
    const deadline = Date.now() + 40_000;
    while (got.length < expected.length && !blocked.closed && Date.now() < deadline) got += await blocked.readUntilQuiet(100);
    expect(got.length).toBe(expected.length);
    expect(got === expected).toBe(true);
    blocked.close();
    pusher.close();
  });

  it('a connection beyond maxclients is closed both ways, even if the peer keeps its side open', async () => {
    const small = await startServer({ host: '127.0.0.1', port: 0, maxClients: 1 });
    try {
      const held = await RawConnection.open(small.port);
      expect(await held.command('PING')).toBe('+PONG\r\n');
      const socket = createConnection({ port: small.port, host: '127.0.0.1', allowHalfOpen: true });
      let received = '';
      let closed = false;
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => (closed = true));
      await new Promise((r) => socket.once('connect', r));
      for (let i = 0; i < 100 && !closed; i++) {
        socket.write('PING\r\n');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(received).toBe('-ERR max number of clients reached\r\n');
      expect(closed).toBe(true);
      expect(await held.command('PING')).toBe('+PONG\r\n');
      socket.destroy();
      held.close();
    } finally {
      await small.close();
    }
  });
});
