// Wire-level behaviour checked against a mock server: what the client sends
// (HELLO, batching) and how it treats RESP3 push frames.
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient, type Reply } from '../../src/client/index.js';
import { politeHandler, startMockServer, type MockServer } from './mock-server.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function mock(...args: Parameters<typeof startMockServer>): Promise<MockServer> {
  const server = await startMockServer(...args);
  cleanup.push(() => server.close());
  return server;
}

describe('client wire protocol', () => {
  it('negotiates RESP3 with one HELLO carrying AUTH and SETNAME', async () => {
    const server = await mock((command, socket, index) => {
      if (command[0] === 'HELLO') socket.write('%1\r\n+proto\r\n:3\r\n');
      else politeHandler(command, socket, index);
    });
    const c = new RedisClient({ port: server.port, protocol: 3, username: 'u', password: 'p', name: 'n' });
    cleanup.push(() => c.disconnect());
    expect(await c.call('PING')).toBe('PONG');
    expect(server.received[0]).toEqual([['HELLO', '3', 'AUTH', 'u', 'p', 'SETNAME', 'n'], ['PING']]);
  });

  it('RESP3 push frames that are not pub/sub are emitted as push events and do not consume replies', async () => {
    const server = await mock((command, socket) => {
      if (command[0] === 'HELLO') return void socket.write('%0\r\n');
      // An invalidation push arrives before the reply it does not belong to.
      socket.write('>2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n');
      socket.write(`$${command[1]?.length ?? 0}\r\n${command[1] ?? ''}\r\n`);
    });
    const c = new RedisClient({ port: server.port, protocol: 3 });
    cleanup.push(() => c.disconnect());
    const pushes: Reply[][] = [];
    c.on('push', (frame) => pushes.push(frame));
    expect(await Promise.all([c.call('ECHO', 'a'), c.call('ECHO', 'b')])).toEqual(['a', 'b']);
    expect(pushes).toEqual([
      ['invalidate', ['key']],
      ['invalidate', ['key']],
    ]);
  });

  it('commands issued in one turn leave in a single socket write', async () => {
    const server = await mock(politeHandler);
    const c = new RedisClient({ port: server.port });
    cleanup.push(() => c.disconnect());
    await c.connect();
    const socket = (c as unknown as { connection: { socket: import('node:net').Socket } }).connection.socket;
    const writes: number[] = [];
    const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
    socket.write = ((chunk: Uint8Array) => {
      writes.push(chunk.length);
      return write(chunk);
    }) as typeof socket.write;
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.call('ECHO', `m${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(writes).toEqual([50 * Buffer.byteLength('*2\r\n$4\r\nECHO\r\n$2\r\nm0\r\n') + 40]);
    // The next turn's commands form the next write.
    expect(await c.call('PING')).toBe('PONG');
    expect(writes).toHaveLength(2);
  });
});
