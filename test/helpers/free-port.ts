// What starting a private redis-server needs and nothing of vitest, so the
// deployment helpers (redis-cluster.ts, redis-sentinel.ts) load outside the
// test runner too: bench/huey.js starts its cluster with them.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export const redisServerInstalled: boolean =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** A port that was free a moment ago (the OS picked it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
