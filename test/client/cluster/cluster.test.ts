// RedisCluster against a real cluster (3 primaries, 3 replicas) started by the
// test: every command family huey's storage uses, keys spread over the
// primaries, transactions in one slot and refused across slots, pub/sub,
// MOVED/ASK while a slot is migrated by hand, and the slot map read with
// CLUSTER SHARDS, or with CLUSTER SLOTS where the nodes refuse SHARDS.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CrossSlotError, keySlot, RedisClient, RedisCluster } from '../../../src/client/index.js';
import { startRedisCluster, type RedisClusterProcess } from '../../helpers/redis-cluster.js';
import { describeWithRedis } from '../../helpers/redis-server.js';

describeWithRedis('RedisCluster on a real cluster', () => {
  let servers: RedisClusterProcess;
  let cluster: RedisCluster;

  beforeAll(async () => {
    servers = await startRedisCluster();
    cluster = new RedisCluster({ nodes: [servers.urls[0] as string] });
  }, 90_000);

  afterAll(async () => {
    await cluster?.quit();
    await servers?.stop();
  });

  /** How often `port` ran CLUSTER `sub`, and how often it refused to (INFO commandstats). */
  async function clusterCalls(port: number, sub: 'shards' | 'slots'): Promise<{ calls: number; rejected: number }> {
    const info = String(await servers.admin(port).call('INFO', 'commandstats'));
    const line = new RegExp(`cmdstat_cluster\\|${sub}:calls=(\\d+),.*rejected_calls=(\\d+)`).exec(info);
    return { calls: Number(line?.[1] ?? 0), rejected: Number(line?.[2] ?? 0) };
  }

  it('loads the slot map with CLUSTER SHARDS', async () => {
    const seed = servers.nodes[1]?.port as number;
    const before = await clusterCalls(seed, 'shards');
    const fresh = new RedisCluster({ nodes: [`redis://127.0.0.1:${seed}`] });
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `shards-map:${i}`);
      await Promise.all(keys.map((k) => fresh.call('SET', k, k)));
      expect(await Promise.all(keys.map((k) => fresh.call('GET', k)))).toEqual(keys);
      expect(fresh.nodes()).toHaveLength(3);
      expect((await clusterCalls(seed, 'shards')).calls).toBeGreaterThan(before.calls);
    } finally {
      await fresh.quit();
    }
  });

  it('falls back to CLUSTER SLOTS on nodes whose ACL refuses SHARDS', async () => {
    const ports = servers.nodes.map((n) => n.port);
    for (const port of ports) await servers.admin(port).call('ACL', 'SETUSER', 'default', '-cluster|shards');
    const seed = ports[2] as number;
    const before = { shards: await clusterCalls(seed, 'shards'), slots: await clusterCalls(seed, 'slots') };
    const fresh = new RedisCluster({ nodes: [`redis://127.0.0.1:${seed}`] });
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `slots-map:${i}`);
      await Promise.all(keys.map((k) => fresh.call('SET', k, k)));
      expect(await Promise.all(keys.map((k) => fresh.call('GET', k)))).toEqual(keys);
      expect(fresh.nodes()).toHaveLength(3);
      expect((await clusterCalls(seed, 'shards')).rejected).toBe(before.shards.rejected + 1);
      expect((await clusterCalls(seed, 'slots')).calls).toBeGreaterThan(before.slots.calls);
    } finally {
      await fresh.quit();
      for (const port of ports) await servers.admin(port).call('ACL', 'SETUSER', 'default', '+cluster|shards');
    }
  });

  it('computes the same slots as the server', async () => {
    const admin = servers.admin(servers.nodes[0]?.port as number);
    for (const key of ['foo', 'huey.{app}.queue', 'é-ü', '{}x', 'a{b}c', '12345']) {
      expect(keySlot(key)).toBe(await admin.call('CLUSTER', 'KEYSLOT', key));
    }
  });

  it('sends each key to its owner: keys land on every primary', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    await Promise.all(keys.map((k, i) => cluster.call('SET', k, i)));
    expect(await Promise.all(keys.map((k) => cluster.call('GET', k)))).toEqual(keys.map((_, i) => String(i)));
    const owners = new Set(await Promise.all(keys.map((k) => servers.ownerOf(keySlot(k)))));
    expect(owners.size).toBe(3);
    expect(cluster.nodes()).toHaveLength(3);
    for (const port of owners) {
      expect(Number(await servers.admin(port).call('DBSIZE'))).toBeGreaterThan(0);
    }
  });

  it('lists, including LMOVE and the blocking BRPOP and BLMOVE', async () => {
    const q = '{lists}:queue';
    const dst = '{lists}:inflight';
    expect(await cluster.call('LPUSH', q, 'a', 'b', 'c')).toBe(3);
    expect(await cluster.call('RPUSH', q, 'z')).toBe(4);
    expect(await cluster.call('LRANGE', q, 0, -1)).toEqual(['c', 'b', 'a', 'z']);
    expect(await cluster.call('LLEN', q)).toBe(4);
    expect(await cluster.call('RPOP', q)).toBe('z');
    expect(await cluster.call('LMOVE', q, dst, 'RIGHT', 'LEFT')).toBe('a');
    expect(await cluster.call('LREM', dst, -1, 'a')).toBe(1);
    expect(await cluster.call('RPOP', q, 5)).toEqual(['b', 'c']);
    const blocker = cluster.duplicate();
    try {
      const popped = blocker.call('BRPOP', q, 5);
      const moved = blocker.call('BLMOVE', '{lists}:src', dst, 'RIGHT', 'LEFT', 5);
      await new Promise((r) => setTimeout(r, 100));
      await cluster.call('LPUSH', q, 'job');
      await cluster.call('LPUSH', '{lists}:src', 'task');
      expect(await popped).toEqual([q, 'job']);
      expect(await moved).toBe('task');
      expect(await cluster.call('LRANGE', dst, 0, -1)).toEqual(['task']);
      expect(await blocker.call('BRPOP', '{lists}:empty', 0.1)).toBeNull();
    } finally {
      await blocker.quit();
    }
  });

  it('hashes and sorted sets', async () => {
    const h = 'results{app}';
    expect(await cluster.call('HSET', h, 'a', '1', 'b', '2')).toBe(2);
    expect(await cluster.call('HSETNX', h, 'a', 'x')).toBe(0);
    expect(await cluster.call('HGET', h, 'a')).toBe('1');
    expect(await cluster.call('HMGET', h, 'a', 'nope')).toEqual(['1', null]);
    expect(await cluster.call('HEXISTS', h, 'b')).toBe(1);
    expect(await cluster.call('HLEN', h)).toBe(2);
    expect(await cluster.call('HGETALL', h)).toEqual(['a', '1', 'b', '2']);
    expect(await cluster.call('HDEL', h, 'a')).toBe(1);
    const z = 'schedule{app}';
    expect(await cluster.call('ZADD', z, 3, 'c', 1, 'a', 2, 'b')).toBe(3);
    expect(await cluster.call('ZRANGE', z, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await cluster.call('ZRANGEBYSCORE', z, '-inf', 2)).toEqual(['a', 'b']);
    expect(await cluster.call('ZCARD', z)).toBe(3);
    expect(await cluster.call('ZREM', z, 'a')).toBe(1);
    expect(await cluster.callBuffer('ZRANGE', z, 0, 0)).toEqual([Buffer.from('b')]);
    expect(await cluster.call('DEL', h, z)).toBe(2);
  });

  it('MULTI/EXEC runs on the owner of its slot', async () => {
    const replies = await cluster.multi([
      ['ZADD', 'sched{tx}', 1, 'due'],
      ['ZRANGEBYSCORE', 'sched{tx}', 0, 1],
      ['ZREMRANGEBYSCORE', 'sched{tx}', 0, 1],
      ['LPUSH', 'queue{tx}', 'due'],
    ]);
    expect(replies).toEqual([1, ['due'], 1, 1]);
    expect(await cluster.call('LRANGE', 'queue{tx}', 0, -1)).toEqual(['due']);
  });

  it('refuses a transaction across slots before sending anything', async () => {
    expect(keySlot('cross:a')).not.toBe(keySlot('cross:b'));
    const err = await cluster.multi([['SET', 'cross:a', '1'], ['SET', 'cross:b', '2']]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrossSlotError);
    expect((err as CrossSlotError).slots).toEqual([keySlot('cross:a'), keySlot('cross:b')]);
    expect(await cluster.call('EXISTS', 'cross:a')).toBe(0);
  });

  it('pub/sub: a subscriber hears messages published through any node', async () => {
    const sub = cluster.duplicate();
    try {
      const got: string[] = [];
      await sub.subscribe('events{app}', (message) => got.push(message));
      const seen = new Promise<string>((resolve) => sub.once('message', (_c, m) => resolve(m)));
      await cluster.call('PUBLISH', 'events{app}', 'hello');
      expect(await seen).toBe('hello');
      expect(got).toEqual(['hello']);
      await sub.unsubscribe('events{app}');
    } finally {
      await sub.quit();
    }
  });

  it('follows ASK during a slot migration and MOVED once it is done', async () => {
    const key = 'migrating{mig}';
    const other = 'staying{mig}';
    const slot = keySlot(key);
    await cluster.call('SET', key, 'moved-value');
    await cluster.call('SET', other, 'stays');
    const sourcePort = await servers.ownerOf(slot);
    const targetPort = (await servers.primaryPorts()).find((p) => p !== sourcePort) as number;
    const source = servers.admin(sourcePort);
    const target = servers.admin(targetPort);
    const sourceId = await source.call('CLUSTER', 'MYID');
    const targetId = await target.call('CLUSTER', 'MYID');
    await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId as string);
    await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId as string);
    expect(await source.call('MIGRATE', '127.0.0.1', targetPort, '', 0, 5000, 'KEYS', key)).toBe('OK');

    // The source answers ASK for the migrated key; the client asks the target.
    await expect(source.call('GET', key)).rejects.toThrow(/^ASK /);
    expect(await cluster.call('GET', key)).toBe('moved-value');
    expect(await cluster.call('GET', other)).toBe('stays');
    expect(await cluster.multi([['GET', key], ['STRLEN', key]])).toEqual(['moved-value', 11]);

    expect(await source.call('MIGRATE', '127.0.0.1', targetPort, '', 0, 5000, 'KEYS', other)).toBe('OK');
    for (const port of await servers.primaryPorts()) {
      await servers.admin(port).call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId as string);
    }
    // The client's map still says source: MOVED sends it to the target and refreshes the map.
    const refreshed = new Promise<void>((resolve) => cluster.once('refresh', () => resolve()));
    expect(await cluster.call('GET', other)).toBe('stays');
    await refreshed;
    await expect(source.call('GET', other)).rejects.toThrow(/^MOVED /);
    expect(await cluster.call('SET', other, 'updated')).toBe('OK');
    expect(await target.call('GET', other)).toBe('updated');
  });

  it('keyless commands go to some primary; a plain client meets MOVED that RedisCluster hides', async () => {
    expect(await cluster.call('PING')).toBe('PONG');
    const slot = keySlot('plain-client');
    const owner = await servers.ownerOf(slot);
    const wrong = (await servers.primaryPorts()).find((p) => p !== owner) as number;
    const plain = new RedisClient({ port: wrong });
    try {
      await expect(plain.call('SET', 'plain-client', 1)).rejects.toThrow(/^MOVED /);
      expect(await cluster.call('SET', 'plain-client', 1)).toBe('OK');
    } finally {
      await plain.quit();
    }
  });
});
