// Failure paths against mock servers: hangs, garbage, connections dropped
// mid-reply, in-flight commands never resent, offline queue bounds, giving up.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  ProtocolError,
  RedisClient,
  TimeoutError,
} from '../../src/client/index.js';
import { freePort } from '../helpers/redis-server.js';
import { eventually, sleep } from './backends.js';
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

function client(options: ConstructorParameters<typeof RedisClient>[0]): RedisClient {
  const c = new RedisClient(options);
  cleanup.push(() => c.disconnect());
  return c;
}

describe('client failure paths', () => {
  it('a server that never answers: commands time out with TimeoutError naming them', async () => {
    const server = await mock(() => {});
    const c = client({ port: server.port, commandTimeout: 80 });
    const results = await Promise.allSettled([c.call('GET', 'k'), c.call('LPUSH', 'q', 'v')]);
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason as TimeoutError);
    expect(reasons.every((e) => e instanceof TimeoutError)).toBe(true);
    expect(reasons.map((e) => e.command)).toEqual(['GET', 'LPUSH']);
    expect(reasons[0]?.message).toBe('GET timed out after 80 ms');
  });

  it('a handshake that never completes: connect() rejects with a connect TimeoutError', async () => {
    const server = await mock(() => {});
    const errors: Error[] = [];
    // 500 ms: long enough on a busy machine for the TCP connect and the AUTH to go out before it expires.
    const c = client({ port: server.port, password: 'x', connectTimeout: 500, retryStrategy: () => 10_000 });
    c.on('error', (e) => errors.push(e));
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).command).toBe('connect');
    expect(errors[0]).toBe(err);
    // The mock shares this process's event loop: the AUTH it was sent may be read only after the timeout fired.
    await eventually(() => (server.received[0]?.length ?? 0) > 0);
    expect(server.received[0]).toEqual([['AUTH', 'x']]);
  });

  it('garbage from the server: ProtocolError reported, pending commands rejected, client reconnects', async () => {
    const server = await mock((command, socket, index) => {
      if (index === 0) socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
      else politeHandler(command, socket, index);
    });
    const errors: Error[] = [];
    const c = client({ port: server.port, retryStrategy: () => 10 });
    c.on('error', (e) => errors.push(e));
    const err = await c.call('GET', 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).cause).toBeInstanceOf(ProtocolError);
    expect(errors.some((e) => e instanceof ProtocolError)).toBe(true);
    expect(await c.call('PING')).toBe('PONG');
    expect(server.sockets.length).toBe(2);
  });

  it('a reply nobody asked for is a protocol error', async () => {
    const server = await mock((command, socket, index) => {
      politeHandler(command, socket, index);
      if (index === 0 && command[0] === 'PING') socket.write('+EXTRA\r\n');
    });
    const errors: Error[] = [];
    const c = client({ port: server.port, retryStrategy: () => 10 });
    c.on('error', (e) => errors.push(e));
    expect(await c.call('PING')).toBe('PONG');
    await eventually(() => errors.some((e) => e instanceof ProtocolError));
    expect(await c.call('ECHO', 'again')).toBe('again');
  });

  it('a connection closed mid-reply rejects the in-flight commands and is never resent', async () => {
    const server = await mock((command, socket, index) => {
      if (index === 0 && command[0] === 'LPUSH') {
        socket.write('$10\r\nabc');
        setTimeout(() => socket.destroy(), 20);
      } else {
        politeHandler(command, socket, index);
      }
    });
    const c = client({ port: server.port, retryStrategy: () => 10 });
    const pushed = c.call('LPUSH', 'q', 'job-1');
    const alsoInFlight = c.call('PING');
    await expect(pushed).rejects.toBeInstanceOf(ConnectionClosedError);
    const second = (await alsoInFlight.catch((e: unknown) => e)) as ConnectionClosedError;
    expect(second).toBeInstanceOf(ConnectionClosedError);
    expect(second.command).toBe('PING');
    expect(await c.call('ECHO', 'after')).toBe('after');
    const lpushes = server.received.flat().filter((cmd) => cmd[0] === 'LPUSH');
    expect(lpushes).toEqual([['LPUSH', 'q', 'job-1']]);
  });

  it('commands issued while disconnected wait for the server, up to maxOfflineCommands', async () => {
    const port = await freePort();
    const c = client({ port, maxOfflineCommands: 2, retryStrategy: () => 20 });
    const first = c.call('ECHO', 'one');
    const second = c.call('ECHO', 'two');
    const third = await c.call('ECHO', 'three').catch((e: unknown) => e);
    expect(third).toBeInstanceOf(ConnectionClosedError);
    expect((third as Error).message).toMatch(/maxOfflineCommands 2/);
    await sleep(60);
    await mock(politeHandler, port);
    expect(await Promise.all([first, second])).toEqual(['one', 'two']);
  });

  it('a command that timed out while offline is never sent', async () => {
    const port = await freePort();
    const c = client({ port, commandTimeout: 300, retryStrategy: () => 20 });
    const early = c.call('LPUSH', 'q', 'stale');
    await expect(early).rejects.toBeInstanceOf(TimeoutError);
    const later = c.call('ECHO', 'fresh');
    const server = await mock(politeHandler, port);
    expect(await later).toBe('fresh');
    expect(server.received.flat()).toEqual([['ECHO', 'fresh']]);
  });

  it('maxOfflineCommands 0 fails at once while disconnected', async () => {
    const port = await freePort();
    const c = client({ port, maxOfflineCommands: 0, retryStrategy: () => 1000 });
    await expect(c.call('PING')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('when the retry strategy gives up, waiting commands are rejected and end is emitted', async () => {
    const port = await freePort();
    const attempts: number[] = [];
    const c = client({
      port,
      retryStrategy: (attempt) => {
        attempts.push(attempt);
        return attempt < 3 ? 5 : null;
      },
    });
    let ended = false;
    c.on('end', () => {
      ended = true;
    });
    const err = (await c.call('PING').catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.message).toMatch(/Gave up reconnecting after 2 attempt/);
    expect(attempts).toEqual([1, 2, 3]);
    expect(ended).toBe(true);
    expect(c.status).toBe('closed');
  });

  it('emits reconnecting with the attempt number and delay', async () => {
    const server = await mock(politeHandler);
    const c = client({ port: server.port, retryStrategy: (n) => n * 7 });
    await c.connect();
    const seen: { attempt: number; delay: number }[] = [];
    c.on('reconnecting', ({ attempt, delay }) => seen.push({ attempt, delay }));
    (server.sockets[0] as import('node:net').Socket).destroy();
    await eventually(() => c.status === 'ready' && server.sockets.length === 2);
    expect(seen).toEqual([{ attempt: 1, delay: 7 }]);
  });

  it('quit() on a client that is waiting to reconnect ends it and rejects waiting commands', async () => {
    const port = await freePort();
    const c = client({ port, retryStrategy: () => 10_000 });
    const pending = c.call('PING');
    await eventually(() => c.status === 'reconnecting');
    await c.quit();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(c.status).toBe('closed');
  });

  it('sends AUTH with username, SELECT and SETNAME before any queued command', async () => {
    const server = await mock(politeHandler);
    const c = client({ url: `redis://alice:p%40ss@127.0.0.1:${server.port}/4`, name: 'worker' });
    expect(await c.call('PING')).toBe('PONG');
    expect(server.received[0]).toEqual([
      ['AUTH', 'alice', 'p@ss'],
      ['CLIENT', 'SETNAME', 'worker'],
      ['SELECT', '4'],
      ['PING'],
    ]);
  });
});
