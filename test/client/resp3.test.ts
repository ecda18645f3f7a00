// RESP3 (protocol: 3): HELLO 3 on connect and the RESP3 reply types as JS values.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { backends, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client RESP3 (${backend.name})`, () => {
    let server: RunningBackend;
    let client: RedisClient;

    beforeAll(async () => {
      server = await backend.start();
      client = new RedisClient({ port: server.port, protocol: 3, db: 1, name: 'resp3-test' });
    });
    afterAll(async () => {
      await client?.quit();
      await server?.stop();
    });

    it('maps, sets, doubles, null and booleans', async () => {
      await client.call('HSET', 'r:h', 'a', '1', 'b', '2');
      expect(await client.call('HGETALL', 'r:h')).toEqual(new Map([['a', '1'], ['b', '2']]));
      await client.call('ZADD', 'r:z', 1.5, 'm');
      expect(await client.call('ZSCORE', 'r:z', 'm')).toBe(1.5);
      expect(await client.call('ZADD', 'r:z', 'INCR', '+inf', 'm')).toBe(Infinity);
      expect(await client.call('GET', 'r:none')).toBeNull();
      expect(await client.call('ZRANGE', 'r:z', 0, -1, 'WITHSCORES')).toEqual([['m', Infinity]]);
    });

    it('map keys and values as Buffers with callBuffer', async () => {
      await client.call('HSET', 'r:hb', 'k', Buffer.from([1, 2]));
      expect(await client.callBuffer('HGETALL', 'r:hb')).toEqual(new Map([[Buffer.from('k'), Buffer.from([1, 2])]]));
    });

    it('applied db and name from the options during HELLO', async () => {
      expect(await client.call('CLIENT', 'GETNAME')).toBe('resp3-test');
      await client.call('SET', 'r:db', 'one');
      const db0 = new RedisClient({ port: server.port });
      expect(await db0.call('EXISTS', 'r:db')).toBe(0);
      await db0.quit();
    });
  });
}
