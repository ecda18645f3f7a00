// CLI flags brought over from Huey and common practice: huey-consumer
// -f/--flush-locks, --version on both CLIs, and simpledb -x with a path
// relative to the working directory written without "./".
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimpleHuey, TaskLockedException } from '../../src/huey/index.js';
import { useCliServer } from '../helpers/cli-server.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { freePort } from '../helpers/redis-server.js';
import { ROOT, Spawned, appEnv, consumer, runCli, uniqueName } from './helpers.js';

const SIMPLEDB = join(ROOT, 'dist/bin/simpledb.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const server = useCliServer();

describe('huey-consumer', () => {
  it('-f/--flush-locks frees the locks a dead consumer left, before starting', async () => {
    const name = uniqueName('flush');
    const producer = new SimpleHuey(name, { url: `redis://127.0.0.1:${server.port}` });
    const p = consumer(['test/cli/fixtures/locks.js', '-f'], appEnv(server.port, name));
    try {
      // A consumer that died while running report() left its lock behind.
      await producer.lockTask('reports').acquire();
      await expect(producer.lockTask('reports').acquire()).rejects.toThrow(TaskLockedException);
      await p.waitFor('ready; stop with Ctrl+C');
      expect(p.output).toContain('flushed stale locks: reports');
      await producer.lockTask('reports').acquire(); // free again
      await producer.lockTask('reports').release();
    } finally {
      await p.dispose();
      await producer.close();
    }
  });

  it('-l FILE logs to the file and to the console, as Huey', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huey-logfile-'));
    const logfile = join(dir, 'huey.log');
    const p = consumer(['test/cli/fixtures/locks.js', '-l', logfile], appEnv(server.port, uniqueName('logfile')));
    try {
      await p.waitFor('ready; stop with Ctrl+C');
      expect(p.stderr).toContain('ready; stop with Ctrl+C');
      expect(readFileSync(logfile, 'utf8')).toContain('ready; stop with Ctrl+C'); // written before the console line
    } finally {
      await p.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });
});

describe('simpledb', () => {
  it('--version prints the package version', async () => {
    const p = new Spawned(process.execPath, [SIMPLEDB, '--version']);
    expect((await p.waitExit()).code).toBe(0);
    expect(p.stdout.trim()).toBe(VERSION);
  });

  it('-x takes a path relative to the working directory without "./"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simpledb-x-'));
    const port = await freePort();
    const child = spawn(process.execPath, [SIMPLEDB, '-p', String(port), '--save', '', '--dir', dir, '-x', 'examples/simpledb-extension/hello.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    try {
      // The ready line comes after the extensions are loaded.
      await new Promise<void>((resolvePromise, reject) => {
        const check = () => (/ready to accept connections/.test(err) ? resolvePromise() : undefined);
        child.stderr?.on('data', check);
        child.once('exit', () => reject(new Error(`simpledb exited: ${err}`)));
      });
      const conn = await RawConnection.open(port);
      expect(await conn.command('HELLOWORLD')).toBe('$11\r\nhello world\r\n');
      conn.close();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
