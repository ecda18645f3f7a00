// A real Redis Cluster for tests: N primaries with R replicas each, started from
// redis-server/redis-cli on free ports with their config files in a temp dir,
// and waited for until every node reports cluster_state:ok and sees the same
// slot map (bounded, so a broken setup fails instead of hanging).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisClient } from '../../src/client/index.js';
import { freePort, redisServerInstalled } from './free-port.js';

/** One redis-server of a test deployment. */
export interface RedisNode {
  readonly port: number;
  readonly process: ChildProcess;
  /** Whether it is still running (not killed or crashed). */
  readonly alive: boolean;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

/** A running test cluster. */
export interface RedisClusterProcess {
  readonly nodes: readonly RedisNode[];
  /** redis:// URLs of every node, for RedisCluster's `nodes` option. */
  readonly urls: readonly string[];
  /** A plain client to one node (closed by stop()). */
  admin(port: number): RedisClient;
  /** Ports of the current primaries, by asking a live node. */
  primaryPorts(): Promise<number[]>;
  /** The port of the primary serving `slot`. */
  ownerOf(slot: number): Promise<number>;
  /** The port of a live replica of the primary on `primaryPort` (by ROLE). */
  replicaOf(primaryPort: number): Promise<number>;
  /** Waits until every live node reports cluster_state:ok and the same owners. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterSetup {
  primaries?: number;
  replicasPerPrimary?: number;
  /** cluster-node-timeout in ms: how soon a dead primary is failed over (default 1500). */
  nodeTimeout?: number;
}

/** A free port whose cluster bus port (port + 10000) is free too. */
export async function freeClusterPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = await freePort();
    if (port + 10000 > 65535) continue;
    if (await portIsFree(port + 10000)) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Starts redis-server with `args` on `port` and waits until it answers PING. */
export async function startNode(port: number, args: string[], dir: string): Promise<RedisNode> {
  const child = spawn('redis-server', [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir], {
    stdio: 'ignore',
  });
  const node: RedisNode = {
    port,
    process: child,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
  await waitFor(`redis-server on ${port}`, 15_000, async () => {
    if (!node.alive) throw new Error(`redis-server on ${port} exited (${child.exitCode ?? child.signalCode})`);
    return (await ask(port, ['PING'])) === 'PONG';
  });
  return node;
}

/**
 * Starts a node on a port from `pick`, and on another one when it exits at
 * once: on a busy machine another process can take a port between the check
 * that it is free and redis-server's bind.
 */
export async function startNodeOnFreePort(pick: () => Promise<number>, argsFor: (port: number) => string[], dir: string): Promise<RedisNode> {
  for (let attempt = 1; ; attempt++) {
    const port = await pick();
    try {
      return await startNode(port, argsFor(port), dir);
    } catch (err) {
      if (attempt >= 5 || !(err instanceof Error && /exited/.test(err.message))) throw err;
    }
  }
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      if (err instanceof Error && /exited/.test(err.message)) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One command on a throwaway connection that gives up at once (for polling nodes that may be down). */
export async function ask(port: number, command: (string | number)[]): Promise<unknown> {
  const client = new RedisClient({ port, retryStrategy: () => null, connectTimeout: 2000, commandTimeout: 5000 });
  client.on('error', () => undefined);
  try {
    return await client.call(String(command[0]), ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Starts a cluster of `primaries` x (1 + `replicasPerPrimary`) nodes and waits until it is healthy. */
export async function startRedisCluster(setup: ClusterSetup = {}): Promise<RedisClusterProcess> {
  if (!redisServerInstalled) throw new Error('redis-server is not installed (REQUIRE_REDIS=1)');
  const primaries = setup.primaries ?? 3;
  const replicas = setup.replicasPerPrimary ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'huey-cluster-'));
  const nodes: RedisNode[] = [];
  const admins: RedisClient[] = [];
  const stop = async (): Promise<void> => {
    for (const a of admins) a.disconnect();
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < primaries * (1 + replicas); i++) {
      nodes.push(
        await startNodeOnFreePort(
          freeClusterPort,
          (port) => [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', `nodes-${port}.conf`,
            '--cluster-node-timeout', String(setup.nodeTimeout ?? 1500),
            // Replicas may always take over, however long they were cut off: tests kill primaries on purpose.
            '--cluster-replica-validity-factor', '0',
            '--cluster-allow-replica-migration', 'no',
            '--save', '',
            '--appendonly', 'no',
          ],
          dir,
        ),
      );
    }
    const ports = nodes.map((n) => n.port);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      60_000,
    );
    const cluster: RedisClusterProcess = {
      nodes,
      urls: ports.map((p) => `redis://127.0.0.1:${p}`),
      admin(port) {
        const client = new RedisClient({ port });
        client.on('error', () => undefined);
        admins.push(client);
        return client;
      },
      async primaryPorts() {
        return [...new Set((await slotOwners(nodes)).values())];
      },
      async ownerOf(slot) {
        for (const [range, port] of await slotOwners(nodes)) if (slot >= range[0] && slot <= range[1]) return port;
        throw new Error(`no owner for slot ${slot}`);
      },
      async replicaOf(primaryPort) {
        for (const node of nodes) {
          if (!node.alive || node.port === primaryPort) continue;
          const role = (await ask(node.port, ['ROLE'])) as unknown[];
          if (role[0] === 'slave' && Number(role[2]) === primaryPort) return node.port;
        }
        throw new Error(`no replica of ${primaryPort}`);
      },
      waitHealthy: (timeoutMs = 30_000) => waitHealthy(nodes, primaries * (1 + replicas), timeoutMs),
      stop,
    };
    await cluster.waitHealthy();
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Slot ranges and the port of their primary, as a live node sees them. */
async function slotOwners(nodes: readonly RedisNode[]): Promise<Map<[number, number], number>> {
  for (const node of nodes) {
    if (!node.alive) continue;
    try {
      const reply = (await ask(node.port, ['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      return new Map(reply.map(([start, end, primary]) => [[start, end] as [number, number], Number(primary[1])]));
    } catch {
      // ask the next one
    }
  }
  throw new Error('no live cluster node answered CLUSTER SLOTS');
}

async function waitHealthy(nodes: readonly RedisNode[], expectedNodes: number, timeoutMs: number): Promise<void> {
  await waitFor('cluster_state:ok on every node, one slot map', timeoutMs, async () => {
    const views: string[] = [];
    for (const node of nodes) {
      if (!node.alive) continue;
      const info = String(await ask(node.port, ['CLUSTER', 'INFO']));
      if (!/cluster_state:ok/.test(info) || !/cluster_slots_assigned:16384/.test(info)) return false;
      if (!info.includes(`cluster_known_nodes:${expectedNodes}`)) return false;
      // Replicas must be in sync, or a failover test could lose what it wrote.
      const role = (await ask(node.port, ['ROLE'])) as unknown[];
      if (role[0] === 'slave' && role[3] !== 'connected') return false;
      const slots = (await ask(node.port, ['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
      views.push(JSON.stringify(slots.map(([s, e, p]) => [s, e, p[1]]).sort((a, b) => Number(a[0]) - Number(b[0]))));
    }
    return views.length > 0 && views.every((v) => v === views[0]);
  });
}
