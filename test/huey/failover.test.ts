// A reliable consumer draining 5,000 tasks while the primary of its huey's slot
// is SIGKILLed (Redis Cluster) or the Sentinel primary is (Sentinel): the
// consumer goes on without a restart and every task's result is there at the
// end. Tasks in flight on the old primary may run twice; none may be missing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keySlot } from '../../src/client/index.js';
import { RedisHuey, silentLogger, type RedisHueyOptions } from '../../src/huey/index.js';
import { ask, startRedisCluster, waitFor, type RedisClusterProcess } from '../helpers/redis-cluster.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { startRedisSentinel, type SentinelDeployment } from '../helpers/redis-sentinel.js';

const TASKS = 5000;

/** Waits until every replica of the primary on `port` has all it wrote (so the kill loses no enqueued task). */
async function replicasCaughtUp(port: number): Promise<void> {
  await waitFor('the replicas to catch up', 20_000, async () => {
    const [, offset, replicas] = (await ask(port, ['ROLE'])) as [string, number, [string, string, string][]];
    return replicas.length > 0 && replicas.every((r) => Number(r[2]) === offset);
  });
}

/** Enqueues TASKS tasks, starts a reliable consumer, kills the primary once `killAt` ran, and checks every result. */
async function drainThroughKill(huey: RedisHuey, primaryPort: () => Promise<number>, kill: (port: number) => Promise<void>): Promise<void> {
  let ran = 0;
  const work = huey.task((i: number) => {
    ran++;
    return i * 2;
  }, { name: 'work' });
  const results = await Promise.all(Array.from({ length: TASKS }, (_, i) => work(i)));
  const port = await primaryPort();
  await replicasCaughtUp(port);
  const consumer = huey.createConsumer({ workers: 4, workerType: 'async', periodic: false });
  await consumer.start();
  try {
    await waitFor('a fifth of the tasks to run', 60_000, async () => ran >= TASKS / 5);
    await kill(port);
    await waitFor(`all ${TASKS} results`, 90_000, async () => (await huey.storage.resultStoreSize()) >= TASKS).catch(async (err) => {
      // Say where the missing ones are.
      const where = { ran, results: await huey.storage.resultStoreSize(), queued: await huey.storage.queueSize(), inFlight: (await huey.storage.inFlightItems()).length };
      throw new Error(`${(err as Error).message}: ${JSON.stringify(where)}`);
    });
  } finally {
    await consumer.stop();
  }
  const values = await Promise.all(results.map((r) => huey.result(r!.id)));
  expect(values.filter((v) => v === null)).toHaveLength(0);
  expect(values).toEqual(Array.from({ length: TASKS }, (_, i) => i * 2));
  expect(ran).toBeGreaterThanOrEqual(TASKS);
}

describeWithRedis('a reliable consumer through the loss of its primary', () => {
  let cluster: RedisClusterProcess;
  let sentinel: SentinelDeployment;

  beforeAll(async () => {
    [cluster, sentinel] = await Promise.all([startRedisCluster({ nodeTimeout: 1000 }), startRedisSentinel()]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await sentinel?.stop();
  });

  /** A reliable huey named `name` on `where`, closed after `fn`. */
  async function withHuey(name: string, where: Pick<RedisHueyOptions, 'cluster' | 'sentinel'>, fn: (huey: RedisHuey) => Promise<void>): Promise<void> {
    const huey = new RedisHuey(name, { ...where, reliable: true, recoveryDelay: 3, readTimeout: 0.2, logger: silentLogger });
    try {
      await fn(huey);
    } finally {
      await huey.close();
    }
  }

  it('Redis Cluster: SIGKILL of the primary of the huey slot', async () => {
    await withHuey('drain-cluster', { cluster: { nodes: cluster.urls } }, (huey) =>
      drainThroughKill(
        huey,
        () => cluster.ownerOf(keySlot('drain-cluster')),
        (port) => cluster.nodes.find((n) => n.port === port)!.kill(),
      ),
    );
  }, 180_000);

  it('Sentinel: SIGKILL of the primary', async () => {
    await withHuey('drain-sentinel', { sentinel: { sentinels: sentinel.sentinelAddresses, name: sentinel.name } }, (huey) =>
      drainThroughKill(
        huey,
        () => sentinel.primaryPort(),
        (port) => sentinel.servers.find((n) => n.port === port)!.kill(),
      ),
    );
  }, 180_000);
});
