// The server's request parser: multibulk and inline fixtures, each fed whole,
// byte by byte and in seeded random pieces, must give the same commands and
// the same protocol error (Redis's texts, checked against redis-server in
// test/server/protocol.test.ts). Plus the limits for unauthenticated clients
// and a 40 MB bulk gathered without quadratic copying.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestParser, RequestProtocolError, splitArgs } from '../../src/resp/request-parser.js';
import { seededInt } from '../helpers/seeded-random.js';

interface Outcome {
  commands: string[][];
  /** The protocol error's message, or null when the input simply ran out. */
  error: string | null;
}

interface ParserFixture {
  name: string;
  /** Wire bytes as a binary string (one char per byte). */
  wire: string;
  commands: string[][];
  error?: string;
  authenticated?: boolean;
  maxBulkLength?: number;
}

/**
 * Feeds the chunks as the server does: drain next(), then release(). With
 * `shared`, every chunk is first copied into one read buffer that is
 * scribbled over after each release, as the server's shared read buffer is
 * overwritten by the next read of any connection.
 */
function parse(chunks: Buffer[], f: Pick<ParserFixture, 'authenticated' | 'maxBulkLength'> = {}, shared = false): Outcome {
  const parser = new RequestParser(f.maxBulkLength === undefined ? {} : { maxBulkLength: f.maxBulkLength });
  parser.authenticated = f.authenticated ?? true;
  const commands: string[][] = [];
  const readBuffer = shared ? Buffer.alloc(Math.max(0, ...chunks.map((c) => c.length))) : null;
  try {
    for (const chunk of chunks) {
      if (readBuffer === null) {
        parser.feed(chunk);
      } else {
        chunk.copy(readBuffer);
        parser.feed(readBuffer.subarray(0, chunk.length));
      }
      for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
      parser.release();
      readBuffer?.fill(0x2a /* '*': bytes that would parse, wrongly, if kept */);
    }
  } catch (e) {
    if (!(e instanceof RequestProtocolError)) throw e;
    return { commands, error: e.message };
  }
  return { commands, error: null };
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

function pieces(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

/** Seeded random split into pieces of 1..maxPiece bytes. */
function randomPieces(buf: Buffer, seed: number, maxPiece: number): Buffer[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out: Buffer[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const n = 1 + Math.floor(rnd() * maxPiece);
    out.push(buf.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

const mb = (...argv: string[]): string => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const PING = ['PING'];

const fixtures: ParserFixture[] = [
  // Multibulk
  { name: 'one multibulk command', wire: mb('PING'), commands: [PING] },
  { name: 'arguments with CRLF and every byte value', wire: mb('SET', 'a\r\nb', allBytes), commands: [['SET', 'a\r\nb', allBytes]] },
  { name: 'empty bulk', wire: mb('ECHO', ''), commands: [['ECHO', '']] },
  { name: 'pipelined commands', wire: mb('SET', 'k', 'v') + mb('GET', 'k') + mb('PING'), commands: [['SET', 'k', 'v'], ['GET', 'k'], PING] },
  { name: '*0 is ignored', wire: '*0\r\n' + mb('PING'), commands: [PING] },
  { name: '*-1 is ignored', wire: '*-1\r\n' + mb('PING'), commands: [PING] },
  { name: 'the most negative count is ignored', wire: '*-9223372036854775808\r\n' + mb('PING'), commands: [PING] },
  { name: 'the bytes after a bulk are skipped unchecked', wire: '*1\r\n$4\r\nPINGxx' + mb('PING'), commands: [PING, PING] },
  { name: 'the byte after a header CR is skipped unchecked', wire: '*1\rX$4\r\nPING\r\n', commands: [PING] },
  { name: 'a count of INT_MAX waits for its arguments', wire: '*2147483647\r\n', commands: [] },
  { name: 'a 512 MB bulk header waits for its body', wire: '*1\r\n$536870912\r\n', commands: [] },
  { name: 'an incomplete command waits', wire: '*2\r\n$4\r\nECHO\r\n$5\r\nhel', commands: [] },
  { name: 'a header CR without its LF waits', wire: mb('PING') + '*1\r', commands: [PING] },
  { name: 'multibulk then inline then multibulk', wire: mb('PING') + 'ECHO x\r\n' + mb('PING'), commands: [PING, ['ECHO', 'x'], PING] },
  {
    name: 'a body longer than 64 KB next to small commands',
    wire: mb('PING') + mb('SET', 'big', 'z'.repeat(70_000)) + mb('GET', 'big'),
    commands: [PING, ['SET', 'big', 'z'.repeat(70_000)], ['GET', 'big']],
  },

  // Inline
  { name: 'inline with CRLF', wire: 'PING\r\n', commands: [PING] },
  { name: 'inline with LF only', wire: 'PING\n', commands: [PING] },
  { name: 'inline without a line end waits', wire: 'PING', commands: [] },
  { name: 'inline ending in CR waits', wire: 'PING\r', commands: [] },
  { name: 'empty lines are ignored', wire: '\r\n\n   \r\n\t\r\nPING\r\n', commands: [PING] },
  { name: 'blanks around arguments', wire: '  \t ECHO    x   \r\n', commands: [['ECHO', 'x']] },
  { name: 'double quotes keep spaces', wire: 'SET a "b c"\r\n', commands: [['SET', 'a', 'b c']] },
  { name: 'double-quote escapes', wire: 'ECHO "a\\x41\\n\\r\\t\\b\\a\\q\\"\\\\"\r\n', commands: [['ECHO', 'aA\n\r\t\b\x07q"\\']] },
  { name: '\\x needs two hex digits', wire: 'ECHO "\\x4g" "\\xFf"\r\n', commands: [['ECHO', 'x4g', '\xff']] },
  { name: 'single quotes: only \\\' is an escape', wire: "ECHO 'a\\'b\\n \"c\"'\r\n", commands: [['ECHO', "a'b\\n \"c\""]] },
  { name: 'empty quoted arguments', wire: `ECHO "" ''\r\n`, commands: [['ECHO', '', '']] },
  { name: 'a quote may open mid-argument', wire: `ECHO ab"c d" e'f g'\r\n`, commands: [['ECHO', 'abc d', 'ef g']] },
  { name: 'a closing quote may be followed by a tab', wire: 'ECHO "a"\tb\r\n', commands: [['ECHO', 'a', 'b']] },
  { name: 'vertical tab separates only outside an argument', wire: 'ECHO\x0ba\x0bb\r\n', commands: [['ECHO\x0ba\x0bb']] },
  { name: 'vertical tab and form feed are skipped between arguments', wire: 'ECHO \x0b\x0ca\x0bb\r\n', commands: [['ECHO', 'a\x0bb']] },
  { name: 'a CR inside the line separates arguments', wire: 'EC\rHO x\r\n', commands: [['EC', 'HO', 'x']] },
  { name: 'high bytes are kept', wire: 'ECHO \xff\x80\r\n', commands: [['ECHO', '\xff\x80']] },
  { name: 'a NUL before the line end leaves the line waiting', wire: 'PING\r\nECHO a\x00b\r\nPING\r\n', commands: [PING] },
  { name: 'inline of just under 64 KB', wire: 'ECHO ' + 'y'.repeat(65_000) + '\r\n', commands: [['ECHO', 'y'.repeat(65_000)]] },

  // Protocol errors
  { name: 'non-numeric count', wire: '*x\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count with a leading zero', wire: '*01\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count with a plus sign', wire: '*+1\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count with a space', wire: '* 1\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'empty count', wire: '*\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count -0', wire: '*-0\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count above INT_MAX', wire: '*2147483648\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count below LLONG_MIN', wire: '*-9223372036854775809\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'count of 21 digits', wire: '*100000000000000000000\r\n', commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'commands before an error still count', wire: mb('PING') + 'PING\r\n*x\r\n' + mb('PING'), commands: [PING, PING], error: 'Protocol error: invalid multibulk length' },
  { name: "expected '$'", wire: '*1\r\nx4\r\nPING\r\n', commands: [], error: "Protocol error: expected '$', got 'x'" },
  { name: "expected '$' on a later argument", wire: '*2\r\n$4\r\nECHO\r\n:1\r\n', commands: [], error: "Protocol error: expected '$', got ':'" },
  { name: "expected '$', got a high byte", wire: '*1\r\n\xff4\r\n', commands: [], error: "Protocol error: expected '$', got '\xff'" },
  { name: 'negative bulk length', wire: '*1\r\n$-1\r\n', commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'bulk length over 512 MB', wire: '*1\r\n$536870913\r\n', commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'empty bulk length', wire: '*1\r\n$\r\n', commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'bulk length with a leading zero', wire: '*1\r\n$04\r\nPING\r\n', commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'bulk length with letters', wire: '*1\r\n$4a\r\nPING\r\n', commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'bulk length over the configured limit', wire: '*1\r\n$101\r\n', maxBulkLength: 100, commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'bulk length at the configured limit', wire: mb('x'.repeat(100)), maxBulkLength: 100, commands: [['x'.repeat(100)]] },
  { name: 'unbalanced double quote', wire: 'ECHO "abc\r\n', commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'unbalanced single quote', wire: "ECHO 'abc\r\n", commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'escaped closing quote', wire: 'ECHO "abc\\"\r\n', commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'trailing backslash in quotes', wire: 'ECHO "abc\\\r\n', commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'closing double quote followed by a letter', wire: 'ECHO "abc"d\r\n', commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'closing single quote followed by a letter', wire: "ECHO 'abc'd\r\n", commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'closing quote followed by a quote', wire: `ECHO "a"'b'\r\n`, commands: [], error: 'Protocol error: unbalanced quotes in request' },
  { name: 'too big inline request', wire: PING.join('') + '\r\n' + 'a'.repeat(65_537), commands: [PING], error: 'Protocol error: too big inline request' },
  { name: '64 KB inline without a line end waits', wire: 'a'.repeat(65_536), commands: [] },
  { name: 'a NUL holds the line until it is too big', wire: 'ECHO \x00' + 'b\r\n'.repeat(22_000), commands: [], error: 'Protocol error: too big inline request' },
  { name: 'too big mbulk count string', wire: '*' + '1'.repeat(65_537), commands: [], error: 'Protocol error: too big mbulk count string' },
  { name: 'too big bulk count string', wire: '*1\r\n$' + '1'.repeat(65_537), commands: [], error: 'Protocol error: too big bulk count string' },
  { name: 'a NUL in a count waits', wire: '*1\x00\r\n$4\r\nPING\r\n', commands: [] },
  { name: 'a NUL in a bulk length waits', wire: '*1\r\n$4\x00\r\nPING\r\n', commands: [] },
  { name: "a NUL instead of '$' waits", wire: '*1\r\n\x00$4\r\nPING\r\n', commands: [] },
  { name: 'a NUL in a count, then too big', wire: '*1\x00' + '\r\n'.repeat(33_000), commands: [], error: 'Protocol error: too big mbulk count string' },
  { name: 'a NUL in a bulk length, then too big', wire: '*1\r\n$\x00' + '\r\n'.repeat(33_000), commands: [], error: 'Protocol error: too big bulk count string' },
  { name: 'a NUL inside a bulk body is data', wire: mb('ECHO', 'a\x00b'), commands: [['ECHO', 'a\x00b']] },

  // Unauthenticated clients
  { name: 'unauthenticated: 10 arguments', wire: mb(...'abcdefghij'.split('')), authenticated: false, commands: ['abcdefghij'.split('')] },
  { name: 'unauthenticated: 11 arguments', wire: '*11\r\n', authenticated: false, commands: [], error: 'Protocol error: unauthenticated multibulk length' },
  { name: 'unauthenticated: a huge count is still invalid first', wire: '*2147483648\r\n', authenticated: false, commands: [], error: 'Protocol error: invalid multibulk length' },
  { name: 'unauthenticated: a 16384-byte bulk', wire: mb('AUTH', 'p'.repeat(16_384)), authenticated: false, commands: [['AUTH', 'p'.repeat(16_384)]] },
  { name: 'unauthenticated: a 16385-byte bulk', wire: '*2\r\n$4\r\nAUTH\r\n$16385\r\n', authenticated: false, commands: [], error: 'Protocol error: unauthenticated bulk length' },
  { name: 'unauthenticated: a negative bulk is invalid first', wire: '*1\r\n$-5\r\n', authenticated: false, commands: [], error: 'Protocol error: invalid bulk length' },
  { name: 'unauthenticated: inline has no argument limit', wire: 'AUTH ' + 'a '.repeat(20) + '\r\n', authenticated: false, commands: [['AUTH', ...Array<string>(20).fill('a')]] },
];

describe('RequestParser fixtures', () => {
  for (const f of fixtures) {
    const buf = bytes(f.wire);
    const expected: Outcome = { commands: f.commands, error: f.error ?? null };
    it(`${f.name}: whole`, () => {
      expect(parse([buf], f)).toEqual(expected);
    });
    // Byte by byte costs a copy of the pending tail per byte: keep it to the small fixtures.
    it(`${f.name}: ${buf.length <= 4096 ? 'byte by byte' : 'in 1000-byte pieces'}`, () => {
      expect(parse(pieces(buf, buf.length <= 4096 ? 1 : 1000), f)).toEqual(expected);
    });
    it(`${f.name}: random pieces`, () => {
      const maxPiece = buf.length <= 4096 ? 7 : 20_000;
      for (let seed = 1; seed <= 5; seed++) expect(parse(randomPieces(buf, seed, maxPiece), f)).toEqual(expected);
    });
    it(`${f.name}: random pieces through one reused read buffer`, () => {
      const maxPiece = buf.length <= 4096 ? 7 : 20_000;
      for (let seed = 1; seed <= 5; seed++) expect(parse(randomPieces(buf, seed, maxPiece), f, true)).toEqual(expected);
    });
  }
});

describe('RequestParser', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('yields one command per next() call, keeping the rest for later', () => {
    const parser = new RequestParser();
    parser.feed(bytes(mb('SET', 'k', 'v') + mb('GET', 'k') + 'PING\r\n'));
    expect(parser.next()).toEqual(['SET', 'k', 'v']);
    expect(parser.bufferedBytes).toBe(mb('GET', 'k').length + 'PING\r\n'.length);
    expect(parser.next()).toEqual(['GET', 'k']);
    expect(parser.next()).toEqual(PING);
    expect(parser.next()).toBeNull();
    expect(parser.bufferedBytes).toBe(0);
  });

  it('limits change when the client authenticates mid-stream', () => {
    const parser = new RequestParser();
    parser.authenticated = false;
    parser.feed(bytes(mb('AUTH', 'pw') + mb(...'abcdefghijk'.split(''))));
    expect(parser.next()).toEqual(['AUTH', 'pw']);
    parser.authenticated = true;
    expect(parser.next()).toEqual('abcdefghijk'.split(''));
  });

  it('keeps nothing of a fed chunk after release() but the unparsed tail, copied', () => {
    const parser = new RequestParser();
    const read = bytes(mb('SET', 'k', 'v') + mb('GET', 'k').slice(0, 9));
    parser.feed(read);
    expect(parser.next()).toEqual(['SET', 'k', 'v']);
    expect(parser.next()).toBeNull();
    parser.release();
    read.fill(0);
    parser.feed(bytes(mb('GET', 'k').slice(9)));
    expect(parser.next()).toEqual(['GET', 'k']);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('gathers a 40 MB bulk arriving in 64 KB chunks with one copy, without rescanning', () => {
    const size = 40 * 1024 * 1024;
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) body[i] = (i >> 12) & 0xff; // not all the same byte
    const wire = Buffer.concat([bytes(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${size}\r\n`), body, bytes('\r\n' + mb('GET', 'big'))]);
    const chunks = pieces(wire, 64 * 1024);

    const concat = vi.spyOn(Buffer, 'concat');
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    const parser = new RequestParser();
    const commands: string[][] = [];
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
    }
    const copied = concat.mock.results.reduce((n, r) => n + (r.value as Buffer).length, 0);
    const concatCalls = concat.mock.calls.length;
    const searches = indexOf.mock.calls.length;
    vi.restoreAllMocks();

    expect(commands.map((c) => c[0])).toEqual(['SET', 'GET']);
    expect(commands[0][1]).toBe('big');
    expect(commands[0][2].length).toBe(size);
    expect(Buffer.from(commands[0][2], 'latin1').equals(body)).toBe(true);
    expect(commands[1]).toEqual(['GET', 'big']);
    // 641 chunks: a copy of the whole buffer per chunk would be ~13 GB and 640 calls.
    expect(concatCalls).toBeLessThanOrEqual(2);
    expect(copied).toBeLessThanOrEqual(size + 2 * 64 * 1024);
    // Line-end searches happen per header, not per chunk of the body.
    expect(searches).toBeLessThan(20);
  });
});

describe('inline lines without quotes (the plain fast path)', () => {
  it('split exactly as the quote-aware splitter does', () => {
    const rand = seededInt(4242);
    // No NUL: a NUL before the newline makes the parser wait, a rule of its own (tested above).
    const alphabet = ['a', 'b', 'SET', 'x1', ' ', ' ', '\t', '\r', '\xff'];
    for (let n = 0; n < 2000; n++) {
      let line = '';
      for (let k = rand(12); k > 0; k--) line += alphabet[rand(alphabet.length)];
      const parser = new RequestParser();
      parser.feed(Buffer.from(line + '\n', 'latin1'));
      const expected = splitArgs(line);
      // An all-blank line is skipped: the parser waits for the next one.
      expect(parser.next(), JSON.stringify(line)).toEqual(expected!.length === 0 ? null : expected);
    }
  });
});
