// The simpledb CLI as a user runs it: a spawned process, its options, its
// extension modules, and clean shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection.js';
import { freePort } from '../helpers/redis-server.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/bin/simpledb.js');
const extension = join(root, 'examples/simpledb-extension/hello.js');
const children: ChildProcess[] = [];
// Each server runs in a scratch directory: a shutdown snapshot lands there, not in the checkout.
let workDir = '';

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'simpledb-cli-'));
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Waits for the server's "ready to accept connections on host:port" line
 * (it comes after extensions are loaded and the port is bound) and connects.
 * Servers here start on --port 0, so no other process can take their port
 * between choosing it and binding it; the port is read from that line.
 */
async function connectWhenReady(server: ReturnType<typeof run>): Promise<RawConnection> {
  // A generous bound: starting node and the CLI takes seconds on a busy machine.
  const deadline = Date.now() + 25_000;
  for (;;) {
    const port = /ready to accept connections on [^\s]+:(\d+)/.exec(server.output())?.[1];
    if (port !== undefined) return RawConnection.open(Number(port));
    if (server.child.exitCode !== null) throw new Error(`simpledb exited with ${server.child.exitCode}: ${server.output()}`);
    if (Date.now() > deadline) throw new Error(`simpledb never got ready: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Connects to `port` as soon as it accepts connections (before the ready line, on purpose). */
async function connectWhenUp(port: number, server: ReturnType<typeof run>): Promise<RawConnection> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    try {
      return await RawConnection.open(port);
    } catch (e) {
      if (server.child.exitCode !== null) throw new Error(`simpledb exited with ${server.child.exitCode}: ${server.output()}`);
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('simpledb CLI', () => {
  it('serves on the given port and loads extension commands', async () => {
    const port = await freePort();
    const server = run(['--port', String(port), '-x', extension]);
    const { child, exited } = server;
    const conn = await connectWhenUp(port, server);
    expect(await conn.command('HELLOWORLD')).toBe('$11\r\nhello world\r\n');
    expect(await conn.command('helloworld', 'ada')).toBe('$9\r\nhello ada\r\n');
    expect(await conn.command('SET', 'k', 'abc')).toBe('+OK\r\n');
    expect(await conn.command('GETLEN', 'k')).toBe(':3\r\n');
    expect(await conn.command('GETLEN')).toBe("-ERR wrong number of arguments for 'getlen' command\r\n");
    expect(await conn.command('LPUSH', 'l', 'x')).toBe(':1\r\n');
    expect(await conn.command('GETLEN', 'l')).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    conn.close();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // SIGINT saves a snapshot, as Redis does on shutdown, into the server's directory.
    expect(existsSync(join(workDir, 'dump.sdb'))).toBe(true);
  });

  it('registers extension commands before it accepts connections', async () => {
    const port = await freePort();
    const server = run(['--port', String(port), '-x', join(root, 'test/cli/fixtures/slow-extension.js')]);
    // The extension takes 500 ms to import: connecting as soon as the port opens lands inside that time.
    const conn = await connectWhenUp(port, server);
    expect(await conn.command('READYCHECK')).toBe('+OK\r\n');
    conn.close();
  });

  it('requires AUTH with --requirepass', async () => {
    const conn = await connectWhenReady(run(['--port', '0', '--requirepass', 's3cret']));
    expect(await conn.command('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
    expect(await conn.command('AUTH', 'nope')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await conn.command('AUTH', 's3cret')).toBe('+OK\r\n');
    expect(await conn.command('GET', 'k')).toBe('$-1\r\n');
    conn.close();
  });

  it('refuses connections beyond --max-clients with Redis error', async () => {
    const first = await connectWhenReady(run(['--port', '0', '--max-clients', '1']));
    expect(await first.command('PING')).toBe('+PONG\r\n');
    const second = await RawConnection.open(first.socket.remotePort!);
    // The server writes the error and closes: everything up to the close, however slowly it comes.
    expect(await second.readUntilClosed()).toBe('-ERR max number of clients reached\r\n');
    expect(second.closed).toBe(true);
    expect(await first.command('PING')).toBe('+PONG\r\n');
    first.close();
  });

  it('exits when SHUTDOWN is sent', async () => {
    const server = run(['--port', '0']);
    const conn = await connectWhenReady(server);
    conn.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(await server.exited).toBe(0);
  });

  it('rejects a bad port and a missing extension with a clear message', async () => {
    const bad = run(['--port', 'abc']);
    expect(await bad.exited).not.toBe(0);
    expect(bad.output()).toContain('port must be an integer from 0 to 65535');
    const missing = run(['--port', '0', '-x', './no-such-extension.js']);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toMatch(/simpledb: .*no-such-extension/);
  });

  it('prints help describing every option', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    for (const flag of ['--host', '--port', '--max-clients', '--debug', '--errors', '--log-file', '--extensions', '--requirepass']) {
      expect(help.output()).toContain(flag);
    }
  });
});
