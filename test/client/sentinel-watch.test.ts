// SentinelWatch on its own, against scripted sentinels: asking each in turn,
// remembering the one that answered, a clear error when none can, and
// +switch-master announcements for our name only.
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { SentinelError, SentinelWatch, type Address } from '../../src/client/sentinel.js';
import { startMockServer, type MockServer } from './mock-server.js';

const bulk = (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** A scripted sentinel: answers get-master-addr-by-name for `name` with `port`, and SUBSCRIBE. */
async function fakeSentinel(name: string, port: number | null): Promise<MockServer> {
  const server = await startMockServer((command, socket) => {
    const verb = command[0]?.toUpperCase();
    if (verb === 'SENTINEL') {
      socket.write(command[2] === name && port !== null ? `*2\r\n${bulk('127.0.0.1')}${bulk(String(port))}` : '*-1\r\n');
    } else if (verb === 'SUBSCRIBE') {
      socket.write(`*3\r\n${bulk('subscribe')}${bulk(command[1] as string)}:1\r\n`);
    } else socket.write('+OK\r\n');
  });
  cleanup.push(() => server.close());
  return server;
}

function watch(sentinels: Address[], name: string, onSwitch: (a: Address) => void = () => {}): SentinelWatch {
  const w = new SentinelWatch({ sentinels, name }, 1000, (o) => new RedisClient(o), onSwitch);
  cleanup.push(() => w.close());
  return w;
}

describe('SentinelWatch', () => {
  it('asks each sentinel in turn and asks the one that answered first next time', async () => {
    const unaware = await fakeSentinel('other', 1111);
    const aware = await fakeSentinel('mymaster', 6380);
    const w = watch([{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: unaware.port }, { host: '127.0.0.1', port: aware.port }], 'mymaster');
    expect(await w.resolvePrimary()).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(unaware.received.flat()).toEqual([['SENTINEL', 'get-master-addr-by-name', 'mymaster']]);
    expect(await w.resolvePrimary()).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(unaware.received.flat()).toHaveLength(1);
    expect(aware.received.flat()).toHaveLength(2);
  });

  it('fails with SentinelError naming every sentinel when none knows the primary', async () => {
    const unaware = await fakeSentinel('other', 1111);
    const w = watch([{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: unaware.port }], 'mymaster');
    const err = await w.resolvePrimary().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SentinelError);
    expect((err as Error).message).toMatch(/^No sentinel gave the address of primary "mymaster" \(127\.0\.0\.1:1: .+; 127\.0\.0\.1:\d+ does not know "mymaster"\)$/);
  });

  it('reports +switch-master for its own name only', async () => {
    const sentinel = await fakeSentinel('mymaster', 6380);
    const switches: Address[] = [];
    const w = watch([{ host: '127.0.0.1', port: sentinel.port }], 'mymaster', (a) => switches.push(a));
    w.watch();
    await new Promise((r) => setTimeout(r, 100));
    // (A subscribe made before the connection is up is sent by the handshake's restore and by the call itself.)
    expect(new Set(sentinel.received.flat().map((c) => c.join(' ')))).toEqual(new Set(['SUBSCRIBE +switch-master']));
    const socket = sentinel.sockets[0];
    const message = (text: string): string => `*3\r\n${bulk('message')}${bulk('+switch-master')}${bulk(text)}`;
    socket?.write(message('othermaster 127.0.0.1 1 127.0.0.1 2'));
    socket?.write(message('mymaster 127.0.0.1 6380 127.0.0.1 6381'));
    await new Promise((r) => setTimeout(r, 100));
    expect(switches).toEqual([{ host: '127.0.0.1', port: 6381 }]);
  });
});
