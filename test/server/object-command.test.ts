// OBJECT REFCOUNT/FREQ/IDLETIME/HELP and the CONFIG settings of the encoding
// thresholds, differential against a real redis-server (RESP2 and RESP3),
// and OBJECT IDLETIME against simpledb alone with an injected clock (Redis's
// clock cannot be moved, and tests do not sleep).
import { afterAll, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { useServerPair } from '../helpers/differential.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('OBJECT and the encoding settings (differential)', () => {
  const { check, checkCommandTable } = useServerPair();

  it('OBJECT HELP, unknown subcommands, arity errors and missing keys', async () => {
    await check([
      ['OBJECT', 'HELP'],
      ['OBJECT', 'help'],
      ['OBJECT', 'HELP', 'x'],
      ['OBJECT', 'NOPE'],
      ['OBJECT', 'NOPE', 'k'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'a', 'b'],
      ['OBJECT', 'REFCOUNT'],
      ['OBJECT', 'IDLETIME', 'a', 'b'],
      ['OBJECT', 'FREQ'],
      ['OBJECT', 'ENCODING', 'missing'],
      ['OBJECT', 'REFCOUNT', 'missing'],
      ['OBJECT', 'IDLETIME', 'missing'],
      ['OBJECT', 'FREQ', 'missing'],
      'OBJECT ENCODING missing\r\n',
    ]);
  });

  it('OBJECT REFCOUNT: shared integers 0..9999, a copy of one, everything else 1; FREQ refused under noeviction', async () => {
    await check([
      ['SET', 'zero', '0'],
      ['SET', 'top', '9999'],
      ['SET', 'past', '10000'],
      ['SET', 'neg', '-1'],
      ['SET', 'text', 'hello'],
      ['INCR', 'counter'],
      ['INCRBY', 'big', '123456'],
      ['COPY', 'zero', 'copied'],
      ['RENAME', 'top', 'renamed'],
      ['APPEND', 'neg', '5'],
      ['RPUSH', 'list', 'a'],
      ['HSET', 'hash', 'f', 'v'],
      ['SADD', 'set', '1'],
      ['ZADD', 'zset', '1', 'a'],
      ['XADD', 'stream', '1-1', 'f', 'v'],
      ...['zero', 'renamed', 'past', 'neg', 'text', 'counter', 'big', 'copied', 'list', 'hash', 'set', 'zset', 'stream'].flatMap((k) => [
        ['OBJECT', 'REFCOUNT', k],
        ['OBJECT', 'ENCODING', k],
        ['OBJECT', 'FREQ', k],
      ]),
      ['CONFIG', 'GET', 'maxmemory-policy'],
    ]);
  });

  it('TOUCH counts the keys that exist, as EXISTS does', async () => {
    // OBJECT IDLETIME itself is compared with nothing: either server's clock may tick between two commands.
    await check([['SET', 'k', 'v'], ['TOUCH', 'k', 'nope', 'k'], ['EXISTS', 'k', 'nope', 'k'], ['TOUCH', 'nope'], ['TOUCH']]);
  });

  it('OBJECT and TOUCH in COMMAND INFO', async () => {
    await checkCommandTable(['object', 'touch']);
  });

  const names = [
    'hash-max-listpack-entries',
    'hash-max-ziplist-entries',
    'hash-max-listpack-value',
    'hash-max-ziplist-value',
    'zset-max-listpack-entries',
    'zset-max-ziplist-entries',
    'zset-max-listpack-value',
    'zset-max-ziplist-value',
    'set-max-intset-entries',
    'list-max-listpack-size',
    'list-max-ziplist-size',
    'list-compress-depth',
    'stream-node-max-bytes',
    'stream-node-max-entries',
  ];

  it('CONFIG GET of each threshold and its *-ziplist-* alias, under the spelling asked for', async () => {
    await check([
      ...names.map((n) => ['CONFIG', 'GET', n]),
      ['CONFIG', 'GET', 'HASH-MAX-ZIPLIST-ENTRIES'],
      ['CONFIG', 'GET', 'set-max-intset-*'],
    ]);
  });

  it('CONFIG SET: aliases, memory units, bounds and Redis error texts; all or nothing', async () => {
    const set = (name: string, value: string) => ['CONFIG', 'SET', name, value];
    await check([
      set('hash-max-ziplist-entries', '3'),
      ['CONFIG', 'GET', 'hash-max-listpack-entries'],
      ['CONFIG', 'SET', 'hash-max-ziplist-entries', '3', 'hash-max-listpack-entries', '4'],
      ['CONFIG', 'GET', 'hash-max-ziplist-entries'],
      ...['1k', '1kb', '2KB', '1m', '1mb', '1g', '1gb', '10b', '', '9223372036854775807', '1.5k', '-0', '+5', '0x10', ' 5', '-1', '99999999999999999999', '18446744073709551615', '5kib'].flatMap(
        (v) => [set('hash-max-listpack-value', v), ['CONFIG', 'GET', 'hash-max-listpack-value']],
      ),
      ...['0', '-6', '2147483647', '-2147483648', '2147483648', '1k', '007', '-0', '1.5', ''].flatMap((v) => [
        set('list-max-listpack-size', v),
        ['CONFIG', 'GET', 'list-max-ziplist-size'],
      ]),
      set('list-compress-depth', '-1'),
      set('list-compress-depth', '3'),
      set('set-max-intset-entries', '-1'),
      set('set-max-intset-entries', '9223372036854775807'),
      ['CONFIG', 'GET', 'set-max-intset-entries'],
      set('stream-node-max-bytes', '-1'),
      set('stream-node-max-bytes', '2kb'),
      set('stream-node-max-entries', '1k'),
      set('stream-node-max-entries', '7'),
      set('zset-max-ziplist-value', '-1'),
      set('zset-max-listpack-entries', '1.5'),
      // A failure rolls back the settings before it in the same call.
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '7', 'zset-max-listpack-value', 'x'],
      ['CONFIG', 'GET', 'zset-max-listpack-entries'],
      ...names.map((n) => ['CONFIG', 'GET', n]),
      set('hash-max-listpack-entries', '512'),
      set('hash-max-listpack-value', '64'),
      set('list-max-listpack-size', '-2'),
      set('list-compress-depth', '0'),
      set('set-max-intset-entries', '512'),
      set('stream-node-max-bytes', '4096'),
      set('stream-node-max-entries', '100'),
    ]);
  });

  it('stream-node-max-entries and -bytes decide where approximate trimming may cut', async () => {
    const add = (i: number, v = 'v') => ['XADD', 'x', `${i}-1`, 'f', v];
    await check([
      ['CONFIG', 'SET', 'stream-node-max-entries', '3'],
      ...Array.from({ length: 10 }, (_, i) => add(i + 1)),
      ['XTRIM', 'x', 'MAXLEN', '~', '5'],
      ['XLEN', 'x'],
      // Without LIMIT, "~" trims at most 100 nodes' worth of stream-node-max-entries.
      ['CONFIG', 'SET', 'stream-node-max-entries', '2'],
      ...Array.from({ length: 300 }, (_, i) => ['XADD', 'y', `${i + 1}-1`, 'f', 'v']),
      ['XTRIM', 'y', 'MAXLEN', '~', '0'],
      ['XADD', 'y', 'MAXLEN', '~', '0', '400-1', 'f', 'v'],
      ['XLEN', 'y'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '0', 'stream-node-max-bytes', '100'],
      ...Array.from({ length: 10 }, (_, i) => add(i + 20, 'w'.repeat(30))),
      ['XTRIM', 'x', 'MAXLEN', '~', '2'],
      ['XLEN', 'x'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100', 'stream-node-max-bytes', '4096'],
    ]);
  });
});

describeWithRedis('OBJECT IDLETIME with an injected clock (simpledb alone)', () => {
  let now = 1_000_000_000;
  let server: Server;
  let conn: RawConnection;
  afterAll(async () => {
    conn?.close();
    await server?.close();
  });

  /** Waits until the server's cron has seen the clock move (it samples it every 100 ms). */
  async function idleBecomes(key: string, expected: string): Promise<void> {
    for (;;) {
      const reply = await conn.command('OBJECT', 'IDLETIME', key);
      if (reply === expected) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('counts whole seconds since the last read or write; TYPE, EXISTS, TTL and OBJECT leave it alone', async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, now: () => now });
    conn = await RawConnection.open(server.port);
    expect(await conn.command('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(await conn.command('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
    now += 7_500;
    await idleBecomes('k', ':7\r\n');
    for (const cmd of [['TYPE', 'k'], ['EXISTS', 'k'], ['TTL', 'k'], ['OBJECT', 'ENCODING', 'k']]) await conn.command(...cmd);
    expect(await conn.command('OBJECT', 'IDLETIME', 'k')).toBe(':7\r\n');
    expect(await conn.command('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(await conn.command('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
    now += 3_000;
    await idleBecomes('k', ':3\r\n');
    expect(await conn.command('TOUCH', 'k')).toBe(':1\r\n');
    expect(await conn.command('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
    // A renamed key is a write of the new name: idle from now.
    now += 2_000;
    await idleBecomes('k', ':2\r\n');
    expect(await conn.command('RENAME', 'k', 'k2')).toBe('+OK\r\n');
    expect(await conn.command('OBJECT', 'IDLETIME', 'k2')).toBe(':0\r\n');
  });
});
