// Where RedisCluster gets its slot map when a node is not a Redis 7 with every
// command allowed: a one-node "cluster" played by a mock server that answers
// CLUSTER SHARDS as an older Redis does (or as an ACL does), or with a map
// that leaves slots out, and CLUSTER SLOTS with the whole map. Also a replica
// that answers LOADING to a read (hard to catch a real one in the act).
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisCluster } from '../../../src/client/index.js';
import { startMockServer, type MockServer } from '../mock-server.js';

const bulk = (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

/** A node that owns every slot per CLUSTER SLOTS, answers SHARDS with `shards(port)` and GET with "value". */
async function startNode(shards: (port: number) => string): Promise<MockServer> {
  let port = 0;
  const server = await startMockServer((command: string[], socket: Socket) => {
    const [name, sub] = [command[0]?.toUpperCase(), command[1]?.toUpperCase()];
    if (name === 'CLUSTER' && sub === 'SHARDS') socket.write(shards(port));
    else if (name === 'CLUSTER' && sub === 'SLOTS') socket.write(`*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n${bulk('127.0.0.1')}:${port}\r\n${bulk('a'.repeat(40))}`);
    else if (name === 'GET') socket.write(bulk('value'));
    else if (name === 'QUIT') socket.end('+OK\r\n');
    else socket.write('-ERR unexpected\r\n');
  });
  port = server.port;
  return server;
}

/** The CLUSTER subcommands the node was sent, in order, over all its connections. */
const asked = (node: MockServer): string[] =>
  node.received.flat().filter((c) => c[0]?.toUpperCase() === 'CLUSTER').map((c) => String(c[1]).toUpperCase());

describe('RedisCluster: CLUSTER SHARDS, else CLUSTER SLOTS', () => {
  let node: MockServer | undefined;
  let cluster: RedisCluster | undefined;
  afterEach(async () => {
    cluster?.disconnect();
    await node?.close();
  });

  it("uses SLOTS on a server without SHARDS (Redis 6's reply), and does not ask SHARDS again", async () => {
    node = await startNode(() => "-ERR Unknown subcommand or wrong number of arguments for 'SHARDS'. Try CLUSTER HELP.\r\n");
    cluster = new RedisCluster({ nodes: [`redis://127.0.0.1:${node.port}`] });
    expect(await cluster.call('GET', 'some-key')).toBe('value');
    await cluster.refresh();
    expect(asked(node)).toEqual(['SHARDS', 'SLOTS', 'SLOTS']);
  });

  it('uses SLOTS when an ACL refuses SHARDS', async () => {
    node = await startNode(() => "-NOPERM User default has no permissions to run the 'cluster|shards' command\r\n");
    cluster = new RedisCluster({ nodes: [`redis://127.0.0.1:${node.port}`] });
    expect(await cluster.call('GET', 'other-key')).toBe('value');
    expect(asked(node)).toEqual(['SHARDS', 'SLOTS']);
  });

  it('checks a SHARDS map that leaves slots uncovered against SLOTS', async () => {
    // Only slots 0-99 under SHARDS (as a shard whose slots are listed under its failed primary would look).
    node = await startNode(
      (port) =>
        `*1\r\n*4\r\n${bulk('slots')}*2\r\n:0\r\n:99\r\n${bulk('nodes')}*1\r\n*6\r\n${bulk('endpoint')}${bulk('127.0.0.1')}` +
        `${bulk('port')}:${port}\r\n${bulk('role')}${bulk('master')}${bulk('health')}${bulk('online')}`,
    );
    cluster = new RedisCluster({ nodes: [`redis://127.0.0.1:${node.port}`] });
    // 'foo' is slot 12182, which only SLOTS covers.
    expect(await cluster.call('GET', 'foo')).toBe('value');
    expect(asked(node)).toEqual(['SHARDS', 'SLOTS']);
  });

  it('asks the next node, not SLOTS for good, when SHARDS fails for another reason', async () => {
    node = await startNode(() => '-LOADING Redis is loading the dataset in memory\r\n');
    cluster = new RedisCluster({ nodes: [`redis://127.0.0.1:${node.port}`], maxRedirections: 2, retryDelay: 1 });
    cluster.on('error', () => undefined);
    await expect(cluster.call('GET', 'k')).rejects.toThrow(/No cluster node answered/);
    await expect(cluster.refresh()).rejects.toThrow(/No cluster node answered/);
    expect(asked(node)).toEqual(['SHARDS', 'SHARDS']);
  });
});

describe('RedisCluster readFrom: a replica still loading', () => {
  let nodes: MockServer[] = [];
  let cluster: RedisCluster | undefined;
  afterEach(async () => {
    cluster?.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
  });

  it('sends a read the replica answered LOADING to the primary', async () => {
    const shard = (primary: number, replica: number): string => {
      const node = (port: number, role: string): string =>
        `*8\r\n${bulk('endpoint')}${bulk('127.0.0.1')}${bulk('port')}:${port}\r\n${bulk('role')}${bulk(role)}${bulk('health')}${bulk('online')}`;
      return `*1\r\n*4\r\n${bulk('slots')}*2\r\n:0\r\n:16383\r\n${bulk('nodes')}*2\r\n${node(primary, 'master')}${node(replica, 'replica')}`;
    };
    const ports = { primary: 0, replica: 0 };
    const answer = (role: 'primary' | 'replica') => (command: string[], socket: Socket) => {
      const name = command[0]?.toUpperCase();
      if (name === 'CLUSTER') socket.write(shard(ports.primary, ports.replica));
      else if (name === 'READONLY') socket.write('+OK\r\n');
      else if (name === 'GET') socket.write(role === 'primary' ? bulk('from-primary') : '-LOADING Redis is loading the dataset in memory\r\n');
      else socket.write('-ERR unexpected\r\n');
    };
    const primary = await startMockServer(answer('primary'));
    const replica = await startMockServer(answer('replica'));
    nodes = [primary, replica];
    [ports.primary, ports.replica] = [primary.port, replica.port];
    cluster = new RedisCluster({ nodes: [`redis://127.0.0.1:${primary.port}`], readFrom: 'replica' });
    await cluster.connect();
    const [replicaConnection] = cluster.replicas();
    await replicaConnection?.connect();
    expect(await cluster.call('GET', 'k')).toBe('from-primary');
    const replicaGot = replica.received.flat().map((c) => c[0]?.toUpperCase());
    expect(replicaGot).toEqual(['READONLY', 'GET']);
  });
});
