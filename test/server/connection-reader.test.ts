// How simpledb reads its connections: one read buffer shared by every
// connection (see src/server/connection-reader.ts). The direct tests check
// that the shared path is the one taken on this Node and that the ordinary
// 'data' path remains as the fallback; the server tests interleave partial
// requests of several connections, so that a byte kept from the shared buffer
// instead of copied would show up as a corrupted command.
import { createServer, Socket, type Server as NetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConnection } from '../../src/server/connection-reader.js';
import { startServer, type Server } from '../../src/server/index.js';
import { encodeCommand, RawConnection } from '../helpers/raw-connection.js';

/** Waits until the server has read and answered what was sent so far on `c`. */
async function settled(c: RawConnection): Promise<void> {
  expect(await c.command('PING')).toBe('+PONG\r\n');
}

describe('readConnection', () => {
  it('moves an accepted connection onto the shared read buffer, and the new socket reads, writes and closes', async () => {
    const received: string[] = [];
    let swapped: boolean | null = null;
    const closed = new Promise<void>((resolveClosed) => {
      const net: NetServer = createServer({ pauseOnConnect: true }, (accepted) => {
        const socket = readConnection(accepted, (chunk) => {
          received.push(chunk.toString('latin1'));
          socket.write(chunk.toString('latin1').toUpperCase());
        });
        swapped = socket !== accepted;
        socket.on('close', () => {
          net.close();
          resolveClosed();
        });
      });
      net.listen(0, '127.0.0.1', async () => {
        const address = net.address();
        if (address === null || typeof address === 'string') throw new Error('no port');
        const c = await RawConnection.open(address.port);
        c.write('hello\r\n');
        expect(await c.readReply()).toEqual(Buffer.from('HELLO\r\n'));
        c.socket.end();
      });
    });
    await closed;
    expect(swapped).toBe(true);
    expect(received.join('')).toBe('hello\r\n');
  });

  it("falls back to 'data' events when the socket has no handle to move", () => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    const result = readConnection(socket, (chunk) => chunks.push(chunk));
    expect(result).toBe(socket);
    socket.emit('data', Buffer.from('PING\r\n'));
    expect(chunks.map((c) => c.toString())).toEqual(['PING\r\n']);
    socket.destroy();
  });
});

describe('simpledb connections sharing one read buffer', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps each connection’s partial request intact while others are read', async () => {
    const conns = await Promise.all([0, 1, 2].map(() => RawConnection.open(server.port)));
    // Connection 0's request is larger than one read (it spans reads on its
    // own connection too); the others are small enough to be parsed from the
    // read buffer itself, where a kept reference would be overwritten.
    // No repeating pattern: stale bytes must not happen to look right.
    const value = (i: number) => Array.from({ length: i === 0 ? 20_000 : 500 }, (_, k) => `${i}.${k}`).join(',');
    const requests = conns.map((_, i) => encodeCommand(['SET', `key:${i}`, value(i)]));
    const cut = (r: Buffer, part: number) => r.subarray((part * r.length) >> 2, ((part + 1) * r.length) >> 2);
    for (let part = 0; part < 4; part++) {
      for (const [i, c] of conns.entries()) {
        c.write(cut(requests[i], part));
        // Each piece must be read before the next connection's piece overwrites the shared buffer.
        if (part < 3) await new Promise((r) => setTimeout(r, 5));
      }
    }
    for (const c of conns) expect((await c.readReply()).toString()).toBe('+OK\r\n');
    for (const [i, c] of conns.entries()) {
      expect(await c.command('GET', `key:${i}`)).toBe(`$${value(i).length}\r\n${value(i)}\r\n`);
      c.socket.destroy();
    }
  });

  it('keeps what a blocked client sends until it wakes, while other connections are read', async () => {
    const blocked = await RawConnection.open(server.port);
    const other = await RawConnection.open(server.port);
    blocked.write(encodeCommand(['BLPOP', 'wake-list', '0']));
    await new Promise((r) => setTimeout(r, 20));
    // Pipelined behind the BLPOP, in two reads, the second ending mid-request.
    const behind = Buffer.concat([encodeCommand(['SET', 'held', 'first']), encodeCommand(['APPEND', 'held', '-second'])]);
    blocked.write(behind.subarray(0, 20));
    await new Promise((r) => setTimeout(r, 20));
    blocked.write(behind.subarray(20, behind.length - 5));
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 20; i++) other.write(encodeCommand(['SET', `noise:${i}`, 'x'.repeat(100)]));
    for (let i = 0; i < 20; i++) await other.readReply();
    await settled(other);
    blocked.write(behind.subarray(behind.length - 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(await other.command('RPUSH', 'wake-list', 'v')).toBe(':1\r\n');
    expect((await blocked.readReply()).toString()).toBe('*2\r\n$9\r\nwake-list\r\n$1\r\nv\r\n');
    expect((await blocked.readReply()).toString()).toBe('+OK\r\n');
    expect((await blocked.readReply()).toString()).toBe(':12\r\n');
    expect(await other.command('GET', 'held')).toBe('$12\r\nfirst-second\r\n');
    blocked.socket.destroy();
    other.socket.destroy();
  });
});
