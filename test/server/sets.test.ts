// Set commands, differential: every command, option and error case goes to
// simpledb and to a real redis-server, in RESP2 and in RESP3, and the reply
// bytes must be identical. Redis lists a set of integers (an intset) in
// numeric order, which is compared byte for byte; any other set comes out
// in hash-table order, random per Redis process, so those replies are
// compared with their members sorted. Random commands (SPOP, SRANDMEMBER)
// are compared where Redis is deterministic and checked for shape where not.
import { expect, it } from 'vitest';
import { useServerPair } from '../helpers/differential.js';
import { frameEnd } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';


/** A reply with the members of every flat aggregate (array, set) sorted, nested aggregates included. */
function sortMembers(reply: string): string {
  const buf = Buffer.from(reply, 'latin1');
  let pos = 0;
  const frame = (): string => {
    const end = frameEnd(buf, pos);
    const lineEnd = buf.indexOf('\r\n', pos);
    const type = reply[pos];
    const n = Number(reply.slice(pos + 1, lineEnd));
    if ((type === '*' || type === '~') && n > 0) {
      const head = reply.slice(pos, lineEnd + 2);
      pos = lineEnd + 2;
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(frame());
      return head + items.sort().join('');
    }
    const out = reply.slice(pos, end);
    pos = end;
    return out;
  };
  return frame();
}

/** Integers as text: 0..n-1 scaled and shifted, to make intsets. */
const ints = (n: number, scale = 1, shift = 0): string[] => Array.from({ length: n }, (_, i) => String(i * scale + shift));

describeWithRedis('set commands (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  /**
   * Like check, but replies are compared with the members of aggregates
   * sorted: for sets Redis keeps in a hash table.
   */
  async function checkUnordered(commands: readonly (readonly string[])[]): Promise<void> {
    for (const protocol of [2, 3] as const) {
      const [ours, theirs] = await connections(protocol);
      for (const cmd of commands) {
        const [a, b] = await Promise.all([ours.command(...cmd), theirs.command(...cmd)]);
        expect(JSON.stringify(sortMembers(a)), `reply to ${cmd.join(' ')}`).toBe(JSON.stringify(sortMembers(b)));
      }
      ours.close();
      theirs.close();
    }
  }

  it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS on integer sets (numeric order)', async () => {
    await check([
      ['SADD', 's', '5', '3', '-1', '3', '100', '0'],
      ['SMEMBERS', 's'],
      ['SADD', 's', '9223372036854775807', '-9223372036854775808', '42'],
      ['SMEMBERS', 's'],
      ['SCARD', 's'],
      ['SISMEMBER', 's', '42'],
      ['SISMEMBER', 's', '043'],
      ['SISMEMBER', 's', 'nope'],
      ['SISMEMBER', 'missing', 'x'],
      ['SMISMEMBER', 's', '5', 'x', '-1', '7'],
      ['SMISMEMBER', 'missing', 'a', 'b'],
      ['SREM', 's', '3', '3', 'x', '100'],
      ['SREM', 's', 'nope'],
      ['SREM', 'missing', 'a'],
      ['SMEMBERS', 's'],
      ['SREM', 's', '5', '-1', '0', '9223372036854775807', '-9223372036854775808', '42', 'after-empty'],
      ['EXISTS', 's'],
      ['SCARD', 's'],
      ['SMEMBERS', 'missing'],
      ['SADD', 'one', '1'],
      ['SADD', 'one', '1'],
      ['TYPE', 'one'],
      ['sadd', 'one', '2'],
      ['smembers', 'one'],
    ]);
  });

  it('integer-like members that Redis does not store as integers', async () => {
    // Each of these turns the set into a hash table: order is unspecified.
    for (const odd of ['007', '+1', ' 1', '1 ', '-0', '1.0', '9223372036854775808', '-9223372036854775809', '0x10', '']) {
      await checkUnordered([
        ['SADD', 's', '3', '1', '2'],
        ['SADD', 's', odd],
        ['SMEMBERS', 's'],
        ['SISMEMBER', 's', odd],
        ['SREM', 's', odd],
        ['SMEMBERS', 's'],
        ['SCARD', 's'],
        ['DEL', 's'],
      ]);
    }
  });

  it('an intset of 512 members stays ordered; the 513th makes it a hash table', async () => {
    const members = ints(512, 7, -1000).reverse();
    await check([['SADD', 'big', ...members], ['SMEMBERS', 'big'], ['SCARD', 'big'], ['SSCAN', 'big', '0']]);
    await checkUnordered([
      ['SADD', 'big', ...members, '5000'],
      ['SMEMBERS', 'big'],
      ['SREM', 'big', '5000'],
      ['SMEMBERS', 'big'],
    ]);
  });

  it('non-integer sets, binary members', async () => {
    const binary = Array.from({ length: 64 }, (_, i) => String.fromCharCode(i * 4)).join('');
    await checkUnordered([
      ['SADD', 's', 'a', 'b', 'c', 'a'],
      ['SMEMBERS', 's'],
      ['SADD', 's', binary, '\x00\xff', '', 'a\r\nb', '12'],
      ['SMEMBERS', 's'],
      ['SISMEMBER', 's', binary],
      ['SISMEMBER', 's', ''],
      ['SMISMEMBER', 's', '', 'a\r\nb', 'zz', '12'],
      ['SREM', 's', '', 'a'],
      ['SMEMBERS', 's'],
      ['SCARD', 's'],
    ]);
  });

  it('errors: arity, WRONGTYPE', async () => {
    await check([
      ['SET', 'str', 'x'],
      ['LPUSH', 'list', 'x'],
      ['SADD', 'str', 'a'],
      ['SREM', 'str', 'a'],
      ['SCARD', 'list'],
      ['SMEMBERS', 'str'],
      ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'],
      ['SPOP', 'str'],
      ['SPOP', 'str', '2'],
      ['SRANDMEMBER', 'str'],
      ['SRANDMEMBER', 'str', '2'],
      ['SSCAN', 'str', '0'],
      ['SADD', 's'],
      ['SADD'],
      ['SREM', 's'],
      ['SCARD'],
      ['SCARD', 's', 'x'],
      ['SMEMBERS'],
      ['SISMEMBER', 's'],
      ['SMISMEMBER', 's'],
      ['SPOP'],
      ['SRANDMEMBER'],
      ['SMOVE', 'a', 'b'],
      ['SINTER'],
      ['SINTERSTORE', 'd'],
      ['SINTERCARD', '1'],
      ['SUNION'],
      ['SUNIONSTORE', 'd'],
      ['SDIFF'],
      ['SDIFFSTORE', 'd'],
      ['SSCAN', 's'],
      ['GET', 'str'],
    ]);
  });

  it('SPOP: single pops, counts, errors', async () => {
    await check([
      ['SPOP', 'missing'],
      ['SPOP', 'missing', '2'],
      ['SPOP', 'missing', '0'],
      ['SADD', 's', '7'],
      ['SPOP', 's'],
      ['EXISTS', 's'],
      ['SADD', 's', '5', '1', '3', '2', '4'],
      ['SPOP', 's', '0'],
      ['SPOP', 's', '5'],
      ['EXISTS', 's'],
      ['SADD', 's', '10', '-3', '8'],
      ['SPOP', 's', '9223372036854775807'],
      ['SADD', 's', 'x'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'abc'],
      ['SPOP', 's', '1.5'],
      ['SPOP', 's', '9223372036854775808'],
      ['SPOP', 's', '1', '2'],
      ['SPOP', 's', '1', 'x'],
      ['SPOP', 'missing', 'abc'],
      ['SPOP', 's', '1'],
      ['SPOP', 's'],
    ]);
  });

  it('SPOP of a whole hash-table set, and of an emptied one', async () => {
    await checkUnordered([
      ['SADD', 's', 'a', 'b', 'c', 'd'],
      ['SPOP', 's', '4'],
      ['EXISTS', 's'],
      // A hash table whose members are now all integers: the popped set is listed in order.
      ['SADD', 's', 'a', '3', '1', '2'],
      ['SREM', 's', 'a'],
      ['SPOP', 's', '10'],
    ]);
    await check([['SADD', 's', 'a', '3', '1', '2'], ['SREM', 's', 'a'], ['SPOP', 's', '10']]);
  });

  it('SPOP with a count: random members, removed, listed in order for an intset when most go', async () => {
    for (const protocol of [2, 3] as const) {
      const [ours] = await connections(protocol);
      const all = ints(20);
      await ours.command('SADD', 's', ...all);
      // Few members: picked one by one.
      const few = parseMembers(await ours.command('SPOP', 's', '3'));
      expect(few).toHaveLength(3);
      expect(new Set(few).size).toBe(3);
      for (const m of few) {
        expect(all).toContain(m);
        expect(await ours.command('SISMEMBER', 's', m)).toBe(':0\r\n');
      }
      expect(await ours.command('SCARD', 's')).toBe(':17\r\n');
      // Most of the set: what stays is picked, what goes is listed in intset order.
      const most = parseMembers(await ours.command('SPOP', 's', '15'));
      expect(most).toHaveLength(15);
      expect(most).toEqual([...most].sort((a, b) => Number(a) - Number(b)));
      expect(await ours.command('SCARD', 's')).toBe(':2\r\n');
      const rest = parseMembers(await ours.command('SMEMBERS', 's'));
      expect([...few, ...most, ...rest].sort()).toEqual([...all].sort());
      ours.close();
    }
  });

  it('SRANDMEMBER: deterministic cases and errors', async () => {
    await check([
      ['SRANDMEMBER', 'missing'],
      ['SRANDMEMBER', 'missing', '3'],
      ['SRANDMEMBER', 'missing', '-3'],
      ['SRANDMEMBER', 'missing', 'x'],
      ['SADD', 's', '30', '10', '20'],
      ['SRANDMEMBER', 's', '0'],
      ['SRANDMEMBER', 's', '3'],
      ['SRANDMEMBER', 's', '100'],
      ['SRANDMEMBER', 's', '9223372036854775807'],
      ['SADD', 'one', 'only'],
      ['SRANDMEMBER', 'one'],
      ['SRANDMEMBER', 'one', '1'],
      ['SRANDMEMBER', 'one', '-3'],
      ['SRANDMEMBER', 'one', '5'],
      ['SRANDMEMBER', 's', 'x'],
      ['SRANDMEMBER', 's', '1.5'],
      ['SRANDMEMBER', 's', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '9223372036854775808'],
      ['SRANDMEMBER', 's', '1', '2'],
      ['SRANDMEMBER', 's', 'x', 'y'],
      ['SCARD', 's'],
    ]);
  });

  it('SRANDMEMBER: random picks have the right shape', async () => {
    for (const protocol of [2, 3] as const) {
      const [ours] = await connections(protocol);
      const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
      await ours.command('SADD', 's', ...all);
      expect(all).toContain(parseMembers(await ours.command('SRANDMEMBER', 's'))[0]);
      // Negative: |count| independent picks, repetitions allowed.
      const many = parseMembers(await ours.command('SRANDMEMBER', 's', '-25'));
      expect(many).toHaveLength(25);
      for (const m of many) expect(all).toContain(m);
      // Positive below the size: distinct members (both of Redis's strategies).
      for (const n of [2, 8]) {
        const picked = parseMembers(await ours.command('SRANDMEMBER', 's', String(n)));
        expect(picked).toHaveLength(n);
        expect(new Set(picked).size).toBe(n);
        for (const m of picked) expect(all).toContain(m);
      }
      // An array, not a set, even in RESP3.
      expect(await ours.command('SRANDMEMBER', 's', '-1')).toMatch(/^\*1\r\n/);
      expect(await ours.command('SCARD', 's')).toBe(':10\r\n');
      ours.close();
    }
  });

  it('SMOVE', async () => {
    await check([
      ['SADD', 'src', '1', '2', '3'],
      ['SADD', 'dst', '3', '4'],
      ['SMOVE', 'src', 'dst', '1'],
      ['SMOVE', 'src', 'dst', '3'],
      ['SMEMBERS', 'src'],
      ['SMEMBERS', 'dst'],
      ['SMOVE', 'src', 'dst', 'nope'],
      ['SMOVE', 'missing', 'dst', '4'],
      ['SMOVE', 'src', 'new', '2'],
      ['EXISTS', 'src'],
      ['SMEMBERS', 'new'],
      ['SMOVE', 'dst', 'dst', '4'],
      ['SMOVE', 'dst', 'dst', '9'],
      ['SET', 'str', 'x'],
      ['SMOVE', 'str', 'dst', '4'],
      ['SMOVE', 'dst', 'str', '4'],
      ['SMOVE', 'missing', 'str', '4'],
      ['SMOVE', 'str', 'str', '4'],
      ['SMEMBERS', 'dst'],
      ['SMOVE', 'dst', 'words', '4'],
      ['SADD', 'words', 'a'],
      ['SMOVE', 'dst', 'words', '3'],
      ['SMOVE', 'words', 'dst', 'a'],
    ]);
    await checkUnordered([
      ['SADD', 'words', 'a', 'b'],
      ['SADD', 'dst', '3'],
      ['SMOVE', 'words', 'dst', 'a'],
      ['SMEMBERS', 'dst'],
      ['SMEMBERS', 'words'],
    ]);
  });

  it('SINTER, SUNION, SDIFF and their STORE forms on intsets (ordered)', async () => {
    await check([
      ['SADD', 'a', '1', '2', '3', '4', '5'],
      ['SADD', 'b', '4', '5', '6', '7'],
      ['SADD', 'c', '5', '7', '9'],
      ['SINTER', 'a', 'b'],
      ['SINTER', 'a', 'b', 'c'],
      ['SINTER', 'c', 'a', 'c'],
      ['SINTER', 'a'],
      ['SINTER', 'a', 'missing'],
      ['SINTER', 'missing', 'a'],
      ['SUNION', 'c', 'a', 'b'],
      ['SUNION', 'a', 'missing'],
      ['SUNION', 'missing', 'other'],
      ['SDIFF', 'a', 'b'],
      ['SDIFF', 'a', 'b', 'c'],
      ['SDIFF', 'b', 'missing'],
      ['SDIFF', 'missing', 'a'],
      ['SDIFF', 'a', 'a'],
      ['SDIFF', 'a', 'b', 'a'],
      // Algorithm 2 (a small first set against big ones).
      ['SADD', 'big1', ...ints(40)],
      ['SADD', 'big2', ...ints(40, 2)],
      ['SDIFF', 'c', 'big1', 'big2'],
      ['SDIFF', 'big1', 'big2'],
      ['SINTERSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'd', 'a', 'missing'],
      ['EXISTS', 'd'],
      ['SINTERSTORE', 'd', 'missing', 'a'],
      ['SUNIONSTORE', 'd', 'a', 'b', 'c'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'a'],
      ['EXISTS', 'd'],
      ['SUNIONSTORE', 'd', 'missing'],
      ['SINTERSTORE', 'a', 'a', 'c'],
      ['SMEMBERS', 'a'],
      ['SUNIONSTORE', 'a', 'a', 'b'],
      ['SMEMBERS', 'a'],
      // A STORE replaces any value and drops its TTL.
      ['SET', 'd', 'string'],
      ['EXPIRE', 'd', '100'],
      ['SUNIONSTORE', 'd', 'c'],
      ['TTL', 'd'],
      ['TYPE', 'd'],
      ['SET', 'str', 'x'],
      ['SINTER', 'a', 'str'],
      ['SINTER', 'missing', 'str'],
      ['SINTER', 'str', 'missing'],
      ['SUNION', 'a', 'str'],
      ['SDIFF', 'missing', 'str'],
      ['SINTERSTORE', 'd', 'a', 'str'],
      ['SUNIONSTORE', 'd', 'str'],
      ['SDIFFSTORE', 'd', 'a', 'str'],
      ['SMEMBERS', 'd'],
      ['SUNIONSTORE', 'str', 'a'],
      ['TYPE', 'str'],
    ]);
  });

  it('SINTER, SUNION, SDIFF and their STORE forms on hash-table sets', async () => {
    await checkUnordered([
      ['SADD', 'a', 'x', 'y', 'z', '1', '2'],
      ['SADD', 'b', 'y', 'z', 'w', '2'],
      ['SADD', 'n', '1', '2', '3'],
      ['SINTER', 'a', 'b'],
      ['SINTER', 'n', 'a'],
      ['SUNION', 'a', 'b', 'n'],
      ['SDIFF', 'a', 'b'],
      ['SDIFF', 'n', 'a'],
      ['SDIFF', 'a', 'n', 'b'],
      ['SINTERSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SUNIONSTORE', 'd', 'a', 'n'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SDIFFSTORE', 'd', 'b', 'a', 'n'],
      ['SMEMBERS', 'd'],
    ]);
    // Results made only of integers are intsets again, listed in order.
    await check([
      ['SADD', 'a', 'x', '9', '1', '5'],
      ['SADD', 'b', 'x', 'y', '5'],
      ['SDIFF', 'a', 'b'],
      ['SDIFFSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'd', 'a', 'a'],
      ['SREM', 'd', 'x'],
      ['SCARD', 'd'],
    ]);
  });

  it('SINTERCARD', async () => {
    await check([
      ['SADD', 'a', '1', '2', '3', '4', '5'],
      ['SADD', 'b', '2', '3', '4', '5', '6'],
      ['SADD', 'w', 'p', 'q', '3'],
      ['SINTERCARD', '2', 'a', 'b'],
      ['SINTERCARD', '1', 'a'],
      ['SINTERCARD', '3', 'a', 'b', 'w'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '2'],
      ['SINTERCARD', '2', 'a', 'b', 'limit', '0'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '100'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1', 'LIMIT', '3'],
      ['SINTERCARD', '2', 'a', 'missing'],
      ['SINTERCARD', '2', 'missing', 'a'],
      ['SINTERCARD', '0', 'a'],
      ['SINTERCARD', '-1', 'a'],
      ['SINTERCARD', 'x', 'a'],
      ['SINTERCARD', '3', 'a', 'b'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'],
      ['SINTERCARD', '2', 'a', 'b', 'COUNT', '1'],
      ['SINTERCARD', '1', 'a', 'b'],
      ['SET', 'str', 'x'],
      ['SINTERCARD', '2', 'a', 'str'],
      ['SINTERCARD', '2', 'missing', 'str'],
      ['SINTERCARD', '9223372036854775808', 'a'],
    ]);
  });

  it('SSCAN: intsets in one reply; cursor, MATCH and COUNT errors', async () => {
    await check([
      ['SSCAN', 'missing', '0'],
      ['SSCAN', 'missing', '0', 'COUNT', '0'],
      ['SSCAN', 'missing', 'x'],
      ['SADD', 's', ...ints(30, 3)],
      ['SSCAN', 's', '0'],
      ['SSCAN', 's', '0', 'COUNT', '2'],
      ['SSCAN', 's', '0', 'MATCH', '*7'],
      ['SSCAN', 's', '0', 'match', '1?', 'count', '1000'],
      ['SSCAN', 's', '17'],
      ['SSCAN', 's', '-1'],
      ['SSCAN', 's', ''],
      ['SSCAN', 's', 'abc'],
      ['SSCAN', 's', '1.5'],
      ['SSCAN', 's', '18446744073709551616'],
      ['SSCAN', 's', '0', 'COUNT', '0'],
      ['SSCAN', 's', '0', 'COUNT', '-1'],
      ['SSCAN', 's', '0', 'COUNT', 'x'],
      ['SSCAN', 's', '0', 'MATCH'],
      ['SSCAN', 's', '0', 'TYPE', 'set'],
      ['SSCAN', 's', '0', 'COUNT', '1', 'MATCH'],
    ]);
  });

  it('SSCAN: a small hash-table set in one reply', async () => {
    await checkUnordered([
      ['SADD', 's', 'apple', 'banana', 'cherry', 'avocado', '1'],
      ['SSCAN', 's', '0'],
      ['SSCAN', 's', '0', 'MATCH', 'a*'],
      ['SSCAN', 's', '0', 'MATCH', 'nothing'],
    ]);
  });

  it('SSCAN: a full iteration returns every member of a big set (on each server)', async () => {
    for (const protocol of [2, 3] as const) {
      for (const conn of await connections(protocol)) {
        const members = Array.from({ length: 700 }, (_, i) => `m${i}`);
        await conn.command('SADD', 'big', ...members);
        const seen = new Set<string>();
        let cursor = '0';
        let rounds = 0;
        do {
          const reply = await conn.command('SSCAN', 'big', cursor, 'COUNT', '50');
          const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(reply);
          expect(m).not.toBeNull();
          cursor = m![1];
          for (const item of parseMembers(reply.slice(m![0].length))) seen.add(item);
          // Members removed and added during the iteration must not hide the others.
          if (rounds === 2) {
            await conn.command('SREM', 'big', 'm1', 'm2', 'm3');
            await conn.command('SADD', 'big', 'late');
          }
          rounds++;
        } while (cursor !== '0' && rounds < 1000);
        expect(cursor).toBe('0');
        for (const m of members) if (!['m1', 'm2', 'm3'].includes(m)) expect(seen.has(m), m).toBe(true);
        conn.close();
      }
    }
  });

  it('a seeded random command stream over four sets gives the same replies', async () => {
    const rand = seededInt(777);
    const keys = ['a', 'b', 'c', 'd'];
    const key = () => keys[rand(keys.length)];
    const member = () => (rand(6) === 0 ? `w${rand(10)}` : String(rand(40) - 10));
    const members = (n: number) => Array.from({ length: n }, member);
    const commands: string[][] = [];
    for (let i = 0; i < 2000; i++) {
      const r = rand(100);
      if (r < 35) commands.push(['SADD', key(), ...members(1 + rand(5))]);
      else if (r < 50) commands.push(['SREM', key(), ...members(1 + rand(4))]);
      else if (r < 56) commands.push(['SMOVE', key(), key(), member()]);
      else if (r < 62) commands.push([['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'][rand(3)], key(), key(), key(), ...(rand(2) ? [key()] : [])]);
      else if (r < 72) commands.push([['SINTER', 'SUNION', 'SDIFF'][rand(3)], key(), ...(rand(3) ? [key()] : []), ...(rand(2) ? [key()] : [])]);
      else if (r < 76) commands.push(['SINTERCARD', '2', key(), key(), ...(rand(2) ? ['LIMIT', String(rand(5))] : [])]);
      else if (r < 80) commands.push(['SPOP', key(), String(60 + rand(10))]); // more than any set holds: deterministic
      else if (r < 86) commands.push(['SMEMBERS', key()]);
      else if (r < 92) commands.push(['SMISMEMBER', key(), ...members(3)]);
      else commands.push(['SCARD', key()]);
    }
    commands.push(...keys.map((k) => ['SMEMBERS', k]));
    await checkUnordered(commands);
  });

  it('WATCH: a write that changes nothing does not abort EXEC', async () => {
    await check([
      ['SADD', 's', '1', '2'],
      ['WATCH', 's'],
      ['SADD', 's', '1'],
      ['SREM', 's', '9'],
      ['SMOVE', 's', 's', '1'],
      ['MULTI'],
      ['SCARD', 's'],
      ['EXEC'],
      ['WATCH', 's'],
      ['SADD', 's', '3'],
      ['MULTI'],
      ['SCARD', 's'],
      ['EXEC'],
    ]);
  });

  it('inside MULTI/EXEC', async () => {
    await check([
      ['MULTI'],
      ['SADD', 's', '1', '2', '3'],
      ['SREM', 's', '2'],
      ['SMEMBERS', 's'],
      ['SPOP', 's', '10'],
      ['SET', 'str', 'x'],
      ['SADD', 'str', 'a'],
      ['SCARD', 's'],
      ['EXEC'],
    ]);
  });

  it('COMMAND INFO matches Redis', async () => {
    await checkCommandTable(['sadd', 'srem', 'smembers', 'sismember', 'smismember', 'scard', 'spop', 'srandmember', 'smove', 'sinter', 'sinterstore', 'sintercard', 'sunion', 'sunionstore', 'sdiff', 'sdiffstore', 'sscan']);
  });
});

/** The bulk strings of a flat array or set reply (RESP2 or RESP3), in order. */
function parseMembers(reply: string): string[] {
  const out: string[] = [];
  const re = /\$(\d+)\r\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(reply)) !== null) {
    const start = m.index + m[0].length;
    out.push(reply.slice(start, start + Number(m[1])));
    re.lastIndex = start + Number(m[1]) + 2;
  }
  return out;
}
