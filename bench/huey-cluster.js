// Huey on a Redis Cluster against one redis-server, in one run: three hueys
// whose names hash to slots on three different primaries (checked against the
// cluster's own slot map before anything is timed) drain their queues at the
// same time, first on a real cluster of 3 primaries + 3 replicas, then on one
// redis-server, turn about; reported as drain rates and the cluster/one-Redis
// ratio. On a 2-core machine the cluster cannot scale out (its six servers
// share the cores with the benchmark); what the ratio shows is what the
// cluster path costs per task: slot routing, one connection per primary, and
// the replication the primaries do. Each comparison runs twice: with huey's
// consumer events on (the default: two PUBLISHes per task) and off, because a
// cluster forwards every PUBLISH to all its nodes over the cluster bus.
// The cluster is started by the same code the tests use
// (test/helpers/redis-cluster.ts, loaded through tsx), so there is one way to
// start one. Used by bench/huey.js (BENCH_ONLY=cluster runs it alone).
import { loadavg } from 'node:os';
import { tsImport } from 'tsx/esm/api';
import { keySlot } from '../dist/src/client/index.js';
import { RedisHuey, silentLogger } from '../dist/src/huey/index.js';
import { spawnRedis } from './lib.js';

const HUEYS = 3;
const hueyOptions = { logger: silentLogger, readTimeout: 0.2 };
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Huey names, one per primary: the first names (in a fixed order) whose slots have owners not yet taken. */
async function namesOnDistinctPrimaries(cluster) {
  const byPrimary = new Map();
  for (let i = 0; byPrimary.size < HUEYS; i++) {
    if (i > 1000) throw new Error('no huey names found on three different primaries');
    const name = `bench-${i}`;
    const port = await cluster.ownerOf(keySlot(name));
    if (!byPrimary.has(port)) byPrimary.set(port, name);
  }
  return [...byPrimary].map(([port, name]) => ({ name, port, slot: keySlot(name) }));
}

/** Drains `total` no-op tasks spread over one huey per name, `workers` workers each, all at once; tasks/s. */
async function drainTogether(names, connect, total, workers, events) {
  const hueys = names.map((name) => new RedisHuey(name, { ...connect, ...hueyOptions, events }));
  const perHuey = Math.ceil(total / hueys.length);
  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => (finished = resolve));
  const tasks = hueys.map((huey) =>
    huey.task(function noop() {
      if (++done === perHuey * hueys.length) finished();
    }),
  );
  await Promise.all(hueys.map((huey) => huey.flush()));
  // Fill every queue first (pipelined), then time the consumers alone.
  for (const noop of tasks) {
    const batch = [];
    for (let i = 0; i < perHuey; i++) {
      batch.push(noop());
      if (batch.length === 1000) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  }
  const consumers = hueys.map((huey) => huey.createConsumer({ workers, periodic: false }));
  const t0 = process.hrtime.bigint();
  await Promise.all(consumers.map((c) => c.start()));
  await allDone;
  const rate = (perHuey * hueys.length) / seconds(t0);
  await Promise.all(consumers.map((c) => c.stop()));
  await Promise.all(hueys.map(async (huey) => (await huey.flush(), await huey.close())));
  return rate;
}

/**
 * Checks the placement with the servers themselves: a plain connection to the
 * primary the map names writes to the huey's queue key (another node would
 * answer MOVED).
 */
async function checkPlacement(cluster, placed) {
  for (const { name, port } of placed) {
    const admin = cluster.admin(port);
    const key = `huey.{${name}}.queue`;
    await admin.call('RPUSH', key, 'probe');
    await admin.call('DEL', key);
  }
}

/**
 * The comparison: `out` gets, per worker count, the drain rate of 3 hueys on
 * one Redis and on the cluster and their ratio (keys named for the table in
 * bench/huey.js), plus the load average before and after.
 */
export async function measureCluster({ total, workerCounts, repeats }) {
  const { startRedisCluster } = await tsImport('../test/helpers/redis-cluster.ts', import.meta.url);
  const loadBefore = load();
  const cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  const single = await spawnRedis();
  const one = {};
  const sharded = {};
  try {
    const placed = await namesOnDistinctPrimaries(cluster);
    await checkPlacement(cluster, placed);
    console.log(`cluster: ${placed.map((p) => `huey ${p.name} -> slot ${p.slot} -> primary :${p.port}`).join(', ')}`);
    const names = placed.map((p) => p.name);
    const onCluster = { cluster: { nodes: cluster.urls } };
    const onOne = { host: '127.0.0.1', port: single.port };
    for (const events of [true, false]) {
      for (const w of workerCounts) {
        const label = `${HUEYS} hueys drain, ${w} worker${w === 1 ? '' : 's'} each${events ? '' : ', events off'}`;
        let a = 0;
        let b = 0;
        // Turn about, so a slow patch of the machine hits both alike.
        for (let i = 0; i < repeats; i++) {
          a = Math.max(a, await drainTogether(names, onOne, total, w, events));
          b = Math.max(b, await drainTogether(names, onCluster, total, w, events));
        }
        one[`${label} (tasks/s)`] = a;
        sharded[`${label} (tasks/s)`] = b;
        sharded[`cluster/one Redis ${label} (x)`] = b / a;
      }
    }
  } finally {
    await single.stop();
    await cluster.stop();
  }
  const loadAfter = load();
  console.log(`load average (1 5 15 min) before the cluster run: ${loadBefore}, after: ${loadAfter}`);
  return { one, sharded, load: { before: loadBefore, after: loadAfter } };
}
