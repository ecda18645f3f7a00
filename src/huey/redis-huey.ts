/**
 * RedisHuey and SimpleHuey: Huey on RedisStorage. They differ only in the
 * default address: Redis's 127.0.0.1:6379, simpledb's 127.0.0.1:31337 (the
 * seed's "Using simple server with Huey"). Both work against either server.
 */
import type { RedisClient, RedisClientOptions, RedisCluster, RedisClusterOptions, SentinelOptions } from '../client/index.js';
import { Huey, type HueyOptions } from './api.js';
import { RedisStorage } from './storage/redis.js';

/** Options of RedisHuey / SimpleHuey: Huey's, plus where to connect. */
export interface RedisHueyOptions<RS extends boolean = boolean> extends Omit<HueyOptions<RS>, 'storage'> {
  /** `redis://[[user]:password@]host[:port][/db]`. */
  url?: string;
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
  /** Any other client option (timeouts, reconnect strategy, CLIENT SETNAME name, ...). */
  connection?: RedisClientOptions;
  /** An existing client to use (huey.close() leaves it open). */
  client?: RedisClient | RedisCluster;
  /**
   * Use a Redis Cluster: `{ nodes: ['redis://10.0.0.1:7000', ...], ...clusterOptions }`.
   * `connection`, `username` and `password` apply to every node; url/host/port/db are not used.
   */
  cluster?: RedisClusterOptions;
  /** Find the primary through Redis Sentinel: `{ sentinels: [{ host, port }], name }` (host/port are not used). */
  sentinel?: SentinelOptions;
}

function storageFor(name: string, options: RedisHueyOptions, defaultPort: number): RedisStorage {
  const { url, host, port, db, username, password, connection, client, cluster, sentinel } = options;
  if (cluster !== undefined && sentinel !== undefined) throw new TypeError('RedisHuey takes cluster or sentinel, not both');
  const explicit: RedisClientOptions = {};
  if (host !== undefined) explicit.host = host;
  if (port !== undefined) explicit.port = port;
  if (db !== undefined) explicit.db = db;
  if (username !== undefined) explicit.username = username;
  if (password !== undefined) explicit.password = password;
  const where: RedisClientOptions =
    url !== undefined || connection?.url !== undefined
      ? { ...connection, ...(url !== undefined ? { url } : {}), ...explicit }
      : { host: '127.0.0.1', port: defaultPort, ...connection, ...explicit };
  return new RedisStorage(name, {
    ...where,
    ...(sentinel !== undefined ? { sentinel } : {}),
    ...(cluster !== undefined ? { cluster: { ...connection, ...explicitCredentials(username, password), ...cluster } } : {}),
    client,
    blocking: options.blocking ?? true,
    readTimeout: options.readTimeout,
    maxErrors: options.maxErrors,
  });
}

function explicitCredentials(username: string | undefined, password: string | undefined): RedisClientOptions {
  const out: RedisClientOptions = {};
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  return out;
}

/**
 * Huey on Redis (default redis://127.0.0.1:6379).
 * @example const huey = new RedisHuey('my-app', { url: 'redis://127.0.0.1:6379/0' });
 */
export class RedisHuey<RS extends boolean = true> extends Huey<RS> {
  /** A RedisStorage, with every capability (reliable delivery included). */
  declare readonly storage: RedisStorage;

  constructor(name = 'huey', options: RedisHueyOptions<RS> = {}) {
    super(name, { ...options, storage: storageFor(name, options, 6379) });
  }
}

/**
 * Huey on simpledb (default redis://127.0.0.1:31337).
 * @example const huey = new SimpleHuey('my-app');
 */
export class SimpleHuey<RS extends boolean = true> extends Huey<RS> {
  /** A RedisStorage, with every capability (reliable delivery included). */
  declare readonly storage: RedisStorage;

  constructor(name = 'huey', options: RedisHueyOptions<RS> = {}) {
    super(name, { ...options, storage: storageFor(name, options, 31337) });
  }
}
