// RESP reply fixtures shared by the decoder tests: wire bytes and the values they decode to.
import { RespErrorReply } from '../../src/resp/types.js';

export interface Fixture {
  name: string;
  wire: string | Buffer;
  /** Top-level values in order; pushes are wrapped as { push: [...] }. */
  expected: unknown[];
  buffers?: boolean;
}

const err = (m: string) => new RespErrorReply(m);
const big = Buffer.alloc(70_000, 'x').toString();

export const fixtures: Fixture[] = [
  { name: 'simple string', wire: '+OK\r\n', expected: ['OK'] },
  { name: 'empty simple string', wire: '+\r\n', expected: [''] },
  { name: 'error', wire: '-ERR unknown command\r\n', expected: [err('ERR unknown command')] },
  { name: 'integers', wire: ':0\r\n:42\r\n:-7\r\n:+3\r\n', expected: [0, 42, -7, 3] },
  { name: 'large integer', wire: ':9007199254740993\r\n', expected: [9007199254740993] },
  { name: 'bulk string', wire: '$5\r\nhello\r\n', expected: ['hello'] },
  { name: 'empty bulk', wire: '$0\r\n\r\n', expected: [''] },
  { name: 'bulk containing CRLF', wire: '$4\r\na\r\nb\r\n', expected: ['a\r\nb'] },
  { name: 'utf-8 bulk', wire: Buffer.concat([Buffer.from('$4\r\n'), Buffer.from('é€'.slice(0, 1) + 'ab'), Buffer.from('\r\n')]), expected: ['éab'] },
  { name: 'nil bulk', wire: '$-1\r\n', expected: [null] },
  { name: 'nil array', wire: '*-1\r\n', expected: [null] },
  { name: 'empty array', wire: '*0\r\n', expected: [[]] },
  {
    name: 'nested arrays',
    wire: '*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n$-1\r\n',
    expected: [[1, ['a', []], null]],
  },
  {
    name: 'array with error inside (EXEC)',
    wire: '*2\r\n+OK\r\n-WRONGTYPE Operation against a key\r\n',
    expected: [['OK', err('WRONGTYPE Operation against a key')]],
  },
  { name: 'pipelined replies', wire: ':1\r\n:2\r\n+OK\r\n$1\r\nz\r\n', expected: [1, 2, 'OK', 'z'] },
  { name: 'bulk as buffer', wire: '$3\r\n\x00\xff\x01\r\n', expected: [Buffer.from([0, 0xff, 1])], buffers: true },
  { name: 'big bulk', wire: `$${big.length}\r\n${big}\r\n:1\r\n`, expected: [big, 1] },
  // RESP3
  { name: 'null', wire: '_\r\n', expected: [null] },
  { name: 'booleans', wire: '#t\r\n#f\r\n', expected: [true, false] },
  {
    name: 'doubles',
    wire: ',1.5\r\n,-0.25\r\n,10\r\n,1e-07\r\n,inf\r\n,-inf\r\n,nan\r\n',
    expected: [1.5, -0.25, 10, 1e-7, Infinity, -Infinity, NaN],
  },
  { name: 'big number', wire: '(3492890328409238509324850943850943825024385\r\n', expected: [3492890328409238509324850943850943825024385n] },
  { name: 'verbatim string', wire: '=15\r\ntxt:Some string\r\n', expected: ['Some string'] },
  { name: 'blob error', wire: '!21\r\nSYNTAX invalid syntax\r\n', expected: [err('SYNTAX invalid syntax')] },
  {
    name: 'map',
    wire: '%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*1\r\n#t\r\n',
    expected: [new Map<unknown, unknown>([['first', 1], ['second', [true]]])],
  },
  { name: 'empty map', wire: '%0\r\n', expected: [new Map()] },
  { name: 'set', wire: '~3\r\n+a\r\n+b\r\n:3\r\n', expected: [new Set(['a', 'b', 3])] },
  {
    name: 'push between replies',
    wire: ':1\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n:2\r\n',
    expected: [1, { push: ['message', 'ch', 'hi'] }, 2],
  },
  {
    name: 'attribute is skipped',
    wire: '|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2\r\n|1\r\n+ttl\r\n:5\r\n:3\r\n',
    expected: [[2, 3]],
  },
];

/** Inputs the decoder must reject, whole or split. */
export const malformed: { name: string; wire: string }[] = [
  { name: 'unknown type byte', wire: '?what\r\n' },
  { name: 'http response', wire: 'HTTP/1.1 400 Bad Request\r\n' },
  { name: 'integer with letters', wire: ':12a\r\n' },
  { name: 'empty integer', wire: ':\r\n' },
  { name: 'negative bulk length', wire: '$-5\r\n' },
  { name: 'bulk length with letters', wire: '$1x\r\na\r\n' },
  { name: 'bulk not terminated by CRLF', wire: '$3\r\nabcde\r\n' },
  { name: 'CR without LF', wire: '+OK\rX\r\n' },
  { name: 'bad boolean', wire: '#x\r\n' },
  { name: 'bad double', wire: ',1.2.3\r\n' },
  { name: 'bad big number', wire: '(12a\r\n' },
  { name: 'null with payload', wire: '_x\r\n' },
  { name: 'negative map length', wire: '%-1\r\n' },
  { name: 'verbatim without format', wire: '=2\r\nab\r\n' },
  { name: 'streamed string', wire: '$?\r\n;4\r\nHell\r\n;0\r\n' },
];

export { err };
