// Client throughput: 100k pipelined LPUSH, RPOP and HSET through our RedisClient
// against a private redis-server and a private simpledb, side by side in one run,
// with redis-benchmark's figures for the same commands as the reference.
// Run with `npm run bench:client` (builds first). Writes bench/results/client.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisClient } from '../dist/src/client/index.js';
import { has, spawnRedis } from './lib.js';

/** A private redis-server (bench/lib.js), or null where it is not installed. */
const startRedis = async () => (has('redis-server') ? spawnRedis() : null);

const N = Number(process.env.BENCH_N ?? 100_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const COMMANDS = ['LPUSH', 'RPOP', 'HSET'];
const here = dirname(fileURLToPath(import.meta.url));

// The same keys and value sizes as redis-benchmark's own tests.
const argsFor = {
  LPUSH: () => ['mylist', 'xxx'],
  RPOP: () => ['mylist'],
  HSET: (i) => ['myhash', `element:${i}`, 'xxx'],
};

// simpledb runs in a child process (through its startServer()), like redis-server,
// so that neither server shares the client's CPU core.
async function startSimpledb() {
  const entry = new URL('../dist/src/server/index.js', import.meta.url).href;
  try {
    const mod = await import(entry);
    if (typeof mod.startServer !== 'function') return null;
  } catch {
    return null;
  }
  const script = `const { startServer } = await import(${JSON.stringify(entry)});
const s = await startServer({ host: '127.0.0.1', port: 0 });
process.stdout.write(String(s.port) + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`simpledb exited with ${code}`)));
  });
  return { name: 'simpledb', port, stop: async () => void child.kill('SIGKILL') };
}

/** ops/s of `n` pipelined commands issued in one burst and awaited together. */
async function clientBurst(client, command, n) {
  const make = argsFor[command];
  const pending = new Array(n);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) pending[i] = client.call(command, ...make(i));
  await Promise.all(pending);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / seconds;
}

// Asynchronous so that a slow or stuck server cannot freeze this process past the timeout.
function redisBenchmark(port, n) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', COMMANDS.map((c) => c.toLowerCase()).join(','), '-n', String(n), '-P', '16', '-q', '--csv'];
  return new Promise((resolve) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return resolve(null);
      const out = {};
      for (const line of stdout.split('\n')) {
        const cells = line.split(',').map((c) => c.replace(/"/g, ''));
        if (COMMANDS.includes(cells[0])) out[cells[0]] = Number(cells[1]);
      }
      resolve(out);
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (v) => (v === undefined || v === null || Number.isNaN(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'));
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + 'x' : 'n/a');

async function main() {
  const servers = (await Promise.all([startRedis(), startSimpledb()])).filter(Boolean);
  if (servers.length === 0) throw new Error('neither redis-server nor simpledb is available');
  const clients = new Map();
  for (const s of servers) {
    const c = new RedisClient({ port: s.port, maxOfflineCommands: Infinity });
    await c.connect();
    clients.set(s.name, c);
  }

  // Warm-up (JIT, socket buffers), then interleave servers so both see the same machine load.
  for (const c of clients.values()) for (const cmd of COMMANDS) await clientBurst(c, cmd, Math.min(N, 20_000));
  const samples = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const cmd of COMMANDS) {
      for (const [name, c] of clients) {
        await c.call('DEL', 'mylist', 'myhash');
        if (cmd === 'RPOP') await clientBurst(c, 'LPUSH', N); // so every RPOP pops something
        ((samples[name] ??= {})[cmd] ??= []).push(await clientBurst(c, cmd, N));
      }
    }
  }
  for (const c of clients.values()) await c.quit();

  const reference = {};
  const hasBenchmark = has('redis-benchmark');
  if (hasBenchmark) for (const s of servers) reference[s.name] = await redisBenchmark(s.port, N);
  for (const s of servers) await s.stop();

  const results = {};
  for (const cmd of COMMANDS) {
    const row = {
      client_redis: samples.redis ? median(samples.redis[cmd]) : null,
      client_simpledb: samples.simpledb ? median(samples.simpledb[cmd]) : null,
      redis_benchmark_redis: reference.redis?.[cmd] ?? null,
      redis_benchmark_simpledb: reference.simpledb?.[cmd] ?? null,
    };
    row.client_vs_redis_benchmark_on_redis = row.client_redis && row.redis_benchmark_redis ? row.client_redis / row.redis_benchmark_redis : null;
    row.simpledb_vs_redis_through_client = row.client_redis && row.client_simpledb ? row.client_simpledb / row.client_redis : null;
    results[cmd] = row;
  }

  console.log(`\nClient throughput: ${N.toLocaleString('en-US')} pipelined commands per burst, median of ${REPEATS} (ops/s)`);
  console.log('redis-benchmark reference: -P 16, 50 connections\n');
  const header = ['command', 'client→redis', 'client→simpledb', 'redis-bench→redis', 'redis-bench→simpledb', 'client/redis-bench', 'simpledb/redis'];
  const rows = COMMANDS.map((cmd) => {
    const r = results[cmd];
    return [
      cmd,
      fmt(r.client_redis),
      fmt(r.client_simpledb),
      fmt(r.redis_benchmark_redis),
      fmt(r.redis_benchmark_simpledb),
      ratio(r.client_redis, r.redis_benchmark_redis),
      ratio(r.client_simpledb, r.client_redis),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));

  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    n: N,
    repeats: REPEATS,
    servers: servers.map((s) => s.name),
    redisBenchmark: hasBenchmark ? { pipeline: 16, clients: 50 } : null,
    results,
  };
  writeFileSync(join(outDir, 'client.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${join('bench', 'results', 'client.json')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
