// A real Sentinel deployment for tests: one primary, one replica and three
// sentinels (`redis-server FILE --sentinel`), on free ports with config files in
// a temp dir, waited for until the replica is in sync and every sentinel knows
// the primary, the replica and the two other sentinels (bounded).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, startNodeOnFreePort, waitFor, type RedisNode } from './redis-cluster.js';
import { freePort, redisServerInstalled } from './free-port.js';

/** A running Sentinel deployment. */
export interface SentinelDeployment {
  /** The name the sentinels monitor the primary under. */
  readonly name: string;
  /** The data nodes: [initial primary, initial replica]. */
  readonly servers: readonly RedisNode[];
  readonly sentinels: readonly RedisNode[];
  /** { host, port } of each sentinel, for the client's `sentinel.sentinels`. */
  readonly sentinelAddresses: readonly { host: string; port: number }[];
  /** The primary's port according to the sentinels (all live ones must agree). */
  primaryPort(): Promise<number>;
  /** Waits until every live sentinel names a primary other than `oldPort` that says it is a primary. */
  waitForNewPrimary(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface SentinelSetup {
  /** down-after-milliseconds (default 1000): how soon a dead primary is noticed. */
  downAfterMs?: number;
}

/** Starts 1 primary + 1 replica + 3 sentinels and waits until the sentinels agree. */
export async function startRedisSentinel(setup: SentinelSetup = {}): Promise<SentinelDeployment> {
  if (!redisServerInstalled) throw new Error('redis-server is not installed (REQUIRE_REDIS=1)');
  const name = 'mymaster';
  const dir = mkdtempSync(join(tmpdir(), 'huey-sentinel-'));
  const servers: RedisNode[] = [];
  const sentinels: RedisNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all([...sentinels, ...servers].map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const plain = ['--save', '', '--appendonly', 'no'];
    servers.push(await startNodeOnFreePort(freePort, () => plain, dir));
    const primaryPort = servers[0]!.port;
    servers.push(await startNodeOnFreePort(freePort, () => [...plain, '--replicaof', '127.0.0.1', String(primaryPort)], dir));
    const replicaPort = servers[1]!.port;
    await waitFor('the replica to sync', 20_000, async () => {
      const role = (await ask(replicaPort, ['ROLE'])) as unknown[];
      return role[0] === 'slave' && role[3] === 'connected';
    });

    const sentinelArgs = (port: number): string[] => {
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${name} ${setup.downAfterMs ?? 1000}`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      return [file, '--sentinel'];
    };
    for (let i = 0; i < 3; i++) sentinels.push(await startNodeOnFreePort(freePort, sentinelArgs, dir));

    const live = (): RedisNode[] => sentinels.filter((s) => s.alive);
    const namedBy = async (port: number): Promise<number> => {
      const reply = (await ask(port, ['SENTINEL', 'get-master-addr-by-name', name])) as [string, string] | null;
      if (reply === null) throw new Error(`sentinel ${port} does not know ${name}`);
      return Number(reply[1]);
    };
    const deployment: SentinelDeployment = {
      name,
      servers,
      sentinels,
      sentinelAddresses: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      async primaryPort() {
        const ports = await Promise.all(live().map((s) => namedBy(s.port)));
        if (ports.some((p) => p !== ports[0])) throw new Error(`sentinels disagree on the primary: ${ports.join(', ')}`);
        return ports[0] as number;
      },
      async waitForNewPrimary(oldPort, timeoutMs = 30_000) {
        let found = 0;
        await waitFor(`the sentinels to promote a primary other than ${oldPort}`, timeoutMs, async () => {
          const ports = await Promise.all(live().map((s) => namedBy(s.port)));
          const port = ports[0] as number;
          if (port === oldPort || ports.some((p) => p !== port)) return false;
          const role = (await ask(port, ['ROLE'])) as unknown[];
          found = port;
          return role[0] === 'master';
        });
        return found;
      },
      stop,
    };
    // Agreement: each sentinel knows the primary, the replica and the two other sentinels.
    await waitFor('the sentinels to agree', 30_000, async () => {
      for (const s of sentinels) {
        if ((await namedBy(s.port)) !== primaryPort) return false;
        const others = (await ask(s.port, ['SENTINEL', 'sentinels', name])) as unknown[];
        const replicas = (await ask(s.port, ['SENTINEL', 'replicas', name])) as unknown[];
        if (others.length !== 2 || replicas.length !== 1) return false;
      }
      return true;
    });
    return deployment;
  } catch (err) {
    await stop();
    throw err;
  }
}
