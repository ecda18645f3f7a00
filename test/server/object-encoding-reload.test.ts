// After a restart Redis builds every value afresh from its dump, so a hash,
// set or sorted set that shrank back under its thresholds is compact again,
// and a string takes the encoding its text gives. Differential: Redis
// reloads with DEBUG RELOAD; simpledb saves its snapshot and is started
// again on the same directory. OBJECT ENCODING of every key must then agree.
import { afterAll, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { makeTempDir } from './persistence-helpers.js';

type Cmd = string[];

function history(): { writes: Cmd[]; keys: string[] } {
  const writes: Cmd[] = [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '4', 'zset-max-listpack-entries', '4', 'set-max-intset-entries', '4'],
    ['HSET', 'hash', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'],
    ['HDEL', 'hash', 'a', 'b'],
    ['HSET', 'longhash', 'f', 'v'.repeat(100), 'g', '1'],
    ['HDEL', 'longhash', 'f'],
    ['SADD', 'set', '1', '2', 'x'],
    ['SREM', 'set', 'x'],
    ['SADD', 'bigset', '1', '2', '3', '4', '5', '6'],
    ['SREM', 'bigset', '1', '2', '3'],
    ['ZADD', 'zset', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZREM', 'zset', 'a', 'b'],
    ['ZADD', 'longz', '1', 'm'.repeat(100), '2', 'short'],
    ['ZREM', 'longz', 'm'.repeat(100)],
    ['SET', 'appended', '1'],
    ['APPEND', 'appended', '2'],
    ['SET', 'text', 'abc'],
    ['APPEND', 'text', 'def'],
    ['SETRANGE', 'long', '0', 'z'.repeat(50)],
    ['INCRBYFLOAT', 'float', '3'],
    ['RPUSH', 'list', 'a'],
    ['XADD', 'stream', '1-1', 'f', 'v'],
  ];
  const keys = ['hash', 'longhash', 'set', 'bigset', 'zset', 'longz', 'appended', 'text', 'long', 'float', 'list', 'stream'];
  return { writes, keys };
}

describeWithRedis('OBJECT ENCODING after a restart (differential with DEBUG RELOAD)', () => {
  const temp = makeTempDir();
  // Redis's own dump goes to a directory of its own, never the working directory.
  const redisDir = makeTempDir();
  let redis: RedisProcess | undefined;
  let server: Server | undefined;
  const open: RawConnection[] = [];
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.close();
    await redis?.stop();
    temp.cleanup();
    redisDir.cleanup();
  });

  it('values are encoded afresh from the saved data, under the thresholds of the time', async () => {
    const { writes, keys } = history();
    redis = await startRedis(['--enable-debug-command', 'yes', '--dir', redisDir.dir]);
    const theirs = await RawConnection.open(redis.port);
    open.push(theirs);
    server = await startServer({ host: '127.0.0.1', port: 0, dir: temp.dir, save: '', logLevel: 'error' });
    let ours = await RawConnection.open(server.port);
    open.push(ours);
    for (const w of writes) expect(await ours.command(...w), w.join(' ')).toBe(await theirs.command(...w));
    const before = await Promise.all(keys.map((k) => theirs.command('OBJECT', 'ENCODING', k)));
    for (const [i, k] of keys.entries()) expect(await ours.command('OBJECT', 'ENCODING', k), `before: ${k}`).toBe(before[i]);

    expect(await theirs.command('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(await ours.command('SAVE')).toBe('+OK\r\n');
    await server.close();
    server = await startServer({ host: '127.0.0.1', port: 0, dir: temp.dir, save: '', logLevel: 'error' });
    ours = await RawConnection.open(server.port);
    open.push(ours);
    // The thresholds are settings, not data: the restarted server loaded under its defaults,
    // which every value here fits as it fits the small ones Redis kept.

    const after = await Promise.all(keys.map((k) => theirs.command('OBJECT', 'ENCODING', k)));
    expect(after).not.toEqual(before); // the reload changed something, or this test shows nothing
    for (const [i, k] of keys.entries()) expect(await ours.command('OBJECT', 'ENCODING', k), `after: ${k}`).toBe(after[i]);
  });
});
