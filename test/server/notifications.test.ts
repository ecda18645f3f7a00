// Keyspace notifications, differential: the same writes go to simpledb and
// to a real redis-server, each with a subscriber on PSUBSCRIBE '__key*__:*',
// and the two subscribers must receive the same messages in the same order.
// Covers CONFIG SET/GET of notify-keyspace-events, every command family in a
// seeded random sequence, targeted edge cases, and expiry (lazy and active).
import { expect, it } from 'vitest';
import { expectSameReplies, useServerPair } from '../helpers/differential.js';
import { encodeCommand, type RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

type Conns = [RawConnection, RawConnection];

describeWithRedis('keyspace notifications (differential)', () => {
  const { connections, check } = useServerPair();

  /** Subscribers on both servers, under the given protocol, after setting the classes. */
  async function subscribed(classes: string, protocol: 2 | 3): Promise<{ cmd: Conns; sub: Conns }> {
    const cmd = await connections(2);
    await expectSameReplies(cmd, [['CONFIG', 'SET', 'notify-keyspace-events', classes]]);
    const sub = await connections(protocol);
    await expectSameReplies(sub, [['PSUBSCRIBE', '__key*__:*']]);
    return { cmd, sub };
  }

  /**
   * Everything each subscriber received up to now: a PING on the subscriber
   * connection is answered after every message already published (the
   * commands' replies were read first), so reading up to its reply is exact.
   */
  async function drain(sub: Conns): Promise<[string[], string[]]> {
    const out = await Promise.all(
      sub.map(async (c) => {
        c.write(encodeCommand(['PING', 'drained']));
        const messages: string[] = [];
        for (;;) {
          const m = (await c.readReply(30_000)).toString('latin1');
          if (m.includes('drained')) return messages;
          messages.push(m);
        }
      }),
    );
    return out as [string[], string[]];
  }

  /** Resolves once each server counts `n` blocked clients (INFO), so a write after it finds them waiting. */
  async function blockedOnEach(cmd: Conns, n: number): Promise<void> {
    for (const c of cmd) {
      for (const giveUp = Date.now() + 20_000; ; ) {
        const info = await c.command('INFO', 'clients');
        if (info.includes(`blocked_clients:${n}\r\n`)) break;
        if (Date.now() > giveUp) throw new Error(`blocked_clients never reached ${n}: ${info}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** Runs commands pipelined on both; replies must match unless the command is random. */
  async function run(cmd: Conns, commands: readonly (readonly string[])[]): Promise<void> {
    const wire = Buffer.concat(commands.map((c) => encodeCommand(c)));
    const replies = await Promise.all(
      cmd.map(async (c) => {
        c.write(wire);
        const out: string[] = [];
        for (let i = 0; i < commands.length; i++) out.push((await c.readReply(30_000)).toString('latin1'));
        return out;
      }),
    );
    for (let i = 0; i < commands.length; i++) {
      if (RANDOM_REPLIES.has(commands[i][0].toUpperCase())) continue;
      if (replies[0][i] !== replies[1][i]) expect(replies[0][i], `reply to ${commands[i].join(' ')}`).toBe(replies[1][i]);
    }
  }

  async function expectSameEvents(classes: string, commands: readonly (readonly string[])[], protocol: 2 | 3 = 2): Promise<string[]> {
    const { cmd, sub } = await subscribed(classes, protocol);
    await run(cmd, commands);
    const [ours, theirs] = await drain(sub);
    const label = `events of ${classes}: ${commands.map((c) => c.join(' ')).join('; ')}`;
    // Channel and message first, for a readable difference; then the exact bytes.
    expect(ours.map(brief), label).toEqual(theirs.map(brief));
    expect(ours.join(''), label).toBe(theirs.join(''));
    for (const c of [...cmd, ...sub]) c.close();
    return theirs;
  }

  it('CONFIG SET/GET notify-keyspace-events: every letter, canonical spelling, errors', async () => {
    const values = ['', 'K', 'E', 'KEA', 'AKE', 'Kg', 'E$', 'Kl', 'Ks', 'Kh', 'Kz', 'Kx', 'Ke', 'Kt', 'Km', 'Kd', 'Kn', 'KEAnm', 'g$lshzxetdnKEm', 'AmnKE', 'glKE', 'A'];
    const commands = values.flatMap((v) => [
      ['CONFIG', 'SET', 'notify-keyspace-events', v],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
    ]);
    await check([
      ...commands,
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEQ'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'a'],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]);
  });

  it('strings and generic commands', async () => {
    await expectSameEvents('KEA', [
      ['SET', 's', '1'],
      ['SET', 's', '2', 'EX', '100'],
      ['SET', 's', '3', 'KEEPTTL'],
      ['SET', 's', '4', 'NX'],
      ['SET', 't', '4', 'XX'],
      ['SETNX', 's', 'x'],
      ['SETEX', 'e', '100', 'v'],
      ['PSETEX', 'e', '100000', 'v'],
      ['GETSET', 's', '5'],
      ['MSET', 'a', '1', 'b', '2'],
      ['MSETNX', 'a', '1', 'c', '2'],
      ['MSETNX', 'c', '1', 'd', '2'],
      ['INCR', 'n'],
      ['INCRBY', 'n', '5'],
      ['DECR', 'n'],
      ['DECRBY', 'n', '2'],
      ['INCRBYFLOAT', 'n', '1.5'],
      ['INCR', 's2'],
      ['APPEND', 'ap', 'x'],
      ['APPEND', 'ap', 'y'],
      ['SETRANGE', 'ap', '5', 'z'],
      ['SETRANGE', 'ap', '1', ''],
      ['SETRANGE', 'none', '1', ''],
      ['GETEX', 's', 'EX', '100'],
      ['GETEX', 's', 'PERSIST'],
      ['GETEX', 's', 'PERSIST'],
      ['GETEX', 'a', 'PXAT', '1'],
      ['GETDEL', 'b'],
      ['GETDEL', 'b'],
      ['EXPIRE', 'c', '100'],
      ['EXPIRE', 'c', '100', 'NX'],
      ['PEXPIRE', 'c', '100000', 'XX'],
      ['EXPIREAT', 'c', '4000000000'],
      ['PERSIST', 'c'],
      ['PERSIST', 'c'],
      ['PEXPIREAT', 'c', '1'],
      ['EXPIRE', 'missing', '10'],
      ['RENAME', 'd', 'd2'],
      ['SET', 'd3', 'x'],
      ['RENAME', 'd2', 'd3'],
      ['RENAMENX', 'd3', 'e'],
      ['RENAMENX', 'd3', 'f'],
      ['RENAME', 'f', 'f'],
      ['COPY', 'f', 'g'],
      ['COPY', 'f', 'g'],
      ['COPY', 'f', 'g', 'REPLACE'],
      ['COPY', 'f', 'g', 'DB', '1'],
      ['MOVE', 'g', '2'],
      ['MOVE', 'f', '1'],
      ['DEL', 'e', 'nothing', 'n'],
      ['UNLINK', 'ap'],
      ['SWAPDB', '0', '1'],
      ['FLUSHDB'],
      ['FLUSHALL'],
    ]);
  });

  it('lists, including blocking pops served at once and moves', async () => {
    await expectSameEvents('KEA', [
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'd'],
      ['LPUSHX', 'nol', 'a'],
      ['RPUSHX', 'l', 'e'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '2'],
      ['LPOP', 'l', '0'],
      ['LSET', 'l', '0', 'z'],
      ['LINSERT', 'l', 'BEFORE', 'z', 'y'],
      ['LINSERT', 'l', 'BEFORE', 'nope', 'y'],
      ['LREM', 'l', '0', 'nope'],
      ['LREM', 'l', '1', 'y'],
      ['RPUSH', 'l', 'q', 'r', 's'],
      ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '2'],
      ['RPOPLPUSH', 'l', 'l2'],
      ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
      ['LMOVE', 'l', 'l2', 'LEFT', 'LEFT'],
      ['LMOVE', 'l2', 'l3', 'RIGHT', 'LEFT'],
      ['BLPOP', 'none', 'l2', '0'],
      ['RPUSH', 'l2', 'p', 'q'],
      ['BRPOP', 'l2', '0'],
      ['BLMOVE', 'l3', 'l4', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'l4', 'l5', '0'],
      ['RPUSH', 'm', '1', '2', '3'],
      ['LMPOP', '2', 'none', 'm', 'LEFT', 'COUNT', '2'],
      ['BLMPOP', '0', '1', 'm', 'RIGHT', 'COUNT', '5'],
      ['RPUSH', 't', '1'],
      ['LTRIM', 't', '5', '6'],
      ['RPUSH', 'r', '1', '1'],
      ['LREM', 'r', '0', '1'],
    ]);
  });

  it('hashes, sets, sorted sets', async () => {
    await expectSameEvents('KEA', [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSET', 'h', 'a', '1'],
      ['HMSET', 'h', 'c', '3'],
      ['HSETNX', 'h', 'a', 'x'],
      ['HSETNX', 'h', 'd', 'x'],
      ['HINCRBY', 'h', 'n', '2'],
      ['HINCRBYFLOAT', 'h', 'f', '2.5'],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'h', 'a', 'b', 'c', 'd', 'n', 'f'],
      ['SADD', 's', 'a', 'b', 'c'],
      ['SADD', 's', 'a'],
      ['SREM', 's', 'zz'],
      ['SREM', 's', 'a'],
      ['SMOVE', 's', 's2', 'b'],
      ['SMOVE', 's', 's2', 'zz'],
      ['SMOVE', 's', 's', 'c'],
      ['SADD', 's2', 'c'],
      ['SMOVE', 's', 's2', 'c'],
      ['SADD', 'u', '1', '2', '3'],
      ['SINTERSTORE', 'd', 'u', 's2'],
      ['SINTERSTORE', 'd', 'u', 'nothing'],
      ['SUNIONSTORE', 'd', 'u', 's2'],
      ['SDIFFSTORE', 'd', 'u', 's2'],
      ['SDIFFSTORE', 'd', 'u', 'u'],
      ['SDIFFSTORE', 'd', 'u', 'u'],
      ['SPOP', 'u', '0'],
      ['SPOP', 'u', '1'],
      ['SPOP', 'u'],
      ['SPOP', 'u', '5'],
      ['SPOP', 'nothing', '5'],
      ['SADD', 'v', '1'],
      ['SPOP', 'v'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZADD', 'z', '1', 'a'],
      ['ZADD', 'z', 'NX', '5', 'a'],
      ['ZADD', 'z', 'XX', 'CH', '5', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'INCR', '0', 'a'],
      ['ZINCRBY', 'z', '1', 'e'],
      ['ZREM', 'z', 'nope'],
      ['ZREM', 'z', 'e'],
      ['ZREMRANGEBYSCORE', 'z', '100', '200'],
      ['ZREMRANGEBYSCORE', 'z', '1', '1'],
      ['ZREMRANGEBYRANK', 'z', '0', '0'],
      ['ZREMRANGEBYLEX', 'z', '[zz', '+'],
      ['ZADD', 'z', '0', 'p', '0', 'q', '0', 'r'],
      ['ZRANGESTORE', 'zd', 'z', '0', '1'],
      ['ZRANGESTORE', 'zd', 'z', '5', '1'],
      ['ZRANGESTORE', 'zd', 'nothing', '0', '1'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '2'],
      ['ZPOPMIN', 'z', '0'],
      ['BZPOPMIN', 'z', '0'],
      ['BZPOPMAX', 'z', '0'],
      ['ZPOPMIN', 'z', '10'],
    ]);
  });

  it('sorted-set algebra STORE forms, ZRANGESTORE, ZMPOP and BZMPOP, ZREMRANGEBYLEX, SORT STORE; no-ops publish nothing', async () => {
    const commands = [
      // Each run below starts from the same empty keyspace.
      ['FLUSHALL'],
      ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z2', '5', 'b', '6', 'd'],
      ['SADD', 'st', 'a', 'x'],
      ['ZUNIONSTORE', 'u', '2', 'z1', 'z2'],
      ['ZUNIONSTORE', 'u', '3', 'z1', 'z2', 'st', 'WEIGHTS', '1', '2', '3', 'AGGREGATE', 'MAX'],
      ['ZUNIONSTORE', 'u', '1', 'nothing'],
      ['ZUNIONSTORE', 'u', '1', 'nothing'],
      ['ZINTERSTORE', 'i', '2', 'z1', 'z2'],
      ['ZINTERSTORE', 'i', '2', 'z1', 'st'],
      ['ZINTERSTORE', 'i', '2', 'z2', 'st'],
      ['ZINTERSTORE', 'i', '2', 'z2', 'st'],
      ['ZDIFFSTORE', 'd', '2', 'z1', 'z2'],
      ['ZDIFFSTORE', 'd', '2', 'z1', 'z1'],
      ['ZDIFFSTORE', 'd', '1', 'nothing'],
      ['SET', 'str', 'v'],
      ['ZUNIONSTORE', 'str', '1', 'z1'],
      ['ZUNIONSTORE', 'str', '1', 'str'],
      ['ZINTERSTORE', 'z1', '2', 'z1', 'z2'],
      ['ZRANGESTORE', 'r', 'z2', '0', '-1'],
      ['ZRANGESTORE', 'r', 'z2', '(5', '+inf', 'BYSCORE'],
      ['ZRANGESTORE', 'r', 'z2', '[a', '[c', 'BYLEX'],
      ['ZRANGESTORE', 'r', 'z2', '10', '20'],
      ['ZRANGESTORE', 'r', 'z2', '10', '20'],
      ['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c'],
      ['ZREMRANGEBYLEX', 'lex', '[x', '+'],
      ['ZREMRANGEBYLEX', 'lex', '-', '[a'],
      ['ZREMRANGEBYLEX', 'lex', '-', '+'],
      ['ZREMRANGEBYLEX', 'nothing', '-', '+'],
      ['ZADD', 'm', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZMPOP', '2', 'nothing', 'm', 'MIN'],
      ['ZMPOP', '1', 'm', 'MAX', 'COUNT', '2'],
      ['ZMPOP', '1', 'nothing', 'MIN'],
      ['BZMPOP', '0', '2', 'nothing', 'm', 'MAX', 'COUNT', '10'],
      ['ZADD', 'm', '1', 'a'],
      ['BZMPOP', '0', '1', 'm', 'MIN'],
      ['RPUSH', 'l', '3', '1', '2'],
      ['SORT', 'l', 'STORE', 'sorted'],
      ['SORT', 'l', 'DESC', 'LIMIT', '0', '1', 'STORE', 'sorted'],
      ['SORT', 'st', 'ALPHA', 'STORE', 'sorted2'],
      ['SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'sorted'],
      ['SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'sorted'],
      ['SORT', 'nothing', 'STORE', 'sorted2'],
      ['SORT', 'nothing', 'STORE', 'sorted2'],
      ['SORT', 'l', 'BY', 'nosort', 'GET', '#', 'GET', 'nokey*', 'STORE', 'l'],
      ['SORT_RO', 'l'],
      ['SORT', 'l'],
    ];
    const events = await expectSameEvents('KEA', commands);
    for (const name of ['zunionstore', 'zinterstore', 'zdiffstore', 'zrangestore', 'zremrangebylex', 'zpopmin', 'zpopmax', 'sortstore', 'del']) {
      expect(events.some((m) => m.includes(name)), name).toBe(true);
    }
    // New keys ("n" is outside "A"), and the classes alone: sortstore is a list event, the STORE forms zset events.
    for (const classes of ['KEn', 'KEAn', 'Kz', 'El', 'Kg']) await expectSameEvents(classes, commands);
  });

  it('SPUBLISH and sharded subscriptions publish no keyspace events', async () => {
    const theirs = await expectSameEvents('KEAn', [
      ['SPUBLISH', '__keyspace@0__:k', 'set'],
      ['SPUBLISH', 'ch', 'm'],
      ['PUBLISH', 'ch', 'm'],
      ['SET', 'k', 'v'],
    ]);
    // Only the SET: "new" and "set", each on both channels.
    expect(theirs.length).toBe(4);
  });

  it('streams and consumer groups', async () => {
    await expectSameEvents('KEA', [
      ['XADD', 'x', '1-1', 'f', 'v'],
      ['XADD', 'x', '1-2', 'f', 'v'],
      ['XADD', 'x', 'MAXLEN', '5', '1-3', 'f', 'v'],
      ['XADD', 'x', 'MAXLEN', '2', '1-4', 'f', 'v'],
      ['XADD', 'nox', 'NOMKSTREAM', '1-1', 'f', 'v'],
      ['XTRIM', 'x', 'MAXLEN', '5'],
      ['XTRIM', 'x', 'MAXLEN', '1'],
      ['XDEL', 'x', '9-9'],
      ['XDEL', 'x', '1-4'],
      ['XSETID', 'x', '5-0'],
      ['XGROUP', 'CREATE', 'x', 'g', '0'],
      ['XGROUP', 'CREATE', 'y', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'SETID', 'x', 'g', '0'],
      ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'],
      ['XADD', 'x', '6-1', 'f', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'x', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'x', '0'],
      ['XCLAIM', 'x', 'g', 'c3', '0', '6-1'],
      ['XAUTOCLAIM', 'x', 'g', 'c4', '0', '0'],
      ['XACK', 'x', 'g', '6-1'],
      ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c1'],
      ['XGROUP', 'DELCONSUMER', 'x', 'g', 'nobody'],
      ['XGROUP', 'DESTROY', 'x', 'g'],
      ['XGROUP', 'DESTROY', 'x', 'g'],
    ]);
  });

  it('each class letter selects its events; K and E alone; new-key events with n', async () => {
    const commands = [
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '100'],
      ['LPUSH', 'l', 'x'],
      ['SADD', 's', 'x'],
      ['HSET', 'h', 'f', 'v'],
      ['ZADD', 'z', '1', 'x'],
      ['XADD', 'x', '1-1', 'f', 'v'],
      ['DEL', 'a', 'l', 's', 'h', 'z', 'x'],
    ];
    for (const classes of ['Kg', 'E$', 'Kl', 'Es', 'Kh', 'Ez', 'Kt', 'KEn', 'Kx', 'Ke', 'Kd', 'A', 'K', 'KA', 'EA', 'KEAn']) {
      await expectSameEvents(classes, commands);
    }
  });

  it('blocked clients served by a later push: the push, then the pop and del', async () => {
    const { cmd, sub } = await subscribed('KEA', 2);
    const waiters = await connections(2);
    await run(cmd, [['ZADD', 'zsrc', '1', 'a', '2', 'b']]);
    // Each blocking command and the write that serves it.
    const blocked: [string[], string[]][] = [
      [['BLPOP', 'bl', '0'], ['RPUSH', 'bl', 'x']],
      [['BLMOVE', 'bm', 'bm2', 'LEFT', 'RIGHT', '0'], ['RPUSH', 'bm', 'x']],
      [['BZPOPMIN', 'bz', '0'], ['ZADD', 'bz', '1', 'a']],
      [['BZMPOP', '0', '2', 'bz2', 'bz3', 'MAX', 'COUNT', '2'], ['ZADD', 'bz3', '1', 'a']],
      [['BZMPOP', '0', '1', 'bu', 'MIN', 'COUNT', '5'], ['ZUNIONSTORE', 'bu', '1', 'zsrc']],
      [['BZPOPMAX', 'br', '0'], ['ZRANGESTORE', 'br', 'zsrc', '0', '0']],
    ];
    for (const [argv, push] of blocked) {
      for (const w of waiters) w.write(encodeCommand(argv));
      // Both clients must be blocked before the push that serves them.
      await blockedOnEach(cmd, 1);
      await run(cmd, [push]);
      const [a, b] = await Promise.all(waiters.map((w) => w.readReply(30_000)));
      expect(a.toString('latin1')).toBe(b.toString('latin1'));
    }
    const [ours, theirs] = await drain(sub);
    expect(ours.map(brief)).toEqual(theirs.map(brief));
    expect(theirs.length).toBeGreaterThan(10);
    for (const c of [...cmd, ...sub, ...waiters]) c.close();
  });

  it('RESP3 subscribers get the same pushes', async () => {
    await expectSameEvents('KEA', [['SET', 'a', '1'], ['LPUSH', 'l', 'x'], ['DEL', 'a', 'l']], 3);
  });

  it('a seeded random write sequence gives the same notification stream', async () => {
    for (const seed of [1, 2, 3]) {
      const events = await expectSameEvents(seed === 3 ? 'KEAn' : 'KEA', randomCommands(seed, 800));
      // A stream long enough to mean something (most writes succeed on some key).
      expect(events.length).toBeGreaterThan(400);
    }
  });

  it('a seeded random sequence of reads and writes gives the same keymiss (m) events, alone and with A', async () => {
    for (const [seed, classes] of [
      [4, 'KEm'],
      [5, 'KEAm'],
      [6, 'Em'],
      [7, 'KEAmn'],
    ] as const) {
      const events = await expectSameEvents(classes, randomCommands(seed, 800, true));
      expect(events.filter((m) => m.includes('keymiss')).length, `keymiss events of seed ${seed}`).toBeGreaterThan(50);
    }
  });

  it('expired events: lazy (on access) and active (the expiry cycle)', async () => {
    const { cmd, sub } = await subscribed('KEA', 2);
    await run(cmd, [
      ['SET', 'lazy', 'v', 'PX', '150'],
      ['SET', 'active', 'v', 'PX', '150'],
    ]);
    await new Promise((r) => setTimeout(r, 120));
    // Read just before the deadline, then after it: either expiry path gives one "expired".
    await new Promise((r) => setTimeout(r, 100));
    await run(cmd, [['GET', 'lazy']]);
    // The active cycle runs ten times a second in each server, once it gets the
    // CPU: collect until both have told of both expiries (two messages per key).
    const ours: string[] = [];
    const theirs: string[] = [];
    const expiredIn = (messages: string[]) => messages.filter((m) => m.includes('expired')).length;
    for (const giveUp = Date.now() + 20_000; expiredIn(ours) < 4 || expiredIn(theirs) < 4; ) {
      if (Date.now() > giveUp) break;
      await new Promise((r) => setTimeout(r, 50));
      const [o, t] = await drain(sub);
      ours.push(...o);
      theirs.push(...t);
    }
    // Which key each server expires first depends on timing: compare as sets.
    expect([...ours].sort()).toEqual([...theirs].sort());
    expect(theirs.filter((m) => m.includes('expired')).length).toBe(4);
    for (const c of [...cmd, ...sub]) c.close();
  });

  it('keymiss (m): every read that finds no key, as Redis 7.0 reports it; writes and OBJECT-style peeks do not', async () => {
    const commands = [
      ['SET', 's', 'v'],
      ['RPUSH', 'l', '3', '1', '2'],
      ['SET', 'w_1', '10'],
      ['SET', 'g_2', 'two'],
      ['HSET', 'hw_3', 'f', '5'],
      ['XADD', 'x', '1-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 'x', 'g', '0'],
      // Strings: GET, its variants and the GET option of SET.
      ['GET', 'nokey'],
      ['GET', 's'],
      ['MGET', 'nokey', 's', 'nokey2'],
      ['STRLEN', 'nokey'],
      ['GETRANGE', 'nokey', '0', '1'],
      ['GETRANGE', 'nokey', 'x', '1'],
      ['GETDEL', 'nokey'],
      ['GETEX', 'nokey', 'PERSIST'],
      ['GETSET', 'gs', 'v'],
      ['SET', 'sg', 'v', 'GET'],
      ['SET', 'sg2', 'v', 'NX', 'GET'],
      ['INCR', 'counter'],
      ['APPEND', 'ap', 'x'],
      ['SETRANGE', 'sr', '0', 'x'],
      ['MSETNX', 'm1', '1'],
      // Keyspace: EXISTS, TOUCH, TYPE, the TTL family, COPY's source; not DEL, EXPIRE, RENAME, MOVE, PERSIST.
      ['EXISTS', 'nokey', 's', 'nokey2'],
      ['TOUCH', 'nokey', 's'],
      ['TYPE', 'nokey'],
      ['TTL', 'nokey'],
      ['PTTL', 'nokey'],
      ['EXPIRETIME', 'nokey'],
      ['PEXPIRETIME', 'nokey'],
      ['COPY', 'nokey', 'dst'],
      ['DEL', 'nokey'],
      ['UNLINK', 'nokey'],
      ['EXPIRE', 'nokey', '10'],
      ['PERSIST', 'nokey'],
      ['RENAME', 'nokey', 'other'],
      ['MOVE', 'nokey', '1'],
      ['SCAN', '0', 'TYPE', 'string'],
      // Lists: the reads; pops and pushes are writes.
      ['LLEN', 'nokey'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LRANGE', 'nokey', 'x', '-1'],
      ['LINDEX', 'nokey', '0'],
      ['LPOS', 'nokey', 'a'],
      ['LPOP', 'nokey'],
      ['RPUSHX', 'nokey', 'a'],
      ['LMOVE', 'nokey', 'l', 'LEFT', 'LEFT'],
      ['LMPOP', '2', 'nokey', 'nokey2', 'LEFT'],
      ['BLPOP', 'nokey', 'l', '0'],
      // Hashes.
      ['HGET', 'nokey', 'f'],
      ['HMGET', 'nokey', 'f', 'g'],
      ['HLEN', 'nokey'],
      ['HSTRLEN', 'nokey', 'f'],
      ['HGETALL', 'nokey'],
      ['HKEYS', 'nokey'],
      ['HVALS', 'nokey'],
      ['HEXISTS', 'nokey', 'f'],
      ['HSCAN', 'nokey', '0'],
      ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '2'],
      ['HDEL', 'nokey', 'f'],
      ['HINCRBY', 'hi', 'f', '1'],
      // Sets, their algebra (each missing input), and SMOVE (a write).
      ['SISMEMBER', 'nokey', 'a'],
      ['SMISMEMBER', 'nokey', 'a'],
      ['SCARD', 'nokey'],
      ['SMEMBERS', 'nokey'],
      ['SRANDMEMBER', 'nokey'],
      ['SRANDMEMBER', 'nokey', '3'],
      ['SSCAN', 'nokey', '0'],
      ['SINTER', 'nokey', 'nokey2'],
      ['SINTERCARD', '2', 'nokey', 'nokey2'],
      ['SINTERSTORE', 'sd', 'nokey', 'nokey2'],
      ['SUNION', 'nokey', 'nokey2'],
      ['SDIFFSTORE', 'sd', 'nokey', 'nokey2'],
      ['SMOVE', 'nokey', 'nokey2', 'a'],
      ['SPOP', 'nokey'],
      ['SREM', 'nokey', 'a'],
      // Sorted sets.
      ['ZSCORE', 'nokey', 'a'],
      ['ZMSCORE', 'nokey', 'a'],
      ['ZCARD', 'nokey'],
      ['ZRANK', 'nokey', 'a'],
      ['ZREVRANK', 'nokey', 'a'],
      ['ZCOUNT', 'nokey', '-inf', '+inf'],
      ['ZLEXCOUNT', 'nokey', '-', '+'],
      ['ZRANGE', 'nokey', '0', '-1'],
      ['ZRANGE', 'nokey', 'x', '-1'],
      ['ZRANGEBYSCORE', 'nokey', '0', '1'],
      ['ZREVRANGEBYSCORE', 'nokey', '1', '0'],
      ['ZRANGEBYLEX', 'nokey', '-', '+'],
      ['ZREVRANGE', 'nokey', '0', '1'],
      ['ZRANGESTORE', 'zd', 'nokey', '0', '-1'],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', '2'],
      ['ZSCAN', 'nokey', '0'],
      ['ZUNION', '2', 'nokey', 'nokey2'],
      ['ZINTER', '2', 'nokey', 'nokey2'],
      ['ZDIFF', '2', 'nokey', 'nokey2'],
      ['ZINTERCARD', '2', 'nokey', 'nokey2'],
      ['ZUNIONSTORE', 'zd', '2', 'nokey', 'nokey2'],
      ['ZUNIONSTORE', 'zd', '2', 'nokey', 'nokey2', 'BOGUS'],
      ['ZPOPMIN', 'nokey'],
      ['ZMPOP', '1', 'nokey', 'MIN'],
      ['ZREM', 'nokey', 'a'],
      ['ZREMRANGEBYRANK', 'nokey', '0', '1'],
      ['ZINCRBY', 'zi', '1', 'a'],
      // SORT: the key and every pattern lookup, in Redis's order.
      ['SORT', 'nokey'],
      ['SORT', 'l', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'hw_*->f', 'GET', '#', 'GET', 'g_*', 'GET', 'hw_*->f'],
      ['SORT_RO', 'l', 'BY', 'nosort', 'GET', 'g_*'],
      ['SORT', 'l', 'BY', 'constant', 'GET', 'nostar'],
      ['SORT', 'l', 'LIMIT', '0', '1', 'GET', 'g_*', 'STORE', 'sorted'],
      // Streams: XREAD looks each key up twice.
      ['XLEN', 'nokey'],
      ['XRANGE', 'nokey', '-', '+'],
      ['XREVRANGE', 'nokey', '+', '-'],
      ['XREAD', 'STREAMS', 'nokey', 'x', '0', '0'],
      ['XREAD', 'STREAMS', 'nokey', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>'],
      ['XINFO', 'STREAM', 'nokey'],
      ['XPENDING', 'nokey', 'g'],
      ['XACK', 'nokey', 'g', '1-1'],
      ['XCLAIM', 'nokey', 'g', 'c', '0', '1-1'],
      ['XAUTOCLAIM', 'nokey', 'g', 'c', '0', '0'],
      ['XTRIM', 'nokey', 'MAXLEN', '1'],
      ['XDEL', 'nokey', '1-1'],
      ['XADD', 'nokey', 'NOMKSTREAM', '*', 'f', 'v'],
      // Wrong types are no misses; inside MULTI the reads run at EXEC.
      ['LLEN', 's'],
      ['MULTI'],
      ['GET', 'nokey'],
      ['HGET', 'nokey', 'f'],
      ['EXEC'],
      ['SELECT', '3'],
      ['GET', 'nokey'],
      ['SELECT', '0'],
    ];
    const theirs = await expectSameEvents('KEm', commands);
    expect(theirs.filter((m) => m.includes('keymiss')).length).toBeGreaterThan(150);
    // Each class alone, and with everything else.
    for (const classes of ['Km', 'Em', 'KEAm', 'KEAmn', 'm', 'KEA']) await expectSameEvents(classes, commands);
  });

  it('keymiss follows the expired event of a read that found its key expired', async () => {
    const { cmd, sub } = await subscribed('KEAm', 2);
    await run(cmd, [
      ['SET', 'gone', 'v', 'PX', '1'],
      ['SET', 'gone2', 'v', 'PX', '1'],
    ]);
    // The keys were set to live 1 ms: past that (however late the reads come), each read misses.
    await new Promise((r) => setTimeout(r, 20));
    await run(cmd, [['GET', 'gone'], ['EXISTS', 'gone2']]);
    const [ours, theirs] = await drain(sub);
    // An active expiry cycle may have taken a key first (then only keymiss): compare as sets, as the expiry test does.
    expect([...ours].sort()).toEqual([...theirs].sort());
    expect(theirs.filter((m) => m.includes('keymiss')).length).toBeGreaterThanOrEqual(4);
    for (const c of [...cmd, ...sub]) c.close();
  });

  it('off by default: no messages at all', async () => {
    const theirs = await expectSameEvents('', [['SET', 'a', '1'], ['DEL', 'a']]);
    expect(theirs).toEqual([]);
  });
});

/** "channel message" of a pmessage frame (RESP2 array or RESP3 push). */
function brief(frame: string): string {
  const parts = frame.split('\r\n');
  return `${parts[6]} ${parts[8]}`;
}

/** Commands whose reply is random, in hash-table order, or follows the clock (the notifications are not). */
const RANDOM_REPLIES = new Set(['SPOP', 'SCAN', 'TTL', 'PTTL', 'EXPIRETIME', 'SRANDMEMBER', 'HRANDFIELD', 'ZRANDMEMBER', 'SMEMBERS', 'SINTER', 'SUNION', 'SDIFF']);

/**
 * A seeded random sequence of writes (and a few reads) over a few keys of
 * each type; with `reads`, as many reads again, of every kind Redis reports
 * keymiss for, on those keys and on keys that never exist.
 */
function randomCommands(seed: number, n: number, reads = false): string[][] {
  const int = seededInt(seed);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const keys = ['k1', 'k2', 'k3'];
  const members = ['a', 'b', 'c', 'd', '1', '2'];
  const num = () => String(int(5));
  let streamMs = 1;
  const makers: (() => string[])[] = [
    () => ['SET', pick(keys), pick(members)],
    () => ['SET', pick(keys), pick(members), 'NX'],
    () => ['SET', pick(keys), num(), 'XX', 'EX', '100'],
    () => ['INCRBY', pick(keys), num()],
    () => ['APPEND', pick(keys), pick(members)],
    () => ['SETRANGE', pick(keys), num(), pick(['', 'x'])],
    () => ['GETDEL', pick(keys)],
    () => ['GETEX', pick(keys), ...pick([['PERSIST'], ['EX', '100'], ['PXAT', '1']])],
    () => ['MSET', pick(keys), '1', pick(keys), '2'],
    () => ['DEL', pick(keys), pick(keys)],
    () => ['EXPIRE', pick(keys), pick(['100', '0', '-1'])],
    () => ['PERSIST', pick(keys)],
    () => ['RENAME', pick(keys), pick(keys)],
    () => ['RENAMENX', pick(keys), pick(keys)],
    () => ['COPY', pick(keys), pick(keys), ...pick([[], ['REPLACE'], ['DB', '1']])],
    () => ['LPUSH', pick(keys), pick(members), pick(members)],
    () => ['RPUSHX', pick(keys), pick(members)],
    () => ['LPOP', pick(keys), num()],
    () => ['RPOP', pick(keys)],
    () => ['LREM', pick(keys), '0', pick(members)],
    () => ['LTRIM', pick(keys), num(), num()],
    () => ['LSET', pick(keys), '0', pick(members)],
    () => ['LINSERT', pick(keys), 'AFTER', pick(members), 'x'],
    () => ['LMOVE', pick(keys), pick(keys), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])],
    () => ['HSET', pick(keys), pick(members), pick(members)],
    () => ['HDEL', pick(keys), pick(members), pick(members)],
    () => ['HINCRBY', pick(keys), pick(members), num()],
    () => ['SADD', pick(keys), pick(members), pick(members)],
    () => ['SREM', pick(keys), pick(members)],
    () => ['SMOVE', pick(keys), pick(keys), pick(members)],
    () => ['SPOP', pick(keys), pick(['1', '3', '10'])],
    () => [pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), pick(keys), pick(keys), pick(keys)],
    () => ['ZADD', pick(keys), num(), pick(members)],
    () => ['ZADD', pick(keys), 'GT', 'CH', num(), pick(members)],
    () => ['ZINCRBY', pick(keys), num(), pick(members)],
    () => ['ZREM', pick(keys), pick(members)],
    () => ['ZREMRANGEBYSCORE', pick(keys), num(), num()],
    () => ['ZPOPMIN', pick(keys), num()],
    () => ['ZRANGESTORE', pick(keys), pick(keys), '0', num()],
    () => ['ZRANGESTORE', pick(keys), pick(keys), pick(['-', '[a', '(b']), pick(['+', '[c']), 'BYLEX'],
    () => [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), pick(keys), '2', pick(keys), pick(keys)],
    () => ['ZUNIONSTORE', pick(keys), '2', pick(keys), pick(keys), 'WEIGHTS', num(), num(), 'AGGREGATE', pick(['SUM', 'MIN', 'MAX'])],
    () => ['ZREMRANGEBYLEX', pick(keys), pick(['-', '[b']), pick(['+', '(c'])],
    () => ['ZREMRANGEBYRANK', pick(keys), '0', num()],
    () => ['ZMPOP', '2', pick(keys), pick(keys), pick(['MIN', 'MAX']), 'COUNT', String(int(3) + 1)],
    () => ['BZMPOP', '0.01', '2', pick(keys), pick(keys), pick(['MIN', 'MAX'])],
    () => ['BZPOPMAX', pick(keys), '0.01'],
    () => ['SORT', pick(keys), 'ALPHA', ...pick([[], ['DESC'], ['LIMIT', '0', num()]]), 'STORE', pick(keys)],
    () => ['XADD', pick(keys), `${streamMs++}-1`, 'f', pick(members)],
    () => ['XTRIM', pick(keys), 'MAXLEN', num()],
    () => ['XDEL', pick(keys), `${int(streamMs)}-1`],
    () => ['GET', pick(keys)],
  ];
  if (!reads) return Array.from({ length: n }, () => pick(makers)());
  const some = [...keys, 'nokey'];
  const readers: (() => string[])[] = [
    () => ['GET', pick(some)],
    () => ['MGET', pick(some), pick(some)],
    () => ['STRLEN', pick(some)],
    () => ['GETRANGE', pick(some), '0', num()],
    () => ['SET', pick(keys), pick(members), 'GET'],
    () => ['GETSET', pick(keys), pick(members)],
    () => ['EXISTS', pick(some), pick(some)],
    () => ['TOUCH', pick(some)],
    () => ['TYPE', pick(some)],
    () => [pick(['TTL', 'PTTL', 'EXPIRETIME']), pick(some)],
    () => ['LLEN', pick(some)],
    () => ['LRANGE', pick(some), '0', '-1'],
    () => ['LINDEX', pick(some), num()],
    () => ['LPOS', pick(some), pick(members)],
    () => ['HGET', pick(some), pick(members)],
    () => ['HMGET', pick(some), pick(members), pick(members)],
    () => [pick(['HGETALL', 'HKEYS', 'HVALS', 'HLEN']), pick(some)],
    () => ['HEXISTS', pick(some), pick(members)],
    () => ['HRANDFIELD', pick(some)],
    () => ['SISMEMBER', pick(some), pick(members)],
    () => ['SMISMEMBER', pick(some), pick(members), pick(members)],
    () => ['SCARD', pick(some)],
    () => ['SMEMBERS', pick(some)],
    () => [pick(['SINTER', 'SUNION', 'SDIFF']), pick(some), pick(some)],
    () => ['SINTERCARD', '2', pick(some), pick(some)],
    () => ['SRANDMEMBER', pick(some)],
    () => ['ZSCORE', pick(some), pick(members)],
    () => ['ZMSCORE', pick(some), pick(members)],
    () => ['ZCARD', pick(some)],
    () => [pick(['ZRANK', 'ZREVRANK']), pick(some), pick(members)],
    () => ['ZCOUNT', pick(some), '-inf', '+inf'],
    () => ['ZRANGE', pick(some), '0', '-1', 'WITHSCORES'],
    () => ['ZRANGEBYSCORE', pick(some), '0', num()],
    () => ['ZREVRANGEBYLEX', pick(some), '+', '-'],
    () => [pick(['ZUNION', 'ZINTER', 'ZDIFF']), '2', pick(some), pick(some)],
    () => ['ZINTERCARD', '2', pick(some), pick(some)],
    () => ['ZRANDMEMBER', pick(some)],
    () => ['XLEN', pick(some)],
    () => ['XRANGE', pick(some), '-', '+'],
    () => ['XREAD', 'COUNT', '1', 'STREAMS', pick(some), pick(some), '0', '0'],
    // Sorted first, so the GET lookups come in an order both servers share.
    () => ['SORT', pick(some), 'ALPHA', 'GET', '#', 'GET', pick(['*', 'k*', 'no*'])],
  ];
  return Array.from({ length: n }, () => (int(2) === 0 ? pick(makers) : pick(readers))());
}
