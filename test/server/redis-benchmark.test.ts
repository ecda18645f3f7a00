// redis-benchmark against an in-process simpledb: its default test set
// (PING, SET/GET, lists, SADD/SPOP, HSET, ZADD/ZPOPMIN, LRANGE, MSET...)
// must complete as it does against Redis. redis-benchmark exits with
// status 1 at the first error reply, so exit status 0 plus a
// "requests per second" line for every test it started means every command
// was answered correctly enough for it. When redis-server is installed the
// list of tests is also compared with a run against real Redis.
//
// Skipped with a visible message when redis-benchmark is not installed,
// unless REQUIRE_REDIS=1, where the missing tool is a failure.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { redisServerInstalled, startRedis } from '../helpers/redis-server.js';

const REQUIRE = process.env.REQUIRE_REDIS === '1';
const benchmarkInstalled = spawnSync('redis-benchmark', ['--version'], { stdio: 'ignore' }).status === 0;

if (!benchmarkInstalled) {
  const msg = 'redis-benchmark is not installed: the redis-benchmark test is skipped';
  if (REQUIRE) console.error(`${msg}, but REQUIRE_REDIS=1 makes it fail`);
  else console.warn(`\n*** ${msg} (install redis-tools, or set REQUIRE_REDIS=1 to make this a failure) ***\n`);
}

const describeWithBenchmark: typeof describe = benchmarkInstalled || REQUIRE ? describe : (describe.skip as typeof describe);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs redis-benchmark to completion (it is asynchronous, so the in-process server keeps serving). */
function benchmark(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The tests a -q run started (progress lines "NAME: rps=...") and those
 * that finished ("NAME: 1234.56 requests per second, p50=..."), in order.
 */
function parseQuiet(stdout: string): { started: string[]; finished: string[] } {
  const started: string[] = [];
  const finished: string[] = [];
  for (const raw of stdout.split(/[\r\n]+/)) {
    const line = raw.trim();
    const done = /^(.+?): [\d.]+ requests per second\b/.exec(line);
    const progress = /^(.+?): rps=/.exec(line);
    const name = done?.[1] ?? progress?.[1];
    if (name !== undefined && !started.includes(name)) started.push(name);
    if (done) finished.push(done[1]);
  }
  return { started, finished };
}

describeWithBenchmark('redis-benchmark against simpledb', () => {
  // redis-benchmark's whole default set, twice: its run time follows the machine's load, and the
  // bound only has to cover a run that completes (it takes 5-20 s here, idle to busy).
  it('the default test set completes, each test printing its requests per second', { timeout: 120_000 }, async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0 });
    let run: Run;
    try {
      run = await benchmark(['-p', String(server.port), '-n', '2000', '-q']);
    } finally {
      await server.close();
    }
    expect(run.stderr, 'stderr').toBe('');
    expect(run.code, `exit status; output:\n${run.stdout}`).toBe(0);
    const { started, finished } = parseQuiet(run.stdout);
    expect(finished.length, run.stdout).toBeGreaterThan(0);
    expect(finished, 'every started test finished').toEqual(started);
    for (const name of ['SET', 'GET', 'SADD', 'SPOP']) expect(finished).toContain(name);

    if (redisServerInstalled || REQUIRE) {
      // The same tests as against Redis itself.
      const redis = await startRedis();
      try {
        const reference = await benchmark(['-p', String(redis.port), '-n', '2000', '-q']);
        expect(reference.code).toBe(0);
        expect(finished).toEqual(parseQuiet(reference.stdout).finished);
      } finally {
        await redis.stop();
      }
    }
  });

  it('SADD and SPOP over random members, and XADD as newer redis-benchmark versions run it', async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0 });
    try {
      const port = String(server.port);
      const sets = await benchmark(['-p', port, '-n', '2000', '-q', '-r', '100000', '-t', 'sadd,spop']);
      expect(sets.code, sets.stdout).toBe(0);
      expect(parseQuiet(sets.stdout).finished).toEqual(['SADD', 'SPOP']);
      const xadd = await benchmark(['-p', port, '-n', '2000', '-q', 'XADD', 'mystream', '*', 'myfield', 'xxx']);
      expect(xadd.code, xadd.stdout).toBe(0);
      expect(parseQuiet(xadd.stdout).finished).toEqual(['XADD mystream * myfield xxx']);
      // Every XADD made an entry with an increasing generated ID.
      expect(server.databases[0].getStream('mystream')?.length).toBe(2000);
    } finally {
      await server.close();
    }
  });
});
