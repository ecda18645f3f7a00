// simpledb vs redis-server under redis-benchmark, side by side in one run.
// Runs alternate between the two servers (so background load hits both
// alike), each figure is the median of several rounds, and the table gives
// simpledb/redis ratios. Usage: npm run bench:server [-- --rounds 3 --requests 200000]
import { spawnSync } from 'node:child_process';
import { fmt, has, median, spawnRedis, spawnSimpledb, table, writeResults } from './lib.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rounds = Number(opt('rounds', 3));
const requests = Number(opt('requests', 200000));
const clients = Number(opt('clients', 50));
const tests = opt('tests', 'ping,lpush,rpop,hset,zadd').split(',');
const pipelines = opt('pipelines', '1,16').split(',').map(Number);

if (!has('redis-benchmark') || !has('redis-server')) {
  console.error('bench:server needs redis-benchmark and redis-server (apt-get install redis-server redis-tools)');
  process.exit(1);
}

/** Runs redis-benchmark once; returns requests/s per test name. */
function runBenchmark(port, pipeline) {
  const n = pipeline === 1 ? Math.min(requests, 100000) : requests;
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-c', String(clients), '-n', String(n), '-P', String(pipeline), '-t', tests.join(','), '--csv'], {
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

const servers = [await spawnSimpledb(), await spawnRedis()];
const samples = {}; // key: `${server}|${pipeline}|${test}` -> [rps]
try {
  for (const pipeline of pipelines) {
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 ? [...servers].reverse() : servers) {
        for (const [test, rps] of Object.entries(runBenchmark(s.port, pipeline))) {
          (samples[`${s.name}|${pipeline}|${test}`] ??= []).push(rps);
        }
      }
    }
  }
} finally {
  for (const s of servers) await s.stop();
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
