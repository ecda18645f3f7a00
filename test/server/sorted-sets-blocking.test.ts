// BZPOPMIN/BZPOPMAX waiting, differential: the same clients block on
// simpledb and on a real redis-server, the same writes wake them, and every
// reply (including the order in which waiters are served) must match.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { expectSameReplies, startPair, type ServerPair } from '../helpers/differential.js';
import { encodeCommand, type RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

type Pair = [RawConnection, RawConnection];

describeWithRedis('BZPOPMIN / BZPOPMAX blocking (differential)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  /** Connections of the running test, closed after it so no waiter outlives its test. */
  let opened: RawConnection[] = [];
  afterEach(() => {
    for (const c of opened) c.close();
    opened = [];
  });

  async function client(protocol: 2 | 3 = 2): Promise<Pair> {
    const conns = await pair.connect();
    opened.push(...conns);
    if (protocol === 3) for (const c of conns) expect(await c.command('HELLO', '3')).toMatch(/^%/);
    return conns;
  }

  /** A control connection on empty servers. */
  async function fresh(): Promise<Pair> {
    const conns = await client();
    await expectSameReplies(conns, [['FLUSHALL']]);
    return conns;
  }

  /** Sends a command without reading its reply (it blocks). */
  function send(conns: Pair, ...argv: string[]): void {
    for (const c of conns) c.write(encodeCommand(argv));
  }

  /** Waits until each server reports `n` blocked clients, so later writes find them waiting. */
  async function waitBlocked(control: Pair, n: number): Promise<void> {
    for (const c of control) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const info = await c.command('INFO', 'clients');
        const m = /blocked_clients:(\d+)/.exec(info);
        if (m && Number(m[1]) === n) break;
        if (Date.now() > deadline) throw new Error(`blocked_clients never reached ${n}: ${info}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  /** Reads the next reply on both connections and asserts they are identical. */
  async function expectSameNext(conns: Pair, label: string): Promise<string> {
    const [a, b] = await Promise.all(conns.map((c) => c.readReply(3000).then((r) => r.toString('latin1'))));
    expect(JSON.stringify(a), label).toBe(JSON.stringify(b));
    return b;
  }

  it('a ZADD wakes a waiter, which gets [key, member, score]', async () => {
    for (const protocol of [2, 3] as const) {
      const control = await fresh();
      const waiter = await client(protocol);
      send(waiter, 'BZPOPMIN', 'z', '0');
      await waitBlocked(control, 1);
      await expectSameReplies(control, [['ZADD', 'z', '1.5', 'a', '2', 'b']]);
      expect(await expectSameNext(waiter, 'BZPOPMIN reply')).toContain('z');
      await expectSameReplies(control, [['ZRANGE', 'z', '0', '-1', 'WITHSCORES']]);
      send(waiter, 'BZPOPMAX', 'z', '0');
      await expectSameNext(waiter, 'BZPOPMAX with data');
      await expectSameReplies(control, [['EXISTS', 'z']]);
    }
  });

  it('waiters are served in arrival order, one element each', async () => {
    const control = await fresh();
    const first = await client();
    const second = await client();
    const third = await client();
    send(first, 'BZPOPMIN', 'z', '0');
    await waitBlocked(control, 1);
    send(second, 'BZPOPMAX', 'z', '0');
    await waitBlocked(control, 2);
    send(third, 'BZPOPMIN', 'other', 'z', '0');
    await waitBlocked(control, 3);
    await expectSameReplies(control, [['ZADD', 'z', '1', 'a', '2', 'b']]);
    await expectSameNext(first, 'first waiter');
    await expectSameNext(second, 'second waiter');
    // The set is now empty and gone: the third keeps waiting until the next write.
    await waitBlocked(control, 1);
    await expectSameReplies(control, [['EXISTS', 'z'], ['ZADD', 'other', '9', 'o']]);
    await expectSameNext(third, 'third waiter, woken by another key');
  });

  it('the first key with data wins; the reply names it', async () => {
    const control = await fresh();
    const waiter = await client();
    send(waiter, 'BZPOPMAX', 'k1', 'k2', 'k3', '0');
    await waitBlocked(control, 1);
    await expectSameReplies(control, [['ZADD', 'k3', '3', 'c'], ['ZADD', 'k2', '2', 'b']]);
    await expectSameNext(waiter, 'woken by k3');
    await expectSameReplies(control, [['ZCARD', 'k2'], ['EXISTS', 'k3']]);
  });

  it('writes inside MULTI/EXEC wake waiters after EXEC', async () => {
    const control = await fresh();
    const waiter = await client();
    send(waiter, 'BZPOPMIN', 'z', '0');
    await waitBlocked(control, 1);
    await expectSameReplies(control, [['MULTI'], ['ZADD', 'z', '5', 'e'], ['ZADD', 'z', '1', 'a'], ['ZINCRBY', 'z', '10', 'a'], ['EXEC']]);
    await expectSameNext(waiter, 'served with the state after EXEC');
    await expectSameReplies(control, [['ZRANGE', 'z', '0', '-1', 'WITHSCORES']]);
  });

  it('a key that is not a sorted set when signalled keeps the client waiting', async () => {
    const control = await fresh();
    const waiter = await client();
    send(waiter, 'BZPOPMIN', 'z', '0');
    await waitBlocked(control, 1);
    await expectSameReplies(control, [['MULTI'], ['ZADD', 'z', '1', 'a'], ['DEL', 'z'], ['SET', 'z', 'str'], ['EXEC']]);
    await waitBlocked(control, 1);
    await expectSameReplies(control, [['DEL', 'z'], ['ZADD', 'z', '7', 'late']]);
    await expectSameNext(waiter, 'served once a sorted set appears');
  });

  it('times out with the nil array (RESP2) or null (RESP3)', async () => {
    for (const protocol of [2, 3] as const) {
      const control = await fresh();
      const waiter = await client(protocol);
      send(waiter, 'BZPOPMIN', 'z', 'other', '0.05');
      expect(await expectSameNext(waiter, 'timeout reply')).toBe(protocol === 2 ? '*-1\r\n' : '_\r\n');
      send(waiter, 'BZPOPMAX', 'z', '0.01');
      await expectSameNext(waiter, 'second timeout');
      // The connection works normally afterwards and nothing was left behind.
      await expectSameReplies(waiter, [['PING']]);
      await expectSameReplies(control, [['EXISTS', 'z']]);
    }
  });
});
