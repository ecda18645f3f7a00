// RedisCluster's readFrom on a real cluster (3 primaries, 3 replicas): which
// node served a command is read from the servers themselves (INFO
// commandstats and errorstats, CLIENT LIST), never guessed from the client.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keySlot, RedisCluster } from '../../../src/client/index.js';
import { READ_ONLY_COMMANDS } from '../../../src/client/cluster/read-only-commands.js';
import { ask, startRedisCluster, waitFor, type RedisClusterProcess } from '../../helpers/redis-cluster.js';
import { describeWithRedis } from '../../helpers/redis-server.js';

/** A counter from INFO `section` on `port`, 0 when the line is absent. */
async function stat(port: number, section: 'commandstats' | 'errorstats', pattern: RegExp): Promise<number> {
  const match = pattern.exec(String(await ask(port, ['INFO', section])));
  return Number(match?.[1] ?? 0);
}
const gets = (port: number) => stat(port, 'commandstats', /cmdstat_get:calls=(\d+)/);
const sets = (port: number) => stat(port, 'commandstats', /cmdstat_set:calls=(\d+)/);
const movedReplies = (port: number) => stat(port, 'errorstats', /errorstat_MOVED:count=(\d+)/);

describeWithRedis('RedisCluster readFrom on a real cluster', () => {
  let servers: RedisClusterProcess;
  let replicaReads: RedisCluster;

  beforeAll(async () => {
    servers = await startRedisCluster();
    replicaReads = new RedisCluster({ nodes: [servers.urls[0] as string], readFrom: 'replica' });
    await replicaReads.connect();
  }, 90_000);

  afterAll(async () => {
    replicaReads?.disconnect();
    await servers?.stop();
  });

  /** GETs `key` through `client` until `port` has served one (and the value has replicated); returns the value. */
  async function readUntilServedBy(client: RedisCluster, port: number, key: string): Promise<unknown> {
    let value: unknown;
    await waitFor(`a GET of ${key} served by :${port}`, 30_000, async () => {
      const before = await gets(port);
      value = await client.call('GET', key);
      return value !== null && (await gets(port)) > before;
    });
    return value;
  }

  it('sends only commands that Redis flags readonly, keyed and not blocking', async () => {
    const port = servers.nodes[0]?.port as number;
    for (const name of READ_ONLY_COMMANDS) {
      const [info] = (await ask(port, ['COMMAND', 'INFO', name])) as [[string, number, string[], number] | null];
      expect(info, name).not.toBeNull();
      const flags = (info as [string, number, string[], number])[2];
      expect(flags, name).toContain('readonly');
      expect(flags, name).not.toContain('write');
      expect(flags, name).not.toContain('blocking');
      expect((info as [string, number, string[], number])[3] > 0 || flags.includes('movablekeys'), `${name} takes keys`).toBe(true);
    }
  });

  it("readFrom 'replica': a GET is served by a replica over a READONLY connection, writes go to the primary", async () => {
    const key = 'reads{rr}';
    const primary = await servers.ownerOf(keySlot(key));
    const replica = await servers.replicaOf(primary);
    const [setsBefore, replicaSetsBefore, replicaMovedBefore] = [await sets(primary), await sets(replica), await movedReplies(replica)];
    for (let i = 0; i < 5; i++) expect(await replicaReads.call('SET', key, `v${i}`)).toBe('OK');
    expect(await sets(primary)).toBe(setsBefore + 5);

    expect(await readUntilServedBy(replicaReads, replica, key)).toBe('v4');
    // The replica ran the SETs only as replicated from its primary: none was sent to it and redirected.
    expect(await movedReplies(replica)).toBe(replicaMovedBefore);
    expect(await sets(replica)).toBe(replicaSetsBefore + 5);
    const clients = String(await ask(replica, ['CLIENT', 'LIST']));
    expect(clients).toMatch(/flags=\w*r\w* .*cmd=get/);
    expect(replicaReads.replicas()).toHaveLength(3);
    expect(replicaReads.nodes()).toHaveLength(3);
  });

  it("readFrom 'any': reads take turns between the primary and its replica", async () => {
    const key = 'turns{any}';
    const primary = await servers.ownerOf(keySlot(key));
    const replica = await servers.replicaOf(primary);
    const any = new RedisCluster({ nodes: [servers.urls[1] as string], readFrom: 'any' });
    try {
      await any.call('SET', key, 'shared');
      await readUntilServedBy(any, replica, key);
      const [p, r] = [await gets(primary), await gets(replica)];
      for (let i = 0; i < 10; i++) expect(await any.call('GET', key)).toBe('shared');
      expect((await gets(primary)) - p).toBeGreaterThanOrEqual(4);
      expect((await gets(replica)) - r).toBeGreaterThanOrEqual(4);
    } finally {
      await any.quit();
    }
  });

  it('a MOVED from a replica whose slot went to another primary is followed there', async () => {
    const key = 'moving{mv}';
    const slot = keySlot(key);
    await replicaReads.call('SET', key, 'travels');
    const source = await servers.ownerOf(slot);
    const replica = await servers.replicaOf(source);
    await readUntilServedBy(replicaReads, replica, key);

    const target = (await servers.primaryPorts()).find((p) => p !== source) as number;
    const sourceId = String(await ask(source, ['CLUSTER', 'MYID']));
    const targetId = String(await ask(target, ['CLUSTER', 'MYID']));
    await ask(target, ['CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId]);
    await ask(source, ['CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId]);
    expect(await ask(source, ['MIGRATE', '127.0.0.1', target, '', 0, 5000, 'KEYS', key])).toBe('OK');
    for (const port of await servers.primaryPorts()) await ask(port, ['CLUSTER', 'SETSLOT', slot, 'NODE', targetId]);
    // The replica learns the new owner from the cluster bus.
    await waitFor(`:${replica} to see slot ${slot} on :${target}`, 30_000, async () => {
      const ranges = (await ask(replica, ['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      return ranges.some(([start, end, owner]) => start <= slot && slot <= end && Number(owner[1]) === target);
    });

    // The client's map still names the source and its replica: the replica answers MOVED.
    const [moved, targetGets] = [await movedReplies(replica), await gets(target)];
    expect(await replicaReads.call('GET', key)).toBe('travels');
    expect(await movedReplies(replica)).toBe(moved + 1);
    expect(await gets(target)).toBe(targetGets + 1);
  });

  it('falls back to the primary when the replica is down', async () => {
    const key = 'fallback{fb}';
    await replicaReads.call('SET', key, 'still-here');
    const primary = await servers.ownerOf(keySlot(key));
    const replica = await servers.replicaOf(primary);
    await readUntilServedBy(replicaReads, replica, key);
    await servers.nodes.find((n) => n.port === replica)?.kill();
    expect(await readUntilServedBy(replicaReads, primary, key)).toBe('still-here');
    for (let i = 0; i < 5; i++) expect(await replicaReads.call('GET', key)).toBe('still-here');
  });

  it('refuses a readFrom it does not know', () => {
    expect(() => new RedisCluster({ nodes: ['redis://127.0.0.1:1'], readFrom: 'replicas' as never })).toThrow(/readFrom must be/);
  });
});
