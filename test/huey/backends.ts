// The backends the huey suites run on: MemoryStorage, RedisStorage on an
// in-process simpledb, RedisStorage on a private redis-server, SqliteStorage
// on a temporary file (libsql). useBackend() registers the server's (or the
// file's) lifecycle with vitest and hands out hueys and storages with unique
// names, closed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { HueyOptions } from '../../src/huey/api.js';
import { RedisClient, RedisCluster } from '../../src/client/index.js';
import { Huey, MemoryHuey, MemoryStorage, RedisHuey, RedisStorage, SqliteHuey, SqliteStorage, silentLogger, type ReliableStorage } from '../../src/huey/index.js';
import type { HueyEvent } from '../../src/huey/events.js';
import { startRedisCluster, type RedisClusterProcess } from '../helpers/redis-cluster.js';
import { startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { startRedisSentinel, type SentinelDeployment } from '../helpers/redis-sentinel.js';

/** redis-cluster: 3 primaries + 3 replicas; redis-sentinel: 1 primary, 1 replica, 3 sentinels; sqlite: a temporary file (libsql). */
export type BackendKind = 'memory' | 'simpledb' | 'redis' | 'redis-cluster' | 'redis-sentinel' | 'sqlite';


/** A huey of one of these backends: its storage has every capability, reliable delivery included. */
export type TestHuey<RS extends boolean = true> = Huey<RS> & { readonly storage: ReliableStorage };
export interface StorageSettings {
  blocking?: boolean;
  readTimeout?: number;
  maxErrors?: number;
}

export interface Backend {
  readonly kind: BackendKind;
  /**
   * A fresh huey with a unique name (silent logger, short read timeout unless
   * overridden), or a second one on the data of `name` (Redis and SQLite backends only).
   */
  huey<RS extends boolean = true>(options?: Omit<HueyOptions<RS>, 'storage'>, name?: string): TestHuey<RS>;
  /** A fresh storage with a unique name, or a second one on the data of `name` (Redis and SQLite backends only). */
  storage(settings?: StorageSettings, name?: string): ReliableStorage;
  /** The server's port (0 for memory, SQLite and the cluster; the primary's for Sentinel). */
  port(): number;
  /** A plain connection to the backend's server (Redis backends only), for writing by hand; quit it after use. */
  raw(): RedisClient | RedisCluster;
  /** The SQLite file (empty for the others). */
  filename(): string;
}

interface ServerHandle {
  port: number;
  close(): Promise<void>;
}

async function startSimpledb(): Promise<ServerHandle> {
  const mod = (await import('../../src/server/index.js')) as {
    startServer?: (o: { host: string; port: number }) => Promise<ServerHandle>;
  };
  if (typeof mod.startServer !== 'function') throw new Error('simpledb startServer() is not available yet');
  return mod.startServer({ host: '127.0.0.1', port: 0 });
}

let unique = 0;
function uniqueName(): string {
  return `t${process.pid}-${++unique}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Sets up a backend for the surrounding describe block. */
export function useBackend(kind: BackendKind): Backend {
  let redis: RedisProcess | undefined;
  let server: ServerHandle | undefined;
  let cluster: RedisClusterProcess | undefined;
  let sentinel: SentinelDeployment | undefined;
  let port = 0;
  let dir = '';
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    if (kind === 'redis') {
      redis = await startRedis();
      port = redis.port;
    } else if (kind === 'simpledb') {
      server = await startSimpledb();
      port = server.port;
    } else if (kind === 'redis-cluster') {
      cluster = await startRedisCluster();
    } else if (kind === 'redis-sentinel') {
      sentinel = await startRedisSentinel();
      port = await sentinel.primaryPort();
    } else if (kind === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'huey-sqlite-'));
    }
  }, 90_000);
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    await redis?.stop();
    await server?.close();
    await cluster?.stop();
    await sentinel?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const filename = () => (dir ? join(dir, 'huey.db') : '');

  // Where a Redis backend's hueys and storages connect.
  const where = () => {
    if (cluster !== undefined) return { cluster: { nodes: cluster.urls } };
    if (sentinel !== undefined) return { sentinel: { sentinels: sentinel.sentinelAddresses, name: sentinel.name } };
    return { host: '127.0.0.1', port };
  };

  return {
    kind,
    port: () => port,
    raw: () => {
      if (kind === 'memory' || kind === 'sqlite') throw new Error(`raw() is for Redis backends, not ${kind}`);
      if (cluster !== undefined) return new RedisCluster({ nodes: cluster.urls });
      const w = where();
      return new RedisClient('sentinel' in w ? { sentinel: w.sentinel } : w);
    },
    filename,
    huey<RS extends boolean = true>(options: Omit<HueyOptions<RS>, 'storage'> = {}, shared?: string): TestHuey<RS> {
      const name = shared ?? uniqueName();
      const opts = { logger: silentLogger, readTimeout: 0.05, ...options };
      const h: TestHuey<RS> =
        kind === 'memory'
          ? new MemoryHuey<RS>(name, opts)
          : kind === 'sqlite'
            ? new SqliteHuey<RS>(name, { ...opts, filename: filename(), driver: 'libsql' })
            : new RedisHuey<RS>(name, { ...opts, ...where() });
      open.push(h);
      return h;
    },
    storage(settings: StorageSettings = {}, shared?: string): ReliableStorage {
      const name = shared ?? uniqueName();
      const s = { readTimeout: 0.05, ...settings };
      const st: ReliableStorage =
        kind === 'memory'
          ? new MemoryStorage(name, s)
          : kind === 'sqlite'
            ? new SqliteStorage(name, { ...s, filename: filename(), driver: 'libsql' })
            : new RedisStorage(name, { ...s, ...where() });
      open.push(st);
      return st;
    },
  };
}

/**
 * Runs `fn` and returns the events it caused, in order. A sentinel published
 * after everything marks the end, so nothing is missed and nothing waits on time.
 */
export async function captureEvents(huey: Huey<boolean>, fn: () => Promise<unknown>): Promise<HueyEvent[]> {
  const stream = huey.events();
  await stream.ready;
  await fn();
  await huey.emitter.flush();
  await huey.storage.emit(JSON.stringify({ status: '__end__' }));
  const out: HueyEvent[] = [];
  for await (const e of stream) {
    if ((e.status as string) === '__end__') break;
    out.push(e);
  }
  return out;
}

/** A logger that records what it is told, for asserting on logged errors. */
export function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
