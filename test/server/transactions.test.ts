// MULTI/EXEC/DISCARD/WATCH/UNWATCH, differential: every step goes to simpledb
// and to a real redis-server, under RESP2 and RESP3, and the reply bytes must
// be identical. Scenarios with a second client (WATCH conflicts, blocked
// waiters) run the same steps on both servers, in the same order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectSameReplies, startPair, type ServerPair } from '../helpers/differential.js';
import type { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

type Cmd = readonly string[] | string;
type Pair = [RawConnection, RawConnection];

/** Polls INFO until the server reports `n` blocked clients. */
async function waitBlocked(c: RawConnection, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await c.command('INFO', 'clients')).includes(`blocked_clients:${n}\r\n`)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw blocked_clients:${n}`);
}

describeWithRedis('transactions (differential)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  /** A pair of connections speaking `protocol`; `flush` empties both servers first. */
  async function connections(protocol: 2 | 3, flush = true): Promise<Pair> {
    const conns = await pair.connect();
    if (protocol === 3) {
      // HELLO's reply names the server, its version and the client id: not compared.
      for (const c of conns) expect(await c.command('HELLO', '3')).toMatch(/^%7\r\n/);
    }
    if (flush) await expectSameReplies(conns, [['FLUSHALL']]);
    return conns;
  }

  const closeAll = (...pairs: Pair[]) => {
    for (const p of pairs) for (const c of p) c.close();
  };

  /** Runs the commands on one connection from empty servers, under RESP2 and then RESP3. */
  async function check(commands: readonly Cmd[]): Promise<void> {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, commands);
      closeAll(conns);
    }
  }

  /** Runs a scenario with two clients (a, b) under RESP2 and RESP3. */
  async function twoClients(scenario: (a: Pair, b: Pair, protocol: 2 | 3) => Promise<void>): Promise<void> {
    for (const protocol of [2, 3] as const) {
      const a = await connections(protocol);
      const b = await connections(protocol, false);
      await scenario(a, b, protocol);
      closeAll(a, b);
    }
  }

  it('MULTI/EXEC queues commands and replies with all their replies', async () => {
    await check([
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['INCR', 'n'],
      ['GET', 'k'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LRANGE', 'l', '0', '-1'],
      ['HSET', 'h', 'f', '1'],
      ['HGETALL', 'h'],
      ['ZADD', 'z', '1.5', 'm'],
      ['ZSCORE', 'z', 'm'],
      ['GET', 'missing'],
      ['PING'],
      ['ECHO', 'x'],
      ['EXEC'],
      ['GET', 'k'],
      ['MULTI'],
      ['EXEC'],
      ['multi'],
      ['incr', 'n'],
      ['exec'],
    ]);
  });

  it('MULTI cannot be nested; EXEC and DISCARD need MULTI; DISCARD drops the queue', async () => {
    await check([
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['SET', 'k', '1'],
      ['EXEC'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'k', '2'],
      ['DISCARD'],
      ['GET', 'k'],
      ['DISCARD'],
      ['MULTI', 'extra'],
      ['EXEC', 'extra'],
      ['DISCARD', 'extra'],
      // A refused EXEC discards the transaction.
      ['MULTI'],
      ['SET', 'k', '3'],
      ['EXEC', 'extra'],
      ['EXEC'],
      ['GET', 'k'],
    ]);
  });

  it('EXECABORT after an unknown command or a wrong arity while queueing', async () => {
    await check([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['NOSUCH', 'x', 'y'],
      ['SET', 'b', '2'],
      ['EXEC'],
      ['GET', 'a'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['GET'],
      ['EXEC'],
      ['GET', 'a'],
      ['MULTI'],
      ['SET', 'a'],
      ['DISCARD'],
      ['EXEC'],
    ]);
  });

  it('EXECABORT after an unknown subcommand or a subcommand with the wrong arity', async () => {
    await check([
      ['MULTI'],
      ['SET', 'a', '1'],
      ['CLIENT', 'NOSUCH'],
      ['EXEC'],
      ['GET', 'a'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['CLIENT', 'SETNAME'],
      ['EXEC'],
      ['MULTI'],
      ['CONFIG', 'GET'],
      ['EXEC'],
      ['MULTI'],
      ['PUBSUB', 'NUMPAT', 'extra'],
      ['EXEC'],
      ['MULTI'],
      ['CLIENT'],
      ['EXEC'],
      ['GET', 'a'],
      // Refused inside a transaction at once (and never run at EXEC).
      ['MULTI'],
      ['SHUTDOWN', 'NOSAVE'],
      ['EXEC'],
    ]);
  });

  it('runtime errors inside EXEC do not stop the other commands', async () => {
    await check([
      ['SET', 's', 'text'],
      ['MULTI'],
      ['LPUSH', 's', 'a'],
      ['INCR', 's'],
      ['SET', 't', 'y'],
      ['INCRBY', 't', 'nan'],
      ['SET', 'k', 'v', 'BADOPTION'],
      ['APPEND', 's', '!'],
      ['EXEC'],
      ['GET', 's'],
      ['GET', 't'],
    ]);
  });

  it('commands that are not queued inside MULTI', async () => {
    await check([
      ['MULTI'],
      ['WATCH', 'k'],
      ['SET', 'k', 'v'],
      ['EXEC'],
      ['MULTI'],
      ['UNWATCH'],
      ['PING'],
      ['EXEC'],
      ['MULTI'],
      ['MONITOR'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'k', 'w'],
      ['RESET'],
      ['EXEC'],
      ['GET', 'k'],
    ]);
  });

  it('QUIT inside MULTI closes the connection and drops the queue', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [['MULTI'], ['SET', 'k', 'v'], ['QUIT']]);
      for (const c of conns) expect(await c.waitClosed()).toBe(true);
      const other = await connections(protocol, false);
      await expectSameReplies(other, [['GET', 'k']]);
      closeAll(conns, other);
    }
  });

  it('WATCH: a write from another client makes EXEC reply nil', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['SET', 'k', '1'], ['WATCH', 'k'], ['MULTI'], ['INCR', 'k'], ['SET', 'other', 'x']]);
      await expectSameReplies(b, [['SET', 'k', '10']]);
      await expectSameReplies(a, [['EXEC'], ['GET', 'k'], ['GET', 'other']]);
      // The failed EXEC unwatched k: the next transaction runs.
      await expectSameReplies(b, [['SET', 'k', '20']]);
      await expectSameReplies(a, [['MULTI'], ['INCR', 'k'], ['EXEC']]);
    });
  });

  it('WATCH: any kind of write counts, even one that leaves the same value', async () => {
    const writes: string[][] = [
      ['SET', 'k', '1'],
      ['DEL', 'k'],
      ['EXPIRE', 'k', '100'],
      ['RENAME', 'k', 'k2'],
      ['APPEND', 'k', ''],
      ['INCRBY', 'k', '0'],
      ['FLUSHDB'],
    ];
    for (const write of writes) {
      await twoClients(async (a, b) => {
        await expectSameReplies(a, [['SET', 'k', '1'], ['WATCH', 'k'], ['MULTI'], ['GET', 'k']]);
        await expectSameReplies(b, [write]);
        await expectSameReplies(a, [['EXEC']]);
      });
    }
  });

  it('WATCH: reads, writes to other keys and no-op commands leave EXEC alone', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['SET', 'k', '1'], ['WATCH', 'k', 'missing']]);
      await expectSameReplies(b, [['GET', 'k'], ['EXISTS', 'k'], ['SET', 'k2', 'x'], ['DEL', 'missing'], ['LPOP', 'missing'], ['SELECT', '1'], ['SET', 'k', 'other db']]);
      await expectSameReplies(a, [['MULTI'], ['INCR', 'k'], ['EXEC'], ['GET', 'k']]);
    });
  });

  it('WATCH: the watcher\'s own write also aborts EXEC', async () => {
    await check([['WATCH', 'k'], ['SET', 'k', 'mine'], ['MULTI'], ['GET', 'k'], ['EXEC'], ['GET', 'k']]);
  });

  it('WATCH: a key created by another client counts as modified', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['WATCH', 'new'], ['MULTI'], ['GET', 'new']]);
      await expectSameReplies(b, [['LPUSH', 'new', 'x']]);
      await expectSameReplies(a, [['EXEC']]);
    });
  });

  it('UNWATCH and DISCARD forget watched keys', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['WATCH', 'k']]);
      await expectSameReplies(b, [['SET', 'k', '1']]);
      await expectSameReplies(a, [['UNWATCH'], ['MULTI'], ['SET', 'k', 'a'], ['EXEC'], ['GET', 'k']]);
      await expectSameReplies(a, [['WATCH', 'k'], ['MULTI'], ['DISCARD']]);
      await expectSameReplies(b, [['SET', 'k', '2']]);
      await expectSameReplies(a, [['MULTI'], ['SET', 'k', 'b'], ['EXEC'], ['GET', 'k']]);
    });
  });

  it('UNWATCH inside MULTI is queued: the keys stay watched until EXEC', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['WATCH', 'k'], ['MULTI'], ['UNWATCH'], ['SET', 'k', 'a']]);
      await expectSameReplies(b, [['SET', 'k', 'b']]);
      await expectSameReplies(a, [['EXEC'], ['GET', 'k']]);
    });
  });

  it('WATCH inside MULTI is an error that does not abort the transaction', async () => {
    await check([['MULTI'], ['WATCH', 'k'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k'], ['WATCH'], ['UNWATCH', 'extra']]);
  });

  it('FLUSHALL and FLUSHDB touch watched keys that exist, in the flushed databases only', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['SET', 'k', '1'], ['WATCH', 'k'], ['MULTI'], ['GET', 'k']]);
      await expectSameReplies(b, [['FLUSHALL']]);
      await expectSameReplies(a, [['EXEC']]);
      // A watched key that does not exist is not touched by a flush.
      await expectSameReplies(a, [['WATCH', 'absent'], ['MULTI'], ['GET', 'absent']]);
      await expectSameReplies(b, [['FLUSHALL']]);
      await expectSameReplies(a, [['EXEC']]);
      // FLUSHDB in another database leaves db 0's watched keys alone.
      await expectSameReplies(a, [['SET', 'k', '1'], ['WATCH', 'k'], ['MULTI'], ['GET', 'k']]);
      await expectSameReplies(b, [['SELECT', '1'], ['SET', 'k', 'x'], ['FLUSHDB'], ['SELECT', '0']]);
      await expectSameReplies(a, [['EXEC']]);
      await expectSameReplies(a, [['WATCH', 'k'], ['MULTI'], ['GET', 'k']]);
      await expectSameReplies(b, [['FLUSHDB']]);
      await expectSameReplies(a, [['EXEC']]);
    });
  });

  it('WATCH in one database is not touched by the same key in another', async () => {
    await twoClients(async (a, b) => {
      await expectSameReplies(a, [['SELECT', '2'], ['WATCH', 'k'], ['MULTI'], ['SET', 'k', 'a']]);
      await expectSameReplies(b, [['SET', 'k', 'db0']]);
      await expectSameReplies(a, [['EXEC']]);
      await expectSameReplies(a, [['WATCH', 'k'], ['MULTI'], ['SET', 'k', 'b']]);
      await expectSameReplies(b, [['SELECT', '2'], ['SET', 'k', 'db2']]);
      await expectSameReplies(a, [['EXEC'], ['GET', 'k']]);
    });
  });

  it('a watched key that expires before EXEC aborts it', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [['SET', 'k', 'v', 'PX', '50'], ['WATCH', 'k']]);
      await new Promise((r) => setTimeout(r, 150));
      await expectSameReplies(conns, [['MULTI'], ['PING'], ['EXEC']]);
      closeAll(conns);
    }
  });

  it('SELECT inside MULTI changes the database for the rest of the transaction and after', async () => {
    await check([
      ['SET', 'k', 'db0'],
      ['MULTI'],
      ['SELECT', '1'],
      ['SET', 'k', 'db1'],
      ['GET', 'k'],
      ['SELECT', '99'],
      ['SELECT', '0'],
      ['GET', 'k'],
      ['SELECT', '3'],
      ['EXEC'],
      ['GET', 'k'],
      ['SELECT', '1'],
      ['GET', 'k'],
    ]);
  });

  it('blocking commands inside MULTI reply at once', async () => {
    await check([
      ['MULTI'],
      ['BLPOP', 'nolist', '0'],
      ['BRPOP', 'nolist', 'other', '1'],
      ['BLMOVE', 'nolist', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'nolist', 'dst', '0'],
      ['BZPOPMIN', 'nozset', '0'],
      ['RPUSH', 'list', 'a'],
      ['BLPOP', 'list', '0'],
      ['BLPOP', 'list', '0'],
      ['EXEC'],
    ]);
  });

  it('a push inside MULTI wakes a BLPOP waiter only after EXEC', async () => {
    await twoClients(async (waiter, a) => {
      for (const c of waiter) c.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n');
      // The waiter is blocked on both servers before the transaction starts.
      await Promise.all(a.map((c) => waitBlocked(c, 1)));
      await expectSameReplies(a, [['MULTI'], ['RPUSH', 'q', 'a', 'b'], ['LLEN', 'q'], ['LRANGE', 'q', '0', '-1'], ['EXEC']]);
      const [ours, theirs] = await Promise.all(waiter.map((c) => c.readReply()));
      expect(ours.toString('latin1')).toBe(theirs.toString('latin1'));
      await expectSameReplies(a, [['LRANGE', 'q', '0', '-1']]);
      await expectSameReplies(waiter, [['PING']]);
    });
  });

  it('a transaction of 1000 commands', async () => {
    const commands: string[][] = [['MULTI']];
    for (let i = 0; i < 1000; i++) commands.push(i % 3 === 0 ? ['INCR', 'n'] : i % 3 === 1 ? ['RPUSH', 'l', String(i)] : ['LLEN', 'l']);
    commands.push(['EXEC'], ['GET', 'n'], ['LLEN', 'l']);
    await check(commands);
  });
});
