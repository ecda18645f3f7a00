// List commands, differential: every command, option and error case is sent
// to simpledb and to a real redis-server, in RESP2 and in RESP3, and the
// reply bytes must be identical. Blocking commands appear here only where
// they answer at once (data present, bad arguments, inside MULTI); their
// waiting behaviour is in blocking.test.ts.
import { it } from 'vitest';
import { expectSameReplies, useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('list commands (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

  it('LPUSH, RPUSH, LPUSHX, RPUSHX', async () => {
    await check([
      ['LPUSH', 'l', 'a'],
      ['LPUSH', 'l', 'b', 'c', 'd'],
      ['RPUSH', 'l', 'e', 'f'],
      ['LRANGE', 'l', '0', '-1'],
      ['LPUSHX', 'missing', 'a'],
      ['RPUSHX', 'missing', 'a', 'b'],
      ['EXISTS', 'missing'],
      ['LPUSHX', 'l', 'x', 'y'],
      ['RPUSHX', 'l', 'z'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'r', 'a', 'b', 'c'],
      ['LRANGE', 'r', '0', '-1'],
      ['RPUSH', 'bin', binary, '', 'a\r\nb', '\x00'],
      ['LRANGE', 'bin', '0', '-1'],
      ['LLEN', 'bin'],
      ['SET', 's', 'v'],
      ['LPUSH', 's', 'a'],
      ['RPUSH', 's', 'a'],
      ['LPUSHX', 's', 'a'],
      ['RPUSHX', 's', 'a'],
      ['LPUSH', 'l'],
      ['RPUSH', 'l'],
      ['LPUSHX', 'l'],
      ['RPUSHX'],
      ['lpush', 'lower', 'case'],
      ['TYPE', 'l'],
    ]);
  });

  it('LPOP and RPOP, with and without count', async () => {
    await check([
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '1'],
      ['LPOP', 'l', '0'],
      ['RPOP', 'l', '0'],
      ['RPOP', 'l', '10'],
      ['EXISTS', 'l'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '1'],
      ['RPOP', 'l', '0'],
      ['LPOP', 'l', '-1'],
      ['RPOP', 'l', 'abc'],
      ['RPUSH', 'l', 'x'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'l', '1.5'],
      ['LPOP', 'l', '9223372036854775808'],
      ['LPOP', 'l', '9223372036854775807'],
      ['EXISTS', 'l'],
      ['RPUSH', 'l', 'x'],
      ['LPOP', 'l', '1', '2'],
      ['RPOP', 'l', '1', '2', '3'],
      ['LPOP'],
      ['SET', 's', 'v'],
      ['LPOP', 's'],
      ['RPOP', 's', '2'],
      ['LPOP', 's', 'x'],
      ['RPUSH', 'big', ...Array.from({ length: 100 }, (_, i) => `v${i}`)],
      ['RPOP', 'big', '40'],
      ['LPOP', 'big', '40'],
      ['LRANGE', 'big', '0', '-1'],
    ]);
  });

  it('LLEN and LRANGE', async () => {
    const ranges: [string, string][] = [
      ['0', '-1'], ['0', '0'], ['1', '3'], ['-3', '-1'], ['-100', '100'], ['5', '2'], ['10', '20'], ['-1', '-2'],
      ['2', '-2'], ['-10', '-8'], ['0', '-10'], ['9223372036854775807', '-9223372036854775808'],
      ['-9223372036854775808', '9223372036854775807'], ['3', '3'], ['6', '6'], ['-7', '-7'],
    ];
    await check([
      ['LLEN', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ['LLEN', 'l'],
      ...ranges.map(([a, b]) => ['LRANGE', 'l', a, b]),
      ['LRANGE', 'l', 'a', '1'],
      ['LRANGE', 'l', '0', 'b'],
      ['LRANGE', 'l', '1.0', '2'],
      ['LRANGE', 'l', '9223372036854775808', '2'],
      ['LRANGE', 'missing', 'x', '1'],
      ['LRANGE', 'l', '0'],
      ['LLEN'],
      ['LLEN', 'l', 'x'],
      ['SET', 's', 'v'],
      ['LLEN', 's'],
      ['LRANGE', 's', '0', '-1'],
      ['LRANGE', 's', 'x', '-1'],
    ]);
  });

  it('LINDEX and LSET', async () => {
    await check([
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', 'x'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ...['0', '1', '2', '3', '-1', '-3', '-4', '100', '-9223372036854775808', '9223372036854775807'].map((i) => ['LINDEX', 'l', i]),
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'l', '1e2'],
      ['LINDEX', 'l', '-0'],
      ['LINDEX', 'l', '01'],
      ['LINDEX', 'l', '+1'],
      ['LRANGE', 'l', '-0', '1'],
      ['LPOS', 'l', 'a', 'RANK', '-0'],
      ['LPOP', 'l', '+1'],
      ['LINDEX', 'l', ''],
      ['LSET', 'l', '0', 'A'],
      ['LSET', 'l', '-1', 'C'],
      ['LSET', 'l', '1', binary],
      ['LRANGE', 'l', '0', '-1'],
      ['LSET', 'l', '3', 'x'],
      ['LSET', 'l', '-4', 'x'],
      ['LSET', 'l', 'x', 'x'],
      ['LSET', 'missing', '0', 'x'],
      ['LSET', 'missing', 'x', 'x'],
      ['LSET', 'l', '0'],
      ['LINDEX', 'l'],
      ['SET', 's', 'v'],
      ['LINDEX', 's', '0'],
      ['LINDEX', 's', 'x'],
      ['LSET', 's', '0', 'x'],
      ['LSET', 's', 'x', 'x'],
    ]);
  });

  it('LREM', async () => {
    await check([
      ['RPUSH', 'l', 'x', 'a', 'x', 'b', 'x', 'c', 'x', 'x'],
      ['LREM', 'l', '2', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '-1', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'nothing'],
      ['LREM', 'l', '-9223372036854775808', 'a'],
      ['LREM', 'l', '100', 'b'],
      ['LREM', 'l', '1', 'c'],
      ['EXISTS', 'l'],
      ['LREM', 'l', '1', 'c'],
      ['LREM', 'l', 'x', 'c'],
      ['LREM', 'l', '1'],
      ['SET', 's', 'v'],
      ['LREM', 's', '0', 'v'],
      ['LREM', 's', 'x', 'v'],
    ]);
  });

  it('LTRIM', async () => {
    const cases: [string, string][] = [
      ['0', '-1'], ['1', '-2'], ['0', '100'], ['-2', '-1'], ['1', '1'], ['5', '2'], ['100', '200'], ['-100', '0'],
      ['0', '-100'], ['-9223372036854775808', '9223372036854775807'],
    ];
    const commands: Cmd[] = [];
    for (const [a, b] of cases) {
      commands.push(['DEL', 'l'], ['RPUSH', 'l', '1', '2', '3', '4', '5', '6'], ['LTRIM', 'l', a, b], ['LRANGE', 'l', '0', '-1'], ['EXISTS', 'l']);
    }
    await check([
      ...commands,
      ['LTRIM', 'missing', '0', '1'],
      ['LTRIM', 'missing', 'x', '1'],
      ['LTRIM', 'l', '0', 'x'],
      ['LTRIM', 'l', '0'],
      ['SET', 's', 'v'],
      ['LTRIM', 's', '0', '1'],
      ['LTRIM', 's', 'a', '1'],
    ]);
  });

  it('LINSERT', async () => {
    await check([
      ['RPUSH', 'l', 'a', 'b', 'c', 'b'],
      ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
      ['LINSERT', 'l', 'after', 'b', 'y'],
      ['LINSERT', 'l', 'Before', 'a', 'first'],
      ['LINSERT', 'l', 'AFTER', 'b', 'z'],
      ['LINSERT', 'l', 'AFTER', 'c', 'last'],
      ['LRANGE', 'l', '0', '-1'],
      ['LINSERT', 'l', 'before', 'nope', 'x'],
      ['LINSERT', 'l', 'middle', 'a', 'x'],
      ['LINSERT', 'missing', 'before', 'a', 'x'],
      ['LINSERT', 'missing', 'middle', 'a', 'x'],
      ['EXISTS', 'missing'],
      ['LINSERT', 'l', 'before', 'a'],
      ['SET', 's', 'v'],
      ['LINSERT', 's', 'before', 'a', 'x'],
      ['LINSERT', 's', 'nowhere', 'a', 'x'],
    ]);
  });

  it('LPOS with RANK, COUNT and MAXLEN', async () => {
    const options: string[][] = [
      [], ['RANK', '1'], ['RANK', '2'], ['RANK', '3'], ['RANK', '5'], ['RANK', '-1'], ['RANK', '-2'], ['RANK', '-9'],
      ['COUNT', '0'], ['COUNT', '1'], ['COUNT', '2'], ['COUNT', '10'], ['RANK', '2', 'COUNT', '2'], ['RANK', '-1', 'COUNT', '0'],
      ['RANK', '-2', 'COUNT', '2'], ['MAXLEN', '0'], ['MAXLEN', '1'], ['MAXLEN', '3'], ['COUNT', '0', 'MAXLEN', '4'],
      ['RANK', '-1', 'MAXLEN', '2'], ['RANK', '-1', 'COUNT', '0', 'MAXLEN', '3'], ['rank', '1', 'count', '1', 'maxlen', '9'],
      ['RANK', '1', 'RANK', '2'], ['COUNT', '1', 'COUNT', '0'],
      ['RANK', '-9223372036854775808'], ['RANK', '-9223372036854775808', 'COUNT', '2'], ['RANK', '9223372036854775807'],
      ['RANK', '-9223372036854775807', 'COUNT', '0'],
    ];
    const errors: string[][] = [
      ['RANK', '0'], ['RANK', 'x'], ['RANK', '9223372036854775808'], ['COUNT', '-1'], ['COUNT', 'x'], ['MAXLEN', '-1'],
      ['MAXLEN', 'x'], ['FOO'], ['RANK'], ['COUNT'], ['MAXLEN'], ['RANK', '1', 'COUNT'], ['RANK', '0', 'COUNT', '-1'],
      ['COUNT', '-1', 'RANK', '0'],
    ];
    await check([
      ['RPUSH', 'l', 'b', 'x', 'b', 'y', 'b', 'b', 'z'],
      ...options.map((o) => ['LPOS', 'l', 'b', ...o]),
      ...options.map((o) => ['LPOS', 'l', 'nope', ...o]),
      ...errors.map((o) => ['LPOS', 'l', 'b', ...o]),
      ...errors.map((o) => ['LPOS', 'missing', 'b', ...o]),
      ['LPOS', 'missing', 'b'],
      ['LPOS', 'missing', 'b', 'COUNT', '0'],
      ['LPOS', 'missing', 'b', 'RANK', '2'],
      ['LPOS', 'l'],
      ['SET', 's', 'v'],
      ['LPOS', 's', 'v'],
      ['LPOS', 's', 'v', 'COUNT', '1'],
      ['LPOS', 's', 'v', 'RANK', '0'],
    ]);
  });

  it('RPOPLPUSH and LMOVE', async () => {
    await check([
      ['RPUSH', 'src', 'a', 'b', 'c', 'd'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'LEFT'],
      ['LMOVE', 'src', 'dst', 'left', 'right'],
      ['LMOVE', 'dst', 'src', 'RIGHT', 'LEFT'],
      ['LMOVE', 'dst', 'src', 'Right', 'Right'],
      ['LRANGE', 'src', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'src', 'src'],
      ['LMOVE', 'src', 'src', 'LEFT', 'RIGHT'],
      ['LRANGE', 'src', '0', '-1'],
      ['RPUSH', 'one', 'only'],
      ['LMOVE', 'one', 'one', 'LEFT', 'LEFT'],
      ['LRANGE', 'one', '0', '-1'],
      ['LMOVE', 'one', 'other', 'LEFT', 'LEFT'],
      ['EXISTS', 'one'],
      ['RPOPLPUSH', 'missing', 'dst'],
      ['LMOVE', 'missing', 'dst', 'LEFT', 'LEFT'],
      ['EXISTS', 'missing'],
      ['LMOVE', 'src', 'dst', 'UP', 'LEFT'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'DOWN'],
      ['LMOVE', 'missing', 'dst', 'UP', 'LEFT'],
      ['SET', 's', 'v'],
      ['RPOPLPUSH', 'src', 's'],
      ['LMOVE', 'src', 's', 'LEFT', 'LEFT'],
      ['LRANGE', 'src', '0', '-1'],
      ['RPOPLPUSH', 's', 'dst'],
      ['LMOVE', 's', 'dst', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'missing', 's'],
      ['RPOPLPUSH', 'src'],
      ['LMOVE', 'src', 'dst', 'LEFT'],
    ]);
  });

  it('LMPOP', async () => {
    await check([
      ['RPUSH', 'b', '1', '2', '3', '4', '5'],
      ['RPUSH', 'c', 'x'],
      ['LMPOP', '1', 'a', 'LEFT'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['LMPOP', '3', 'a', 'b', 'c', 'RIGHT'],
      ['LMPOP', '2', 'b', 'c', 'left', 'COUNT', '2'],
      ['LMPOP', '2', 'b', 'c', 'right', 'count', '100'],
      ['EXISTS', 'b'],
      ['LMPOP', '2', 'b', 'c', 'LEFT', 'COUNT', '1'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['LMPOP', '0', 'a', 'LEFT'],
      ['LMPOP', '-1', 'a', 'LEFT'],
      ['LMPOP', 'x', 'a', 'LEFT'],
      ['LMPOP', '2', 'a', 'LEFT'],
      ['LMPOP', '1', 'a', 'UP'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT'],
      ['LMPOP', '1', 'a', 'LEFT', 'FOO'],
      ['LMPOP', '1', 'a', 'b', 'LEFT'],
      ['LMPOP', '9223372036854775806', 'a', 'LEFT'],
      ['LMPOP', '1', 'a'],
      ['SET', 's', 'v'],
      ['RPUSH', 'z', 'q'],
      ['LMPOP', '2', 's', 'z', 'LEFT'],
      ['LMPOP', '2', 'a', 's', 'LEFT'],
      ['LMPOP', '2', 'z', 's', 'LEFT'],
    ]);
  });

  it('blocking pops answer at once when a list has data', async () => {
    await check([
      ['RPUSH', 'k2', 'a', 'b', 'c'],
      ['RPUSH', 'k3', 'x', 'y'],
      ['BLPOP', 'k1', 'k2', 'k3', '0'],
      ['BRPOP', 'k1', 'k3', 'k2', '1'],
      ['BLPOP', 'k2', '0.5'],
      ['BRPOP', 'k3', 'k3', '0'],
      ['BLMPOP', '0', '3', 'k1', 'k2', 'k3', 'LEFT'],
      ['RPUSH', 'k2', 'd', 'e', 'f'],
      ['BLMPOP', '1', '1', 'k2', 'RIGHT', 'COUNT', '2'],
      ['BLMPOP', '1', '1', 'k2', 'RIGHT', 'COUNT', '5'],
      ['RPUSH', 'src', 'a', 'b', 'c'],
      ['BRPOPLPUSH', 'src', 'dst', '0'],
      ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BLMOVE', 'src', 'src', 'LEFT', 'RIGHT', '0'],
      ['LRANGE', 'src', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
      ['EXISTS', 'k2', 'k3'],
      ['RPUSH', 'l', 'v'],
      ['BLPOP', 'l', '0x10'],
      ['RPUSH', 'l', 'v'],
      ['BLPOP', 'l', '1e-400'],
      ['RPUSH', 'l', 'v'],
      ['BRPOP', 'l', '-0.0001'],
      ['RPUSH', 'l', 'v'],
      ['BRPOP', 'l', '+.5'],
    ]);
  });

  it('blocking commands: argument errors and wrong types', async () => {
    const timeouts = ['abc', '', ' 1', '1 ', '-1', '-0.002', 'inf', '-inf', '+inf', 'infinity', 'nan', '1e400', '1e5000', '1e-5000',
      '9.3e15', '0x', '1e', '--1', '1,5', '0x1p99999'];
    await check([
      ['SET', 's', 'v'],
      ...timeouts.map((t) => ['BLPOP', 'k', t]),
      ...timeouts.map((t) => ['BRPOP', 's', t]),
      ...timeouts.map((t) => ['BRPOPLPUSH', 's', 'k', t]),
      ...timeouts.map((t) => ['BLMOVE', 'k', 's', 'LEFT', 'LEFT', t]),
      ...timeouts.map((t) => ['BLMPOP', t, '1', 'k', 'LEFT']),
      ['BLPOP', 's', '0'],
      ['BLPOP', 'k', 's', '0'],
      ['BRPOP', 'k', 's', '0'],
      ['BRPOPLPUSH', 's', 'k', '0'],
      ['BLMOVE', 's', 'k', 'LEFT', 'LEFT', '0'],
      ['BLMOVE', 'k', 'k', 'UP', 'LEFT', '0'],
      ['BLMOVE', 'k', 'k', 'LEFT', 'UP', 'x'],
      ['BLMOVE', 'k', 'k', 'LEFT', 'LEFT', 'x'],
      ['BLMPOP', '0', '1', 's', 'LEFT'],
      ['BLMPOP', '0', '0', 'k', 'LEFT'],
      ['BLMPOP', 'x', '0', 'k', 'LEFT'],
      ['BLMPOP', '0', '2', 'k', 'LEFT'],
      ['BLMPOP', '0', '1', 'k', 'UP'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '0'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'BAR'],
      ['RPUSH', 'dst', 'x'],
      ['RPUSH', 'src', 'y'],
      ['BLMOVE', 'src', 's', 'LEFT', 'LEFT', '0'],
      ['LRANGE', 'src', '0', '-1'],
      ['BLPOP', 'k'],
      ['BRPOP', 'k'],
      ['BRPOPLPUSH', 'a', 'b'],
      ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'],
      ['BLMPOP', '0', '1', 'k'],
    ]);
  });

  it('blocking commands inside MULTI answer at once with nil', async () => {
    await check([
      ['RPUSH', 'full', 'a', 'b'],
      ['MULTI'],
      ['BLPOP', 'empty', '0'],
      ['BRPOP', 'empty', 'other', '0'],
      ['BLMOVE', 'empty', 'dst', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'empty', 'dst', '0'],
      ['BLMPOP', '0', '1', 'empty', 'LEFT'],
      ['BLPOP', 'full', '0'],
      ['BRPOPLPUSH', 'full', 'dst', '0'],
      ['BLPOP', 'empty', 'bad-timeout'],
      ['EXEC'],
      ['EXISTS', 'dst', 'full'],
    ]);
  });

  it('expired lists are gone for list commands; pushes keep a TTL', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [
        ['RPUSH', 'l', 'a', 'b'],
        ['PEXPIRE', 'l', '1'],
      ]);
      await new Promise((r) => setTimeout(r, 20));
      await expectSameReplies(conns, [
        ['LLEN', 'l'],
        ['LPOS', 'l', 'a'],
        ['RPUSHX', 'l', 'c'],
        ['LPUSH', 'l', 'c'],
        ['LRANGE', 'l', '0', '-1'],
        ['TTL', 'l'],
        ['EXPIRE', 'l', '1000'],
        ['RPUSH', 'l', 'b'],
        ['LPOP', 'l'],
        ['TTL', 'l'],
        ['LPOP', 'l'],
        ['TTL', 'l'],
      ]);
      for (const c of conns) c.close();
    }
  });

  it('COMMAND INFO matches Redis for every list command', async () => {
    await checkCommandTable([
      'lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lset', 'lrem', 'ltrim', 'linsert',
      'lpos', 'rpoplpush', 'lmove', 'lmpop', 'blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop',
    ]);
  });

  it('a random command stream gives the same replies and final state', async () => {
    let seed = 20240607;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
    const keys = ['a', 'b', 'c', 's'];
    const elements = ['x', 'y', 'z', '', 'x\r\ny', '\xff\x00'];
    const index = () => String(rand(13) - 6);
    const end = () => pick(['LEFT', 'RIGHT']);
    const generators: (() => string[])[] = [
      () => ['LPUSH', pick(keys), ...Array.from({ length: 1 + rand(3) }, () => pick(elements))],
      () => ['RPUSH', pick(keys), ...Array.from({ length: 1 + rand(3) }, () => pick(elements))],
      () => ['LPUSHX', pick(keys), pick(elements)],
      () => ['RPUSHX', pick(keys), pick(elements)],
      () => (rand(2) ? ['LPOP', pick(keys)] : ['LPOP', pick(keys), String(rand(4))]),
      () => (rand(2) ? ['RPOP', pick(keys)] : ['RPOP', pick(keys), String(rand(4))]),
      () => ['LLEN', pick(keys)],
      () => ['LRANGE', pick(keys), index(), index()],
      () => ['LINDEX', pick(keys), index()],
      () => ['LSET', pick(keys), index(), pick(elements)],
      () => ['LREM', pick(keys), index(), pick(elements)],
      () => ['LTRIM', pick(keys), index(), index()],
      () => ['LINSERT', pick(keys), pick(['BEFORE', 'AFTER']), pick(elements), pick(elements)],
      () => ['LPOS', pick(keys), pick(elements), 'RANK', pick(['1', '2', '-1', '-2']), 'COUNT', String(rand(3)), 'MAXLEN', String(rand(5))],
      () => ['LPOS', pick(keys), pick(elements)],
      () => ['RPOPLPUSH', pick(keys), pick(keys)],
      () => ['LMOVE', pick(keys), pick(keys), end(), end()],
      () => ['LMPOP', '2', pick(keys), pick(keys), end(), 'COUNT', String(1 + rand(3))],
      () => ['SET', 's', pick(elements)],
      () => ['DEL', pick(keys)],
      () => ['MULTI'],
    ];
    const commands: Cmd[] = [];
    for (let i = 0; i < 600; i++) {
      const cmd = pick(generators)();
      if (cmd[0] !== 'MULTI') {
        commands.push(cmd);
        continue;
      }
      // A transaction mixing pushes, pops and blocking pops that must not block.
      commands.push(['MULTI']);
      for (let j = rand(4); j >= 0; j--) commands.push(pick(generators.slice(0, -1))());
      commands.push(pick([
        ['BLPOP', pick(keys), pick(keys), '0'],
        ['BRPOP', pick(keys), '0'],
        ['BLMOVE', pick(keys), pick(keys), end(), end(), '0'],
        ['BRPOPLPUSH', pick(keys), pick(keys), '0'],
        ['BLMPOP', '0', '2', pick(keys), pick(keys), end(), 'COUNT', '2'],
      ]));
      commands.push(['EXEC']);
    }
    for (const k of keys) commands.push(['TYPE', k], ['LRANGE', k, '0', '-1']);
    await check(commands);
  });
});
