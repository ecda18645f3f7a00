// The servers every client case runs against: a private redis-server and, once
// its startServer() exists, an in-process simpledb. Each can be restarted on the
// same port to exercise reconnects.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe } from 'vitest';
import { RedisClient } from '../../src/client/index.js';
import { describeWithRedis, freePort, redisServerInstalled } from '../helpers/redis-server.js';

/** A running server a test may stop and start again on the same port. */
export interface RunningBackend {
  readonly port: number;
  stop(): Promise<void>;
  /** Stops the server (dropping every connection and all data) and starts a fresh one on the same port. */
  restart(): Promise<void>;
}

/** Server options the client tests need. */
export interface BackendOptions {
  password?: string;
}

/** A kind of server the client is tested against. */
export interface Backend {
  readonly name: string;
  /** describe, or a visible skip when the server is unavailable. */
  readonly describe: typeof describe;
  start(options?: BackendOptions): Promise<RunningBackend>;
}

function waitForPort(port: number, child: ChildProcess | null, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child !== null && child.exitCode !== null) return reject(new Error(`server exited with ${child.exitCode}`));
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`nothing listening on ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

function spawnRedis(port: number, options: BackendOptions): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  return spawn('redis-server', args, { stdio: 'ignore' });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const redisBackend: Backend = {
  name: 'redis-server',
  describe: describeWithRedis,
  async start(options = {}) {
    if (!redisServerInstalled) throw new Error('redis-server is not installed (REQUIRE_REDIS=1)');
    const port = await freePort();
    let child = spawnRedis(port, options);
    await waitForPort(port, child);
    return {
      port,
      stop: () => killed(child),
      async restart() {
        await killed(child);
        child = spawnRedis(port, options);
        await waitForPort(port, child);
      },
    };
  },
};

interface SimpledbServer {
  port: number;
  close(): Promise<void>;
}
type StartServer = (options: { host: string; port: number; requirepass?: string }) => Promise<SimpledbServer>;

// simpledb is written alongside the client; it joins the matrix once it exports startServer.
let startServer: StartServer | undefined;
try {
  startServer = ((await import('../../src/server/index.js')) as { startServer?: StartServer }).startServer;
} catch (err) {
  console.warn(`\n*** simpledb could not be loaded (${String(err)}) ***\n`);
}

const simpledbBackend: Backend = {
  name: 'simpledb',
  describe,
  async start(options = {}) {
    if (startServer === undefined) throw new Error('simpledb startServer() is not available');
    const extra = options.password !== undefined ? { requirepass: options.password } : {};
    let server = await startServer({ host: '127.0.0.1', port: 0, ...extra });
    const port = server.port;
    return {
      port,
      stop: () => server.close(),
      async restart() {
        await server.close();
        server = await startServer({ host: '127.0.0.1', port, ...extra });
      },
    };
  },
};

/** Every backend available in this checkout. */
export const backends: Backend[] = startServer !== undefined ? [redisBackend, simpledbBackend] : [redisBackend];

if (startServer === undefined) {
  console.warn('\n*** simpledb startServer() not available yet: client tests run against redis-server only ***\n');
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

/** Resolves once the server reports `n` clients blocked (INFO clients), so blocking tests do not guess with sleeps. */
export async function untilBlocked(client: RedisClient, n: number): Promise<void> {
  await eventually(async () => (await client.call<string>('INFO', 'clients')).includes(`blocked_clients:${n}\r\n`), 10_000);
}

/**
 * For a suite that needs one server of `backend` and one client on it:
 * starts both before the suite (handing them to `use`) and closes both after.
 */
export function useBackendClient(backend: Backend, use: (server: RunningBackend, client: RedisClient) => void): void {
  let server: RunningBackend | undefined;
  let client: RedisClient | undefined;
  beforeAll(async () => {
    server = await backend.start();
    client = new RedisClient({ port: server.port });
    use(server, client);
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });
}
