// Shared helpers for the persistence suites: temp directories, servers with
// persistence options, a full dump of the keyspace to compare states before
// and after a restart or a rewrite, INFO parsing, and waiting for jobs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RedisClient } from '../../src/client/index.js';
import { startServer, type Server, type ServerOptions } from '../../src/server/index.js';

export function makeTempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'simpledb-persist-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An in-process server on port 0 with persistence options, and a client to it. */
export async function open(options: ServerOptions): Promise<{ server: Server; client: RedisClient; close(): Promise<void> }> {
  const server = await startServer({ host: '127.0.0.1', port: 0, logLevel: 'error', ...options });
  const client = new RedisClient({ host: '127.0.0.1', port: server.port, retryStrategy: () => null });
  await client.connect();
  return {
    server,
    client,
    async close() {
      client.disconnect();
      await server.close();
    },
  };
}

/** Binary-safe argument (our keyspace strings are latin1 binary strings). */
export const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

type Nested = Buffer | number | null | Nested[];

function text(v: Nested): unknown {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (Array.isArray(v)) return v.map(text);
  return v;
}

/**
 * Every key of every database with its type, value and exact expiry time
 * (PEXPIRETIME): two servers hold the same data iff their dumps are equal.
 * Unordered containers (hashes, sets in hashtable order) are sorted.
 */
export async function dumpState(client: RedisClient, databases = 16): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let db = 0; db < databases; db++) {
    await client.call('SELECT', db);
    const keys = ((await client.callBuffer<Buffer[]>('KEYS', '*')) ?? []).map((k) => k.toString('latin1')).sort();
    for (const key of keys) {
      const k = bin(key);
      const type = await client.call<string>('TYPE', k);
      let value: unknown;
      if (type === 'string') value = text(await client.callBuffer<Nested>('GET', k));
      else if (type === 'list') value = text(await client.callBuffer<Nested>('LRANGE', k, 0, -1));
      else if (type === 'hash') {
        const flat = text(await client.callBuffer<Nested>('HGETALL', k)) as string[];
        const pairs: string[] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
        value = pairs.sort();
      } else if (type === 'set') value = (text(await client.callBuffer<Nested>('SMEMBERS', k)) as string[]).sort();
      else if (type === 'zset') value = text(await client.callBuffer<Nested>('ZRANGE', k, 0, -1, 'WITHSCORES'));
      else if (type === 'stream') value = text(await client.callBuffer<Nested>('XRANGE', k, '-', '+'));
      else value = `<${type}>`;
      const expireAt = await client.call<number>('PEXPIRETIME', k);
      out[`${db}:${key}`] = { type, value, expireAt };
    }
  }
  await client.call('SELECT', 0);
  return out;
}

export async function info(client: RedisClient, section = 'persistence'): Promise<Record<string, string>> {
  const raw = await client.call<string>('INFO', section);
  const fields: Record<string, string> = {};
  for (const line of raw.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) fields[line.slice(0, i)] = line.slice(i + 1);
  }
  return fields;
}

/** Polls until `check` is true (jobs finish asynchronously); fails after timeoutMs. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForJobs(client: RedisClient): Promise<void> {
  await waitFor(async () => {
    const f = await info(client);
    return f.rdb_bgsave_in_progress === '0' && f.aof_rewrite_in_progress === '0' && f.aof_rewrite_scheduled === '0';
  }, 'background jobs to finish');
}

/** A dataset touching every type, binary values, TTLs (relative and beyond 2^53) and several databases. */
export async function populate(client: RedisClient): Promise<void> {
  const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  await client.call('SET', 'str', 'hello');
  await client.call('SET', bin('bin\r\n\x00key'), bin(binary));
  await client.call('SET', 'ttl', 'v', 'EX', 1000);
  await client.call('SET', 'far', 'v');
  await client.call('PEXPIREAT', 'far', '9223372036854775807');
  await client.call('INCRBY', 'counter', 41);
  await client.call('RPUSH', 'list', 'a', 'b', bin(binary), '');
  await client.call('RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `item${i}`));
  await client.call('EXPIRE', 'biglist', 5000);
  await client.call('HSET', 'hash', 'f1', 'v1', 'f2', bin(binary), bin('\xff'), '');
  await client.call('HSET', 'bighash', ...Array.from({ length: 200 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await client.call('SADD', 'ints', 3, 1, 2, -5);
  await client.call('SADD', 'set', 'x', 'y', bin(binary));
  await client.call('ZADD', 'zset', 1.5, 'a', -2, 'b', 'inf', 'top', '-inf', 'bottom', 0.1, bin(binary));
  await client.call('ZADD', 'bigz', ...Array.from({ length: 150 }, (_, i) => [i / 7, `m${i}`]).flat());
  await client.call('XADD', 'stream', '1-1', 'f', 'v');
  await client.call('XADD', 'stream', '2-5', 'a', '1', 'b', bin(binary));
  await client.call('SELECT', 5);
  await client.call('SET', 'in5', 'five');
  await client.call('LPUSH', 'q', 'job1', 'job2');
  await client.call('SELECT', 15);
  await client.call('HSET', 'in15', 'f', 'v');
  await client.call('SELECT', 0);
}

// ---- spawned CLI servers (kill -9 tests) ----

export const CLI = resolve('dist/bin/simpledb.js');

export function cliBuilt(): boolean {
  return existsSync(CLI);
}

export interface CliServer {
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or signal). */
  exited: Promise<number | string>;
}

/**
 * Starts `node dist/bin/simpledb.js` on port 0 (no other process can take a
 * port chosen beforehand) and waits until it is ready; the port comes from
 * its "ready to accept connections on host:port" line.
 */
export async function spawnCli(args: string[]): Promise<CliServer> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((res) => child.once('exit', (code, signal) => res(code ?? signal ?? -1)));
  // A generous bound: starting node and loading the data takes seconds on a busy machine.
  const deadline = Date.now() + 25_000;
  let ready: RegExpExecArray | null;
  while (!(ready = /ready to accept connections on \S+:(\d+)/.exec(err))) {
    if (child.exitCode !== null) throw new Error(`simpledb exited with ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`simpledb did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port: Number(ready[1]), child, stderr: () => err, exited };
}

/** Runs the CLI expecting it to fail at startup; resolves with its exit code and stderr. */
export async function runCliFailing(args: string[]): Promise<{ code: number | string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const code = await new Promise<number | string>((res) => child.once('exit', (c, s) => res(c ?? s ?? -1)));
  clearTimeout(timer);
  return { code, stderr: err };
}
