// Client options: the public shape, defaults, validation, and redis:// URL parsing.

/** How long to wait before reconnect attempt `attempt` (1-based), or null to give up. */
export type RetryStrategy = (attempt: number, lastError: Error | undefined) => number | null;

/** Where to find the primary through Redis Sentinel. */
export interface SentinelOptions {
  /** Some of the sentinels watching the primary; each is asked in turn. */
  sentinels: readonly { host: string; port: number }[];
  /** The name the sentinels monitor the primary under (`sentinel monitor NAME ...`). */
  name: string;
  /** The sentinels' own password (requirepass of the sentinel processes), if any. */
  password?: string;
  username?: string;
}

/** Options for {@link RedisClient}. Explicit fields override what `url` says. */
export interface RedisClientOptions {
  /** `redis://[[username]:password@]host[:port][/db]` */
  url?: string;
  host?: string;
  port?: number;
  /** Database selected on every (re)connect. Default 0. */
  db?: number;
  username?: string;
  password?: string;
  /** Sent as CLIENT SETNAME (or HELLO SETNAME) on every (re)connect. */
  name?: string;
  /** 2 (default) or 3: RESP3 negotiated with HELLO 3. */
  protocol?: 2 | 3;
  /**
   * Milliseconds to establish the connection including AUTH/SELECT (default 5000; 0 = no limit).
   * Also how long the client may be without a connection (never connected, or
   * lost it) before commands are rejected with a ConnectionClosedError naming
   * the address and the reason; it keeps reconnecting all the same.
   */
  connectTimeout?: number;
  /**
   * Milliseconds a command may wait for its reply, counted from the call (default 0 = no limit).
   * Blocking commands get their own block timeout on top; a block timeout of 0 disables it.
   */
  commandTimeout?: number;
  /** Commands that may wait while the client is not connected; more are rejected (default 100000). */
  maxOfflineCommands?: number;
  /** Backoff between reconnect attempts; default 50 ms doubling up to 2 s, forever. */
  retryStrategy?: RetryStrategy;
  /** Do not connect until the first command or connect() (default false). */
  lazyConnect?: boolean;
  /** TCP keepalive initial delay in ms (default 30000; 0 = off). */
  keepAlive?: number;
  /**
   * Connect to the primary that these sentinels name (host and port are then
   * ignored), check its ROLE on every connect, and follow failovers.
   */
  sentinel?: SentinelOptions;
  /**
   * Send READONLY on every (re)connect, so a cluster replica serves reads of
   * its primary's slots instead of redirecting them (default false). Used by
   * RedisCluster's `readFrom`.
   */
  readOnly?: boolean;
}

/** Options after defaults and URL parsing. */
export interface ResolvedOptions {
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
  name: string | undefined;
  protocol: 2 | 3;
  connectTimeout: number;
  commandTimeout: number;
  maxOfflineCommands: number;
  retryStrategy: RetryStrategy;
  lazyConnect: boolean;
  keepAlive: number;
  sentinel: SentinelOptions | undefined;
  readOnly: boolean;
}

/** Default backoff: 50, 100, 200, ... capped at 2000 ms; never gives up. */
export const defaultRetryStrategy: RetryStrategy = (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), 2000);

interface UrlParts {
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
}

/** Parses `redis://[[username]:password@]host[:port][/db]`; throws TypeError on anything else. */
export function parseRedisUrl(url: string): UrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid Redis URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol === 'rediss:') throw new TypeError('rediss:// (TLS) is not supported by this client');
  if (parsed.protocol !== 'redis:') {
    throw new TypeError(`Invalid Redis URL ${JSON.stringify(url)}: expected the redis:// scheme`);
  }
  const parts: UrlParts = {};
  if (parsed.hostname) parts.host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (parsed.port) parts.port = Number(parsed.port);
  if (parsed.username) parts.username = decodeURIComponent(parsed.username);
  if (parsed.password) parts.password = decodeURIComponent(parsed.password);
  const path = parsed.pathname.replace(/^\//, '');
  const dbText = path !== '' ? path : parsed.searchParams.get('db');
  if (dbText !== null && dbText !== '') {
    if (!/^\d+$/.test(dbText)) throw new TypeError(`Invalid database in Redis URL ${JSON.stringify(url)}: ${dbText}`);
    parts.db = Number(dbText);
  }
  return parts;
}

/** Merges URL, explicit options and defaults, validating each; throws TypeError with the offending field. */
export function resolveOptions(input: RedisClientOptions | string = {}): ResolvedOptions {
  const options: RedisClientOptions = typeof input === 'string' ? { url: input } : input;
  const fromUrl = options.url !== undefined ? parseRedisUrl(options.url) : {};
  const resolved: ResolvedOptions = {
    host: options.host ?? fromUrl.host ?? '127.0.0.1',
    port: options.port ?? fromUrl.port ?? 6379,
    db: options.db ?? fromUrl.db ?? 0,
    username: options.username ?? fromUrl.username,
    password: options.password ?? fromUrl.password,
    name: options.name,
    protocol: options.protocol ?? 2,
    connectTimeout: options.connectTimeout ?? 5_000,
    commandTimeout: options.commandTimeout ?? 0,
    maxOfflineCommands: options.maxOfflineCommands ?? 100_000,
    retryStrategy: options.retryStrategy ?? defaultRetryStrategy,
    lazyConnect: options.lazyConnect ?? false,
    keepAlive: options.keepAlive ?? 30_000,
    sentinel: options.sentinel === undefined ? undefined : checkedSentinel(options.sentinel),
    readOnly: options.readOnly ?? false,
  };
  if (typeof resolved.host !== 'string' || resolved.host === '') throw new TypeError('host must be a non-empty string');
  if (!Number.isInteger(resolved.port) || resolved.port < 1 || resolved.port > 65535) {
    throw new TypeError(`port must be an integer from 1 to 65535, got ${String(resolved.port)}`);
  }
  if (!Number.isInteger(resolved.db) || resolved.db < 0) {
    throw new TypeError(`db must be a non-negative integer, got ${String(resolved.db)}`);
  }
  if (resolved.protocol !== 2 && resolved.protocol !== 3) {
    throw new TypeError(`protocol must be 2 or 3, got ${String(resolved.protocol)}`);
  }
  for (const key of ['connectTimeout', 'commandTimeout', 'keepAlive'] as const) {
    const v = resolved[key];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new TypeError(`${key} must be a non-negative number of milliseconds, got ${String(v)}`);
    }
  }
  const max = resolved.maxOfflineCommands;
  if (typeof max !== 'number' || !(max >= 0) || (Number.isFinite(max) && !Number.isInteger(max))) {
    throw new TypeError(`maxOfflineCommands must be a non-negative integer or Infinity, got ${String(max)}`);
  }
  if (typeof resolved.retryStrategy !== 'function') throw new TypeError('retryStrategy must be a function');
  if (typeof resolved.readOnly !== 'boolean') throw new TypeError(`readOnly must be true or false, got ${String(resolved.readOnly)}`);
  return resolved;
}

function checkedSentinel(input: SentinelOptions): SentinelOptions {
  if (input === null || typeof input !== 'object') throw new TypeError('sentinel must be { sentinels, name }');
  const { sentinels, name } = input;
  if (typeof name !== 'string' || name === '') throw new TypeError('sentinel.name must be a non-empty string');
  if (!Array.isArray(sentinels) || sentinels.length === 0) {
    throw new TypeError('sentinel.sentinels must be a non-empty array of { host, port }');
  }
  for (const s of sentinels) {
    if (s === null || typeof s !== 'object' || typeof s.host !== 'string' || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
      throw new TypeError(`Invalid sentinel address ${JSON.stringify(s)}: expected { host, port }`);
    }
  }
  return Object.freeze({ ...input, sentinels: Object.freeze(sentinels.map((s) => ({ host: s.host, port: s.port }))) });
}
