// The connection lifecycle on its own, against a scriptable server: handshake
// order, one write per turn, reconnect with the retry strategy's delays, giving
// up, quitting, and the offline limit.
import { afterEach, describe, expect, it } from 'vitest';
import { CommandQueue } from '../../src/client/command-queue.js';
import { CLOSED, Connection, IDLE, READY, WAITING, type ConnectionEvents } from '../../src/client/connection.js';
import { Deadlines } from '../../src/client/deadlines.js';
import { ConnectionClosedError } from '../../src/client/errors.js';
import { resolveOptions, type RedisClientOptions } from '../../src/client/options.js';
import { PendingCommand } from '../../src/client/pending-command.js';
import { PubSubRouter } from '../../src/client/pubsub-router.js';
import { politeHandler, startMockServer, type MockServer } from './mock-server.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function mock(handler = politeHandler): Promise<MockServer> {
  const server = await startMockServer(handler);
  cleanup.push(() => server.close());
  return server;
}

function connection(options: RedisClientOptions): { conn: Connection; queue: CommandQueue; log: string[] } {
  const log: string[] = [];
  const router = new PubSubRouter({ listening: () => false, message: () => {}, pmessage: () => {}, smessage: () => {}, listenerError: () => {} });
  const deadlines = new Deadlines(0, () => {});
  const queue = new CommandQueue(router, deadlines, () => {});
  const events: ConnectionEvents = {
    connected: () => log.push('connect'),
    ready: () => log.push('ready'),
    error: (e) => log.push(`error ${e.message}`),
    reconnecting: (info) => log.push(`reconnecting ${info.attempt} ${info.delay}`),
    end: () => log.push('end'),
  };
  const conn = new Connection(Object.freeze(resolveOptions(options)), queue, deadlines, router.subs, events);
  cleanup.push(() => conn.state !== CLOSED && conn.close(undefined));
  return { conn, queue, log };
}

function send(conn: Connection, name: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => conn.enqueue(new PendingCommand(name, name, args, false, resolve, reject)));
}

describe('Connection', () => {
  it('stays idle until something is queued, then runs the handshake before any user command', async () => {
    const server = await mock();
    const { conn, log } = connection({ port: server.port, password: 'pw', name: 'worker', db: 3 });
    expect(conn.state).toBe(IDLE);
    expect(await send(conn, 'PING')).toBe('PONG');
    expect(conn.state).toBe(READY);
    expect(server.received[0]).toEqual([['AUTH', 'pw'], ['CLIENT', 'SETNAME', 'worker'], ['SELECT', '3'], ['PING']]);
    expect(log).toEqual(['connect', 'ready']);
  });

  it('reconnects with the retry strategy delays and selects the db it follows', async () => {
    const server = await mock();
    const delays: number[] = [];
    const { conn, log } = connection({
      port: server.port,
      retryStrategy: (attempt) => {
        delays.push(attempt);
        return 10 * attempt;
      },
    });
    await conn.whenReady();
    conn.db = 5;
    server.sockets[0]?.destroy();
    await new Promise((r) => setTimeout(r, 30));
    await conn.whenReady();
    expect(delays).toEqual([1]);
    expect(log).toEqual(['connect', 'ready', 'reconnecting 1 10', 'connect', 'ready']);
    expect(server.received[1]).toEqual([['SELECT', '5']]);
  });

  it('gives up when the retry strategy says null: everything is rejected and end is told', async () => {
    const { conn, log } = connection({ port: 1, retryStrategy: () => null });
    const pending = send(conn, 'GET', 'k');
    await expect(conn.whenReady()).rejects.toBeInstanceOf(Error);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/^Gave up reconnecting after 0 attempt\(s\)/);
    expect(conn.state).toBe(CLOSED);
    expect(log.at(-1)).toBe('end');
  });

  it('refuses more than maxOfflineCommands while not connected', async () => {
    const { conn } = connection({ port: 1, maxOfflineCommands: 1, retryStrategy: () => 60_000 });
    const first = send(conn, 'GET', 'a');
    first.catch(() => {});
    const err = await send(conn, 'GET', 'b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/Not connected and 1 commands are already waiting \(maxOfflineCommands 1\)/);
    expect(conn.admissionError('GET', 1)).toBeInstanceOf(ConnectionClosedError);
    // Refused at once: the connection waits for its next attempt.
    for (let i = 0; i < 500 && conn.state !== WAITING; i++) await new Promise((r) => setTimeout(r, 10));
    expect(conn.state).toBe(WAITING);
  });

  it('quit sends QUIT after what is queued and ends once the server closes', async () => {
    const server = await mock();
    const { conn, log } = connection({ port: server.port });
    const echo = send(conn, 'ECHO', 'last');
    await conn.quit();
    expect(await echo).toBe('last');
    expect(server.received[0]).toEqual([['ECHO', 'last'], ['QUIT']]);
    expect(conn.state).toBe(CLOSED);
    expect(log.at(-1)).toBe('end');
    await expect(send(conn, 'PING')).rejects.toThrow('The client is closed (PING)');
  });
});
