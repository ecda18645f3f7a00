// Keyspace commands, differential: each command, option and error case goes
// to simpledb and to a real redis-server, under RESP2 and then RESP3, and the
// reply bytes must be identical. KEYS and SCAN list keys in hash order, so
// for those the sets of keys are compared instead of the bytes.
import { expect, it } from 'vitest';
import { expectSameReplies, useServerPair, type Cmd } from '../helpers/differential.js';
import type { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

type Reply = string | number | null | Reply[];

const FUTURE_S = '4000000000';
const FUTURE_MS = '4000000000123';

/** Decodes one RESP2/RESP3 reply (enough of it for these tests); errors come back as "-ERR ..." strings. */
function decode(text: string): Reply {
  let pos = 0;
  const line = (): string => {
    const end = text.indexOf('\r\n', pos);
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  const value = (): Reply => {
    const type = text[pos++];
    const head = line();
    switch (type) {
      case '+':
        return head;
      case '-':
        return '-' + head;
      case ':':
        return Number(head);
      case '_':
        return null;
      case '$': {
        const n = Number(head);
        if (n < 0) return null;
        const s = text.slice(pos, pos + n);
        pos += n + 2;
        return s;
      }
      case '*':
      case '~': {
        const n = Number(head);
        if (n < 0) return null;
        return Array.from({ length: n }, value);
      }
      default:
        throw new Error(`unexpected reply type ${JSON.stringify(type)} in ${JSON.stringify(text)}`);
    }
  };
  return value();
}

function sortedStrings(r: Reply): string[] {
  if (!Array.isArray(r)) throw new Error(`not an array: ${JSON.stringify(r)}`);
  return r.map((x) => String(x)).sort();
}

describeWithRedis('keyspace commands (differential)', () => {
  const { pair, connections, check, checkCommandTable } = useServerPair();

  /** Sends one command to both and returns both decoded replies. */
  async function both(conns: [RawConnection, RawConnection], ...argv: string[]): Promise<[Reply, Reply]> {
    const [a, b] = await Promise.all(conns.map((c) => c.command(...argv)));
    return [decode(a), decode(b)];
  }

  /** Every key a full SCAN with these options returns, on one connection. */
  async function scanAll(conn: RawConnection, ...options: string[]): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    for (let rounds = 0; ; rounds++) {
      const r = decode(await conn.command('SCAN', cursor, ...options));
      if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'string' || !Array.isArray(r[1])) {
        throw new Error(`bad SCAN reply ${JSON.stringify(r)}`);
      }
      keys.push(...r[1].map(String));
      cursor = r[0];
      if (cursor === '0') return keys;
      if (rounds > 100_000) throw new Error('SCAN did not finish');
    }
  }

  const populate: Cmd[] = [
    ['MSET', 'user:1', 'a', 'user:2', 'b', 'user:10', 'c', 'session:x', 'd', 'h?llo', 'e', 'hello', 'f', 'hallo', 'g', '', 'empty key'],
    ['RPUSH', 'user:list', 'a'],
    ['HSET', 'user:hash', 'f', 'v'],
    ['ZADD', 'user:zset', '1', 'm'],
    ['SET', '\xff\x00bin', 'v'],
  ];

  it('DEL, UNLINK, EXISTS, TOUCH', async () => {
    await check([
      ...populate,
      ['EXISTS', 'user:1'],
      ['EXISTS', 'user:1', 'user:1', 'nokey', 'user:list', 'user:hash', 'user:zset', ''],
      ['TOUCH', 'user:1', 'nokey', 'user:1'],
      ['DEL', 'user:1', 'nokey', 'user:1'],
      ['EXISTS', 'user:1'],
      ['UNLINK', 'user:2', 'user:list', 'nokey'],
      ['DEL', 'user:hash', 'user:zset', ''],
      ['EXISTS', 'user:hash', 'user:zset', ''],
      ['DBSIZE'],
      ['DEL', 'nokey'],
      ['UNLINK', 'nokey'],
      ['TOUCH', 'nokey'],
      ['SET', 'old', 'v', 'PXAT', '1'],
      ['EXISTS', 'old'],
      ['DEL', 'old'],
      ['DEL'],
      ['UNLINK'],
      ['EXISTS'],
      ['TOUCH'],
    ]);
  });

  it('TYPE and DBSIZE', async () => {
    await check([
      ['DBSIZE'],
      ...populate,
      ['TYPE', 'user:1'],
      ['TYPE', 'user:list'],
      ['TYPE', 'user:hash'],
      ['TYPE', 'user:zset'],
      ['TYPE', 'nokey'],
      ['TYPE', ''],
      ['DBSIZE'],
      ['SELECT', '3'],
      ['DBSIZE'],
      ['SET', 'k', 'v'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['DBSIZE'],
      ['TYPE'],
      ['TYPE', 'a', 'b'],
      ['DBSIZE', 'x'],
    ]);
  });

  it('KEYS: the same set of keys for each pattern', async () => {
    const patterns = ['*', 'user:*', 'user:?', 'user:[0-9]', 'user:[^1]*', 'h?llo', 'h\\?llo', 'h[ae]llo', '*list', 'nomatch*', '', '**', '[', 'user:1*', '\xff*', '*[a-z]'];
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [...populate, ['SET', 'gone', 'v', 'PXAT', '1']]);
      for (const p of patterns) {
        const [ours, theirs] = await both(conns, 'KEYS', p);
        expect(sortedStrings(ours), `KEYS ${JSON.stringify(p)}`).toEqual(sortedStrings(theirs));
      }
      await expectSameReplies(conns, [['KEYS'], ['KEYS', 'a', 'b'], ['KEYS', 'nomatch*']]);
      for (const c of conns) c.close();
    }
  });

  it('SCAN: a full iteration gives the same keys, with MATCH, COUNT and TYPE', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      const many: Cmd[] = [];
      for (let i = 0; i < 300; i += 50) {
        const argv = ['MSET'];
        for (let j = i; j < i + 50; j++) argv.push(`many:${j}`, String(j));
        many.push(argv);
      }
      await expectSameReplies(conns, [...populate, ...many, ['RPUSH', 'many:list', 'x'], ['SET', 'gone', 'v', 'PXAT', '1']]);
      const variants: string[][] = [
        [],
        ['COUNT', '1'],
        ['COUNT', '7'],
        ['COUNT', '1000'],
        ['MATCH', 'many:1*'],
        ['MATCH', 'many:1*', 'COUNT', '3'],
        ['MATCH', 'user:*', 'TYPE', 'string'],
        ['TYPE', 'list'],
        ['TYPE', 'LIST'],
        ['TYPE', 'hash'],
        ['TYPE', 'zset'],
        ['TYPE', 'string', 'COUNT', '20'],
        ['TYPE', 'nosuchtype'],
        ['MATCH', '*', 'MATCH', 'h?llo'],
        ['MATCH', '*'],
        ['MATCH', '**'],
        ['match', 'nomatch*'],
      ];
      for (const options of variants) {
        const [ours, theirs] = await Promise.all(conns.map((c) => scanAll(c, ...options)));
        expect(ours.length, `SCAN ${options.join(' ')} returns each key once`).toBe(new Set(ours).size);
        expect([...new Set(ours)].sort(), `SCAN ${options.join(' ')}`).toEqual([...new Set(theirs)].sort());
      }
      // On a small database one call with a large COUNT returns everything and cursor 0.
      await expectSameReplies(conns, [['FLUSHDB'], ['SET', 'only', 'v'], ['SCAN', '0'], ['SCAN', '0', 'COUNT', '100', 'MATCH', 'o*'], ['SCAN', '', 'TYPE', 'string']]);
      for (const c of conns) c.close();
    }
  });

  it('SCAN errors', async () => {
    await check([
      ['SET', 'a', '1'],
      ['SCAN', 'x'],
      ['SCAN', ' 0'],
      ['SCAN', '0 '],
      ['SCAN', '+'],
      ['SCAN', '-'],
      ['SCAN', '1.5'],
      ['SCAN', '18446744073709551616'],
      ['SCAN', '-18446744073709551616'],
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'],
      ['SCAN', '0', 'COUNT', 'x'],
      ['SCAN', '0', 'COUNT', '9223372036854775808'],
      ['SCAN', '0', 'COUNT'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'],
      ['SCAN', '0', 'foo', 'bar'],
      ['SCAN', '0', 'MATCH', 'a', 'foo'],
      ['SCAN', 'x', 'foo'],
      ['SCAN'],
    ]);
  });

  it('SCAN returns every key present throughout, while others come and go', async () => {
    for (const conn of await pair().connect()) {
      await conn.command('FLUSHALL');
      const stable: string[] = [];
      for (let i = 0; i < 200; i++) {
        stable.push(`stable:${i}`);
        await conn.command('SET', `stable:${i}`, 'v');
        await conn.command('SET', `temp:${i}`, 'v');
      }
      const seen = new Set<string>();
      let cursor = '0';
      let round = 0;
      do {
        const r = decode(await conn.command('SCAN', cursor, 'COUNT', '5'));
        if (!Array.isArray(r) || typeof r[0] !== 'string' || !Array.isArray(r[1])) throw new Error('bad SCAN reply');
        for (const k of r[1]) seen.add(String(k));
        cursor = r[0];
        // Between calls: delete some of the temporary keys and add new ones.
        await conn.command('DEL', `temp:${round}`, `temp:${199 - round}`);
        await conn.command('SET', `added:${round}`, 'v');
        round++;
      } while (cursor !== '0' && round < 10_000);
      for (const k of stable) expect(seen.has(k), k).toBe(true);
      conn.close();
    }
  });

  it('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and the TTL readers', async () => {
    await check([
      ['SET', 'k', 'v'],
      ['TTL', 'k'],
      ['PTTL', 'k'],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['TTL', 'nokey'],
      ['PTTL', 'nokey'],
      ['EXPIRETIME', 'nokey'],
      ['PEXPIRETIME', 'nokey'],
      ['EXPIRE', 'k', '100'],
      ['TTL', 'k'],
      ['PEXPIRE', 'k', '200000'],
      ['TTL', 'k'],
      ['EXPIREAT', 'k', FUTURE_S],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', FUTURE_MS],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4000000000500'],
      ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4000000000499'],
      ['EXPIRETIME', 'k'],
      ['EXPIRE', 'nokey', '100'],
      ['PEXPIREAT', 'nokey', FUTURE_MS],
      ['EXISTS', 'nokey'],
      // Far-future limits.
      ['EXPIREAT', 'k', '9223372036854775'],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '9223372036854775807'],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'k'],
      ['RENAME', 'k', 'k2'],
      ['PEXPIRETIME', 'k2'],
      ['COPY', 'k2', 'k3'],
      ['PEXPIRETIME', 'k3'],
      ['PEXPIREAT', 'k3', '9223372036854775806', 'GT'],
      ['PEXPIREAT', 'k3', '9223372036854775806', 'LT'],
      ['PEXPIRETIME', 'k3'],
      ['RENAME', 'k2', 'k'],
      ['EXPIRE', 'k', '9223372036854775'],
      ['EXPIRE', 'k', '9223372036854776'],
      ['EXPIRE', 'k', '-9223372036854776'],
      ['EXPIREAT', 'k', '9223372036854776'],
      ['PEXPIRE', 'k', '9223372036854775807'],
      // A time in the past deletes the key and still replies 1.
      ['SET', 'p', 'v'],
      ['EXPIRE', 'p', '-1'],
      ['EXISTS', 'p'],
      ['SET', 'p', 'v'],
      ['PEXPIRE', 'p', '0'],
      ['EXISTS', 'p'],
      ['SET', 'p', 'v'],
      ['EXPIREAT', 'p', '1'],
      ['EXISTS', 'p'],
      ['SET', 'p', 'v'],
      ['PEXPIREAT', 'p', '0'],
      ['TTL', 'p'],
      ['SET', 'p', 'v'],
      ['EXPIRE', 'p', '-9223372036854775'],
      ['EXISTS', 'p'],
      // Every type can expire.
      ['RPUSH', 'l', 'a'],
      ['EXPIREAT', 'l', FUTURE_S],
      ['EXPIRETIME', 'l'],
      ['HSET', 'h', 'f', 'v'],
      ['PEXPIREAT', 'h', FUTURE_MS],
      ['PEXPIRETIME', 'h'],
      // Errors.
      ['EXPIRE', 'k', 'abc'],
      ['EXPIRE', 'k', '1.5'],
      ['EXPIRE', 'k', ''],
      ['PEXPIRE', 'k', '9223372036854775808'],
      ['EXPIRE', 'nokey', 'abc'],
      ['EXPIRE', 'k'],
      ['PEXPIRE'],
      ['EXPIREAT', 'k'],
      ['PEXPIREAT', 'k'],
      ['TTL'],
      ['PTTL', 'a', 'b'],
      ['EXPIRETIME'],
      ['PEXPIRETIME', 'a', 'b'],
    ]);
  });

  it('EXPIRE options NX, XX, GT, LT', async () => {
    await check([
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'XX'],
      ['EXPIRE', 'k', '100', 'GT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'LT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'NX'],
      ['EXPIRE', 'k', '50', 'XX', 'GT'],
      ['EXPIRE', 'k', '200', 'XX', 'GT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '300', 'lt'],
      ['EXPIRE', 'k', '100', 'Lt'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '200', 'nx'],
      ['EXPIRE', 'k', '-1', 'GT'],
      ['EXISTS', 'k'],
      ['PERSIST', 'k'],
      ['EXPIRE', 'k', '100', 'NX'],
      ['EXPIREAT', 'k', FUTURE_S, 'GT'],
      ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', FUTURE_MS, 'LT'],
      ['PEXPIREAT', 'k', '4000000000000', 'LT'],
      ['PEXPIRETIME', 'k'],
      ['PEXPIRE', 'k', '1000000', 'XX', 'LT'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '-1', 'LT'],
      ['EXISTS', 'k'],
      ['EXPIRE', 'nokey', '100', 'XX'],
      ['EXPIRE', 'nokey', '100', 'NX'],
      // Option errors come before the number is even read.
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'NX', 'XX'],
      ['EXPIRE', 'k', '100', 'NX', 'GT'],
      ['EXPIRE', 'k', '100', 'LT', 'NX'],
      ['EXPIRE', 'k', '100', 'GT', 'LT'],
      ['EXPIRE', 'k', '100', 'XX', 'GT', 'LT'],
      ['EXPIRE', 'k', '100', 'foo'],
      ['EXPIRE', 'k', '100', 'XX', 'Foo'],
      ['EXPIRE', 'k', 'abc', 'foo'],
      ['EXPIRE', 'k', 'abc', 'NX', 'XX'],
      ['EXPIRE', 'nokey', '100', 'nx', 'xx'],
      ['PEXPIREAT', 'k', '1', 'GT', 'LT'],
      ['EXPIRE', 'k', '100', 'NX', 'NX'],
      ['TTL', 'k'],
    ]);
  });

  it('PERSIST', async () => {
    await check([
      ['SET', 'k', 'v', 'EX', '100'],
      ['PERSIST', 'k'],
      ['TTL', 'k'],
      ['PERSIST', 'k'],
      ['PERSIST', 'nokey'],
      ['RPUSH', 'l', 'a'],
      ['EXPIRE', 'l', '100'],
      ['PERSIST', 'l'],
      ['TTL', 'l'],
      ['PERSIST'],
      ['PERSIST', 'a', 'b'],
    ]);
  });

  it('RENAME and RENAMENX', async () => {
    await check([
      ['RENAME', 'nokey', 'x'],
      ['RENAME', 'nokey', 'nokey'],
      ['RENAMENX', 'nokey', 'x'],
      ['SET', 'k', 'v', 'EXAT', FUTURE_S],
      ['RENAME', 'k', 'k'],
      ['RENAMENX', 'k', 'k'],
      ['RENAME', 'k', 'k2'],
      ['EXISTS', 'k'],
      ['GET', 'k2'],
      ['EXPIRETIME', 'k2'],
      ['SET', 'other', 'o', 'EX', '100'],
      ['RENAME', 'other', 'k2'],
      ['GET', 'k2'],
      ['TTL', 'k2'],
      ['SET', 'plain', 'p'],
      ['SET', 'dst', 'd', 'EXAT', FUTURE_S],
      ['RENAME', 'plain', 'dst'],
      ['TTL', 'dst'],
      ['RPUSH', 'l', 'a', 'b'],
      ['RENAMENX', 'l', 'dst'],
      ['RENAMENX', 'l', 'l2'],
      ['LRANGE', 'l2', '0', '-1'],
      ['TYPE', 'l'],
      ['HSET', 'h', 'f', 'v'],
      ['RENAME', 'h', 'l2'],
      ['TYPE', 'l2'],
      ['HGETALL', 'l2'],
      ['SET', 'gone', 'v', 'PXAT', '1'],
      ['RENAME', 'gone', 'x'],
      ['RENAME', 'k2', 'gone'],
      ['GET', 'gone'],
      ['RENAME', 'k'],
      ['RENAMENX', 'a', 'b', 'c'],
    ]);
  });

  it('RANDOMKEY', async () => {
    await check([['RANDOMKEY'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['DEL', 'only'], ['RANDOMKEY'], ['RANDOMKEY', 'x']]);
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, populate);
      const keys = sortedStrings(decode(await conns[1].command('KEYS', '*')));
      for (let i = 0; i < 20; i++) {
        const r = decode(await conns[0].command('RANDOMKEY'));
        expect(keys).toContain(r);
      }
      for (const c of conns) c.close();
    }
  });

  it('FLUSHDB and FLUSHALL', async () => {
    await check([
      ['SET', 'a', '1'],
      ['SELECT', '1'],
      ['SET', 'b', '2'],
      ['FLUSHDB'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['DBSIZE'],
      ['FLUSHDB', 'ASYNC'],
      ['DBSIZE'],
      ['SET', 'a', '1'],
      ['FLUSHDB', 'sync'],
      ['DBSIZE'],
      ['SET', 'a', '1'],
      ['SELECT', '2'],
      ['SET', 'c', '3'],
      ['FLUSHALL', 'async'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['DBSIZE'],
      ['SET', 'a', '1'],
      ['FLUSHALL', 'SYNC'],
      ['FLUSHALL'],
      ['FLUSHDB', 'foo'],
      ['FLUSHDB', 'sync', 'async'],
      ['FLUSHALL', 'x'],
      ['FLUSHALL', 'async', 'async'],
    ]);
  });

  it('COPY, with DB and REPLACE, for every type', async () => {
    await check([
      ['SET', 's', 'v', 'EXAT', FUTURE_S],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b'],
      ['COPY', 's', 's2'],
      ['GET', 's2'],
      ['EXPIRETIME', 's2'],
      ['COPY', 'l', 'l2'],
      ['COPY', 'h', 'h2'],
      ['COPY', 'z', 'z2'],
      // The copies are independent of the originals.
      ['RPUSH', 'l2', 'd'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'l2', '0', '-1'],
      ['HSET', 'h2', 'f3', 'v3'],
      ['HGETALL', 'h'],
      ['HLEN', 'h2'],
      ['ZADD', 'z2', '3', 'c'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z2', '0', '-1', 'WITHSCORES'],
      ['COPY', 's', 'l2'],
      ['COPY', 's', 'l2', 'REPLACE'],
      ['TYPE', 'l2'],
      ['COPY', 'nokey', 'x'],
      ['COPY', 'nokey', 'x', 'REPLACE'],
      ['COPY', 'l', 'l', 'DB', '1'],
      ['COPY', 'h', 'other', 'db', '2', 'replace'],
      ['COPY', 'z', 'z', 'DB', '1', 'DB', '3'],
      ['SELECT', '1'],
      ['LRANGE', 'l', '0', '-1'],
      ['EXISTS', 'z'],
      ['SELECT', '2'],
      ['HGETALL', 'other'],
      ['SELECT', '3'],
      ['ZRANGE', 'z', '0', '-1'],
      ['COPY', 'z', 'z', 'DB', '0'],
      ['COPY', 'z', 'z', 'DB', '0', 'REPLACE'],
      ['SELECT', '0'],
      // Errors.
      ['COPY', 's', 's'],
      ['COPY', 's', 's', 'DB', '0'],
      ['COPY', 'nokey', 'nokey'],
      ['COPY', 's', 's', 'DB', '1', 'DB', '0'],
      ['COPY', 's', 'c', 'DB', '16'],
      ['COPY', 's', 'c', 'DB', '-1'],
      ['COPY', 's', 'c', 'DB', 'x'],
      ['COPY', 's', 'c', 'DB', '2147483648'],
      ['COPY', 's', 'c', 'DB'],
      ['COPY', 's', 'c', 'foo'],
      ['COPY', 's', 'c', 'REPLACE', 'foo'],
      ['COPY', 's', 'c', 'DB', '16', 'foo'],
      ['COPY', 's'],
    ]);
  });

  it('MOVE', async () => {
    await check([
      ['SET', 'k', 'v', 'EXAT', FUTURE_S],
      ['MOVE', 'k', '1'],
      ['EXISTS', 'k'],
      ['SELECT', '1'],
      ['GET', 'k'],
      ['EXPIRETIME', 'k'],
      ['SELECT', '0'],
      ['SET', 'k', 'here'],
      ['MOVE', 'k', '1'],
      ['GET', 'k'],
      ['RPUSH', 'l', 'a'],
      ['MOVE', 'l', '15'],
      ['SELECT', '15'],
      ['LRANGE', 'l', '0', '-1'],
      ['SELECT', '0'],
      ['MOVE', 'nokey', '1'],
      ['MOVE', 'k', '0'],
      ['MOVE', 'nokey', '0'],
      ['MOVE', 'k', '16'],
      ['MOVE', 'k', '-1'],
      ['MOVE', 'k', 'x'],
      ['MOVE', 'k', '2147483648'],
      ['MOVE', 'k'],
      ['MOVE', 'k', '1', '2'],
    ]);
  });

  it('SWAPDB', async () => {
    await check([
      ['SET', 'a', 'in0', 'EXAT', FUTURE_S],
      ['SELECT', '1'],
      ['SET', 'b', 'in1'],
      ['RPUSH', 'l', 'x'],
      ['SWAPDB', '0', '1'],
      ['KEYS', 'a'],
      ['GET', 'a'],
      ['EXPIRETIME', 'a'],
      ['EXISTS', 'b', 'l'],
      ['SELECT', '0'],
      ['GET', 'b'],
      ['LRANGE', 'l', '0', '-1'],
      ['DBSIZE'],
      ['SWAPDB', '0', '0'],
      ['DBSIZE'],
      ['SWAPDB', '0', '15'],
      ['DBSIZE'],
      ['SELECT', '15'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', 'x', '1'],
      ['SWAPDB', '0', 'x'],
      ['SWAPDB', '-1', 'x'],
      ['SWAPDB', '2147483648', '1'],
      ['SWAPDB', '1', '99999999999999999999'],
      ['SWAPDB', '1'],
      ['SWAPDB', '1', '2', '3'],
    ]);
  });

  it('counts changes as Redis does (INFO rdb_changes_since_last_save), which decides what is persisted', async () => {
    const commands: string[][] = [
      ['SET', 'a', '1'],
      ['SET', 'a', '1', 'NX'],
      ['SET', 'a', '2', 'XX', 'GET'],
      ['SET', 'b', '1', 'EX', '100'],
      ['SETNX', 'a', '1'],
      ['SETNX', 'c', '1'],
      ['SETEX', 'd', '100', 'v'],
      ['PSETEX', 'e', '100000', 'v'],
      ['MSET', 'f', '1', 'g', '2'],
      ['MSETNX', 'f', '1', 'h', '2'],
      ['MSETNX', 'h', '1', 'i', '2'],
      ['INCR', 'a'],
      ['INCRBY', 'a', '5'],
      ['DECR', 'a'],
      ['DECRBY', 'a', '2'],
      ['INCRBYFLOAT', 'a', '1.5'],
      ['APPEND', 'a', 'x'],
      ['APPEND', 'new', ''],
      ['SETRANGE', 'a', '0', ''],
      ['SETRANGE', 'a', '0', 'y'],
      ['GETRANGE', 'a', '0', '1'],
      ['GETDEL', 'a'],
      ['GETDEL', 'a'],
      ['GETSET', 'a', '1'],
      ['GETEX', 'a'],
      ['GETEX', 'a', 'EX', '100'],
      ['GETEX', 'a', 'PERSIST'],
      ['GETEX', 'a', 'PERSIST'],
      ['GETEX', 'a', 'EXAT', '1'],
      ['SET', 'a', '1'],
      ['DEL', 'a', 'b', 'nokey'],
      ['UNLINK', 'c'],
      ['EXPIRE', 'd', '200'],
      ['EXPIRE', 'd', '200', 'NX'],
      ['PEXPIRE', 'nokey', '5'],
      ['EXPIREAT', 'd', '1'],
      ['PERSIST', 'e'],
      ['PERSIST', 'e'],
      ['RENAME', 'f', 'f2'],
      ['RENAMENX', 'f2', 'g'],
      ['RENAMENX', 'f2', 'g2'],
      ['COPY', 'g2', 'g3'],
      ['COPY', 'g2', 'g3', 'REPLACE'],
      ['MOVE', 'g3', '1'],
      ['SWAPDB', '0', '1'],
      ['SWAPDB', '0', '1'],
      ['FLUSHDB'],
      ['SET', 'x', '1'],
      ['FLUSHALL'],
      ['FLUSHALL'],
    ];
    const conns = await connections(2);
    const changes = async (c: RawConnection): Promise<number> => {
      const info = String(decode(await c.command('INFO', 'persistence')));
      const m = /rdb_changes_since_last_save:(\d+)/.exec(info);
      if (m === null) throw new Error(`no rdb_changes_since_last_save in ${info}`);
      return Number(m[1]);
    };
    const before = await Promise.all(conns.map(changes));
    for (const cmd of commands) {
      await expectSameReplies(conns, [cmd]);
      const after = await Promise.all(conns.map(changes));
      expect(after[0] - before[0], cmd.join(' ')).toBe(after[1] - before[1]);
      before.splice(0, 2, ...after);
    }
    for (const c of conns) c.close();
  });

  it('WATCH sees expiry changes, renames, moves, flushes and swaps', async () => {
    const scenario = (setup: Cmd[], touch: Cmd): Cmd[] => [
      ['FLUSHALL'],
      ...setup,
      ['WATCH', 'k'],
      touch,
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ];
    const runs: Cmd[][] = [
      scenario([['SET', 'k', 'v']], ['EXPIRE', 'k', '100']),
      scenario([['SET', 'k', 'v', 'EX', '100']], ['PERSIST', 'k']),
      scenario([['SET', 'k', 'v']], ['PERSIST', 'k']),
      scenario([['SET', 'k', 'v']], ['EXPIRE', 'k', '100', 'GT']),
      scenario([['SET', 'k', 'v']], ['RENAME', 'k', 'k2']),
      scenario([['SET', 'x', 'v']], ['RENAME', 'x', 'k']),
      scenario([['SET', 'k', 'v']], ['MOVE', 'k', '1']),
      scenario([['SET', 'k', 'v']], ['COPY', 'k', 'k2']),
      scenario([['SET', 'x', 'v']], ['COPY', 'x', 'k']),
      scenario([['SET', 'k', 'v']], ['FLUSHDB']),
      scenario([], ['FLUSHDB']),
      scenario([['SET', 'k', 'v']], ['FLUSHALL']),
      scenario([['SET', 'k', 'v']], ['SWAPDB', '0', '1']),
      scenario([['SELECT', '1'], ['SET', 'k', 'v'], ['SELECT', '0']], ['SWAPDB', '0', '1']),
      scenario([], ['SWAPDB', '0', '1']),
      scenario([['SET', 'k', '1']], ['INCR', 'k']),
      scenario([['SET', 'k', '1']], ['APPEND', 'k', 'x']),
      scenario([['SET', 'k', '1']], ['GETEX', 'k', 'EX', '100']),
      scenario([['SET', 'k', '1']], ['GETEX', 'k']),
      scenario([['SET', 'k', '1']], ['GETDEL', 'k']),
      scenario([['SET', 'k', '1']], ['SET', 'k', '1', 'NX']),
      scenario([['SET', 'k', '1']], ['SETRANGE', 'k', '0', '']),
      scenario([['SET', 'k', '1']], ['DEL', 'k']),
    ];
    await check(runs.flat());
  });

  it('RENAME, MOVE, COPY and SWAPDB wake clients blocked on the key they create', async () => {
    const cases: { setup: string[][]; waiterDb: string; wake: string[] }[] = [
      { setup: [['RPUSH', 'src', 'a', 'b']], waiterDb: '0', wake: ['RENAME', 'src', 'dst'] },
      { setup: [['RPUSH', 'src', 'a']], waiterDb: '0', wake: ['RENAMENX', 'src', 'dst'] },
      { setup: [['RPUSH', 'src', 'a']], waiterDb: '0', wake: ['COPY', 'src', 'dst'] },
      { setup: [['SELECT', '1'], ['RPUSH', 'dst', 'a'], ['SELECT', '0']], waiterDb: '0', wake: ['SWAPDB', '0', '1'] },
      { setup: [['RPUSH', 'dst', 'a']], waiterDb: '2', wake: ['MOVE', 'dst', '2'] },
      { setup: [['RPUSH', 'src', 'a']], waiterDb: '3', wake: ['COPY', 'src', 'dst', 'DB', '3'] },
    ];
    for (const { setup, waiterDb, wake } of cases) {
      const [ours, theirs] = await connections(2);
      const [oursWaiter, theirsWaiter] = await pair().connect();
      await expectSameReplies([ours, theirs], setup);
      await expectSameReplies([oursWaiter, theirsWaiter], [['SELECT', waiterDb]]);
      const pending = [oursWaiter, theirsWaiter].map((c) => c.command('BLPOP', 'dst', '5'));
      // Let both servers register the waiter before the key appears.
      for (const c of [ours, theirs]) {
        for (let i = 0; i < 100; i++) {
          const info = String(decode(await c.command('INFO', 'clients')));
          if (/blocked_clients:1/.test(info)) break;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      await expectSameReplies([ours, theirs], [wake]);
      const [a, b] = await Promise.all(pending);
      expect(a, wake.join(' ')).toBe(b);
      expect(b).toMatch(/^\*2\r\n/);
      for (const c of [ours, theirs, oursWaiter, theirsWaiter]) c.close();
    }
  });

  it('a seeded random stream of string and keyspace commands gives the same replies and final state', async () => {
    const rand = seededInt(20240607);
    const pick = <T,>(items: readonly T[]): T => items[rand(items.length)];
    const key = () => `k${rand(6)}`;
    const value = () => pick(['', '0', '1', '-5', '42', '9223372036854775806', '3.5', 'abc', 'x\r\ny', '\x00\xff']);
    const absolute = () => pick([['EXAT', String(4000000000 + rand(10))], ['PXAT', String(4000000000000 + rand(10000))], ['EXAT', '1'], ['PXAT', '2']]);
    const generators: (() => string[])[] = [
      () => ['SET', key(), value()],
      () => ['SET', key(), value(), ...pick([[], ['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['KEEPTTL'], ['XX', 'KEEPTTL']]), ...(rand(3) === 0 ? absolute() : [])],
      () => ['GET', key()],
      () => ['MGET', key(), key(), key()],
      () => ['MSET', key(), value(), key(), value()],
      () => ['MSETNX', key(), value(), key(), value()],
      () => ['SETNX', key(), value()],
      () => ['INCR', key()],
      () => ['DECRBY', key(), pick(['1', '-3', '9223372036854775807', 'x'])],
      () => ['INCRBYFLOAT', key(), pick(['0.1', '-1.5', '1e3', 'x', '3'])],
      () => ['APPEND', key(), value()],
      () => ['STRLEN', key()],
      () => ['SETRANGE', key(), String(rand(8)), pick(['', 'ab', 'XYZ'])],
      () => ['GETRANGE', key(), String(rand(6) - 3), String(rand(6) - 2)],
      () => ['GETDEL', key()],
      () => ['GETSET', key(), value()],
      () => ['GETEX', key(), ...pick([[], ['PERSIST'], absolute()])],
      () => ['DEL', key(), key()],
      () => ['EXISTS', key(), key()],
      () => ['TYPE', key()],
      () => ['RPUSH', key(), value()],
      () => ['LPOP', key()],
      () => ['HSET', key(), 'f', value()],
      () => ['EXPIREAT', key(), String(4000000000 + rand(10)), ...pick([[], ['NX'], ['XX'], ['GT'], ['LT']])],
      () => ['PEXPIREAT', key(), String(pick([1, 4000000000000 + rand(10000)])), ...pick([[], ['GT'], ['LT']])],
      () => ['PERSIST', key()],
      () => ['EXPIRETIME', key()],
      () => ['PEXPIRETIME', key()],
      () => ['RENAME', key(), key()],
      () => ['RENAMENX', key(), key()],
      () => ['COPY', key(), key(), ...pick([[], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE']])],
      () => ['MOVE', key(), '1'],
      () => ['SWAPDB', '0', '1'],
      // No DBSIZE here: it counts keys whose absolute expiry (EXAT 1, PXAT 2) has
      // passed until a background expiry cycle deletes them, so its value depends
      // on which server's cycle ran first. KEYS (below) skips such keys on both.
    ];
    const conns = await connections(2);
    const stream: string[][] = [];
    for (let i = 0; i < 600; i++) stream.push(pick(generators)());
    await expectSameReplies(conns, stream);
    // Final state: every key of both databases, its type, value and expiry.
    for (const db of ['0', '1']) {
      await expectSameReplies(conns, [['SELECT', db]]);
      const [ours, theirs] = await both(conns, 'KEYS', '*');
      const keys = sortedStrings(theirs);
      expect(sortedStrings(ours)).toEqual(keys);
      for (const k of keys) {
        await expectSameReplies(conns, [['TYPE', k], ['PEXPIRETIME', k]]);
        const type = decode(await conns[1].command('TYPE', k));
        if (type === 'string') await expectSameReplies(conns, [['GET', k]]);
        else if (type === 'list') await expectSameReplies(conns, [['LRANGE', k, '0', '-1']]);
        else if (type === 'hash') await expectSameReplies(conns, [['HGETALL', k]]);
      }
    }
    for (const c of conns) c.close();
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['del', 'unlink', 'exists', 'touch', 'type', 'keys', 'scan', 'dbsize', 'randomkey', 'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'rename', 'renamenx', 'flushdb', 'flushall', 'copy', 'move', 'swapdb']);
  });
});
