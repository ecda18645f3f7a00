/**
 * The options and connections of a RedisStorage: one Redis (plain or through Sentinel) or a
 * Redis Cluster, chosen from the storage's options, and the few things that
 * differ between the two (commands about a connection, reconnect events).
 */
import {
  RedisClient,
  RedisCluster,
  type RedisClientOptions,
  type RedisClusterOptions,
  type RedisConnection,
} from '../../client/index.js';

/** A RedisStorage's connection for ordinary commands. */
export type RedisStorageClient = RedisClient | RedisCluster;

/** Options for RedisStorage. */
export interface RedisStorageOptions extends RedisClientOptions {
  /** Use this client for ordinary commands (its duplicates for the others). Not closed by close() unless owned. */
  client?: RedisStorageClient;
  /**
   * Connect to a Redis Cluster instead (host, port, url and db are then
   * ignored; the other connection options apply to every node).
   */
  cluster?: RedisClusterOptions;
  /** dequeue() waits with BRPOP (default true); false polls with RPOP. */
  blocking?: boolean;
  /** Seconds a BRPOP waits (default 1). */
  readTimeout?: number;
  /** Error list cap (default 1000); when exceeded it is trimmed to 90%. */
  maxErrors?: number;
}

/** A cluster when `cluster` is given (url/host/port/db do not apply there), else one client (Sentinel or not). */
export function connectStorage(clientOptions: RedisClientOptions, cluster: RedisClusterOptions | undefined): RedisStorageClient {
  if (cluster === undefined) return new RedisClient({ url: 'redis://127.0.0.1:6379', ...clientOptions });
  const { url: _url, host: _host, port: _port, db: _db, lazyConnect: _lazy, ...nodeOptions } = clientOptions;
  return new RedisCluster({ ...nodeOptions, ...cluster });
}

/**
 * A command about a connection (CLIENT ID, CLIENT UNBLOCK): on a cluster it
 * goes to the primary owning `slotKey`, where that huey's blocking reads run.
 */
export function serverCall(conn: RedisStorageClient, slotKey: string, command: string, ...args: (string | number)[]): Promise<unknown> {
  return conn instanceof RedisCluster ? conn.callForKey(slotKey, command, ...args) : conn.call(command, ...args);
}

/**
 * How a storage publishes and subscribes to its notifications (events, stored
 * results). On a cluster, sharded pub/sub: SPUBLISH stays within the shard
 * owning the channel's slot (the channels carry the huey's hash tag), where
 * PUBLISH would be copied to every node over the cluster bus, for every task.
 * On one server, plain PUBLISH, so `redis-cli subscribe` keeps working.
 */
export interface NotificationChannel {
  readonly publish: 'PUBLISH' | 'SPUBLISH';
  subscribe(conn: RedisConnection, channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(conn: RedisConnection, channel: string): Promise<void>;
}

const PLAIN: NotificationChannel = {
  publish: 'PUBLISH',
  subscribe: (conn, channel, listener) => conn.subscribe(channel, listener),
  unsubscribe: (conn, channel) => conn.unsubscribe(channel),
};
const SHARDED: NotificationChannel = {
  publish: 'SPUBLISH',
  subscribe: (conn, channel, listener) => conn.ssubscribe(channel, listener),
  unsubscribe: (conn, channel) => conn.sunsubscribe(channel),
};

/** Sharded pub/sub on a cluster, plain elsewhere. */
export function notificationChannel(client: RedisStorageClient): NotificationChannel {
  return client instanceof RedisCluster ? SHARDED : PLAIN;
}

/** Calls `listener` each time `client` (a cluster: any primary's connection) comes up; returns the stop function. */
export function onReady(client: RedisStorageClient, listener: () => void): () => void {
  // Both emit 'ready'; their emitters' event maps differ, so the common part is named here.
  const emitter = client as { on(event: 'ready', l: () => void): unknown; off(event: 'ready', l: () => void): unknown };
  emitter.on('ready', listener);
  return () => void emitter.off('ready', listener);
}
