// Blocking commands across clients, and command timeouts that make room for them.
import { expect, it } from 'vitest';
import { RedisClient, TimeoutError } from '../../src/client/index.js';
import { backends, untilBlocked, useBackendClient, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client blocking commands (${backend.name})`, () => {
    let server: RunningBackend;
    let client: RedisClient;

    useBackendClient(backend, (s, c) => {
      server = s;
      client = c;
    });

    it('BRPOP on one client is woken by LPUSH from another', async () => {
      const consumer = client.duplicate();
      try {
        const popped = consumer.call('BRPOP', 'b:q', 5);
        await untilBlocked(client, 1);
        await client.call('LPUSH', 'b:q', 'job');
        expect(await popped).toEqual(['b:q', 'job']);
      } finally {
        await consumer.quit();
      }
    });

    it('a blocked connection does not delay other clients', async () => {
      const consumer = client.duplicate();
      try {
        const popped = consumer.call('BLPOP', 'b:idle', 0);
        for (let i = 0; i < 20; i++) expect(await client.call('INCR', 'b:other')).toBe(i + 1);
        await client.call('RPUSH', 'b:idle', 'done');
        expect(await popped).toEqual(['b:idle', 'done']);
      } finally {
        await consumer.quit();
      }
    });

    it('waiters are served in arrival order and BLMOVE moves the element', async () => {
      const a = client.duplicate();
      const b = client.duplicate();
      try {
        const first = a.call('BLMOVE', 'b:src', 'b:dst', 'RIGHT', 'LEFT', 5);
        await untilBlocked(client, 1);
        const second = b.call('BRPOP', 'b:src', 5);
        await untilBlocked(client, 2);
        await client.call('RPUSH', 'b:src', 'x', 'y');
        expect(await first).toBe('y');
        expect(await second).toEqual(['b:src', 'x']);
        expect(await client.call('LRANGE', 'b:dst', 0, -1)).toEqual(['y']);
      } finally {
        await Promise.all([a.quit(), b.quit()]);
      }
    });

    it('a BRPOP block timeout returns nil and is not cut short by commandTimeout', async () => {
      // A plain commandTimeout would reject at 300 ms, long before the 1 s block ends;
      // the block's own length plus commandTimeout leaves 300 ms of slack for a busy machine.
      const c = new RedisClient({ port: server.port, commandTimeout: 300 });
      try {
        expect(await c.call('BRPOP', 'b:never', 1)).toBeNull();
      } finally {
        await c.quit();
      }
    });

    it('answered commands do not linger in the timeout bookkeeping', async () => {
      const c = new RedisClient({ port: server.port, commandTimeout: 60_000 });
      try {
        await Promise.all(Array.from({ length: 2000 }, (_, i) => c.call('SET', `b:t${i % 10}`, i)));
        expect(await c.call('PING')).toBe('PONG');
        const internals = c as unknown as { deadlines: { length: number } };
        expect(internals.deadlines.length).toBe(0);
      } finally {
        await c.quit();
      }
    });

    it('commandTimeout rejects with TimeoutError naming the command', async () => {
      const c = new RedisClient({ port: server.port, commandTimeout: 100 });
      try {
        await c.connect();
        // A GET queued behind an endless BLPOP on the same connection cannot be answered in time.
        const blocker = c.call('BLPOP', 'b:hold', 0);
        const stuck = c.call('GET', 'b:k');
        const err = await stuck.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TimeoutError);
        expect((err as TimeoutError).command).toBe('GET');
        expect((err as TimeoutError).message).toBe('GET timed out after 100 ms');
        // The late replies are still matched correctly once the blocker is released.
        await client.call('RPUSH', 'b:hold', 'v');
        expect(await blocker).toEqual(['b:hold', 'v']);
        expect(await c.call('ECHO', 'in step')).toBe('in step');
      } finally {
        await c.quit();
      }
    });
  });
}
