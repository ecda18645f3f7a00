// Sorted-set commands, differential: every command, option and error case is
// sent to simpledb and to a real redis-server, in RESP2 and in RESP3, and the
// reply bytes must be identical. BZPOPMIN/BZPOPMAX appear here only where
// they answer at once; their waiting is in sorted-sets-blocking.test.ts.
import { expect, it } from 'vitest';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('sorted-set commands (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  /** A set with ties on score (ordered by member) and a spread of scores. */
  const setup: Cmd[] = [
    ['ZADD', 'z', '1', 'a', '1', 'b', '2', 'c', '3', 'd', '3', 'e', '5.5', 'f', '-1', 'g', '+inf', 'h', '-inf', 'i'],
  ];
  /** Members with one score, for lex ranges. */
  const lexSetup: Cmd[] = [['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'ff', '0', 'g', '0', '']];

  it('ZADD: plain, CH, NX, XX, GT, LT, INCR, and their conflicts', async () => {
    await check([
      ['ZADD', 'z', '1', 'a'],
      ['ZADD', 'z', '2', 'b', '3', 'c', '1', 'a'],
      ['ZADD', 'z', '5', 'a'],
      ['ZADD', 'z', 'CH', '6', 'a', '2', 'b', '9', 'new'],
      ['ZADD', 'z', 'NX', '100', 'a', '7', 'nx'],
      ['ZADD', 'z', 'XX', '100', 'a', '7', 'xx'],
      ['ZADD', 'z', 'XX', 'CH', '101', 'a', '7', 'xx2'],
      ['ZADD', 'z', 'GT', 'CH', '50', 'a', '200', 'b', '1', 'gt'],
      ['ZADD', 'z', 'LT', 'CH', '50', 'a', '300', 'b', '1', 'lt'],
      ['ZADD', 'z', 'XX', 'GT', 'CH', '1000', 'a', '1000', 'missing'],
      ['ZADD', 'z', 'INCR', '5', 'c'],
      ['ZADD', 'z', 'INCR', '5', 'incr-new'],
      ['ZADD', 'z', 'NX', 'INCR', '5', 'c'],
      ['ZADD', 'z', 'XX', 'INCR', '5', 'nope'],
      ['ZADD', 'z', 'GT', 'INCR', '-5', 'c'],
      ['ZADD', 'z', 'LT', 'INCR', '-5', 'c'],
      ['ZADD', 'z', 'gt', 'lt', '1', 'a'],
      ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
      ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
      ['ZADD', 'z', 'NX', 'LT', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
      ['ZADD', 'z', 'NX', 'XX', 'INCR', '1', 'a', '2', 'b'],
      ['ZADD', 'z', '1'],
      ['ZADD', 'z', '1', 'a', '2'],
      ['ZADD', 'z', 'NX', 'CH'],
      ['ZADD', 'z', 'x', 'a'],
      ['ZADD', 'z', '1', 'a', 'x', 'b'],
      ['ZADD', 'z', 'nan', 'a'],
      ['ZADD', 'z', ' 1', 'a'],
      ['ZADD', 'z', '1 ', 'a'],
      ['ZADD', 'z', '', 'a'],
      ['ZADD', 'z', '1e400', 'a'],
      ['ZADD', 'z', '1e-400', 'a'],
      ['ZADD', 'z', '0x10', 'hex'],
      ['ZADD', 'z', 'INCR', 'inf', 'infy'],
      ['ZADD', 'z', 'INCR', '-inf', 'infy'],
      ['ZSCORE', 'z', 'infy'],
      ['ZADD', 'xx', 'XX', '1', 'a'],
      ['ZADD', 'xx', 'XX', 'INCR', '1', 'a'],
      ['EXISTS', 'xx'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZADD', 'z'],
      ['ZADD', 'z', '1'],
      ['zadd', 'lower', '1', 'x'],
      ['TYPE', 'z'],
    ]);
  });

  it('ZINCRBY', async () => {
    await check([
      ['ZINCRBY', 'z', '1.5', 'a'],
      ['ZINCRBY', 'z', '-0.5', 'a'],
      ['ZINCRBY', 'z', '0.1', 'a'],
      ['ZINCRBY', 'z', 'inf', 'b'],
      ['ZINCRBY', 'z', '-inf', 'b'],
      ['ZINCRBY', 'z', 'x', 'a'],
      ['ZINCRBY', 'z', 'nx', 'a'],
      ['ZINCRBY', 'z', 'nan', 'a'],
      ['ZINCRBY', 'z', '1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('score formatting (%.17g) in replies', async () => {
    const scores = ['0.1', '1.5', '1e-7', '-0', '0', '1e300', '-1e-300', '12345678901234567890', '3.0', '1e16', '123456789.123456789', '2.5e-5', 'inf', '-inf', '4.9e-324', '1.7976931348623157e308', '0.3'];
    await check([
      ['ZADD', 'z', ...scores.flatMap((s, i) => [s, 'm' + i])],
      ...scores.map((_, i) => ['ZSCORE', 'z', 'm' + i]),
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZMSCORE', 'z', 'm0', 'nope', 'm5'],
      ['ZSCAN', 'z', '0'],
    ]);
  });

  it('ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK', async () => {
    await check([
      ...setup,
      ['ZCARD', 'z'],
      ['ZCARD', 'missing'],
      ['ZSCORE', 'z', 'f'],
      ['ZSCORE', 'z', 'nope'],
      ['ZSCORE', 'missing', 'a'],
      ['ZMSCORE', 'z', 'a', 'nope', 'h', 'i'],
      ['ZMSCORE', 'missing', 'a', 'b'],
      ['ZRANK', 'z', 'i'],
      ['ZRANK', 'z', 'b'],
      ['ZRANK', 'z', 'h'],
      ['ZRANK', 'z', 'nope'],
      ['ZRANK', 'missing', 'a'],
      ['ZREVRANK', 'z', 'i'],
      ['ZREVRANK', 'z', 'b'],
      ['ZREVRANK', 'z', 'nope'],
      ['ZREM', 'z', 'a', 'a', 'nope', 'b'],
      ['ZREM', 'missing', 'a'],
      ['ZCARD', 'z'],
      ['ZREM', 'z', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
      ['EXISTS', 'z'],
      ['ZREM', 'z'],
      ['ZCARD'],
      ['ZSCORE', 'z'],
      ['ZMSCORE', 'z'],
      ['ZRANK', 'z', 'a', 'WITHSCORE'],
      ['ZREVRANK', 'z'],
    ]);
  });

  it('ZCOUNT and ZLEXCOUNT with open, closed and infinite bounds', async () => {
    await check([
      ...setup,
      ...lexSetup,
      ['ZCOUNT', 'z', '-inf', '+inf'],
      ['ZCOUNT', 'z', '1', '3'],
      ['ZCOUNT', 'z', '(1', '3'],
      ['ZCOUNT', 'z', '1', '(3'],
      ['ZCOUNT', 'z', '(1', '(1'],
      ['ZCOUNT', 'z', '3', '1'],
      ['ZCOUNT', 'z', '-inf', '-inf'],
      ['ZCOUNT', 'z', '(-inf', '+inf'],
      ['ZCOUNT', 'z', 'inf', 'inf'],
      ['ZCOUNT', 'z', ' 1', '3'],
      ['ZCOUNT', 'z', '(', '5'],
      ['ZCOUNT', 'z', '', '5'],
      ['ZCOUNT', 'z', '0x1', '0x3'],
      ['ZCOUNT', 'z', '1e400', 'inf'],
      ['ZCOUNT', 'z', 'x', '1'],
      ['ZCOUNT', 'z', '1', 'nan'],
      ['ZCOUNT', 'z', '[1', '2'],
      ['ZCOUNT', 'z', '1', '2 '],
      ['ZCOUNT', 'missing', '1', '2'],
      ['ZCOUNT', 'missing', 'x', '2'],
      ['ZLEXCOUNT', 'lex', '-', '+'],
      ['ZLEXCOUNT', 'lex', '[b', '[d'],
      ['ZLEXCOUNT', 'lex', '(b', '(d'],
      ['ZLEXCOUNT', 'lex', '[f', '+'],
      ['ZLEXCOUNT', 'lex', '-', '(a'],
      ['ZLEXCOUNT', 'lex', '[', '[a'],
      ['ZLEXCOUNT', 'lex', '(', '+'],
      ['ZLEXCOUNT', 'lex', '+', '-'],
      ['ZLEXCOUNT', 'lex', '[d', '[b'],
      ['ZLEXCOUNT', 'lex', '[b', '(b'],
      ['ZLEXCOUNT', 'lex', 'b', '[d'],
      ['ZLEXCOUNT', 'lex', '[b', 'd'],
      ['ZLEXCOUNT', 'lex', '-x', '+'],
      ['ZLEXCOUNT', 'lex', '-', '++'],
      ['ZLEXCOUNT', 'lex', '', '+'],
      ['ZLEXCOUNT', 'missing', '-', '+'],
      ['ZLEXCOUNT', 'missing', 'x', '+'],
      ['ZCOUNT', 'z', '1'],
      ['ZLEXCOUNT', 'z', '-'],
    ]);
  });

  it('ZRANGE by rank, ZREVRANGE, WITHSCORES', async () => {
    await check([
      ['ZRANGE', 'missing', '0', '-1'],
      ['ZRANGE', 'missing', '0', '-1', 'WITHSCORES'],
      ...setup,
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '2', '4'],
      ['ZRANGE', 'z', '-3', '-1', 'withscores'],
      ['ZRANGE', 'z', '-100', '100'],
      ['ZRANGE', 'z', '5', '2'],
      ['ZRANGE', 'z', '20', '30'],
      ['ZRANGE', 'z', '0', '-20'],
      ['ZRANGE', 'z', '0', '0', 'REV'],
      ['ZRANGE', 'z', '1', '3', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'z', '-9223372036854775808', '9223372036854775807'],
      ['ZREVRANGE', 'z', '0', '-1'],
      ['ZREVRANGE', 'z', '0', '2', 'WITHSCORES'],
      ['ZREVRANGE', 'z', '-2', '-1'],
      ['ZREVRANGE', 'z', '0', '1', 'REV'],
      ['ZREVRANGE', 'z', '0', '1', 'BYSCORE'],
      ['ZREVRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '-1'],
      ['ZRANGE', 'z', '0', '1', 'LIMIT', '0'],
      ['ZRANGE', 'z', 'a', '1'],
      ['ZRANGE', 'z', '0', '1.5'],
      ['ZRANGE', 'z', '0', '1', 'WITHSCORES', 'x'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'],
      ['ZRANGE', 'z', '0', '1', 'REV', 'REV'],
      ['ZRANGE', 'z', '0'],
      ['ZREVRANGE', 'z', '0'],
    ]);
  });

  it('ZRANGE BYSCORE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, LIMIT', async () => {
    await check([
      ['ZRANGEBYSCORE', 'missing', '-inf', '+inf'],
      ...setup,
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE'],
      ['ZRANGE', 'z', '1', '3', 'BYSCORE', 'WITHSCORES'],
      ['ZRANGE', 'z', '(1', '(5.5', 'BYSCORE'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'z', '3', '1', 'BYSCORE', 'REV'],
      ['ZRANGE', 'z', '1', '3', 'BYSCORE', 'REV'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '3'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '-1'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '0'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '2'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '9', '2'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '100', '2'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '3', 'WITHSCORES'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '1', 'LIMIT', '3', '2'],
      ['ZRANGEBYSCORE', 'z', '-inf', '+inf'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'z', '(1', '3', 'LIMIT', '0', '1'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'WITHSCORES', 'LIMIT', '1', '10'],
      ['ZRANGEBYSCORE', 'z', '3', '1'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'REV'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'BYSCORE'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'LIMIT', '1'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'LIMIT', 'x', '1'],
      ['ZRANGEBYSCORE', 'z', 'x', '3'],
      ['ZRANGEBYSCORE', 'z', '1', '(x'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf'],
      ['ZREVRANGEBYSCORE', 'z', '3', '1', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'z', '(3', '(1'],
      ['ZREVRANGEBYSCORE', 'z', '1', '3'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '2', '2', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'missing', '+inf', '-inf'],
    ]);
  });

  it('ZRANGE BYLEX, ZRANGEBYLEX, ZREVRANGEBYLEX', async () => {
    await check([
      ...lexSetup,
      ['ZRANGE', 'lex', '-', '+', 'BYLEX'],
      ['ZRANGE', 'lex', '[b', '(e', 'BYLEX'],
      ['ZRANGE', 'lex', '+', '-', 'BYLEX', 'REV'],
      ['ZRANGE', 'lex', '(e', '[b', 'BYLEX', 'REV', 'LIMIT', '1', '2'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'LIMIT', '-1', '2'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'LIMIT', '20', '2'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'LIMIT', '2', '-5'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'WITHSCORES'],
      ['ZRANGE', 'lex', 'a', '+', 'BYLEX'],
      ['ZRANGEBYLEX', 'lex', '-', '+'],
      ['ZRANGEBYLEX', 'lex', '[', '[c'],
      ['ZRANGEBYLEX', 'lex', '(', '[c'],
      ['ZRANGEBYLEX', 'lex', '[f', '[g'],
      ['ZRANGEBYLEX', 'lex', '[ff', '(g'],
      ['ZRANGEBYLEX', 'lex', '-', '+', 'LIMIT', '2', '3'],
      ['ZRANGEBYLEX', 'lex', '+', '-'],
      ['ZRANGEBYLEX', 'lex', '-', '+', 'WITHSCORES'],
      ['ZRANGEBYLEX', 'lex', '-', '+', 'REV'],
      ['ZRANGEBYLEX', 'lex', 'x', '+'],
      ['ZREVRANGEBYLEX', 'lex', '+', '-'],
      ['ZREVRANGEBYLEX', 'lex', '[d', '(a'],
      ['ZREVRANGEBYLEX', 'lex', '+', '-', 'LIMIT', '1', '2'],
      ['ZREVRANGEBYLEX', 'lex', '-', '+'],
      ['ZREVRANGEBYLEX', 'missing', '+', '-'],
      ['ZRANGEBYLEX', 'lex', '-'],
    ]);
  });

  it('ZRANGESTORE', async () => {
    await check([
      ...setup,
      ...lexSetup,
      ['ZRANGESTORE', 'dst', 'z', '0', '2'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'z', '1', '(5.5', 'BYSCORE', 'REV'],
      ['ZRANGESTORE', 'dst', 'z', '5.5', '1', 'BYSCORE', 'REV', 'LIMIT', '1', '2'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'lex', '[b', '[d', 'BYLEX'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['SET', 'str', 'x'],
      ['EXPIRE', 'dst', '100'],
      ['ZRANGESTORE', 'str', 'z', '0', '0'],
      ['TYPE', 'str'],
      ['ZRANGESTORE', 'dst', 'z', '5', '1', 'BYSCORE'],
      ['EXISTS', 'dst'],
      ['ZRANGESTORE', 'dst', 'missing', '0', '-1'],
      ['ZRANGESTORE', 'z', 'z', '0', '1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'str', '0', '-1'],
      ['ZRANGESTORE', 'dst', 'z', '0'],
    ]);
  });

  it('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', async () => {
    await check([
      ...setup,
      ['ZREMRANGEBYRANK', 'z', '0', '1'],
      ['ZREMRANGEBYRANK', 'z', '-1', '-1'],
      ['ZREMRANGEBYRANK', 'z', '5', '2'],
      ['ZREMRANGEBYRANK', 'z', '100', '200'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZREMRANGEBYRANK', 'z', 'x', '1'],
      ['ZREMRANGEBYRANK', 'missing', '0', '1'],
      ['ZREMRANGEBYSCORE', 'z', '(1', '3'],
      ['ZREMRANGEBYSCORE', 'z', '10', '1'],
      ['ZREMRANGEBYSCORE', 'z', 'x', '1'],
      ['ZREMRANGEBYSCORE', 'missing', '1', '2'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
      ['EXISTS', 'z'],
      ...lexSetup,
      ['ZREMRANGEBYLEX', 'lex', '[b', '(d'],
      ['ZREMRANGEBYLEX', 'lex', '(', '[a'],
      ['ZREMRANGEBYLEX', 'lex', 'x', '+'],
      ['ZREMRANGEBYLEX', 'missing', '-', '+'],
      ['ZRANGE', 'lex', '0', '-1'],
      ['ZREMRANGEBYLEX', 'lex', '-', '+'],
      ['EXISTS', 'lex'],
      ['ZADD', 'r', '1', 'a', '2', 'b'],
      ['ZREMRANGEBYRANK', 'r', '-100', '100'],
      ['EXISTS', 'r'],
      ['ZREMRANGEBYRANK', 'r', '0'],
      ['ZREMRANGEBYSCORE', 'r', '0', '1', '2'],
    ]);
  });

  it('ZPOPMIN, ZPOPMAX, with and without count (nested in RESP3 with a count)', async () => {
    await check([
      ...setup,
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z'],
      ['ZPOPMIN', 'z', '2'],
      ['ZPOPMAX', 'z', '2'],
      ['ZPOPMIN', 'z', '0'],
      ['ZPOPMIN', 'z', '1'],
      ['ZPOPMIN', 'z', '-1'],
      ['ZPOPMIN', 'z', 'x'],
      ['ZPOPMIN', 'z', '1', '2'],
      ['ZPOPMAX', 'z', '100'],
      ['EXISTS', 'z'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'missing', '3'],
      ['ZPOPMIN', 'missing', '0'],
      ['ZPOPMIN'],
    ]);
  });

  it('BZPOPMIN and BZPOPMAX when data is there, timeouts that fail to parse, and inside MULTI', async () => {
    await check([
      ...setup,
      ['ZADD', 'other', '7', 'x'],
      ['BZPOPMIN', 'z', '0'],
      ['BZPOPMAX', 'z', '0'],
      ['BZPOPMIN', 'missing', 'other', 'z', '1'],
      ['BZPOPMAX', 'missing', 'z', '0.5'],
      ['BZPOPMIN', 'z', 'x'],
      ['BZPOPMIN', 'z', '-1'],
      ['BZPOPMIN', 'z', ''],
      ['BZPOPMIN', 'z', 'inf'],
      ['BZPOPMIN', 'z', 'nan'],
      ['BZPOPMIN', 'z', '1e400'],
      ['BZPOPMIN', 'z'],
      ['SET', 's', 'v'],
      ['BZPOPMIN', 'missing', 's', 'z', '0'],
      ['BZPOPMAX', 'z', 's', '0'],
      ['MULTI'],
      ['BZPOPMIN', 'empty', '0'],
      ['BZPOPMAX', 'other', '0'],
      ['BZPOPMAX', 'other', '0'],
      ['EXEC'],
      ['EXISTS', 'other'],
    ]);
  });

  it('ZRANDMEMBER: deterministic cases and errors', async () => {
    await check([
      ['ZRANDMEMBER', 'missing'],
      ['ZRANDMEMBER', 'missing', '2'],
      ['ZRANDMEMBER', 'missing', '-2', 'WITHSCORES'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c'],
      ['ZRANDMEMBER', 'z', '0'],
      ['ZRANDMEMBER', 'z', '3'],
      ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'],
      ['ZADD', 'one', '0.1', 'only'],
      ['ZRANDMEMBER', 'one'],
      ['ZRANDMEMBER', 'one', '-3', 'WITHSCORES'],
      ['ZRANDMEMBER', 'one', '1', 'withscores'],
      ['ZRANDMEMBER', 'z', 'x'],
      ['ZRANDMEMBER', 'z', '1', 'WITHVALUES'],
      ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
      ['ZRANDMEMBER', 'z', '-9223372036854775808'],
      ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES'],
      ['ZRANDMEMBER'],
    ]);
  });

  it('ZRANDMEMBER: random picks have the right shape', async () => {
    for (const protocol of [2, 3] as const) {
      const [ours] = await connections(protocol);
      await ours.command('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
      expect(await ours.command('ZRANDMEMBER', 'z')).toMatch(/^\$1\r\n[abcd]\r\n$/);
      expect(await ours.command('ZRANDMEMBER', 'z', '-6')).toMatch(/^\*6\r\n(\$1\r\n[abcd]\r\n){6}$/);
      const two = await ours.command('ZRANDMEMBER', 'z', '2');
      expect(two).toMatch(/^\*2\r\n(\$1\r\n[abcd]\r\n){2}$/);
      expect(two.slice(4, 11)).not.toBe(two.slice(11));
      const score = protocol === 2 ? '\\$1\\r\\n[1-4]\\r\\n' : ',[1-4]\\r\\n';
      const pair = `${protocol === 3 ? '\\*2\\r\\n' : ''}\\$1\\r\\n[abcd]\\r\\n${score}`;
      expect(await ours.command('ZRANDMEMBER', 'z', '-3', 'WITHSCORES')).toMatch(new RegExp(`^\\*${protocol === 2 ? 6 : 3}\\r\\n(${pair}){3}$`));
      ours.close();
    }
  });

  it('ZSCAN', async () => {
    await check([
      ['ZSCAN', 'missing', '0'],
      ['ZSCAN', 'missing', '0', 'COUNT', '0'],
      ['ZADD', 'z', '1', 'apple', '0.5', 'banana', '2', 'avocado', 'inf', 'cherry'],
      ['ZSCAN', 'z', '0'],
      ['ZSCAN', 'z', '0', 'MATCH', 'a*'],
      ['ZSCAN', 'z', '0', 'MATCH', '*an*', 'COUNT', '1'],
      ['ZSCAN', 'z', '7'],
      ['ZSCAN', 'z', 'x'],
      ['ZSCAN', 'z', '0', 'COUNT', '0'],
      ['ZSCAN', 'z', '0', 'COUNT', 'x'],
      ['ZSCAN', 'z', '0', 'MATCH'],
      ['ZSCAN', 'z', '0', 'TYPE', 'zset'],
      ['ZSCAN', 'z'],
    ]);
  });

  it('WRONGTYPE for every sorted-set command on a string key', async () => {
    await check([
      ['SET', 's', 'v'],
      ['ZADD', 's', '1', 'a'],
      ['ZADD', 's', 'x', 'a'],
      ['ZADD', 's', 'XX', '1', 'a'],
      ['ZINCRBY', 's', '1', 'a'],
      ['ZREM', 's', 'a'],
      ['ZCARD', 's'],
      ['ZSCORE', 's', 'a'],
      ['ZMSCORE', 's', 'a'],
      ['ZRANK', 's', 'a'],
      ['ZREVRANK', 's', 'a'],
      ['ZCOUNT', 's', '0', '1'],
      ['ZCOUNT', 's', 'x', '1'],
      ['ZLEXCOUNT', 's', '-', '+'],
      ['ZRANGE', 's', '0', '-1'],
      ['ZRANGE', 's', 'x', '-1'],
      ['ZRANGESTORE', 'd', 's', '0', '-1'],
      ['ZRANGEBYSCORE', 's', '0', '1'],
      ['ZREVRANGEBYSCORE', 's', '1', '0'],
      ['ZRANGEBYLEX', 's', '-', '+'],
      ['ZREVRANGEBYLEX', 's', '+', '-'],
      ['ZREVRANGE', 's', '0', '-1'],
      ['ZREMRANGEBYSCORE', 's', '0', '1'],
      ['ZREMRANGEBYRANK', 's', '0', '1'],
      ['ZREMRANGEBYLEX', 's', '-', '+'],
      ['ZPOPMIN', 's'],
      ['ZPOPMAX', 's', '0'],
      ['BZPOPMIN', 's', '0'],
      ['BZPOPMAX', 's', '0'],
      ['ZRANDMEMBER', 's'],
      ['ZRANDMEMBER', 's', '1'],
      ['ZSCAN', 's', '0'],
      ['ZADD', 'z', '1', 'a'],
      ['HSET', 'z', 'f', 'v'],
      ['HGET', 'z', 'f'],
      ['GET', 'z'],
    ]);
  });

  it('sorted-set writes are seen by WATCH; no-op writes are not', async () => {
    await check([
      ['ZADD', 'z', '1', 'a'],
      ['WATCH', 'z'],
      ['ZADD', 'z', 'NX', '5', 'a'],
      ['ZADD', 'z', '1', 'a'],
      ['ZREM', 'z', 'nope'],
      ['ZREMRANGEBYSCORE', 'z', '5', '6'],
      ['MULTI'],
      ['ZINCRBY', 'z', '1', 'a'],
      ['EXEC'],
      ['WATCH', 'z'],
      ['ZADD', 'z', 'GT', '10', 'a'],
      ['MULTI'],
      ['ZSCORE', 'z', 'a'],
      ['EXEC'],
    ]);
  });

  it('a larger set keeps Redis order through many updates', async () => {
    const commands: Cmd[] = [];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 300; i++) {
      const member = 'm' + Math.floor(next() * 100);
      const score = String(Math.floor(next() * 40) / 4 - 5);
      const op = next();
      if (op < 0.6) commands.push(['ZADD', 'z', score, member]);
      else if (op < 0.8) commands.push(['ZINCRBY', 'z', score, member]);
      else commands.push(['ZREM', 'z', member]);
    }
    await check([
      ...commands,
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '-2', '3', 'BYSCORE', 'WITHSCORES'],
      ['ZCOUNT', 'z', '(-2', '3'],
      ['ZRANK', 'z', 'm50'],
      ['ZREVRANK', 'z', 'm7'],
      ['ZREVRANGE', 'z', '10', '20', 'WITHSCORES'],
    ]);
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['zadd', 'zrem', 'zcard', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcount', 'zlexcount', 'zincrby', 'zrange', 'zrangestore', 'zrangebyscore', 'zrevrangebyscore', 'zrangebylex', 'zrevrangebylex', 'zrevrange', 'zremrangebyscore', 'zremrangebyrank', 'zremrangebylex', 'zpopmin', 'zpopmax', 'bzpopmin', 'bzpopmax', 'zrandmember', 'zscan']);
  });
});
