// Sharded pub/sub on a real cluster: each shard channel is subscribed on the
// primary owning its slot (SPUBLISH does not cross the cluster bus), and moves
// to the new owner when its slot is migrated or its primary fails over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keySlot, RedisCluster } from '../../../src/client/index.js';
import { ask, startRedisCluster, waitFor, type RedisClusterProcess } from '../../helpers/redis-cluster.js';
import { describeWithRedis } from '../../helpers/redis-server.js';

describeWithRedis('RedisCluster sharded pub/sub on a real cluster', () => {
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

  /** Shard subscribers of `channel` on the node at `port`. */
  async function shardSubscribers(port: number, channel: string): Promise<number> {
    const reply = (await ask(port, ['PUBSUB', 'SHARDNUMSUB', channel])) as unknown[];
    return Number(reply[1]);
  }

  /** Publishes `message` until the subscriber hears it: after a move the new subscription may not be in place yet. */
  async function publishUntilHeard(channel: string, message: string, got: string[]): Promise<void> {
    await waitFor(`${message} to reach the subscriber`, 20_000, async () => {
      if (!got.includes(message)) await cluster.call('SPUBLISH', channel, message);
      return got.includes(message);
    });
  }

  it('subscribes each shard channel on its slot owner; SPUBLISH reaches the listeners and the smessage event', async () => {
    const sub = cluster.duplicate();
    try {
      const channels = ['ev{a}', 'ev{b}', 'ev{c}', 'ev{d}'];
      const owners = await Promise.all(channels.map((c) => servers.ownerOf(keySlot(c))));
      expect(new Set(owners).size).toBeGreaterThan(1);
      const got: string[] = [];
      const events: string[] = [];
      sub.on('smessage', (channel) => events.push(channel));
      await sub.ssubscribe(channels, (message, channel) => got.push(`${channel}=${message}`));
      for (const [i, channel] of channels.entries()) {
        expect(await shardSubscribers(owners[i] as number, channel)).toBe(1);
        for (const port of await servers.primaryPorts()) {
          if (port !== owners[i]) expect(await shardSubscribers(port, channel)).toBe(0);
        }
        expect(await cluster.call('SPUBLISH', channel, String(i))).toBe(1);
      }
      await waitFor('four messages', 5000, async () => got.length === 4);
      // Each SPUBLISH went straight to its channel's owner: no node answered MOVED (errorstats).
      for (const port of await servers.primaryPorts()) {
        expect(String(await ask(port, ['INFO', 'errorstats']))).not.toMatch(/errorstat_MOVED/);
      }
      expect(got.sort()).toEqual(['ev{a}=0', 'ev{b}=1', 'ev{c}=2', 'ev{d}=3']);
      expect(events.sort()).toEqual(channels);
      await sub.sunsubscribe('ev{a}');
      expect(await shardSubscribers(owners[0] as number, 'ev{a}')).toBe(0);
      expect(await cluster.call('SPUBLISH', 'ev{a}', 'late')).toBe(0);
    } finally {
      await sub.quit();
    }
  });

  it('a migrated slot: the node drops the channel and the client subscribes it on the new owner', async () => {
    const channel = 'ev{moving}';
    const slot = keySlot(channel);
    const sub = cluster.duplicate();
    try {
      const got: string[] = [];
      await sub.ssubscribe(channel, (m) => got.push(m));
      await publishUntilHeard(channel, 'before', got);
      const source = await servers.ownerOf(slot);
      const target = (await servers.primaryPorts()).find((p) => p !== source) as number;
      const targetId = String(await ask(target, ['CLUSTER', 'MYID']));
      for (const port of await servers.primaryPorts()) await ask(port, ['CLUSTER', 'SETSLOT', slot, 'NODE', targetId]);
      // The newest epoch makes the target's claim win on every node, replicas included, so the map converges.
      await ask(target, ['CLUSTER', 'BUMPEPOCH']);
      await waitFor('the new owner to hold the subscription', 20_000, async () => (await shardSubscribers(target, channel)) === 1);
      expect(await shardSubscribers(source, channel)).toBe(0);
      await publishUntilHeard(channel, 'after', got);
      expect(got).toEqual(['before', 'after']);
      await servers.waitHealthy();
    } finally {
      await sub.quit();
    }
  }, 60_000);

  it('CLUSTER FAILOVER: the subscription follows the slot to the promoted replica', async () => {
    const channel = 'ev{fo}';
    const slot = keySlot(channel);
    const sub = cluster.duplicate();
    try {
      const got: string[] = [];
      await sub.ssubscribe(channel, (m) => got.push(m));
      await publishUntilHeard(channel, 'before', got);
      const oldPrimary = await servers.ownerOf(slot);
      const replica = await servers.replicaOf(oldPrimary);
      expect(await ask(replica, ['CLUSTER', 'FAILOVER'])).toBe('OK');
      await waitFor('the replica to become primary', 20_000, async () => (await servers.ownerOf(slot)) === replica);
      await servers.waitHealthy();
      // The subscriber learns the new map (here from a MOVED on its own next command) and moves the channel.
      await sub.call('GET', channel);
      await waitFor('the promoted replica to hold the subscription', 20_000, async () => (await shardSubscribers(replica, channel)) === 1);
      await publishUntilHeard(channel, 'after', got);
      expect(got).toEqual(['before', 'after']);
    } finally {
      await sub.quit();
    }
  }, 60_000);
});
