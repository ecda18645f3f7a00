// Shared bench helpers: free ports, spawning simpledb and redis-server,
// medians, ratio tables, and writing results JSON.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function has(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, name) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stopper(child) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
}

/**
 * simpledb as a separate process, as users run it, with no snapshot rules
 * (like the redis-server beside it) and its files in a scratch directory.
 * Extra CLI args allowed; `from` is the checkout whose build runs (another
 * branch's, to compare with), `name` what the results call it.
 */
export async function spawnSimpledb(args = [], from = root, name = 'simpledb') {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'simpledb-bench-'));
  const child = spawn(process.execPath, [join(from, 'dist/bin/simpledb.js'), '--port', String(port), '-e', '--save', '', '--dir', dir, ...args], {
    stdio: 'ignore',
  });
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await waitForPort(port, child, name);
  return { name, port, child, stop: stopper(child) };
}

/** A private redis-server with no persistence unless args say otherwise. */
export async function spawnRedis(args = []) {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  await waitForPort(port, child, 'redis-server');
  return { name: 'redis', port, child, stop: stopper(child) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function fmt(n) {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1);
}

/** Prints rows as an aligned table. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

export function writeResults(name, data) {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...data }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}
