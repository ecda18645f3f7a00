// Sorted-set algebra and multi-key pops, differential: ZUNION, ZINTER,
// ZDIFF, their STORE forms, ZINTERCARD, ZMPOP and BZMPOP (at once, waiting,
// and inside MULTI) go to simpledb and to a real redis-server, in RESP2 and
// RESP3, and the reply bytes must be identical.
import { it } from 'vitest';
import { compareScenario, next, send } from '../helpers/blocking-scenario.js';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

describeWithRedis('sorted-set algebra and multi-key pops (differential)', () => {
  const { pair, check, checkCommandTable } = useServerPair();

  /** Two sorted sets and a plain set that overlap, with ties, infinities and fractions. */
  const setup: Cmd[] = [
    ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c', '+inf', 'inf', '-2.5', 'neg'],
    ['ZADD', 'z2', '10', 'b', '20', 'c', '30', 'd', '-inf', 'inf', '0', 'zero'],
    ['SADD', 's', 'a', 'c', 'd', 'e', '12', '7'],
    ['ZADD', 'zero', '0', 'a', '0', 'b'],
  ];

  it('ZUNION and ZUNIONSTORE: WEIGHTS, AGGREGATE, WITHSCORES, sets and missing keys as inputs', async () => {
    await check([
      ...setup,
      ['ZUNION', '2', 'z1', 'z2'],
      ['ZUNION', '2', 'z1', 'z2', 'WITHSCORES'],
      ['ZUNION', '3', 'z1', 'z2', 's', 'WITHSCORES'],
      ['ZUNION', '3', 'z1', 'missing', 's', 'withscores'],
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', '-1', 'AGGREGATE', 'MIN', 'WITHSCORES'],
      ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE', 'max', 'WITHSCORES'],
      ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE', 'SUM', 'WEIGHTS', '0', '1', 'WITHSCORES'],
      ['ZUNION', '1', 'zero', 'WEIGHTS', '-1', 'WITHSCORES'],
      ['ZUNION', '2', 'z1', 'z1', 'WITHSCORES'],
      ['ZUNION', '1', 'missing'],
      ['ZUNION', '1', 'missing', 'WITHSCORES'],
      ['ZUNION', '2', 's', 's', 'WEIGHTS', '3', '4.5', 'WITHSCORES'],
      ['ZUNIONSTORE', 'dst', '3', 'z1', 'z2', 's', 'WEIGHTS', '1', '2', '3'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'dst', '2', 'z1', 'z2', 'AGGREGATE', 'MAX'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'zero', '1', 'zero', 'WEIGHTS', '-1'],
      ['ZRANGE', 'zero', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'dst', '1', 'missing'],
      ['EXISTS', 'dst'],
      ['ZUNIONSTORE', 'dst', '1', 'missing'],
      ['SET', 'str', 'v'],
      ['EXPIRE', 'str', '100'],
      ['ZUNIONSTORE', 'str', '1', 'z1'],
      ['TYPE', 'str'],
      ['TTL', 'str'],
    ]);
  });

  it('ZINTER, ZINTERSTORE and ZINTERCARD: WEIGHTS, AGGREGATE, LIMIT, sets as inputs', async () => {
    await check([
      ...setup,
      ['ZINTER', '2', 'z1', 'z2'],
      ['ZINTER', '2', 'z1', 'z2', 'WITHSCORES'],
      ['ZINTER', '2', 'z1', 's', 'WITHSCORES'],
      ['ZINTER', '3', 'z1', 'z2', 's', 'WITHSCORES'],
      ['ZINTER', '2', 'z1', 'z2', 'WEIGHTS', '2', '3', 'AGGREGATE', 'MAX', 'WITHSCORES'],
      ['ZINTER', '2', 'z1', 'z2', 'AGGREGATE', 'MIN', 'WITHSCORES'],
      ['ZINTER', '2', 'z1', 'z2', 'WEIGHTS', '0', '1', 'WITHSCORES'],
      ['ZINTER', '2', 'z1', 'missing'],
      ['ZINTER', '2', 'z1', 'z1', 'WEIGHTS', '1', '2', 'WITHSCORES'],
      ['ZINTERSTORE', 'dst', '2', 'z1', 'z2', 'WEIGHTS', '1', '0.25'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'dst', '2', 'z1', 'missing'],
      ['EXISTS', 'dst'],
      ['ZINTERCARD', '2', 'z1', 'z2'],
      ['ZINTERCARD', '3', 'z1', 'z2', 's'],
      ['ZINTERCARD', '2', 'z1', 's', 'LIMIT', '1'],
      ['ZINTERCARD', '2', 'z1', 's', 'limit', '0'],
      ['ZINTERCARD', '2', 'z1', 's', 'LIMIT', '100'],
      ['ZINTERCARD', '1', 'missing'],
      ['ZINTERCARD', '2', 'z1', 's', 'LIMIT', '-1'],
      ['ZINTERCARD', '2', 'z1', 's', 'LIMIT', 'x'],
      ['ZINTERCARD', '2', 'z1', 's', 'LIMIT'],
      ['ZINTERCARD', '2', 'z1', 's', 'WITHSCORES'],
      ['ZINTERCARD', '2', 'z1', 's', 'WEIGHTS', '1', '1'],
      ['ZINTERCARD', '2', 'z1', 's', 'AGGREGATE', 'SUM'],
    ]);
  });

  it('ZDIFF and ZDIFFSTORE', async () => {
    await check([
      ...setup,
      ['ZDIFF', '2', 'z1', 'z2'],
      ['ZDIFF', '2', 'z1', 'z2', 'WITHSCORES'],
      ['ZDIFF', '3', 'z1', 'z2', 's', 'WITHSCORES'],
      ['ZDIFF', '1', 'z1', 'WITHSCORES'],
      ['ZDIFF', '2', 'z1', 'z1'],
      ['ZDIFF', '2', 'missing', 'z1'],
      ['ZDIFF', '2', 's', 'z1', 'WITHSCORES'],
      ['ZDIFF', '2', 'z1', 'z2', 'WEIGHTS', '1', '1'],
      ['ZDIFF', '2', 'z1', 'z2', 'AGGREGATE', 'MIN'],
      ['ZDIFFSTORE', 'dst', '2', 'z2', 'z1'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'dst', '2', 'z1', 'z1'],
      ['EXISTS', 'dst'],
      ['ZDIFFSTORE', 'dst', '1', 'z1', 'WITHSCORES'],
    ]);
  });

  it('errors: numkeys, too few keys, bad weights and options, wrong types, arity', async () => {
    await check([
      ...setup,
      ['SET', 'str', 'v'],
      ...['ZUNION', 'ZINTER', 'ZDIFF', 'ZINTERCARD'].flatMap((cmd): Cmd[] => [
        [cmd, '0', 'z1'],
        [cmd, '-1', 'z1'],
        [cmd, 'x', 'z1'],
        [cmd, '3', 'z1', 'z2'],
        [cmd, '99999999999999999999', 'z1'],
        [cmd, '2', 'z1', 'str'],
        [cmd, '2', 'str', 'missing', 'BADOPTION'],
        [cmd, '2', 'z1', 'z2', 'BADOPTION'],
        [cmd, '1', 'z1', 'WITHSCORES', 'WITHSCORES'],
        [cmd],
        [cmd, '1'],
      ]),
      ...['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'].flatMap((cmd): Cmd[] => [
        [cmd, 'dst', '0', 'z1'],
        [cmd, 'dst', 'x', 'z1'],
        [cmd, 'dst', '3', 'z1', 'z2'],
        [cmd, 'dst', '2', 'z1', 'str'],
        [cmd, 'dst', '2', 'z1', 'z2', 'WITHSCORES'],
        [cmd, 'dst', '1'],
      ]),
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1'],
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', 'x'],
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', 'nan'],
      ['ZUNION', '2', 'z1', 'z2', 'WEIGHTS', '1', '2', '3'],
      ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE'],
      ['ZUNION', '2', 'z1', 'z2', 'AGGREGATE', 'AVG'],
      ['ZINTER', '2', 'z1', 'z2', 'WEIGHTS', ' 1', '2'],
      ['ZINTERSTORE', 'dst', '2', 'z1', 'z2', 'WEIGHTS', 'inf', '-inf'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('a seeded random mix of sorted sets and sets gives the same results', async () => {
    const int = seededInt(20261203);
    const commands: Cmd[] = [];
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    for (let i = 0; i < 120; i++) {
      const key = keys[int(keys.length)];
      const member = 'm' + int(30);
      // Quarter steps: sums stay exact whatever order the inputs are added in.
      if (key === 'k4') commands.push(['SADD', key, member]);
      else commands.push(['ZADD', key, String(int(41) / 4 - 5), member]);
    }
    for (let i = 0; i < 40; i++) {
      const n = 1 + int(4);
      const picked = Array.from({ length: n }, () => keys[int(keys.length)]);
      const weights = picked.map(() => String(int(9) - 4));
      const agg = ['SUM', 'MIN', 'MAX'][int(3)];
      const op = ['ZUNION', 'ZINTER', 'ZDIFF', 'ZINTERCARD'][int(4)];
      if (op === 'ZDIFF') commands.push(['ZDIFF', String(n), ...picked, 'WITHSCORES']);
      else if (op === 'ZINTERCARD') commands.push(['ZINTERCARD', String(n), ...picked, 'LIMIT', String(int(5))]);
      else commands.push([op, String(n), ...picked, 'WEIGHTS', ...weights, 'AGGREGATE', agg, 'WITHSCORES']);
      if (i % 8 === 0) commands.push([op === 'ZINTERCARD' ? 'ZINTERSTORE' : op + 'STORE', keys[int(4)], String(n), ...picked]);
    }
    await check([...commands, ...keys.map((k): Cmd => ['ZRANGE', k, '0', '-1', 'WITHSCORES'])]);
  });

  it('ZMPOP: MIN, MAX, COUNT, the first existing key, nested replies, errors', async () => {
    await check([
      ...setup,
      ['ZMPOP', '1', 'z1', 'MIN'],
      ['ZMPOP', '1', 'z1', 'max'],
      ['ZMPOP', '3', 'missing', 'z2', 'z1', 'MIN', 'COUNT', '2'],
      ['ZMPOP', '2', 'z1', 'z2', 'MAX', 'COUNT', '100'],
      ['EXISTS', 'z1'],
      ['ZMPOP', '2', 'missing', 'other', 'MIN'],
      ['ZMPOP', '2', 's', 'z2', 'MIN'],
      ['ZMPOP', '2', 'missing', 's', 'MIN'],
      ['ZMPOP', '0', 'z2', 'MIN'],
      ['ZMPOP', '-1', 'z2', 'MIN'],
      ['ZMPOP', 'x', 'z2', 'MIN'],
      ['ZMPOP', '1', 'z2', 'MIDDLE'],
      ['ZMPOP', '2', 'z2', 'MIN'],
      ['ZMPOP', '5', 'z2', 'MIN'],
      ['ZMPOP', '1', 'z2', 'MIN', 'COUNT'],
      ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '0'],
      ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '-1'],
      ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', 'x'],
      ['ZMPOP', '1', 'z2', 'MIN', 'COUNT', '1', 'COUNT', '1'],
      ['ZMPOP', '1', 'z2', 'MIN', 'extra'],
      ['ZMPOP', '1', 'z2'],
      ['ZRANGE', 'z2', '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('BZMPOP when data is there, its errors, and inside MULTI', async () => {
    await check([
      ...setup,
      ['BZMPOP', '0', '1', 'z1', 'MIN'],
      ['BZMPOP', '0.5', '2', 'missing', 'z1', 'MAX', 'COUNT', '2'],
      ['BZMPOP', '0', '1', 'z1', 'MIN', 'COUNT', '10'],
      ['BZMPOP', 'x', '1', 'z2', 'MIN'],
      ['BZMPOP', '-1', '1', 'z2', 'MIN'],
      ['BZMPOP', 'x', '0', 'z2', 'MIN'],
      ['BZMPOP', '0', '1', 'z2', 'SIDEWAYS'],
      ['BZMPOP', '0', '1', 'z2', 'MIN', 'COUNT', '0'],
      ['BZMPOP', '0', '2', 's', 'z2', 'MIN'],
      ['BZMPOP', '0', '1', 'z2'],
      ['MULTI'],
      ['BZMPOP', '0', '1', 'empty', 'MIN'],
      ['BZMPOP', '0', '1', 'z2', 'MAX', 'COUNT', '2'],
      ['EXEC'],
      ['ZRANGE', 'z2', '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('BZMPOP waits: a write wakes it with [key, [[member, score]...]], in RESP2 and RESP3', async () => {
    for (const protocol of [2, 3] as const) {
      await compareScenario(pair(), async ({ open, blocked }) => {
        const control = await open();
        const waiter = await open(protocol);
        const other = await open(protocol);
        send(waiter, 'BZMPOP', '0', '2', 'k1', 'k2', 'MAX', 'COUNT', '2');
        await blocked(1);
        send(other, 'BZMPOP', '0', '1', 'k2', 'MIN');
        await blocked(2);
        const out = [await control.command('ZADD', 'k2', '1', 'a', '2', 'b', '3', 'c')];
        out.push(await next(waiter), await next(other));
        out.push(await control.command('ZRANGE', 'k2', '0', '-1', 'WITHSCORES'));
        send(waiter, 'BZMPOP', '0.05', '1', 'k3', 'MIN');
        out.push(await next(waiter));
        return out;
      });
    }
  });

  it('writes are seen by WATCH: stored results and pops; empty results that delete nothing are not', async () => {
    await check([
      ...setup,
      ['WATCH', 'dst'],
      ['ZUNIONSTORE', 'dst', '1', 'missing'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'dst'],
      ['ZINTERSTORE', 'dst', '2', 'z1', 'z2'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'z1'],
      ['ZMPOP', '1', 'z1', 'MIN'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['zunionstore', 'zinterstore', 'zdiffstore', 'zunion', 'zinter', 'zdiff', 'zintercard', 'zmpop', 'bzmpop']);
  });
});
