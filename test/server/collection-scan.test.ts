// HSCAN and ZSCAN over large collections: like Redis once a hash (512
// entries) or sorted set (128) outgrows its listpack, a call looks at COUNT entries and
// hands back a cursor, so scanning a big collection never builds one huge
// reply; and, as SCAN promises, every entry present for the whole iteration
// comes back exactly once, whatever is added or removed meanwhile. Redis is
// run beside simpledb to check that it pages the same collections (the pages
// themselves follow each server's own table order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { startServer, type Server } from '../../src/server/index.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';

type Scan = (cursor: string) => Promise<[string, string[]]>;

/** Runs a whole iteration; returns every page's items and the number of calls. */
async function iterate(scan: Scan, between?: (call: number) => Promise<void>): Promise<{ pages: string[][]; calls: number }> {
  const pages: string[][] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = await scan(cursor);
    pages.push(items);
    cursor = next;
    calls++;
    if (calls > 10_000) throw new Error('the iteration does not end');
    if (between) await between(calls);
  } while (cursor !== '0');
  return { pages, calls };
}

/** Names at even positions of a flat [name, value, ...] list. */
const namesOf = (items: string[]) => items.filter((_, i) => i % 2 === 0);

function scanWith(client: RedisClient, command: 'HSCAN' | 'ZSCAN', key: string, ...options: string[]): Scan {
  return async (cursor) => (await client.call(command, key, cursor, ...options)) as [string, string[]];
}

describe('HSCAN and ZSCAN page large collections', () => {
  let server: Server;
  let client: RedisClient;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    client = new RedisClient({ port: server.port });
  });
  afterAll(async () => {
    await client?.quit();
    await server?.close();
  });

  const fields = Array.from({ length: 1000 }, (_, i) => `field:${i}`);

  it('HSCAN: pages of at most COUNT fields, with their values, each field once', async () => {
    await client.call('HSET', 'big', ...fields.flatMap((f) => [f, `value of ${f}`]));
    const { pages, calls } = await iterate(scanWith(client, 'HSCAN', 'big', 'COUNT', '50'));
    expect(calls).toBeGreaterThanOrEqual(20);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(100);
    const all = pages.flat();
    expect(namesOf(all).sort()).toEqual([...fields].sort());
    for (let i = 0; i < all.length; i += 2) expect(all[i + 1]).toBe(`value of ${all[i]}`);
  });

  it('HSCAN: fields present throughout come back once, while others are added and removed', async () => {
    await client.call('DEL', 'moving');
    await client.call('HSET', 'moving', ...fields.flatMap((f) => [f, '1']));
    const removed = new Set<string>();
    const { pages } = await iterate(scanWith(client, 'HSCAN', 'moving'), async (call) => {
      // Each call, drop one field from the far end and add a new one.
      const victim = `field:${999 - call}`;
      removed.add(victim);
      await client.call('HDEL', 'moving', victim);
      await client.call('HSET', 'moving', `added:${call}`, '1');
    });
    const seen = namesOf(pages.flat());
    const throughout = fields.filter((f) => !removed.has(f));
    for (const f of throughout) expect(seen.filter((s) => s === f)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('HSCAN: MATCH filters the fields looked at; COUNT still bounds each call', async () => {
    const { pages } = await iterate(scanWith(client, 'HSCAN', 'big', 'MATCH', 'field:1*', 'COUNT', '100'));
    expect(namesOf(pages.flat()).sort()).toEqual(fields.filter((f) => f.startsWith('field:1')).sort());
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(200);
  });

  it('ZSCAN: pages with each member’s current score, each member once', async () => {
    await client.call('ZADD', 'bigz', ...fields.flatMap((f, i) => [String(i / 4), f]));
    const { pages, calls } = await iterate(scanWith(client, 'ZSCAN', 'bigz', 'COUNT', '100'));
    expect(calls).toBeGreaterThanOrEqual(10);
    const all = pages.flat();
    expect(namesOf(all).sort()).toEqual([...fields].sort());
    for (let i = 0; i < all.length; i += 2) expect(Number(all[i + 1])).toBe(Number(all[i].slice(6)) / 4);
  });

  it('a cursor this collection did not hand out ends the iteration; a small collection comes whole', async () => {
    expect(await client.call('HSCAN', 'big', '12345')).toEqual(['0', []]);
    await client.call('HSET', 'small', 'a', '1', 'b', '2');
    expect(await client.call('HSCAN', 'small', '0', 'COUNT', '1')).toEqual(['0', ['a', '1', 'b', '2']]);
    expect(await client.call('HSCAN', 'small', '777')).toEqual(['0', ['a', '1', 'b', '2']]);
  });

  it('a cursor of one hash does not walk another', async () => {
    await client.call('HSET', 'other', ...fields.flatMap((f) => [`other:${f}`, '1']));
    const [cursor] = (await client.call('HSCAN', 'big', '0')) as [string, string[]];
    expect(cursor).not.toBe('0');
    expect(await client.call('HSCAN', 'other', cursor)).toEqual(['0', []]);
  });
});

describeWithRedis('HSCAN and ZSCAN page the same collections Redis pages', () => {
  let redis: RedisProcess;
  let server: Server;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    server = await startServer({ host: '127.0.0.1', port: 0 });
    clients.push(new RedisClient({ port: server.port }), new RedisClient({ port: redis.port }));
  });
  afterAll(async () => {
    for (const c of clients) await c.quit();
    await server?.close();
    await redis?.stop();
  });

  it('hashes of 512 fields and sorted sets of 128 members come whole, one more in pages, on both servers', async () => {
    for (const c of clients) {
      const fieldsOf = (n: number) => Array.from({ length: n }, (_, i) => [`f${i}`, 'v']).flat();
      const membersOf = (n: number) => Array.from({ length: n }, (_, i) => [String(i), `m${i}`]).flat();
      await c.call('HSET', 'h512', ...fieldsOf(512));
      await c.call('HSET', 'h513', ...fieldsOf(513));
      await c.call('ZADD', 'z128', ...membersOf(128));
      await c.call('ZADD', 'z129', ...membersOf(129));
      for (const [command, key, size] of [['HSCAN', 'h512', 512], ['ZSCAN', 'z128', 128]] as const) {
        const [cursor, items] = (await c.call(command, key, '0')) as [string, string[]];
        expect(cursor).toBe('0');
        expect(items).toHaveLength(2 * size);
      }
      for (const [command, key, size] of [['HSCAN', 'h513', 513], ['ZSCAN', 'z129', 129]] as const) {
        const { pages, calls } = await iterate(scanWith(c, command, key));
        expect(calls).toBeGreaterThan(1);
        expect(new Set(namesOf(pages.flat())).size).toBe(size);
      }
    }
  });
});
