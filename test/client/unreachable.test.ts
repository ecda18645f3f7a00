// A client with no server at its address: commands reject once the client has
// been without a connection for connectTimeout, with an error naming the
// address and the reason, instead of waiting forever; it keeps reconnecting,
// and commands work again once a server is there.
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionClosedError, RedisClient } from '../../src/client/index.js';
import { SimpleHuey } from '../../src/huey/index.js';
import { startServer, type Server } from '../../src/server/index.js';
import { freePort } from '../helpers/redis-server.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('nothing listening at the address', () => {
  it('a command rejects with the address and ECONNREFUSED, and works once a server is up', async () => {
    const port = await freePort();
    const client = new RedisClient({ port, connectTimeout: 2000, retryStrategy: () => 50 });
    cleanups.push(() => client.quit());
    const err = await client.call('PING').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(new RegExp(`Cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    // Still unreachable: a new command is told at once.
    await expect(client.call('PING')).rejects.toThrow(/Cannot reach/);
    const server: Server = await startServer({ host: '127.0.0.1', port });
    cleanups.push(() => server.close());
    await expect.poll(() => client.call('PING').catch(() => 'not yet'), { timeout: 15_000, interval: 50 }).toBe('PONG');
  });

  it("a producer's add(1, 2) rejects instead of hanging, with the default connectTimeout", async () => {
    const port = await freePort();
    const huey = new SimpleHuey('unreachable', { url: `redis://127.0.0.1:${port}` });
    cleanups.push(() => Promise.race([huey.close(), new Promise((r) => setTimeout(r, 100))]));
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    await expect(add(1, 2)).rejects.toThrow(new RegExp(`Cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });
});
