// simpledb vs redis-server under redis-benchmark, side by side in one run.
// Runs alternate between the two servers (so background load hits both
// alike), each figure is the median of several rounds, and the table gives
// simpledb/redis ratios. Usage: npm run bench:server [-- --rounds 3 --requests 200000]
//
// --appendonly measures the cost of the append-only file instead: simpledb
// and redis-server each with no AOF and with appendonly yes / appendfsync
// everysec (files in a temp dir), the ratio AOF/no-AOF for each, and
// simpledb+AOF against redis+AOF. Writes bench/results/server-aof.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, has, median, spawnRedis, spawnSimpledb, table, writeResults } from './lib.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rounds = Number(opt('rounds', 3));
const requests = Number(opt('requests', 200000));
const clients = Number(opt('clients', 50));
const appendonly = args.includes('--appendonly');
// The AOF only sees writes: PING would measure nothing.
const tests = opt('tests', appendonly ? 'set,lpush,rpop,hset,zadd' : 'ping,lpush,rpop,hset,zadd').split(',');
const pipelines = opt('pipelines', '1,16').split(',').map(Number);

if (!has('redis-benchmark') || !has('redis-server')) {
  console.error('bench:server needs redis-benchmark and redis-server (apt-get install redis-server redis-tools)');
  process.exit(1);
}

/** The server's CPU seconds so far (INFO cpu: user + sys, every thread of the process). */
function cpuSeconds(port) {
  const r = spawnSync('redis-cli', ['-p', String(port), 'INFO', 'cpu'], { encoding: 'utf8' });
  let total = 0;
  for (const m of r.stdout.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) total += Number(m[1]);
  return total;
}

/**
 * --appendonly: one redis-benchmark run per test, with the server's CPU time
 * around it, so that each test also gets CPU microseconds per request: on a
 * shared machine that is steadier than requests/s.
 */
function runMeasured(port, pipeline) {
  const n = pipeline === 1 ? Math.min(requests, 100000) : requests;
  const out = {};
  for (const test of tests) {
    const before = cpuSeconds(port);
    const rps = Object.values(runBenchmark(port, pipeline, [test]))[0];
    out[test.toUpperCase()] = rps;
    out[`${test.toUpperCase()} cpu`] = ((cpuSeconds(port) - before) * 1e6) / n;
  }
  return out;
}

/** Runs redis-benchmark once; returns requests/s per test name. */
function runBenchmark(port, pipeline, only = tests) {
  const n = pipeline === 1 ? Math.min(requests, 100000) : requests;
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-c', String(clients), '-n', String(n), '-P', String(pipeline), '-t', only.join(','), '--csv'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const out = {};
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^"([^"]+)","([\d.]+)"/);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The servers of this run; simpledb gets --save '' so it writes no snapshot, like the redis-server it is compared with. */
async function startServers() {
  if (!appendonly) return [await spawnSimpledb(['--save', '']), await spawnRedis()];
  const aof = (d) => ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', d];
  for (const d of ['simpledb', 'redis']) mkdirSync(join(aofDir, d));
  return [
    await spawnSimpledb(['--save', '']),
    { ...(await spawnSimpledb(['--save', '', ...aof(join(aofDir, 'simpledb'))])), name: 'simpledb+aof' },
    await spawnRedis(),
    { ...(await spawnRedis(aof(join(aofDir, 'redis')))), name: 'redis+aof' },
  ];
}

const aofDir = appendonly ? mkdtempSync(join(tmpdir(), 'bench-aof-')) : '';
const servers = await startServers();
const samples = {}; // key: `${server}|${pipeline}|${test}` -> [rps]
try {
  for (const pipeline of pipelines) {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so that background load hits every server alike.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]);
      for (const s of order) {
        for (const [test, rps] of Object.entries(appendonly ? runMeasured(s.port, pipeline) : runBenchmark(s.port, pipeline))) {
          (samples[`${s.name}|${pipeline}|${test}`] ??= []).push(rps);
        }
      }
    }
  }
} finally {
  for (const s of servers) await s.stop();
  if (aofDir) rmSync(aofDir, { recursive: true, force: true });
}

if (appendonly) {
  const rows = [];
  const results = [];
  const m = (server, pipeline, test) => median(samples[`${server}|${pipeline}|${test}`]);
  for (const pipeline of pipelines) {
    const names = Object.keys(samples).filter((k) => k.startsWith(`simpledb|${pipeline}|`) && !k.endsWith(' cpu'));
    for (const test of names.map((k) => k.split('|')[2])) {
      const r = { test, pipeline };
      for (const name of ['simpledb', 'simpledb+aof', 'redis', 'redis+aof']) {
        r[name] = m(name, pipeline, test);
        r[`${name} cpu_us`] = m(name, pipeline, `${test} cpu`);
      }
      r.simpledbAofRatio = r['simpledb+aof'] / r.simpledb;
      r.redisAofRatio = r['redis+aof'] / r.redis;
      r.aofVsRedisAof = r['simpledb+aof'] / r['redis+aof'];
      // Throughput a CPU-bound server would reach: the inverse ratio of CPU per request.
      r.simpledbAofCpuRatio = r['simpledb cpu_us'] / r['simpledb+aof cpu_us'];
      r.redisAofCpuRatio = r['redis cpu_us'] / r['redis+aof cpu_us'];
      results.push(r);
      rows.push([
        test,
        pipeline,
        fmt(r.simpledb),
        fmt(r['simpledb+aof']),
        r.simpledbAofRatio.toFixed(2) + 'x',
        r.simpledbAofCpuRatio.toFixed(2) + 'x',
        fmt(r.redis),
        fmt(r['redis+aof']),
        r.redisAofRatio.toFixed(2) + 'x',
        r.redisAofCpuRatio.toFixed(2) + 'x',
        r.aofVsRedisAof.toFixed(2) + 'x',
      ]);
    }
  }
  console.log(`redis-benchmark, ${clients} clients, median of ${rounds} rotating rounds (requests/s); AOF: appendonly yes, appendfsync everysec`);
  console.log('aof/no-aof: throughput ratio; cpu ratio: no-aof CPU per request / aof CPU per request (steadier on a busy machine)\n');
  table(['test', 'pipeline', 'simpledb', 'simpledb+aof', 'aof/no-aof', 'cpu ratio', 'redis', 'redis+aof', 'aof/no-aof', 'cpu ratio', 'simpledb+aof/redis+aof'], rows);
  writeResults('server-aof', { clients, rounds, requests, appendfsync: 'everysec', results });
  process.exit(0);
}

const rows = [];
const results = [];
for (const pipeline of pipelines) {
  const names = Object.keys(samples)
    .filter((k) => k.startsWith(`simpledb|${pipeline}|`))
    .map((k) => k.split('|')[2]);
  for (const test of names) {
    const ours = median(samples[`simpledb|${pipeline}|${test}`]);
    const theirs = median(samples[`redis|${pipeline}|${test}`]);
    rows.push([test, pipeline, fmt(ours), fmt(theirs), (ours / theirs).toFixed(2) + 'x']);
    results.push({ test, pipeline, simpledb: ours, redis: theirs, ratio: ours / theirs });
  }
}
console.log(`redis-benchmark, ${clients} clients, median of ${rounds} alternating rounds (requests/s)\n`);
table(['test', 'pipeline', 'simpledb', 'redis', 'ratio'], rows);
writeResults('server', { clients, rounds, requests, results });
