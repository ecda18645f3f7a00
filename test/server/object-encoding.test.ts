// OBJECT ENCODING after seeded random histories of writes, differential:
// each type's write commands, with members and values that cross the
// listpack/intset/embstr thresholds (the defaults, and small ones set with
// CONFIG SET), go to simpledb and to a real redis-server in RESP2 and RESP3;
// every reply, OBJECT ENCODING after each write included, must be
// byte-identical. Only commands whose replies Redis makes deterministic are
// sent (no SPOP, no listing of hash-table sets).
import { it } from 'vitest';
import { useServerPair } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

type Cmd = string[];

/** Thresholds small enough that short histories cross them both ways. */
const SMALL_LIMITS: Cmd[] = [
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '4', 'hash-max-listpack-value', '6'],
  ['CONFIG', 'SET', 'zset-max-ziplist-entries', '4', 'zset-max-ziplist-value', '6'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
];
const DEFAULT_LIMITS: Cmd[] = [
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
];

/** A value generator: integers (small, shared, huge, non-canonical), floats and texts around every length limit. */
function values(rand: (n: number) => number): () => string {
  const pool = [
    () => String(rand(20)),
    () => String(rand(20000) - 5000),
    () => String(2n ** 63n - 1n - BigInt(rand(3))),
    () => ['007', '-0', '+1', '1e3', ' 1', '9223372036854775808', '-9223372036854775808'][rand(7)],
    () => `${rand(100)}.${rand(100)}`,
    () => 'v'.repeat(rand(9)),
    () => 'w'.repeat(40 + rand(8)),
    () => 'x'.repeat(60 + rand(10)),
  ];
  return () => pool[rand(pool.length)]();
}

/** Members: mostly from a small pool (repeats, removals hit), sometimes fresh or long. */
function members(rand: (n: number) => number, prefix: string): () => string {
  const value = values(rand);
  return () => (rand(3) === 0 ? value() : `${prefix}${rand(12)}`);
}

function stringHistory(seed: number, steps: number): Cmd[] {
  const rand = seededInt(seed);
  const value = values(rand);
  const keys = ['s0', 's1', 's2'];
  const out: Cmd[] = [];
  for (let i = 0; i < steps; i++) {
    const k = keys[rand(keys.length)];
    const other = keys[rand(keys.length)];
    const ops: (() => Cmd)[] = [
      () => ['SET', k, value()],
      () => ['APPEND', k, rand(4) === 0 ? '' : value()],
      () => ['SETRANGE', k, String(rand(50)), rand(4) === 0 ? '' : value()],
      () => ['INCRBY', k, String(rand(30000) - 10000)],
      () => ['INCR', k],
      () => ['INCRBYFLOAT', k, ['1', '0.5', '-2.5', '1e3', '3'][rand(5)]],
      () => ['GETSET', k, value()],
      () => ['SETNX', k, value()],
      () => ['MSET', k, value(), other, value()],
      () => ['COPY', k, other, 'REPLACE'],
      () => ['RENAME', k, other],
      () => ['DEL', k],
    ];
    out.push(ops[rand(ops.length)]());
    for (const key of keys) out.push(['OBJECT', 'ENCODING', key], ['OBJECT', 'REFCOUNT', key]);
  }
  return out;
}

function hashHistory(seed: number, steps: number): Cmd[] {
  const rand = seededInt(seed);
  const field = members(rand, 'f');
  const value = values(rand);
  const keys = ['h0', 'h1'];
  const out: Cmd[] = [];
  for (let i = 0; i < steps; i++) {
    const k = keys[rand(keys.length)];
    const ops: (() => Cmd)[] = [
      () => ['HSET', k, field(), value()],
      () => ['HSET', k, field(), value(), field(), value(), field(), value()],
      () => ['HMSET', k, field(), value()],
      () => ['HSETNX', k, field(), value()],
      () => ['HDEL', k, field(), field()],
      () => ['HINCRBY', k, field(), String(rand(2000000))],
      () => ['HINCRBYFLOAT', k, field(), ['1.5', '100000.25', '2'][rand(3)]],
      () => ['COPY', k, keys[rand(keys.length)], 'REPLACE'],
    ];
    out.push(ops[rand(ops.length)]());
    for (const key of keys) out.push(['OBJECT', 'ENCODING', key], ['HLEN', key]);
  }
  return out;
}

function setHistory(seed: number, steps: number): Cmd[] {
  const rand = seededInt(seed);
  const member = (): string => (rand(4) === 0 ? `m${rand(6)}` : String(rand(4) === 0 ? rand(2000) : rand(10)));
  const keys = ['t0', 't1', 't2'];
  const out: Cmd[] = [];
  for (let i = 0; i < steps; i++) {
    const k = keys[rand(keys.length)];
    const a = keys[rand(keys.length)];
    const b = keys[rand(keys.length)];
    const ops: (() => Cmd)[] = [
      () => ['SADD', k, member()],
      () => ['SADD', k, member(), member(), member()],
      () => ['SREM', k, member(), member()],
      () => ['SMOVE', a, b, member()],
      () => ['SUNIONSTORE', k, a, b],
      () => ['SINTERSTORE', k, a, b],
      () => ['SDIFFSTORE', k, a, b],
      () => ['COPY', a, b, 'REPLACE'],
    ];
    out.push(ops[rand(ops.length)]());
    for (const key of keys) out.push(['OBJECT', 'ENCODING', key], ['SCARD', key]);
  }
  return out;
}

function zsetHistory(seed: number, steps: number): Cmd[] {
  const rand = seededInt(seed);
  const member = members(rand, 'z');
  const score = (): string => String(rand(50) - 10);
  const keys = ['z0', 'z1', 'z2'];
  const out: Cmd[] = [];
  for (let i = 0; i < steps; i++) {
    const k = keys[rand(keys.length)];
    const a = keys[rand(keys.length)];
    const b = keys[rand(keys.length)];
    const flag = ['', 'NX', 'XX', 'GT', 'CH'][rand(5)];
    const ops: (() => Cmd)[] = [
      () => ['ZADD', k, ...(flag ? [flag] : []), score(), member()],
      () => ['ZADD', k, score(), member(), score(), member(), score(), member()],
      () => ['ZINCRBY', k, score(), member()],
      () => ['ZREM', k, member(), member()],
      () => ['ZREMRANGEBYRANK', k, '0', String(rand(3))],
      () => ['ZPOPMIN', k],
      () => ['ZRANGESTORE', k, a, '0', String(rand(8))],
      () => ['ZRANGESTORE', k, a, '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', String(rand(8))],
      () => ['ZUNIONSTORE', k, '2', a, b],
      () => ['ZINTERSTORE', k, '2', a, b],
      () => ['ZDIFFSTORE', k, '2', a, b],
      () => ['COPY', a, b, 'REPLACE'],
    ];
    out.push(ops[rand(ops.length)]());
    for (const key of keys) out.push(['OBJECT', 'ENCODING', key], ['ZCARD', key]);
  }
  return out;
}

function listAndStreamHistory(seed: number, steps: number): Cmd[] {
  const rand = seededInt(seed);
  const value = values(rand);
  const out: Cmd[] = [];
  for (let i = 0; i < steps; i++) {
    const ops: (() => Cmd)[] = [
      () => ['RPUSH', 'l', value(), value()],
      () => ['LPOP', 'l'],
      () => ['LTRIM', 'l', '0', String(rand(5))],
      () => ['XADD', 'x', `${i + 1}-0`, 'f', value()],
      () => ['XTRIM', 'x', 'MAXLEN', String(rand(3))],
    ];
    out.push(ops[rand(ops.length)]());
    out.push(['OBJECT', 'ENCODING', 'l'], ['OBJECT', 'ENCODING', 'x']);
  }
  return out;
}

describeWithRedis('OBJECT ENCODING after seeded random write histories (differential)', () => {
  const { checkPipelined } = useServerPair();
  const histories: [string, (seed: number, steps: number) => Cmd[]][] = [
    ['strings', stringHistory],
    ['hashes', hashHistory],
    ['sets', setHistory],
    ['sorted sets', zsetHistory],
    ['lists and streams', listAndStreamHistory],
  ];

  for (const [name, history] of histories) {
    it(`${name}, small thresholds set with CONFIG SET (3 seeds)`, async () => {
      for (const seed of [1, 2, 3]) await checkPipelined([...SMALL_LIMITS, ...history(seed * 7919, 300), ...DEFAULT_LIMITS]);
    });
  }

  it('hashes, sets and sorted sets crossing the default thresholds (512, 512, 128 entries; 64 bytes)', async () => {
    const cmds: Cmd[] = [...DEFAULT_LIMITS];
    for (let i = 0; i < 600; i++) {
      cmds.push(['HSET', 'h', `f${i}`, 'v'], ['SADD', 's', String(i * 3)], ['ZADD', 'z', String(i), `m${i}`]);
      if (i % 50 === 0 || (i >= 126 && i <= 130) || (i >= 510 && i <= 514)) {
        cmds.push(['OBJECT', 'ENCODING', 'h'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'z']);
      }
    }
    // Shrinking never converts back; a STORE result is built afresh.
    cmds.push(['ZREMRANGEBYRANK', 'z', '0', '-3'], ['OBJECT', 'ENCODING', 'z'], ['ZUNIONSTORE', 'z2', '1', 'z'], ['OBJECT', 'ENCODING', 'z2']);
    cmds.push(['HSET', 'long', 'f', 'v'.repeat(64)], ['OBJECT', 'ENCODING', 'long'], ['HSET', 'long', 'f', 'v'.repeat(65)], ['OBJECT', 'ENCODING', 'long']);
    cmds.push(['ZADD', 'zl', '1', 'm'.repeat(65)], ['OBJECT', 'ENCODING', 'zl'], ['SADD', 'sx', '1', 'x'], ['OBJECT', 'ENCODING', 'sx']);
    await checkPipelined(cmds);
  });

  it('a skip list keeps a score of -0, a listpack writes it as 0 (ZADD, STORE results, COPY)', async () => {
    const long = 'm'.repeat(65);
    const cmds: Cmd[] = [
      ['ZADD', 'lp', '-0', 'a', '1', 'b'],
      ['ZADD', 'sl', '-0', long, '-0', 'a'],
      ['ZUNIONSTORE', 'u1', '1', 'lp', 'WEIGHTS', '-1'],
      ['ZUNIONSTORE', 'u2', '2', 'lp', 'sl', 'WEIGHTS', '0', '-1'],
      ['COPY', 'sl', 'sl2'],
      ['ZRANGESTORE', 'r1', 'sl', '0', '0'],
      ['ZRANGESTORE', 'r2', 'sl', '0', '-1'],
      ['ZRANGESTORE', 'r3', 'sl', '-inf', '+inf', 'BYSCORE'],
      ['ZRANGESTORE', 'r4', 'sl', '[a', '+', 'BYLEX'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '1'],
      ['ZRANGESTORE', 'r5', 'sl', '0', '-1'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      ['ZINCRBY', 'sl', '-0', 'a'],
      ['ZADD', 'sl', '0', 'a'],
    ];
    for (const key of ['lp', 'sl', 'u1', 'u2', 'sl2', 'r1', 'r2', 'r3', 'r4', 'r5']) cmds.push(['ZRANGE', key, '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', key]);
    await checkPipelined(cmds);
  });
});
