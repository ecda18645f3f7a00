// simpledb vs redis-server under redis-benchmark, side by side in one run
// (under bench/load-generator.js where redis-benchmark is not installed, or
// with --generator node).
// Runs alternate between the two servers (so background load hits both
// alike), each figure is the median of several rounds, and the table gives
// simpledb/redis ratios: of throughput, and of the server's CPU time per
// request, which moves much less with the machine's load than requests/s do.
// Both servers get one untimed warm-up pass first (simpledb's JIT, both
// servers' allocators). Usage: npm run bench:server [-- --rounds 5 --requests 1000000]
//
// --appendonly measures the cost of the append-only file instead: simpledb
// and redis-server each with no AOF and with appendonly yes / appendfsync
// everysec (files in a temp dir), the ratio AOF/no-AOF for each, and
// simpledb+AOF against redis+AOF. Writes bench/results/server-aof.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, has, median, root, spawnRedis, spawnSimpledb, table, writeResults } from './lib.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run bench:server [-- options]

simpledb against redis-server, side by side, under the same load.

  --rounds N         alternating rounds per figure; each figure is a median (default 5)
  --requests N       requests per run at pipeline 16; pipeline 1 runs a tenth (default 1000000)
  --clients N        connections (default 50)
  --pipelines LIST   pipeline depths (default 1,16)
  --tests LIST       redis-benchmark test names (default ping_inline,ping_mbulk,lpush,rpop,hset,zadd)
  --generator NAME   redis-benchmark (default where installed) or node (bench/load-generator.js)
  --appendonly       measure the cost of appendonly everysec instead (writes server-aof.json)
  --baseline DIR     also run the simpledb built in checkout DIR (e.g. /work/main), in the same
                     rotation, and print this build against it (ratios of req/s and CPU per request)`);
  process.exit(0);
}
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rounds = Number(opt('rounds', 5));
// Per run at pipeline 16; pipeline 1 runs a tenth as many (it is ~10x slower).
const requests = Number(opt('requests', 1000000));
const clients = Number(opt('clients', 50));
const appendonly = args.includes('--appendonly');
// The AOF only sees writes: PING would measure nothing.
const tests = opt('tests', appendonly ? 'set,lpush,rpop,hset,zadd' : 'ping_inline,ping_mbulk,lpush,rpop,hset,zadd').split(',');
const pipelines = opt('pipelines', '1,16').split(',').map(Number);
// Another checkout's build, to tell what a change costs: run in the same rotation as this one.
const baseline = opt('baseline', null);
if (baseline !== null && !existsSync(join(baseline, 'dist/bin/simpledb.js'))) {
  console.error(`--baseline: no build at ${join(baseline, 'dist/bin/simpledb.js')} (run npm run build there)`);
  process.exit(1);
}

if (!has('redis-server')) {
  console.error('bench:server needs redis-server to compare with (apt-get install redis-server)');
  process.exit(1);
}
// The load: redis-benchmark where installed, else (or with --generator node) bench/load-generator.js.
const generator = opt('generator', has('redis-benchmark') ? 'redis-benchmark' : 'node');
if (generator !== 'redis-benchmark' && generator !== 'node') {
  console.error(`--generator is redis-benchmark or node, not ${generator}`);
  process.exit(1);
}

/**
 * The server's CPU seconds so far (user + system, every thread of the
 * process): from /proc where there is one, else from INFO cpu via redis-cli.
 */
function cpuSeconds(server) {
  const stat = `/proc/${server.child.pid}/stat`;
  if (existsSync(stat)) {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }
  const r = spawnSync('redis-cli', ['-p', String(server.port), 'INFO', 'cpu'], { encoding: 'utf8' });
  let total = 0;
  for (const m of (r.stdout ?? '').matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) total += Number(m[1]);
  return total;
}

/** Requests per load run at this pipeline depth. */
const requestsFor = (pipeline) => (pipeline === 1 ? Math.ceil(requests / 10) : requests);

/**
 * One load run per test, with the server's CPU time around it, so
 * that each test also gets CPU microseconds per request: on a shared machine
 * that is steadier than requests/s.
 */
function runMeasured(server, pipeline) {
  const n = requestsFor(pipeline);
  const out = {};
  for (const test of tests) {
    const before = cpuSeconds(server);
    const rps = Object.values(runBenchmark(server.port, pipeline, [test]))[0];
    out[test.toUpperCase()] = rps;
    out[`${test.toUpperCase()} cpu`] = ((cpuSeconds(server) - before) * 1e6) / n;
  }
  return out;
}

/** Runs the load generator once over `only`; returns requests/s per test name. */
function runBenchmark(port, pipeline, only = tests, n = requestsFor(pipeline)) {
  if (generator === 'node') {
    const out = {};
    for (const test of only) {
      const args = ['--port', String(port), '--test', test, '--clients', String(clients), '--requests', String(n), '--pipeline', String(pipeline)];
      const r = spawnSync(process.execPath, [join(root, 'bench/load-generator.js'), ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`load generator failed: ${r.stderr}`);
      const { test: name, rps } = JSON.parse(r.stdout);
      out[name] = rps;
    }
    return out;
  }
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
  if (!appendonly) {
    const servers = [await spawnSimpledb(['--save', '']), await spawnRedis()];
    if (baseline !== null) servers.splice(1, 0, await spawnSimpledb(['--save', ''], baseline, 'baseline'));
    return servers;
  }
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
  for (const s of servers) for (const pipeline of pipelines) runBenchmark(s.port, pipeline, tests, Math.ceil(requestsFor(pipeline) / 5));
  for (const pipeline of pipelines) {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so that background load hits every server alike.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]);
      for (const s of order) {
        for (const [test, rps] of Object.entries(runMeasured(s, pipeline))) {
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
    .filter((k) => k.startsWith(`simpledb|${pipeline}|`) && !k.endsWith(' cpu'))
    .map((k) => k.split('|')[2]);
  for (const test of names) {
    const m = (server, what) => median(samples[`${server}|${pipeline}|${what}`]);
    const r = { test, pipeline, simpledb: m('simpledb', test), redis: m('redis', test) };
    r.ratio = r.simpledb / r.redis;
    r.simpledbCpuUs = m('simpledb', `${test} cpu`);
    r.redisCpuUs = m('redis', `${test} cpu`);
    // What a CPU-bound simpledb would reach: redis's CPU per request over ours.
    r.cpuRatio = r.redisCpuUs / r.simpledbCpuUs;
    results.push(r);
    rows.push([
      test,
      pipeline,
      fmt(r.simpledb),
      fmt(r.redis),
      r.ratio.toFixed(2) + 'x',
      r.simpledbCpuUs.toFixed(2),
      r.redisCpuUs.toFixed(2),
      r.cpuRatio.toFixed(2) + 'x',
    ]);
  }
}
console.log(`${generator === 'node' ? 'bench/load-generator.js' : 'redis-benchmark'}, ${clients} clients, median of ${rounds} alternating rounds`);
console.log('ratio: simpledb/redis requests per second; cpu ratio: redis CPU per request / simpledb CPU per request\n');
table(['test', 'pipeline', 'simpledb req/s', 'redis req/s', 'ratio', 'simpledb cpu us/req', 'redis cpu us/req', 'cpu ratio'], rows);
writeResults('server', { generator, clients, rounds, requests, results });

if (baseline !== null) {
  const rows = [];
  for (const r of results) {
    const m = (server, what) => median(samples[`${server}|${r.pipeline}|${what}`]);
    const rps = m('baseline', r.test);
    const cpu = m('baseline', `${r.test} cpu`);
    rows.push([r.test, r.pipeline, fmt(r.simpledb), fmt(rps), (r.simpledb / rps).toFixed(3) + 'x', r.simpledbCpuUs.toFixed(2), cpu.toFixed(2), (cpu / r.simpledbCpuUs).toFixed(3) + 'x']);
  }
  console.log(`\nthis build against the baseline ${baseline} (ratio: this/baseline req/s; cpu ratio: baseline CPU per request / this build's)\n`);
  table(['test', 'pipeline', 'this req/s', 'baseline req/s', 'ratio', 'this cpu us/req', 'baseline cpu us/req', 'cpu ratio'], rows);
}
