// RedisCluster through failovers of a real cluster: a manual CLUSTER FAILOVER
// (the old primary answers MOVED, a blocked pop is redirected) and a SIGKILLed
// primary (in-flight commands are rejected, later ones reach the new primary).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectionClosedError, keySlot, RedisCluster } from '../../../src/client/index.js';
import { ask, startRedisCluster, waitFor, type RedisClusterProcess } from '../../helpers/redis-cluster.js';
import { describeWithRedis } from '../../helpers/redis-server.js';

describeWithRedis('RedisCluster through failovers', () => {
  let servers: RedisClusterProcess;
  let cluster: RedisCluster;

  beforeAll(async () => {
    servers = await startRedisCluster({ nodeTimeout: 1000 });
    cluster = new RedisCluster({ nodes: servers.urls as string[] });
    await cluster.connect();
  }, 90_000);

  afterAll(async () => {
    cluster?.disconnect();
    await servers?.stop();
  });

  it('CLUSTER FAILOVER on a replica: a blocked BRPOP is redirected and served by the new primary', async () => {
    const queue = 'manual{fo}';
    const oldPrimary = await servers.ownerOf(keySlot(queue));
    const replica = await servers.replicaOf(oldPrimary);
    await cluster.call('SET', 'before{fo}', 'kept');
    const waiter = cluster.duplicate();
    try {
      const popped = waiter.call('BRPOP', queue, 0);
      await waitFor('the BRPOP to block', 5000, async () =>
        /blocked_clients:1/.test(String(await ask(oldPrimary, ['INFO', 'clients']))),
      );
      expect(await ask(replica, ['CLUSTER', 'FAILOVER'])).toBe('OK');
      await waitFor('the replica to become primary', 20_000, async () => (await servers.ownerOf(keySlot(queue))) === replica);
      await servers.waitHealthy();
      expect(await cluster.call('GET', 'before{fo}')).toBe('kept');
      expect(await cluster.call('LPUSH', queue, 'after-failover')).toBe(1);
      expect(await popped).toEqual([queue, 'after-failover']);
      expect(await ask(replica, ['LLEN', queue])).toBe(0);
    } finally {
      waiter.disconnect();
    }
  }, 60_000);

  it('SIGKILL of a primary: in-flight commands are rejected, later ones reach the promoted replica', async () => {
    const key = 'killed{ko}';
    const primary = await servers.ownerOf(keySlot(key));
    const replica = await servers.replicaOf(primary);
    await cluster.call('SET', key, 'survives');
    await waitFor('the replica to catch up', 5000, async () => {
      const [, offset, replicas] = (await ask(primary, ['ROLE'])) as [string, number, [string, string, string][]];
      return replicas.length > 0 && replicas.every((r) => Number(r[2]) === offset);
    });
    const waiter = cluster.duplicate();
    try {
      const blocked = waiter.call('BRPOP', 'queue{ko}', 0).catch((e: unknown) => e);
      await waitFor('the BRPOP to block', 5000, async () =>
        /blocked_clients:1/.test(String(await ask(primary, ['INFO', 'clients']))),
      );
      const node = servers.nodes.find((n) => n.port === primary);
      await node?.kill();
      // In flight when the primary died: it may have run, so it is rejected, never resent.
      const err = await blocked;
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as ConnectionClosedError).written).toBe(true);
      // Sent once the client knows the primary is gone (until then a command can still be written
      // to the dying socket, and be rejected like the BRPOP): waits, then runs on the promoted replica.
      await waitFor('the cluster client to notice', 5000, async () => cluster.nodes().some((n) => n.status !== 'ready'));
      const started = Date.now();
      expect(await cluster.call('GET', key)).toBe('survives');
      expect(await cluster.call('LPUSH', 'queue{ko}', 'x')).toBe(1);
      expect(await servers.ownerOf(keySlot(key))).toBe(replica);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      waiter.disconnect();
    }
  }, 60_000);
});
