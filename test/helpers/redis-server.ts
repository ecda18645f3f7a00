// Starts a private redis-server on a free port for differential tests.
// Never touches a Redis already running on the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { describe } from 'vitest';
import { freePort, redisServerInstalled } from './free-port.js';

export { freePort, redisServerInstalled };

const REQUIRE = process.env.REQUIRE_REDIS === '1';

if (!redisServerInstalled) {
  const msg = 'redis-server is not installed: differential tests against real Redis are skipped';
  if (REQUIRE) console.error(`${msg}, but REQUIRE_REDIS=1 makes them fail`);
  else console.warn(`\n*** ${msg} (install it, or set REQUIRE_REDIS=1 to make this a failure) ***\n`);
}

/**
 * `describe` for suites that need a real redis-server: skipped with a visible
 * message when it is absent, unless REQUIRE_REDIS=1, where the suite runs and
 * fails at startRedis().
 */
export const describeWithRedis: typeof describe =
  redisServerInstalled || REQUIRE ? describe : (describe.skip as typeof describe);

export interface RedisProcess {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `redis-server` with no persistence on a free port and waits until it accepts connections. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisProcess> {
  if (!redisServerInstalled) throw new Error('redis-server is not installed (REQUIRE_REDIS=1)');
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start within 10s');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
