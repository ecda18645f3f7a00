// bench/load-generator.js, the stand-in for redis-benchmark, run as bench
// runs it (a separate process) against an in-process simpledb: it must send
// exactly the requests asked for, count every reply (integers, bulks, nils),
// and stop with a clear error at an error reply, since a figure would mean
// nothing then. Throughput itself is bench's business, not a test's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { startServer, type Server } from '../../src/server/index.js';

const script = join(import.meta.dirname, '../../bench/load-generator.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function generate(port: number, test: string, requests: number, extra: string[] = []): Promise<Run> {
  const args = ['--port', String(port), '--test', test, '--requests', String(requests), '--clients', '7', '--pipeline', '16', ...extra];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench/load-generator.js', () => {
  let server: Server;
  let client: RedisClient;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    client = new RedisClient({ port: server.port });
  });
  afterAll(async () => {
    await client?.quit();
    await server?.close();
  });

  it('sends exactly the requests asked for, in batches that need not divide them, and reports the rate', async () => {
    // 1000 = 8 full rounds of 7 connections x 16, plus a partial one.
    const run = await generate(server.port, 'lpush', 1000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { test: string; requests: number; rps: number };
    expect(result.test).toBe('LPUSH');
    expect(result.requests).toBe(1000);
    expect(result.rps).toBeGreaterThan(0);
    expect(await client.call('LLEN', 'mylist')).toBe(1000);
  });

  it('counts bulk and nil replies: RPOP drains the list, then pops nothing', async () => {
    await client.call('DEL', 'mylist');
    await client.call('RPUSH', 'mylist', ...Array<string>(300).fill('xxx'));
    const run = await generate(server.port, 'rpop', 500);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).requests).toBe(500);
    expect(await client.call('EXISTS', 'mylist')).toBe(0);
  });

  it('stops with the server’s error instead of a figure', async () => {
    await client.call('SET', 'mylist', 'a string now');
    const run = await generate(server.port, 'lpush', 100);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('the server replied with an error: -WRONGTYPE');
  });

  it('refuses a test it does not know, naming the ones it does', async () => {
    const run = await generate(server.port, 'flushall', 10);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown test flushall; known: ping_inline, ping_mbulk');
  });
});
