// Blocking list commands, compared with real Redis: each scenario runs with
// several connections against simpledb and then against redis-server, and
// the transcripts (every reply each connection received, in order) must be
// identical. A scenario waits until the server reports its clients as
// blocked (INFO's blocked_clients) before acting, so nothing depends on
// timing; timeouts are only used where the timeout itself is under test.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPair, type ServerPair } from '../helpers/differential.js';
import { compareScenario, next, send, type Scenario } from '../helpers/blocking-scenario.js';
import { encodeCommand } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('blocking list commands (compared with Redis)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  const scenario = (body: Scenario) => compareScenario(pair, body);

  it('serves waiters on one key first come, first served', async () => {
    const replies = await scenario(async ({ open, blocked }) => {
      const [a, b, c, p] = [await open(), await open(), await open(), await open()];
      send(a, 'BLPOP', 'q', '0');
      await blocked(1);
      send(b, 'BLPOP', 'q', '0');
      await blocked(2);
      send(c, 'BRPOP', 'q', '0');
      await blocked(3);
      const out = [await p.command('RPUSH', 'q', 'x', 'y')];
      out.push('a ' + (await next(a)), 'b ' + (await next(b)));
      await blocked(1);
      out.push(await p.command('LPUSH', 'q', 'z'), 'c ' + (await next(c)), await p.command('EXISTS', 'q'));
      return out;
    });
    expect(replies[1]).toBe('a *2\r\n$1\r\nq\r\n$1\r\nx\r\n');
  });

  it('a multi-element push serves the waiter after the whole command', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      send(a, 'BLPOP', 'q', '0');
      await blocked(1);
      return [await p.command('LPUSH', 'q', 'a', 'b', 'c'), await next(a), await p.command('LRANGE', 'q', '0', '-1')];
    });
  });

  it('serves several waiters from one push while elements last', async () => {
    await scenario(async ({ open, blocked }) => {
      const conns = [await open(), await open(), await open()];
      const p = await open();
      for (let i = 0; i < conns.length; i++) {
        send(conns[i], 'BRPOP', 'q', '0');
        await blocked(i + 1);
      }
      const out = [await p.command('RPUSH', 'q', '1', '2')];
      out.push(await next(conns[0]), await next(conns[1]));
      await blocked(1);
      out.push(await p.command('RPUSH', 'q', '3'), await next(conns[2]), await p.command('LLEN', 'q'));
      return out;
    });
  });

  it('a client waiting on several keys is served by the first key written; repeated keys count once', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLPOP', 'k1', 'k2', 'k1', '0');
      await blocked(1);
      send(b, 'BLPOP', 'k2', '0');
      await blocked(2);
      const out = [await p.command('RPUSH', 'k2', 'x')];
      out.push('a ' + (await next(a)));
      await blocked(1);
      out.push(await p.command('RPUSH', 'k1', 'y'), await p.command('RPUSH', 'k2', 'z'), 'b ' + (await next(b)));
      out.push(await p.command('LRANGE', 'k1', '0', '-1'), await p.command('EXISTS', 'k2'));
      return out;
    });
  });

  it('when data is present, the first non-empty key among several wins at once', async () => {
    await scenario(async ({ open }) => {
      const c = await open();
      return [
        await c.command('RPUSH', 'k2', 'a'),
        await c.command('RPUSH', 'k3', 'b', 'c', 'd'),
        await c.command('BLPOP', 'k1', 'k2', 'k3', '0'),
        await c.command('BRPOP', 'k1', 'k2', 'k3', '0'),
        await c.command('BLMPOP', '0', '3', 'k1', 'k2', 'k3', 'LEFT'),
      ];
    });
  });

  it('is woken by LMOVE and RPOPLPUSH into the key, and BLMOVE chains into another waiter', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      const out = [await p.command('RPUSH', 'src', '1', '2', '3')];
      send(a, 'BLPOP', 'dst', '0');
      await blocked(1);
      out.push(await p.command('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'), await next(a));
      send(a, 'BRPOP', 'dst', '0');
      await blocked(1);
      out.push(await p.command('RPOPLPUSH', 'src', 'dst'), await next(a));
      // a moves from 'in' to 'mid'; b waits on 'mid'.
      send(a, 'BLMOVE', 'in', 'mid', 'RIGHT', 'LEFT', '0');
      await blocked(1);
      send(b, 'BLPOP', 'mid', '0');
      await blocked(2);
      out.push(await p.command('RPUSH', 'in', 'v'), 'a ' + (await next(a)), 'b ' + (await next(b)));
      out.push(await p.command('EXISTS', 'in', 'mid', 'src'));
      return out;
    });
  });

  it('BLMOVE and BRPOPLPUSH move the element when served', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLMOVE', 'src', 'dst', 'RIGHT', 'RIGHT', '0');
      await blocked(1);
      send(b, 'BRPOPLPUSH', 'src', 'dst', '0');
      await blocked(2);
      const out = [await p.command('RPUSH', 'dst', 'old'), await p.command('RPUSH', 'src', 'x', 'y')];
      out.push('a ' + (await next(a)), 'b ' + (await next(b)));
      out.push(await p.command('LRANGE', 'dst', '0', '-1'), await p.command('EXISTS', 'src'));
      // Same source and destination: a rotation.
      send(a, 'BLMOVE', 'ring', 'ring', 'LEFT', 'RIGHT', '0');
      await blocked(1);
      out.push(await p.command('RPUSH', 'ring', '1'), await next(a), await p.command('LRANGE', 'ring', '0', '-1'));
      // A rotation waiter ahead of a plain waiter: the element goes round, then to the second.
      send(a, 'BLMOVE', 'r2', 'r2', 'RIGHT', 'LEFT', '0');
      await blocked(1);
      send(b, 'BLPOP', 'r2', '0');
      await blocked(2);
      out.push(await p.command('RPUSH', 'r2', 'v'), 'a ' + (await next(a)), 'b ' + (await next(b)), await p.command('EXISTS', 'r2'));
      return out;
    });
  });

  it('BLMPOP waiters get up to COUNT elements', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '2');
      await blocked(1);
      send(b, 'BLMPOP', '0', '1', 'y', 'LEFT', 'COUNT', '10');
      await blocked(2);
      const out = [await p.command('RPUSH', 'y', '1', '2', '3', '4', '5')];
      out.push('a ' + (await next(a)), 'b ' + (await next(b)), await p.command('EXISTS', 'y'));
      return out;
    });
  });

  it('pushes inside MULTI/EXEC wake waiters at EXEC, seeing the final state', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLPOP', 'k', '0');
      await blocked(1);
      const out = [await p.command('MULTI'), await p.command('LPUSH', 'k', 'first'), await p.command('LPUSH', 'k', 'second')];
      out.push(await p.command('RPUSH', 'k', 'third'), await p.command('EXEC'), 'a ' + (await next(a)));
      out.push(await p.command('LRANGE', 'k', '0', '-1'), await p.command('DEL', 'k'));
      // Pushed and popped within one transaction: nothing to serve, the waiter keeps waiting.
      send(a, 'BLPOP', 'k', '0');
      await blocked(1);
      out.push(await p.command('MULTI'), await p.command('RPUSH', 'k', 'gone'), await p.command('LPOP', 'k'), await p.command('EXEC'));
      await blocked(1);
      out.push(await p.command('RPUSH', 'k', 'later'), 'a ' + (await next(a)));
      // Two keys written in one transaction: the waiter is served by the first written.
      send(b, 'BLPOP', 'k1', 'k2', '0');
      await blocked(1);
      out.push(await p.command('MULTI'), await p.command('RPUSH', 'k2', 'two'), await p.command('RPUSH', 'k1', 'one'));
      out.push(await p.command('EXEC'), 'b ' + (await next(b)), await p.command('LRANGE', 'k1', '0', '-1'));
      return out;
    });
  });

  it('blocking commands inside MULTI answer at once with nil, never block', async () => {
    await scenario(async ({ open }) => {
      const [c, c3] = [await open(), await open(3)];
      const out: string[] = [];
      for (const conn of [c, c3]) {
        out.push(await conn.command('MULTI'));
        for (const cmd of [
          ['BLPOP', 'e', '0'],
          ['BRPOP', 'e', 'f', '0'],
          ['BLMOVE', 'e', 'd', 'LEFT', 'LEFT', '0'],
          ['BRPOPLPUSH', 'e', 'd', '0'],
          ['BLMPOP', '0', '1', 'e', 'LEFT'],
          ['RPUSH', 'e', 'v'],
          ['BLPOP', 'e', '0'],
        ]) out.push(await conn.command(...cmd));
        out.push(await conn.command('EXEC'));
      }
      return out;
    });
  });

  it('times out with the nil array, in RESP2 and RESP3', async () => {
    await scenario(async ({ open }) => {
      const [c, c3, p] = [await open(), await open(3), await open()];
      const out: string[] = [];
      for (const conn of [c, c3]) {
        out.push(await conn.command('BLPOP', 'k', '0.05'));
        out.push(await conn.command('BRPOP', 'k', 'k2', '0.01'));
        out.push(await conn.command('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.02'));
        out.push(await conn.command('BRPOPLPUSH', 'k', 'd', '0.02'));
        out.push(await conn.command('BLMPOP', '0.01', '1', 'k', 'LEFT', 'COUNT', '3'));
      }
      // A client that timed out is no longer waiting: the element stays.
      out.push(await p.command('RPUSH', 'k', 'v'), await p.command('LLEN', 'k'));
      return out;
    });
  });

  it('odd timeouts: -0.001 and -0.0001 wait forever, 1e-400 is 1 ms, hex floats are seconds', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, d, p] = [await open(), await open(), await open(), await open(), await open()];
      send(a, 'BLPOP', 'k', '-0.001');
      await blocked(1);
      send(b, 'BRPOP', 'k', '-0.0001');
      await blocked(2);
      send(c, 'BLPOP', 'k', '0x1p6');
      await blocked(3);
      const out = [await d.command('BLPOP', 'k', '1e-400'), await d.command('BLPOP', 'k', '-0.002')];
      out.push(await p.command('RPUSH', 'k', '1', '2', '3'), await next(a), await next(b), await next(c));
      return out;
    });
  });

  it('timeouts beyond what a single timer can hold (24.8 days) still wait', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLPOP', 'k', '2147484');
      send(b, 'BRPOP', 'k', '9000000000000000');
      await blocked(2);
      return [await p.command('RPUSH', 'k', 'x', 'y'), await next(a), await next(b)];
    });
  });

  it('a waiter with a timeout is served when data comes first; RESP3 waiters get arrays', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(3), await open()];
      send(a, 'BLPOP', 'k', '30');
      await blocked(1);
      send(b, 'BLMPOP', '30', '1', 'k', 'LEFT', 'COUNT', '2');
      await blocked(2);
      return [await p.command('RPUSH', 'k', 'a', 'b', 'c'), await next(a), await next(b), await p.command('LLEN', 'k')];
    });
  });

  it('commands pipelined behind a blocked one run after it is served', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      a.write(Buffer.concat([encodeCommand(['BLPOP', 'k', '0']), encodeCommand(['RPUSH', 'k', 'self']), encodeCommand(['LLEN', 'k'])]));
      await blocked(1);
      return [await p.command('RPUSH', 'k', 'x'), await next(a), await next(a), await next(a)];
    });
  });

  it('a key that becomes another type keeps its waiters waiting', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      send(a, 'BRPOP', 'k', '0');
      await blocked(1);
      const out = [await p.command('SET', 'k', 'string')];
      await blocked(1);
      out.push(await p.command('LPUSH', 'k', 'x'), await p.command('DEL', 'k'));
      out.push(await p.command('MULTI'), await p.command('SET', 'k', 's'), await p.command('DEL', 'k'), await p.command('RPUSH', 'k', 'v'));
      out.push(await p.command('EXEC'), await next(a), await p.command('EXISTS', 'k'));
      return out;
    });
  });

  it('a BLMOVE waiter whose destination has the wrong type gets WRONGTYPE and pops nothing', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
      await blocked(1);
      send(b, 'BLPOP', 'src', '0');
      await blocked(2);
      const out = [await p.command('SET', 'dst', 'string'), await p.command('RPUSH', 'src', 'v')];
      out.push('a ' + (await next(a)), 'b ' + (await next(b)), await p.command('EXISTS', 'src'));
      return out;
    });
  });

  it('a client that disconnects while blocked is forgotten', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      send(a, 'BLPOP', 'k', '0');
      await blocked(1);
      send(b, 'BLPOP', 'k', '0');
      await blocked(2);
      a.close();
      await blocked(1);
      const out = [await p.command('RPUSH', 'k', 'x', 'y'), await next(b), await p.command('LRANGE', 'k', '0', '-1')];
      b.close();
      await blocked(0);
      out.push(await p.command('RPUSH', 'k', 'z'), await p.command('LLEN', 'k'));
      return out;
    });
  });

  it('waiters in different databases are independent', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      const out = [await a.command('SELECT', '1')];
      send(a, 'BLPOP', 'k', '0');
      await blocked(1);
      out.push(await p.command('RPUSH', 'k', 'db0'), await p.command('SELECT', '1'), await p.command('RPUSH', 'k', 'db1'));
      out.push(await next(a), await p.command('SELECT', '0'), await p.command('LRANGE', 'k', '0', '-1'));
      return out;
    });
  });
});
