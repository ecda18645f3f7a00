// The server a CLI suite's processes talk to: simpledb in this process, or
// a private redis-server, on a free port, started once before the suite's
// tests (after checking that the CLI is built) and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { requireBuild, simpledb } from '../cli/helpers.js';
import { startRedis } from './redis-server.js';

/** Registers the server's lifecycle; call it at the top of a test file or inside a describe. `port` is set from beforeAll on. */
export function useCliServer(kind: 'simpledb' | 'redis' = 'simpledb'): { readonly port: number } {
  let server: { port: number; stop(): Promise<unknown> } | undefined;
  beforeAll(async () => {
    requireBuild();
    if (kind === 'redis') {
      server = await startRedis();
    } else {
      const s = await simpledb();
      server = { port: s.port, stop: () => s.close() };
    }
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get port(): number {
      if (server === undefined) throw new Error('the server starts in beforeAll: read its port inside a test or hook');
      return server.port;
    },
  };
}
