// Stream commands, differential: every command, option and error case goes
// to simpledb and to a real redis-server, in RESP2 and in RESP3, and the
// reply bytes must be identical. IDs are given explicitly (or generated
// after an explicit ID far in the future) so that replies are
// deterministic. Approximate trimming removes whole nodes only, so the
// trimming tests also pin down where node boundaries fall (100 entries, or
// 4096 bytes of listpack). Blocking XREAD runs as scenarios: several
// connections against each server, transcripts compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { compareScenario, next, send, type Scenario } from '../helpers/blocking-scenario.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';


/** XADD key id f v for ids ms-1 .. ms-n (or n distinct ms with seq 0), with the given fields. */
function adds(key: string, n: number, fields: (i: number) => string[], idOf: (i: number) => string = (i) => `${i + 1}-0`): string[][] {
  return Array.from({ length: n }, (_, i) => ['XADD', key, idOf(i), ...fields(i)]);
}

describeWithRedis('stream commands (differential)', () => {
  const { pair, check, checkPipelined, checkCommandTable } = useServerPair();

  it('XADD with explicit IDs, XLEN, XRANGE, XREVRANGE', async () => {
    await check([
      ['XADD', 's', '1-1', 'name', 'ada', 'lang', 'en'],
      ['XADD', 's', '1-2', 'name', 'bob'],
      ['XADD', 's', '2', 'n', '12345', 'neg', '-7', 'big', '18446744073709551615'],
      ['XADD', 's', '3-*', 'f', 'v'],
      ['XADD', 's', '3-*', 'f', 'v2'],
      ['XADD', 's', '10-*', 'f', ''],
      ['XADD', 's', '18446744073709551615-5', '', 'empty field'],
      ['XLEN', 's'],
      ['XLEN', 'missing'],
      ['TYPE', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-'],
      ['XRANGE', 's', '1', '2'],
      ['XRANGE', 's', '1-2', '3-0'],
      ['XRANGE', 's', '(1-1', '(3-1'],
      ['XREVRANGE', 's', '(3-1', '(1-1'],
      ['XRANGE', 's', '-', '+', 'COUNT', '2'],
      ['XREVRANGE', 's', '+', '-', 'count', '3'],
      ['XRANGE', 's', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '-', '+', 'COUNT', '-5'],
      ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '100'],
      ['XRANGE', 's', '5', '3'],
      ['XREVRANGE', 's', '3', '5'],
      ['XRANGE', 's', '3-1', '3-1'],
      ['XRANGE', 's', '(3-1', '3-1'],
      ['XRANGE', 'missing', '-', '+'],
      ['XRANGE', 'missing', '-', '+', 'COUNT', '0'],
      ['XREVRANGE', 'missing', '+', '-'],
      ['XRANGE', 's', '(-', '+'],
      ['XRANGE', 's', '-', '(+'],
      ['XRANGE', 's', '(', '+'],
      ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0-0'],
      ['XRANGE', 's', '(18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0'],
      ['XRANGE', 's', 'x', '+'],
      ['XRANGE', 's', '-', 'x'],
      ['XRANGE', 's', '-', '+', 'COUNT'],
      ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
      ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
      ['XRANGE', 'missing', '-', '+', 'COUNT', 'x'],
      ['XRANGE', 'missing', 'x', '+'],
      ['XRANGE', 's', '-'],
      ['XREVRANGE', 's', '+'],
      ['XLEN'],
    ]);
  });

  it('ID syntax: what strtoull accepts, and what it does not', async () => {
    const ids = ['+5', ' 7-+3', '\t8', '9- 4', '10-  -1', '11--1', '012', '13-05', '-5', '14-', '-', '+', '5-*-1',
      '18446744073709551616', '15-18446744073709551616', '-18446744073709551615', '16-1.5', '1e3', '0x20', '17-*', '',
      '20\x00junk', '21-3\x00', 'x'.repeat(128), '1'.repeat(127)];
    const commands: Cmd[] = [];
    ids.forEach((id, i) => {
      commands.push(['XADD', `k${i}`, id, 'f', 'v'], ['XRANGE', `k${i}`, '-', '+'], ['XRANGE', 's', id, '+'], ['XDEL', 's', id]);
    });
    await check([['XADD', 's', '1-1', 'a', 'b'], ...commands, ['DBSIZE']], [2]);
  });

  it('XADD: generated IDs after an ID in the future, ms-* sequences', async () => {
    await check([
      ['XADD', 's', '99999999999999-5', 'f', 'v'],
      ['XADD', 's', '*', 'f', 'v'],
      ['XADD', 's', '*', 'f', 'v'],
      ['XADD', 's', '99999999999999-*', 'f', 'v'],
      ['XADD', 's', '99999999999998-*', 'f', 'v'],
      ['XADD', 's', '100000000000000-*', 'f', 'v'],
      ['XADD', 's', '100000000000000-18446744073709551615', 'f', 'v'],
      ['XADD', 's', '*', 'f', 'v'],
      ['XADD', 's', '100000000000001-*', 'f', 'v'],
      ['XADD', 's', '100000000000001-18446744073709551615', 'f', 'v'],
      ['XADD', 's', '100000000000001-*', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 'end', '18446744073709551615-18446744073709551614', 'f', 'v'],
      ['XADD', 'end', '*', 'f', 'v'],
      ['XADD', 'end', '*', 'f', 'v'],
      ['XADD', 'end', '18446744073709551615-*', 'f', 'v'],
      ['XLEN', 'end'],
      ['XADD', 'end2', '18446744073709551614-18446744073709551615', 'f', 'v'],
      ['XADD', 'end2', '*', 'f', 'v'],
      ['XRANGE', 'end2', '-', '+'],
      ['XADD', 'zero', '0-*', 'f', 'v'],
      ['XADD', 'zero', '0-*', 'f', 'v'],
      ['XRANGE', 'zero', '-', '+'],
    ]);
  });

  it('XADD errors', async () => {
    await check([
      ['XADD', 's', '5-5', 'f', 'v'],
      ['XADD', 's', '5-5', 'f', 'v'],
      ['XADD', 's', '5-4', 'f', 'v'],
      ['XADD', 's', '4', 'f', 'v'],
      ['XADD', 's', '4-*', 'f', 'v'],
      ['XADD', 'new', '0-0', 'f', 'v'],
      ['XADD', 'new', '0', 'f', 'v'],
      ['EXISTS', 'new'],
      ['XADD', 's', '*', 'f'],
      ['XADD', 's', '*', 'f', 'v', 'g'],
      ['XADD', 's', '6-1', 'f'],
      ['XADD', 's', 'MAXLEN', '5', '*'],
      ['XADD', 's', 'MAXLEN', '5', 'f', 'v'],
      ['XADD', 's', 'bad-id', 'f', 'v'],
      ['XADD', 's', '+', 'f', 'v'],
      ['XADD', 's', '-', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', 'x', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '-1', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', 'x', '*', 'f', 'v'],
      ['XADD', 's', 'MINID', 'x', '*', 'f', 'v'],
      ['XADD', 's', 'MINID', '+', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '1', 'MINID', '1', '*', 'f', 'v'],
      ['XADD', 's', 'MINID', '1', 'MAXLEN', '1', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '1', 'MAXLEN', '1', '*', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '10', '*', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '0', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '10', 'LIMIT', '10', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '=', '10', 'LIMIT', '10', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '10', 'LIMIT', 'x', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '10', 'LIMIT', '-1', '*', 'f', 'v'],
      ['XADD', 's', 'NOMKSTREAM', 'NOMKSTREAM', '7-1', 'f', 'v'],
      ['XADD', 'missing', 'NOMKSTREAM', '*', 'f', 'v'],
      ['XADD', 'missing', 'NOMKSTREAM', 'MAXLEN', '1', '1-1', 'f', 'v'],
      ['EXISTS', 'missing'],
      ['XADD', 'missing', 'NOMKSTREAM', 'bad', 'f', 'v'],
      ['XADD', 'missing', 'NOMKSTREAM', '0-0', 'f', 'v'],
      ['SET', 'str', 'x'],
      ['XADD', 'str', '*', 'f', 'v'],
      ['XADD', 'str', 'NOMKSTREAM', '*', 'f', 'v'],
      ['XADD', 'str', 'bad', 'f', 'v'],
      ['XADD', 'str', '0-0', 'f', 'v'],
      ['XADD', 's', '*'],
      ['XADD', 's'],
      ['xadd', 's', 'nomkstream', 'maxlen', '=', '100', '8-*', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
    ]);
  });

  it('XDEL, and a stream emptied by XDEL stays with its last ID', async () => {
    await check([
      ['XDEL', 'missing', '1-1'],
      ['XDEL', 'missing', 'bad'],
      ...adds('s', 5, (i) => ['f', String(i)]),
      ['XDEL', 's', '2-0', '2-0', '4', '9-9'],
      ['XDEL', 's', '1-0', 'bad'],
      ['XDEL', 's', '+'],
      ['XLEN', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '2'],
      ['XDEL', 's', '1', '3', '5-0'],
      ['XLEN', 's'],
      ['EXISTS', 's'],
      ['TYPE', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', '5-0', 'f', 'v'],
      ['XADD', 's', '6-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['SET', 'str', 'x'],
      ['XDEL', 'str', '1-1'],
      ['XDEL', 'str', 'bad'],
      ['XDEL', 's'],
    ]);
  });

  it('XTRIM: exact MAXLEN and MINID, errors', async () => {
    await check([
      ['XTRIM', 'missing', 'MAXLEN', '1'],
      ['XTRIM', 'missing', 'MAXLEN', 'x'],
      ...adds('s', 10, (i) => ['f', String(i)]),
      ['XTRIM', 's', 'MAXLEN', '8'],
      ['XTRIM', 's', 'MAXLEN', '=', '8'],
      ['XTRIM', 's', 'maxlen', '=', '6'],
      ['XRANGE', 's', '-', '+'],
      ['XTRIM', 's', 'MINID', '8'],
      ['XTRIM', 's', 'MINID', '=', '8-0'],
      ['XRANGE', 's', '-', '+'],
      ['XTRIM', 's', 'MINID', '0'],
      ['XTRIM', 's', 'MINID', '18446744073709551615-18446744073709551615'],
      ['XLEN', 's'],
      ['EXISTS', 's'],
      ['XTRIM', 's', 'MAXLEN', '0'],
      ['XTRIM', 's'],
      ['XTRIM', 's', 'MAXLEN'],
      ['XTRIM', 's', 'LIMIT', '5'],
      ['XTRIM', 's', 'FOO', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'FOO'],
      ['XTRIM', 's', 'MAXLEN', '1', 'NOMKSTREAM'],
      ['XTRIM', 's', 'MAXLEN', '-1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '5'],
      ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '-5'],
      ['XTRIM', 's', 'MINID', '-', 'x'],
      ['XTRIM', 's', 'MINID', 'x'],
      ['XTRIM', 's', 'MAXLEN', '9223372036854775808'],
      ['SET', 'str', 'x'],
      ['XTRIM', 'str', 'MAXLEN', '1'],
      ['XTRIM', 'str', 'MAXLEN', 'x'],
    ]);
  });

  it('approximate trimming removes whole nodes of 100 entries', async () => {
    await check(
      [
        ...adds('s', 350, (i) => ['field', `v${i}`]),
        ['XTRIM', 's', 'MAXLEN', '~', '300'],
        ['XTRIM', 's', 'MAXLEN', '~', '260'],
        ['XLEN', 's'],
        ['XTRIM', 's', 'MAXLEN', '~', '100', 'LIMIT', '50'],
        ['XTRIM', 's', 'MAXLEN', '~', '100', 'LIMIT', '100'],
        ['XLEN', 's'],
        ['XRANGE', 's', '-', '+', 'COUNT', '1'],
        ['XTRIM', 's', 'MINID', '~', '250'],
        ['XTRIM', 's', 'MINID', '~', '302'],
        ['XTRIM', 's', 'MINID', '~', '301', 'LIMIT', '0'],
        ['XTRIM', 's', 'MINID', '~', '302', 'LIMIT', '0'],
        ['XLEN', 's'],
        ['XRANGE', 's', '-', '+', 'COUNT', '1'],
        ...adds('t', 250, (i) => ['field', `v${i}`]),
        ['XTRIM', 't', 'MAXLEN', '~', '0'],
        ['XLEN', 't'],
        ['XTRIM', 't', 'MAXLEN', '0'],
        ['XLEN', 't'],
        ['EXISTS', 't'],
        // XADD's own trimming, and tombstones that keep counting in their node.
        ...adds('u', 150, (i) => ['a', String(i)]),
        ['XDEL', 'u', '1-0', '2-0', '3-0'],
        ['XADD', 'u', 'MAXLEN', '~', '60', '151-0', 'a', 'x'],
        ['XLEN', 'u'],
        ['XADD', 'u', 'MAXLEN', '~', '10', '152-0', 'a', 'x'],
        ['XLEN', 'u'],
        ['XRANGE', 'u', '-', '+', 'COUNT', '2'],
        ['XADD', 'u', 'MINID', '~', '250', '153-0', 'a', 'x'],
        ['XADD', 'u', 'MINID', '250', '154-0', 'a', 'x'],
        ['XRANGE', 'u', '-', '+'],
      ],
      [2],
    );
  });

  it('node boundaries by size: big values, different fields, integers', async () => {
    const shapes: [string, (i: number) => string[]][] = [
      ['big', (i) => ['payload', 'x'.repeat(200 + (i % 7))]],
      ['huge', (i) => ['payload', 'y'.repeat(5000), 'n', String(i)]],
      ['mixed', (i) => (i % 3 === 0 ? ['a', 'x'.repeat(60), 'b', String(i)] : ['c', String(i * 1000), 'd', 'z'.repeat(i % 90)])],
      ['ints', (i) => ['n', String(i * 123457), 'm', String(-i * 33), 'l', String(2 ** 40 + i)]],
      ['manyfields', (i) => Array.from({ length: 30 }, (_, j) => [`field${j}`, `${i}.${j}`]).flat()],
    ];
    for (const [name, fields] of shapes) {
      // Trimming to 1 after every add leaves exactly the last, unfinished node: its length shows each boundary.
      const commands: string[][] = [];
      for (let i = 0; i < 160; i++) {
        commands.push(['XADD', name, 'MAXLEN', '~', '1', `${i + 1}-${i % 3}`, ...fields(i)], ['XLEN', name]);
      }
      commands.push(['XRANGE', name, '-', '+', 'COUNT', '1']);
      await checkPipelined(commands, [2]);
    }
    // Entries of every value length from 1 to 130 bytes: some nodes meet the 4096-byte limit exactly, or miss it by one.
    const fixed: string[][] = [];
    for (let len = 1; len <= 130; len++) {
      for (const field of ['f', 'fg']) {
        const key = `fixed-${field}-${len}`;
        for (let i = 0; i < 70; i++) fixed.push(['XADD', key, 'MAXLEN', '~', '1', `${i + 1}-0`, field, 'x'.repeat(len)]);
        fixed.push(['XLEN', key]);
      }
    }
    await checkPipelined(fixed, [2]);
    // IDs far apart in one node: deltas encoded in 64 bits, sequence deltas that wrap.
    const far: string[][] = [];
    for (let i = 0; i < 120; i++) {
      far.push(['XADD', 'far', 'MAXLEN', '~', '1', `${BigInt(i) * 10n ** 17n + 5n}-${i % 2 === 0 ? '18446744073709551615' : '0'}`, 'f', 'v'], ['XLEN', 'far']);
    }
    await checkPipelined(far, [2]);
  });

  it('XREAD without blocking', async () => {
    await check([
      ...adds('a', 5, (i) => ['f', String(i)]),
      ...adds('b', 3, (i) => ['g', String(i)], (i) => `${i + 3}-1`),
      ['XREAD', 'STREAMS', 'a', '0'],
      ['XREAD', 'STREAMS', 'a', 'b', '2', '3-1'],
      ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0-0', '0-0'],
      ['XREAD', 'count', '0', 'streams', 'a', '4'],
      ['XREAD', 'COUNT', '-3', 'STREAMS', 'a', '4'],
      ['XREAD', 'STREAMS', 'a', '5'],
      ['XREAD', 'STREAMS', 'a', '$'],
      ['XREAD', 'STREAMS', 'a', 'missing', '$', '$'],
      ['XREAD', 'STREAMS', 'missing', 'a', '0', '0'],
      ['XREAD', 'STREAMS', 'a', 'a', '3', '1'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '1'],
      ['XREAD', 'COUNT', '1', 'COUNT', '2', 'STREAMS', 'a', '0'],
      ['XREAD', 'STREAMS', 'a', '18446744073709551615-18446744073709551615'],
      ['XDEL', 'a', '5-0'],
      ['XREAD', 'STREAMS', 'a', '4-0'],
      ['XREAD', 'STREAMS', 'a', '3-0'],
      // Errors, in the order Redis checks them.
      ['XREAD', 'STREAMS', 'a'],
      ['XREAD', 'STREAMS', 'a', 'b', '0'],
      ['XREAD', 'COUNT', '1', 'a', '0'],
      ['XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '1.5', 'STREAMS', 'a', '0'],
      ['XREAD', 'STREAMS', 'a', 'bad'],
      ['XREAD', 'STREAMS', 'a', '-'],
      ['XREAD', 'STREAMS', 'a', '+'],
      ['XREAD', 'STREAMS', 'a', '>'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 'a', '0'],
      ['XREAD', 'GROUP', 'g', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', '1', 'STREAMS'],
      ['XREAD', 'COUNT', '1', 'BLOCK'],
      ['XREAD', 'FOO', 'STREAMS', 'a', '0'],
      ['SET', 'str', 'x'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', 'bad', '0'],
      ['XREAD', 'STREAMS', 'str', 'a', 'bad', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', '0', 'bad'],
      ['XREAD', 'STREAMS', 'a'],
      ['XREAD'],
    ]);
  });

  it('a seeded random command stream over two streams gives the same replies', async () => {
    const rand = seededInt(20240607);
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)];
    const id = (): string => `${rand(400)}-${rand(4)}`;
    const bound = (): string => pick(['-', '+', id(), `(${id()}`, String(rand(400))]);
    const fieldSets = [['a'], ['a', 'b'], ['b', 'a'], ['payload'], ['n', 'm', 'o']];
    const trim = (): string[] => {
      const how = pick(['~', '=', '']);
      const opt = rand(2) === 0 ? ['MAXLEN', ...(how ? [how] : []), String(rand(150))] : ['MINID', ...(how ? [how] : []), id()];
      return how === '~' && rand(3) === 0 ? [...opt, 'LIMIT', String(rand(250))] : opt;
    };
    let ms = 0;
    const commands: Cmd[] = [];
    for (let i = 0; i < 2500; i++) {
      const key = pick(['s1', 's2']);
      const r = rand(100);
      if (r < 55) {
        ms += rand(3);
        const fields = pick(fieldSets).flatMap((f) => [f, rand(4) === 0 ? String(rand(100000) - 500) : 'v'.repeat(rand(rand(10) === 0 ? 600 : 60))]);
        const idArg = pick([`${ms}-${rand(3)}`, `${ms}-*`, `${ms}`, `${ms}-*`]);
        commands.push(['XADD', key, ...(rand(4) === 0 ? trim() : []), idArg, ...fields]);
      } else if (r < 65) {
        commands.push(['XDEL', key, ...Array.from({ length: 1 + rand(4) }, () => `${Math.max(0, ms - rand(60))}-${rand(3)}`)]);
      } else if (r < 72) {
        commands.push(['XTRIM', key, ...trim()]);
      } else if (r < 82) {
        commands.push([pick(['XRANGE', 'XREVRANGE']), key, bound(), bound(), ...(rand(2) === 0 ? ['COUNT', String(rand(20))] : [])]);
      } else if (r < 90) {
        commands.push(['XREAD', ...(rand(2) === 0 ? ['COUNT', String(rand(5))] : []), 'STREAMS', 's1', 's2', pick([id(), '$', '0']), pick([id(), '$'])]);
      } else {
        commands.push(['XLEN', key]);
      }
    }
    commands.push(['XRANGE', 's1', '-', '+'], ['XRANGE', 's2', '-', '+'], ['XLEN', 's1'], ['XLEN', 's2']);
    await check(commands, [2]);
  });

  it('WRONGTYPE, and a stream is not another type', async () => {
    await check([
      ['SET', 'str', 'x'],
      ['XLEN', 'str'],
      ['XRANGE', 'str', '-', '+'],
      ['XREVRANGE', 'str', '+', '-'],
      ['XRANGE', 'str', 'bad', '+'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['GET', 's'],
      ['LPUSH', 's', 'x'],
      ['SADD', 's', 'x'],
      ['HSET', 's', 'f', 'v'],
      ['SCARD', 's'],
      ['XLEN', 's'],
    ]);
  });

  it('inside MULTI/EXEC, and WATCH', async () => {
    await check([
      ['XADD', 's', '1-1', 'f', 'v'],
      ['WATCH', 's'],
      ['XDEL', 's', '9-9'],
      ['XTRIM', 's', 'MAXLEN', '5'],
      ['MULTI'],
      ['XADD', 's', '2-1', 'f', 'v'],
      ['XADD', 's', '2-1', 'f', 'v'],
      ['XLEN', 's'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '1-1'],
      ['EXEC'],
      ['WATCH', 's'],
      ['XDEL', 's', '1-1'],
      ['MULTI'],
      ['XLEN', 's'],
      ['EXEC'],
    ]);
  });

  it('COMMAND INFO matches Redis', async () => {
    await checkCommandTable(['xadd', 'xlen', 'xrange', 'xrevrange', 'xdel', 'xtrim', 'xread']);
  });

  // -------------------------------------------------------------------------
  // Blocking XREAD: scenarios with several connections, transcripts compared.

  const scenario = (body: Scenario) => compareScenario(pair(), body);

  it('XREAD BLOCK with $ is served by the next XADD, in RESP2 and RESP3', async () => {
    const replies = await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(3), await open()];
      const out = [await p.command('XADD', 's', '1-1', 'old', 'x')];
      send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blocked(1);
      send(b, 'XREAD', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '$');
      await blocked(2);
      out.push(await p.command('XADD', 's', '2-1', 'new', 'y'));
      out.push('a ' + (await next(a)), 'b ' + (await next(b)));
      await blocked(0);
      return out;
    });
    expect(replies[2]).toBe('a *1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$3\r\nnew\r\n$1\r\ny\r\n');
  });

  it('XREAD BLOCK on a missing key, with COUNT, on several keys', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, p] = [await open(), await open(), await open(), await open()];
      send(a, 'XREAD', 'COUNT', '2', 'BLOCK', '0', 'STREAMS', 'x', 'y', '$', '0');
      await blocked(1);
      send(b, 'XREAD', 'BLOCK', '0', 'STREAMS', 'y', '5-0');
      await blocked(2);
      send(c, 'XREAD', 'BLOCK', '0', 'STREAMS', 'y', 'y', '1', '9');
      await blocked(3);
      const out = [await p.command('MULTI'), await p.command('XADD', 'y', '1-1', 'a', '1'), await p.command('XADD', 'y', '2-1', 'b', '2')];
      out.push(await p.command('XADD', 'y', '3-1', 'c', '3'), await p.command('EXEC'));
      out.push('a ' + (await next(a)), 'c ' + (await next(c)));
      await blocked(1);
      out.push(await p.command('XADD', 'y', '5-0', 'd', '4'));
      out.push(await p.command('XADD', 'y', '6-0', 'e', '5'), 'b ' + (await next(b)));
      return out;
    });
  });

  it('XREAD BLOCK is not served by writes that add no newer entry', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      const out = [await p.command('XADD', 's', '5-0', 'f', 'v'), await p.command('XADD', 's', '6-0', 'f', 'v')];
      send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '6-0');
      await blocked(1);
      out.push(await p.command('XDEL', 's', '5-0'), await p.command('XTRIM', 's', 'MAXLEN', '0'), await p.command('XADD', 'other', '9-0', 'f', 'v'));
      out.push(await p.command('XLEN', 's'));
      await blocked(1);
      // Added and deleted before the waiter is served: it gets the stream with no entries.
      out.push(await p.command('MULTI'), await p.command('XADD', 's', '7-0', 'f', 'v'), await p.command('XDEL', 's', '7-0'), await p.command('EXEC'));
      out.push('a ' + (await next(a)));
      return out;
    });
  });

  it('XREAD BLOCK stays blocked while the key holds another type', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(3), await open()];
      send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$');
      await blocked(1);
      const out = [await p.command('LPUSH', 'k', 'x'), await p.command('SET', 'k', 'y')];
      await blocked(1);
      out.push(await p.command('DEL', 'k'), await p.command('XADD', 'k', '1-1', 'f', 'v'), 'a ' + (await next(a)));
      return out;
    });
  });

  it('XREAD BLOCK times out with a nil array; RESP3 null', async () => {
    await scenario(async ({ open }) => {
      const [a, b] = [await open(), await open(3)];
      send(a, 'XREAD', 'BLOCK', '30', 'STREAMS', 's', '$');
      send(b, 'XREAD', 'BLOCK', '30', 'STREAMS', 's', '0');
      return [await next(a), await next(b), await a.command('PING')];
    });
  });
});

describe('propagation of random and approximate stream and set commands', () => {
  let server: Server;
  let conn: RawConnection;
  const logged: string[][] = [];
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    server.onWrite = (_db, commands) => logged.push(...commands);
    conn = await RawConnection.open(server.port);
  });
  afterAll(async () => {
    conn?.close();
    await server?.close();
  });

  async function propagated(...argv: string[]): Promise<[string, string[][]]> {
    logged.length = 0;
    const reply = await conn.command(...argv);
    return [reply, logged.map((c) => [...c])];
  }

  it('XADD logs the generated ID; a "~" trim as "=" with what it left, without LIMIT', async () => {
    const [reply, log] = await propagated('XADD', 's', '*', 'f', 'v');
    const id = /^\$\d+\r\n(\d+-0)\r\n$/.exec(reply)?.[1];
    expect(id).toBeDefined();
    expect(log).toEqual([['XADD', 's', id, 'f', 'v']]);
    expect((await propagated('XADD', 's', '99999999999999-*', 'f', 'v'))[1]).toEqual([['XADD', 's', '99999999999999-0', 'f', 'v']]);
    expect((await propagated('XADD', 's', '99999999999999-7', 'f', 'v'))[1]).toEqual([['XADD', 's', '99999999999999-7', 'f', 'v']]);
    for (let i = 0; i < 250; i++) await conn.command('XADD', 't', `${i + 1}-0`, 'f', 'v');
    expect((await propagated('XADD', 't', 'MAXLEN', '~', '120', 'LIMIT', '1000', '251-*', 'f', 'v'))[1]).toEqual([
      ['XADD', 't', 'MAXLEN', '=', '151', '251-0', 'f', 'v'],
    ]);
    expect((await propagated('XTRIM', 't', 'MINID', '~', '230'))[1]).toEqual([['XTRIM', 't', 'MINID', '=', '201-0']]);
    expect((await propagated('XTRIM', 't', 'MAXLEN', '~', '1', 'LIMIT', '50'))).toEqual([':0\r\n', []]);
    expect((await propagated('XTRIM', 't', 'MAXLEN', '45'))[1]).toEqual([['XTRIM', 't', 'MAXLEN', '45']]);
    expect((await propagated('XADD', 'missing', 'NOMKSTREAM', '*', 'f', 'v'))[1]).toEqual([]);
  });

  it('SPOP logs SREM of what it took, or DEL when it took everything', async () => {
    await conn.command('SADD', 'set', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    const [one, log1] = await propagated('SPOP', 'set');
    const member = /^\$1\r\n([a-j])\r\n$/.exec(one)?.[1];
    expect(member).toBeDefined();
    expect(log1).toEqual([['SREM', 'set', member]]);
    // A few members (picked one by one), then most of the rest (what stays is picked).
    for (const count of ['2', '6']) {
      const [reply, log] = await propagated('SPOP', 'set', count);
      const members = [...reply.matchAll(/\$1\r\n([a-j])\r\n/g)].map((m) => m[1]);
      expect(members).toHaveLength(Number(count));
      expect(log).toEqual([['SREM', 'set', ...members]]);
    }
    await conn.command('SADD', 'set', 'x');
    expect((await propagated('SPOP', 'set', '5'))[1]).toEqual([['DEL', 'set']]);
    expect((await propagated('SPOP', 'set', '5'))[1]).toEqual([]);
  });
});
