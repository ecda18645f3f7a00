// Pub/sub, differential: subscriptions, confirmations, message and pmessage
// frames, PUBLISH counts, PUBSUB introspection and the RESP2 subscribe-mode
// rules go to simpledb and to a real redis-server, and the bytes must be
// identical (RESP3 push frames included). Where Redis lists channels in its
// hash table's order (UNSUBSCRIBE with no argument, PUBSUB CHANNELS), the
// frames are compared as sets. Sharded pub/sub (SSUBSCRIBE, SPUBLISH...)
// as a one-shard Redis has it is compared the same way. Then, simpledb only: a subscriber that stops
// reading is disconnected at Redis's pub/sub output limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { expectSameReplies, startPair, type ServerPair } from '../helpers/differential.js';
import { frameEnd, RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

type Pair = [RawConnection, RawConnection];

/** Splits a byte string into its top-level RESP frames. */
function frames(s: string): string[] {
  const buf = Buffer.from(s, 'latin1');
  const out: string[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const end = frameEnd(buf, pos);
    if (end < 0) throw new Error(`incomplete frame in ${JSON.stringify(s.slice(pos))}`);
    out.push(buf.toString('latin1', pos, end));
    pos = end;
  }
  return out;
}

/**
 * Reads `n` frames from each connection and expects them equal. `unordered`
 * is for what Redis emits in its hash tables' order (UNSUBSCRIBE with no
 * argument, deliveries to several matching patterns): the frames must be the
 * same set, and a running count closing each frame must count the same way.
 */
async function expectSameFrames(conns: Pair, n: number, unordered = false): Promise<void> {
  const read = async (c: RawConnection) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await c.readReply()).toString('latin1'));
    return out;
  };
  const [ours, theirs] = await Promise.all(conns.map(read));
  if (!unordered) {
    expect(ours).toEqual(theirs);
    return;
  }
  const count = /:(\d+)\r\n$/;
  const counts = (frames: string[]) => frames.map((f) => count.exec(f)?.[1] ?? null);
  const bodies = (frames: string[]) => frames.map((f) => f.replace(count, '')).sort();
  expect(bodies(ours)).toEqual(bodies(theirs));
  expect(counts(ours)).toEqual(counts(theirs));
}

/** Writes a command to both connections without reading a reply. */
function send(conns: Pair, ...argv: string[]): void {
  const wire = `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
  for (const c of conns) c.write(wire);
}

describeWithRedis('pub/sub (differential)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  const opened: Pair[] = [];
  async function connections(protocol: 2 | 3): Promise<Pair> {
    const conns = await pair.connect();
    if (protocol === 3) for (const c of conns) expect(await c.command('HELLO', '3')).toMatch(/^%7\r\n/);
    opened.push(conns);
    return conns;
  }
  function closeAll(): void {
    for (const p of opened.splice(0)) for (const c of p) c.close();
  }

  /** Runs a scenario with a subscriber and a publisher, under RESP2 and RESP3 (for the subscriber). */
  async function scenario(run: (sub: Pair, pub: Pair, protocol: 2 | 3) => Promise<void>): Promise<void> {
    for (const protocol of [2, 3] as const) {
      const sub = await connections(protocol);
      const pub = await connections(2);
      await run(sub, pub, protocol);
      // Unsubscribe so that the next scenario starts with no subscribers on either server.
      closeAll();
      await waitNoSubscribers();
    }
  }

  async function waitNoSubscribers(): Promise<void> {
    const conns = await pair.connect();
    for (let i = 0; i < 200; i++) {
      const replies = await Promise.all(conns.map((c) => c.command('PUBSUB', 'NUMPAT')));
      const channels = await Promise.all(conns.map((c) => c.command('PUBSUB', 'CHANNELS')));
      const shard = await Promise.all(conns.map((c) => c.command('PUBSUB', 'SHARDCHANNELS')));
      if (replies.every((r) => r === ':0\r\n') && [...channels, ...shard].every((r) => r === '*0\r\n')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const c of conns) c.close();
  }

  it('SUBSCRIBE and PSUBSCRIBE confirm each name with the running count', async () => {
    await scenario(async (sub) => {
      await expectSameReplies(sub, [['SUBSCRIBE', 'a']]);
      send(sub, 'SUBSCRIBE', 'b', 'a', 'c');
      await expectSameFrames(sub, 3);
      send(sub, 'PSUBSCRIBE', 'p*', 'q?', 'p*');
      await expectSameFrames(sub, 3);
      send(sub, 'UNSUBSCRIBE', 'b', 'nosuch');
      await expectSameFrames(sub, 2);
      send(sub, 'PUNSUBSCRIBE', 'q?', 'nosuch');
      await expectSameFrames(sub, 2);
      // The rest, in the server's own order.
      send(sub, 'UNSUBSCRIBE');
      await expectSameFrames(sub, 2, true);
      send(sub, 'PUNSUBSCRIBE');
      await expectSameFrames(sub, 1);
      // With nothing left: a nil name and a count of 0.
      await expectSameReplies(sub, [['UNSUBSCRIBE'], ['PUNSUBSCRIBE']]);
    });
  });

  it('UNSUBSCRIBE and PUNSUBSCRIBE with no subscriptions at all', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['UNSUBSCRIBE', 'x'], ['PUNSUBSCRIBE', 'x*'], ['PING']]);
      closeAll();
    }
  });

  it('message and pmessage frames, and PUBLISH receiver counts', async () => {
    await scenario(async (sub, pub) => {
      await expectSameReplies(pub, [['PUBLISH', 'news', 'nobody listens']]);
      await expectSameReplies(sub, [['SUBSCRIBE', 'news']]);
      await expectSameReplies(pub, [['PUBLISH', 'news', 'hello']]);
      await expectSameFrames(sub, 1);
      await expectSameReplies(sub, [['PSUBSCRIBE', 'n*']]);
      // Both the channel and the pattern match: two deliveries, message first.
      await expectSameReplies(pub, [['PUBLISH', 'news', 'both']]);
      await expectSameFrames(sub, 1);
      await expectSameFrames(sub, 1);
      await expectSameReplies(pub, [['PUBLISH', 'nothing', 'pattern only'], ['PUBLISH', 'other', 'none']]);
      await expectSameFrames(sub, 1);
      const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
      await expectSameReplies(pub, [['PUBLISH', 'news', binary], ['PUBLISH', 'news', ''], ['PUBLISH', 'news', 'a\r\nb']]);
      await expectSameFrames(sub, 6);
    });
  });

  it('pattern syntax: ? [] [^] ranges and escapes', async () => {
    await scenario(async (sub, pub) => {
      send(sub, 'PSUBSCRIBE', 'h?llo', 'h[ae]llo', 'h[^e]llo', 'h[a-c]llo', 'h\\*llo', '*');
      await expectSameFrames(sub, 6);
      for (const channel of ['hello', 'hallo', 'hbllo', 'hxllo', 'h*llo', 'hllo', '']) {
        const [n] = await expectSameReplies(pub, [['PUBLISH', channel, 'm']]);
        await expectSameFrames(sub, Number(n.slice(1)), true);
      }
    });
  });

  it('several subscribers: each gets the message; counts add up', async () => {
    for (const protocol of [2, 3] as const) {
      const s1 = await connections(protocol);
      const s2 = await connections(protocol);
      const pub = await connections(2);
      await expectSameReplies(s1, [['SUBSCRIBE', 'ch']]);
      await expectSameReplies(s2, [['SUBSCRIBE', 'ch']]);
      send(s2, 'PSUBSCRIBE', 'c*', 'ch');
      await expectSameFrames(s2, 2);
      await expectSameReplies(pub, [['PUBLISH', 'ch', 'x'], ['PUBSUB', 'NUMSUB', 'ch', 'none'], ['PUBSUB', 'NUMPAT']]);
      await expectSameFrames(s1, 1);
      // The channel first, then the patterns in the server's order.
      await expectSameFrames(s2, 1);
      await expectSameFrames(s2, 2, true);
      closeAll();
      await waitNoSubscribers();
    }
  });

  it('PUBSUB CHANNELS, NUMSUB, NUMPAT and their errors', async () => {
    for (const protocol of [2, 3] as const) {
      const sub = await connections(2);
      const other = await connections(2);
      const conns = await connections(protocol);
      send(sub, 'SUBSCRIBE', 'alpha', 'beta', 'gamma');
      await expectSameFrames(sub, 3);
      send(other, 'SUBSCRIBE', 'alpha');
      await expectSameFrames(other, 1);
      send(sub, 'PSUBSCRIBE', 'a*', 'b*');
      await expectSameFrames(sub, 2);
      send(other, 'PSUBSCRIBE', 'a*');
      await expectSameFrames(other, 1);
      // Channel lists come in hash-table order: compare the members.
      for (const args of [[], ['*'], ['a*'], ['nomatch*'], ['?eta']]) {
        const replies = await Promise.all(conns.map((c) => c.command('PUBSUB', 'CHANNELS', ...args)));
        const [ours, theirs] = replies.map((r) => frames(r.slice(r.indexOf('\r\n') + 2)).sort());
        expect(replies[0].slice(0, replies[0].indexOf('\r\n')), `PUBSUB CHANNELS ${args.join(' ')}`).toBe(replies[1].slice(0, replies[1].indexOf('\r\n')));
        expect(ours).toEqual(theirs);
      }
      await expectSameReplies(conns, [
        ['PUBSUB', 'NUMSUB'],
        ['PUBSUB', 'NUMSUB', 'alpha', 'beta', 'none', 'alpha'],
        ['PUBSUB', 'NUMPAT'],
        ['PUBSUB', 'NUMPAT', 'extra'],
        ['PUBSUB', 'CHANNELS', 'a*', 'extra'],
        ['PUBSUB'],
        ['PUBSUB', 'NOSUCH'],
        ['PUBLISH', 'alpha'],
        ['PUBLISH', 'alpha', 'm', 'extra'],
        ['SUBSCRIBE'],
        ['PSUBSCRIBE'],
      ]);
      closeAll();
      await waitNoSubscribers();
    }
  });

  it('RESP2 subscribe mode: only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT and RESET', async () => {
    const conns = await connections(2);
    await expectSameReplies(conns, [
      ['SUBSCRIBE', 'ch'],
      ['GET', 'k'],
      ['SET', 'k', 'v'],
      ['CLIENT', 'ID'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['MULTI'],
      ['EXEC'],
      ['WATCH', 'k'],
      ['PUBLISH', 'ch', 'm'],
      ['HELLO'],
      ['NOSUCH', 'x'],
      ['GET'],
      ['PING'],
      ['PING', 'payload'],
      ['ping', ''],
      ['PSUBSCRIBE', 'x*'],
      ['PING'],
      ['UNSUBSCRIBE', 'ch'],
      ['GET', 'k'],
      ['PUNSUBSCRIBE', 'x*'],
      // Back to normal.
      ['GET', 'k'],
      ['PING'],
    ]);
    closeAll();
  });

  it('RESP2 subscribe mode: RESET and QUIT', async () => {
    const conns = await connections(2);
    await expectSameReplies(conns, [['SUBSCRIBE', 'ch'], ['RESET'], ['GET', 'k'], ['PUBSUB', 'NUMSUB', 'ch'], ['SUBSCRIBE', 'ch'], ['QUIT']]);
    for (const c of conns) expect(await c.waitClosed()).toBe(true);
    closeAll();
    await waitNoSubscribers();
  });

  it('RESP3: push frames, and normal commands and replies while subscribed', async () => {
    const conns = await connections(3);
    const pub = await connections(2);
    await expectSameReplies(conns, [['SUBSCRIBE', 'ch'], ['GET', 'k'], ['SET', 'k', 'v'], ['GET', 'k'], ['PING'], ['PING', 'x'], ['CLIENT', 'GETNAME']]);
    send(conns, 'PSUBSCRIBE', 'c*', 'd*');
    await expectSameFrames(conns, 2);
    await expectSameReplies(pub, [['PUBLISH', 'ch', 'to both']]);
    await expectSameFrames(conns, 2);
    // A command reply after pushes arrives in order.
    await expectSameReplies(conns, [['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'], ['MULTI'], ['GET', 'k'], ['EXEC']]);
    send(conns, 'PUNSUBSCRIBE');
    await expectSameFrames(conns, 2, true);
    await expectSameReplies(conns, [['UNSUBSCRIBE'], ['UNSUBSCRIBE'], ['PUNSUBSCRIBE']]);
    closeAll();
    await waitNoSubscribers();
  });

  it('SUBSCRIBE inside MULTI/EXEC', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [['MULTI'], ['SUBSCRIBE', 'a', 'b'], ['PING'], ['EXEC'], ['PING']]);
      closeAll();
      await waitNoSubscribers();
    }
  });

  it('sharded: SSUBSCRIBE and SUNSUBSCRIBE confirm with their own count, apart from channels and patterns', async () => {
    await scenario(async (sub) => {
      await expectSameReplies(sub, [['SUBSCRIBE', 'plain'], ['PSUBSCRIBE', 'p*']]);
      send(sub, 'SSUBSCRIBE', 's1', 's2', 's1');
      await expectSameFrames(sub, 3);
      send(sub, 'SUNSUBSCRIBE', 's2', 'nosuch');
      await expectSameFrames(sub, 2);
      await expectSameReplies(sub, [['SUNSUBSCRIBE'], ['SUNSUBSCRIBE'], ['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE', 'x']]);
      send(sub, 'SSUBSCRIBE', 'a', 'b');
      await expectSameFrames(sub, 2);
      send(sub, 'SUNSUBSCRIBE');
      await expectSameFrames(sub, 2, true);
    });
  });

  it('sharded: SPUBLISH delivers smessage frames to shard subscribers only (not channels, not patterns)', async () => {
    await scenario(async (sub, pub) => {
      await expectSameReplies(pub, [['SPUBLISH', 'news', 'nobody listens']]);
      await expectSameReplies(sub, [['SSUBSCRIBE', 'news']]);
      await expectSameReplies(pub, [['SPUBLISH', 'news', 'hello'], ['PUBLISH', 'news', 'not for shard subscribers']]);
      await expectSameFrames(sub, 1);
      send(sub, 'SUBSCRIBE', 'news');
      await expectSameFrames(sub, 1);
      send(sub, 'PSUBSCRIBE', 'n*');
      await expectSameFrames(sub, 1);
      await expectSameReplies(pub, [['SPUBLISH', 'news', 'once, as smessage'], ['PUBLISH', 'news', 'twice: message and pmessage']]);
      await expectSameFrames(sub, 3);
      await expectSameReplies(pub, [['SPUBLISH', 'other', 'x'], ['SPUBLISH', 'news'], ['SPUBLISH', 'news', 'm', 'extra']]);
    });
  });

  it('sharded: PUBSUB SHARDCHANNELS and SHARDNUMSUB, and shard channels in CLIENT LIST', async () => {
    for (const protocol of [2, 3] as const) {
      const sub = await connections(2);
      const other = await connections(2);
      const conns = await connections(protocol);
      send(sub, 'SSUBSCRIBE', 'alpha', 'beta');
      await expectSameFrames(sub, 2);
      send(other, 'SSUBSCRIBE', 'alpha');
      await expectSameFrames(other, 1);
      send(other, 'SUBSCRIBE', 'gamma');
      await expectSameFrames(other, 1);
      for (const args of [[], ['*'], ['a*'], ['nomatch*'], ['?eta']]) {
        const replies = await Promise.all(conns.map((c) => c.command('PUBSUB', 'SHARDCHANNELS', ...args)));
        const [ours, theirs] = replies.map((r) => frames(r.slice(r.indexOf('\r\n') + 2)).sort());
        expect(replies[0].slice(0, replies[0].indexOf('\r\n')), `PUBSUB SHARDCHANNELS ${args.join(' ')}`).toBe(replies[1].slice(0, replies[1].indexOf('\r\n')));
        expect(ours).toEqual(theirs);
      }
      await expectSameReplies(conns, [
        ['PUBSUB', 'SHARDNUMSUB'],
        ['PUBSUB', 'SHARDNUMSUB', 'alpha', 'beta', 'gamma', 'none', 'alpha'],
        ['PUBSUB', 'NUMSUB', 'alpha', 'gamma'],
        ['PUBSUB', 'CHANNELS'],
        ['PUBSUB', 'SHARDCHANNELS', 'a*', 'extra'],
        ['SSUBSCRIBE'],
      ]);
      // CLIENT LIST's ssub= counts shard channels, and the flags show a pub/sub client.
      const lists = await Promise.all(conns.map((c) => c.command('CLIENT', 'LIST', 'TYPE', 'pubsub')));
      const fields = (list: string) => [...list.matchAll(/flags=(\S+) .*?sub=(\d+) psub=(\d+) ssub=(\d+)/g)].map((m) => m.slice(1).join(',')).sort();
      expect(fields(lists[0])).toEqual(fields(lists[1]));
      closeAll();
      await waitNoSubscribers();
    }
  });

  it('sharded: RESP2 subscribe mode after SSUBSCRIBE; SSUBSCRIBE refused inside MULTI/EXEC; RESET forgets shard channels', async () => {
    const conns = await connections(2);
    await expectSameReplies(conns, [
      ['SSUBSCRIBE', 'ch'],
      ['GET', 'k'],
      ['PING'],
      ['PUBLISH', 'ch', 'm'],
      ['SPUBLISH', 'ch', 'm'],
      ['SUNSUBSCRIBE', 'ch'],
      ['GET', 'k'],
      ['PING'],
      ['MULTI'],
      ['SSUBSCRIBE', 'a'],
      ['SPUBLISH', 'a', 'm'],
      ['EXEC'],
      ['SSUBSCRIBE', 'x'],
      ['RESET'],
      ['PUBSUB', 'SHARDNUMSUB', 'x'],
    ]);
    for (const protocol of [2, 3] as const) {
      const resp = await connections(protocol);
      await expectSameReplies(resp, [['MULTI'], ['SSUBSCRIBE', 'a'], ['EXEC'], ['SUNSUBSCRIBE']]);
    }
    closeAll();
    await waitNoSubscribers();
  });

  it('sharded: a shard subscriber that disconnects stops counting', async () => {
    const sub = await connections(2);
    const pub = await connections(2);
    await expectSameReplies(sub, [['SSUBSCRIBE', 'ch']]);
    await expectSameReplies(pub, [['SPUBLISH', 'ch', 'm']]);
    for (const c of sub) c.close();
    for (let i = 0; i < 100; i++) {
      const counts = await Promise.all(pub.map((c) => c.command('PUBSUB', 'SHARDNUMSUB', 'ch')));
      if (counts.every((r) => r.endsWith(':0\r\n'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await expectSameReplies(pub, [['SPUBLISH', 'ch', 'm'], ['PUBSUB', 'SHARDCHANNELS']]);
    closeAll();
  });

  it('a subscriber that disconnects stops counting', async () => {
    const sub = await connections(2);
    const pub = await connections(2);
    await expectSameReplies(sub, [['SUBSCRIBE', 'ch']]);
    await expectSameReplies(pub, [['PUBLISH', 'ch', 'm']]);
    for (const c of sub) c.close();
    for (let i = 0; i < 100; i++) {
      const counts = await Promise.all(pub.map((c) => c.command('PUBSUB', 'NUMSUB', 'ch')));
      if (counts.every((r) => r.endsWith(':0\r\n'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await expectSameReplies(pub, [['PUBLISH', 'ch', 'm'], ['PUBSUB', 'CHANNELS']]);
    closeAll();
  });
});

describe('pub/sub output limits (simpledb)', () => {
  let server: Server;
  let clock = Date.now();
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, now: () => clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function clientId(c: RawConnection): Promise<number> {
    return Number((await c.command('CLIENT', 'ID')).slice(1));
  }

  it('drops a subscriber that stops reading once it has 32 MB pending; a reading subscriber keeps receiving', async () => {
    const slow = await RawConnection.open(server.port);
    const reader = await RawConnection.open(server.port);
    const pub = await RawConnection.open(server.port);
    const slowId = await clientId(slow);
    expect(await slow.command('SUBSCRIBE', 'feed')).toBe('*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:1\r\n');
    expect(await reader.command('PSUBSCRIBE', 'fee?')).toBe('*3\r\n$10\r\npsubscribe\r\n$4\r\nfee?\r\n:1\r\n');
    slow.socket.pause();

    const payload = 'x'.repeat(1024 * 1024);
    const frame = `*4\r\n$8\r\npmessage\r\n$4\r\nfee?\r\n$4\r\nfeed\r\n$${payload.length}\r\n${payload}\r\n`;
    const counts: number[] = [];
    // Up to 100 MB (far beyond the 32 MB limit plus whatever the kernel buffers hold), stopping
    // five messages after the drop: the rest would only make the test slow on a busy machine.
    for (let i = 0, afterDrop = 0; i < 100 && afterDrop < 5; i++) {
      counts.push(Number((await pub.command('PUBLISH', 'feed', payload)).slice(1)));
      expect((await reader.readReply(10_000)).toString('latin1')).toBe(frame);
      if (counts.includes(1)) afterDrop++;
    }
    expect(counts[0]).toBe(2);
    const dropped = counts.indexOf(1);
    expect(dropped).toBeGreaterThan(0);
    // Once dropped, never delivered to again.
    expect(counts.slice(dropped).every((n) => n === 1)).toBe(true);
    expect(server.clients.has(slowId)).toBe(false);
    expect(server.pubsub.channels.has('feed')).toBe(false);
    // The reader was never dropped and still works.
    expect(await pub.command('PUBLISH', 'feed', 'last')).toBe(':1\r\n');
    expect((await reader.readReply()).toString('latin1')).toBe('*4\r\n$8\r\npmessage\r\n$4\r\nfee?\r\n$4\r\nfeed\r\n$4\r\nlast\r\n');
    slow.socket.resume();
    expect(await slow.waitClosed(10_000)).toBe(true);
    for (const c of [slow, reader, pub]) c.close();
  });

  it('drops a subscriber that stays over the 8 MB soft limit for 60 seconds', async () => {
    const slow = await RawConnection.open(server.port);
    const pub = await RawConnection.open(server.port);
    const slowId = await clientId(slow);
    await slow.command('SUBSCRIBE', 'soft');
    slow.socket.pause();
    const slowClient = server.clients.get(slowId)!;
    const payload = 'y'.repeat(256 * 1024);
    // Fill past 8 MB of pending output, staying below the hard limit.
    while (slowClient.socket.writableLength <= 8 * 1024 * 1024) {
      expect(await pub.command('PUBLISH', 'soft', payload)).toBe(':1\r\n');
    }
    expect(slowClient.socket.writableLength).toBeLessThan(32 * 1024 * 1024);
    clock += 30_000;
    expect(await pub.command('PUBLISH', 'soft', 'm')).toBe(':1\r\n');
    expect(server.clients.has(slowId)).toBe(true);
    clock += 31_000;
    expect(await pub.command('PUBLISH', 'soft', 'm')).toBe(':1\r\n'); // delivered, then found over the limit for > 60 s
    expect(server.clients.has(slowId)).toBe(false);
    expect(await pub.command('PUBLISH', 'soft', 'm')).toBe(':0\r\n');
    for (const c of [slow, pub]) c.close();
  });
});
