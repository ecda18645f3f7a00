// RedisCluster: a client for Redis Cluster with RedisClient's surface. Each
// command goes to the primary owning its key's slot over that primary's one
// pipelined connection; redirections are followed under a limit:
//   MOVED       the slot has a new owner: remember it, refresh the map, resend there
//   ASK         the slot is migrating: ASKING then the command on the target, once
//   TRYAGAIN    keys are mid-migration: resend after a backoff
//   CLUSTERDOWN the cluster is failing over: refresh, resend after a backoff
//   UNBLOCKED   a blocked command's primary was demoted: refresh, resend after a backoff
// A command is resent only when the server said it did not run it (the replies
// above) or it was never written; one that may have run is rejected as RedisClient
// does (a read-only command is the exception: running it twice changes nothing).
// A transaction whose keys span slots is refused before anything is sent. With
// `readFrom`, read-only commands (read-only-commands.ts) may go to replicas.
import { EventEmitter } from 'node:events';
import type { CommandArgument } from '../../resp/encoder.js';
import { commandInfo } from '../command-info.js';
import { ConnectionClosedError, CrossSlotError, ReplyError, TransactionAbortedError } from '../errors.js';
import { parseRedisUrl, resolveOptions, type RedisClientOptions } from '../options.js';
import type { MessageListener, PatternListener } from '../pub-sub.js';
import type { ClientStatus } from '../redis-client.js';
import type { Reply } from '../reply.js';
import { commandKeys, routingKey } from './command-keys.js';
import { ClusterSubscriber } from './cluster-subscriber.js';
import { ShardSubscriber } from './shard-subscriber.js';
import { READ_ONLY_COMMANDS } from './read-only-commands.js';
import { addressKey, parseRedirect, type NatMap, type NodeAddress } from './slot-map.js';
import { keySlot } from './slot.js';
import { Topology, type ClusterNode, type ReadFrom } from './topology.js';

export type { ReadFrom };

/** Options for {@link RedisCluster}: the seed nodes, cluster behaviour, and options for every node connection. */
export interface RedisClusterOptions extends Omit<RedisClientOptions, 'url' | 'host' | 'port' | 'db' | 'lazyConnect' | 'readOnly'> {
  /** Some of the cluster's nodes (`redis://host:port` or `{ host, port }`); the rest are discovered. */
  nodes: readonly (string | NodeAddress)[];
  /** Addresses to use instead of the ones nodes announce (NAT, containers). */
  natMap?: NatMap;
  /** Redirections and retries one command may go through before its last error is returned (default 16). */
  maxRedirections?: number;
  /** First delay before resending after TRYAGAIN or CLUSTERDOWN, doubled each time up to 2 s (default 100 ms). */
  retryDelay?: number;
  /**
   * Where read-only commands (GET, HGET, LRANGE, ZRANGE, ...) go: 'primary'
   * (default), 'replica' (a connected replica of the slot's primary; the
   * primary when none is connected) or 'any' (the primary and its replicas in
   * turn). Replication is asynchronous: a read from a replica may not see a
   * write the primary has just acknowledged.
   */
  readFrom?: ReadFrom;
}

/** Events emitted by {@link RedisCluster}. */
export interface RedisClusterEvents {
  /** A node connection reported a problem; the cluster carries on. Only emitted when someone listens. */
  error: [error: Error];
  /** A primary's connection is up (again). */
  ready: [];
  /** A primary's connection was lost and is being retried (the map is refreshed meanwhile). */
  reconnecting: [info: { attempt: number; delay: number; error: Error | undefined }];
  /** A new slot map is in place. */
  refresh: [];
  message: [channel: string, message: string];
  pmessage: [pattern: string, channel: string, message: string];
  /** A message published with SPUBLISH to a subscribed shard channel. */
  smessage: [channel: string, message: string];
}

const RETRYABLE = new Set(['MOVED', 'ASK', 'TRYAGAIN', 'CLUSTERDOWN', 'UNBLOCKED']);
const noop = (): void => {};

/**
 * A Redis Cluster client.
 *
 * @example
 * const cluster = new RedisCluster({ nodes: ['redis://127.0.0.1:30001'] });
 * await cluster.call('LPUSH', '{app}:queue', 'job');
 * await cluster.multi([['LPUSH', '{app}:q', 'a'], ['LLEN', '{app}:q']]);
 * await cluster.quit();
 */
export class RedisCluster extends EventEmitter<RedisClusterEvents> {
  /** The seed nodes as "host:port". */
  readonly seeds: readonly string[];
  private readonly input: RedisClusterOptions;
  private readonly topology: Topology;
  private readonly subscriber: ClusterSubscriber;
  private readonly shardSubscriber: ShardSubscriber;
  private readonly maxRedirections: number;
  private readonly retryDelay: number;
  private readonly readFrom: ReadFrom;
  private closed = false;
  private loading: Promise<void> | null = null;

  /** Throws TypeError for invalid options. Connects at once. */
  constructor(options: RedisClusterOptions) {
    super();
    if (options === null || typeof options !== 'object' || !Array.isArray(options.nodes) || options.nodes.length === 0) {
      throw new TypeError('RedisCluster needs options.nodes: a non-empty array of redis:// URLs or { host, port }');
    }
    this.input = { ...options };
    const { nodes, natMap, maxRedirections, retryDelay, readFrom, ...clientOptions } = this.input;
    const seeds = nodes.map(seedAddress);
    this.seeds = Object.freeze(seeds.map(addressKey));
    const fromUrl = typeof nodes[0] === 'string' ? parseRedisUrl(nodes[0]) : {};
    const nodeOptions: RedisClientOptions = {
      ...clientOptions,
      password: clientOptions.password ?? fromUrl.password,
      username: clientOptions.username ?? fromUrl.username,
    };
    resolveOptions({ ...nodeOptions, host: seeds[0]?.host, port: seeds[0]?.port }); // validates the shared options
    this.maxRedirections = maxRedirections ?? 16;
    this.retryDelay = retryDelay ?? 100;
    if (!Number.isInteger(this.maxRedirections) || this.maxRedirections < 0) {
      throw new TypeError(`maxRedirections must be a non-negative integer, got ${String(maxRedirections)}`);
    }
    if (!(this.retryDelay >= 0)) throw new TypeError(`retryDelay must be a non-negative number, got ${String(retryDelay)}`);
    this.readFrom = readFrom ?? 'primary';
    if (!['primary', 'replica', 'any'].includes(this.readFrom)) {
      throw new TypeError(`readFrom must be 'primary', 'replica' or 'any', got ${JSON.stringify(readFrom)}`);
    }
    this.topology = new Topology(seeds, nodeOptions, natMap, {
      error: (err) => {
        if (this.listenerCount('error') > 0) this.emit('error', err);
      },
      nodeReady: () => this.emit('ready'),
      nodeReconnecting: (info) => this.emit('reconnecting', info),
      refreshed: () => {
        this.subscriber.check();
        this.shardSubscriber.check();
        this.emit('refresh');
      },
    }, this.readFrom);
    this.subscriber = new ClusterSubscriber(this.topology, {
      message: (channel, message) => this.emit('message', channel, message),
      pmessage: (pattern, channel, message) => this.emit('pmessage', pattern, channel, message),
      listening: (event) => this.listenerCount(event) > 0,
    });
    this.shardSubscriber = new ShardSubscriber(this.topology, {
      smessage: (channel, message) => this.emit('smessage', channel, message),
      listening: (event) => this.listenerCount(event) > 0,
    });
    this.connect().catch(noop);
  }

  /** 'ready' when the map is loaded and every primary's connection is up. */
  get status(): ClientStatus {
    if (this.closed) return 'closed';
    if (!this.topology.loaded) return 'connecting';
    const states = this.topology.primaries().map((n) => n.client.status);
    if (states.every((s) => s === 'ready')) return 'ready';
    return states.includes('reconnecting') ? 'reconnecting' : 'connecting';
  }

  /** Resolves once the slot map is loaded (retried by later commands when no node answered). */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectionClosedError('The cluster client is closed'));
    if (this.topology.loaded) return Promise.resolve();
    if (this.loading === null) {
      this.loading = this.topology.refresh().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  /** Sends a command to the owner of its key's slot (any primary for keyless commands). */
  call<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T> {
    return this.send(command, args, false) as Promise<T>;
  }

  /** Like {@link call}, with bulk strings in the reply as Buffers. */
  callBuffer<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T> {
    return this.send(command, args, true) as Promise<T>;
  }

  /**
   * Sends a command to the primary that owns `key`'s slot, whatever its own
   * keys: e.g. CLIENT ID on the connection a blocking command on `key` uses,
   * and CLIENT UNBLOCK there.
   */
  callForKey<T = Reply>(key: string | Buffer, command: string, ...args: CommandArgument[]): Promise<T> {
    if (typeof command !== 'string') return Promise.reject(new TypeError('The command name must be a string'));
    return this.routed(slotOf(key), (node) => node.client.call(command, ...args), 0) as Promise<T>;
  }

  /**
   * MULTI/EXEC on the owner of the commands' slot. Every key of every command
   * must hash to the same slot (use one {hash tag}); otherwise it rejects with
   * CrossSlotError and nothing is sent.
   */
  multi<T = Reply[]>(commands: readonly (readonly CommandArgument[])[], options?: { buffers?: boolean }): Promise<T> {
    if (!Array.isArray(commands)) {
      return Promise.reject(new TypeError('multi() takes an array of commands, each an array of arguments'));
    }
    const slots = new Set<number>();
    for (const command of commands) {
      if (!Array.isArray(command) || typeof command[0] !== 'string') continue; // RedisClient.multi reports it
      for (const key of commandKeys(commandInfo(command[0]).upper, command.slice(1))) slots.add(slotOf(key));
    }
    if (slots.size > 1) return Promise.reject(new CrossSlotError('MULTI', [...slots]));
    const slot = slots.size === 1 ? (slots.values().next().value as number) : -1;
    const run = (node: ClusterNode): Promise<unknown> => node.client.multi(commands, options);
    return this.routed(slot, run, 0) as Promise<T>;
  }

  /** A new cluster client (its own connections) with the same options, overridden by `overrides`. */
  duplicate(overrides: Partial<RedisClusterOptions> = {}): RedisCluster {
    return new RedisCluster({ ...this.input, ...overrides });
  }

  /** Subscribes to channels on one node (cluster pub/sub reaches every node); moved if that node leaves. */
  subscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.closed ? closedPromise('SUBSCRIBE') : this.subscriber.subscribe(channels, listener);
  }

  psubscribe(patterns: string | readonly string[], listener?: PatternListener): Promise<void> {
    return this.closed ? closedPromise('PSUBSCRIBE') : this.subscriber.psubscribe(patterns, listener);
  }

  unsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.subscriber.unsubscribe(channels, listener);
  }

  punsubscribe(patterns?: string | readonly string[], listener?: PatternListener): Promise<void> {
    return this.subscriber.punsubscribe(patterns, listener);
  }

  /**
   * Subscribes to shard channels (SSUBSCRIBE), each on the primary owning its
   * slot, where SPUBLISH delivers it without crossing the cluster bus; moved to
   * the new owner after a failover or a slot migration.
   */
  ssubscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.closed ? closedPromise('SSUBSCRIBE') : this.shardSubscriber.ssubscribe(channels, listener);
  }

  sunsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.shardSubscriber.sunsubscribe(channels, listener);
  }

  /** The connections to the primaries known now (for inspection and per-node commands). */
  nodes(): RedisClientLike[] {
    return this.topology.primaries().map((n) => n.client);
  }

  /** The connections to replicas (only with `readFrom` 'replica' or 'any'). */
  replicas(): RedisClientLike[] {
    return this.topology.replicas().map((n) => n.client);
  }

  /** Reloads the slot map now. */
  refresh(): Promise<void> {
    return this.topology.refresh();
  }

  /** Sends QUIT on every connection after what is queued there. */
  async quit(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.subscriber.close(true), this.shardSubscriber.close(true), this.topology.close(true)]);
  }

  /** Closes every connection at once; pending commands are rejected. */
  disconnect(): void {
    if (this.closed) return;
    this.closed = true;
    void this.subscriber.close(false);
    void this.shardSubscriber.close(false);
    void this.topology.close(false);
  }

  // ---- routing --------------------------------------------------------------------

  private send(command: string, args: readonly CommandArgument[], buffers: boolean): Promise<unknown> {
    if (typeof command !== 'string') return Promise.reject(new TypeError('The command name must be a string'));
    const upper = commandInfo(command).upper;
    const key = routingKey(upper, args);
    const slot = key === undefined ? -1 : slotOf(key);
    const run = buffers
      ? (node: ClusterNode): Promise<unknown> => node.client.callBuffer(command, ...args)
      : (node: ClusterNode): Promise<unknown> => node.client.call(command, ...args);
    return this.routed(slot, run, 0, slot !== -1 && this.readFrom !== 'primary' && READ_ONLY_COMMANDS.has(upper));
  }

  /**
   * Runs `run` on the owner of `slot` (-1: any primary), or for a `read` on
   * the node `readFrom` picks, following redirections.
   */
  private routed(slot: number, run: (node: ClusterNode) => Promise<unknown>, redirects: number, read = false): Promise<unknown> {
    if (this.closed) return closedPromise('command');
    const node = slot === -1 ? this.topology.anyNode() : read ? this.topology.reader(slot) : this.topology.owner(slot);
    if (node === undefined) {
      // No map yet, or the slot is not covered: load it and try again.
      if (redirects > this.maxRedirections) return Promise.reject(new ConnectionClosedError(`No node serves slot ${slot}`));
      return this.connectOrRefresh().then(() => this.routed(slot, run, redirects + 1, read));
    }
    return run(node).then(undefined, (err: unknown) => this.failed(err, node, slot, run, redirects, read));
  }

  private connectOrRefresh(): Promise<void> {
    return this.topology.loaded ? this.topology.refresh() : this.connect();
  }

  private failed(
    err: unknown,
    node: ClusterNode,
    slot: number,
    run: (node: ClusterNode) => Promise<unknown>,
    redirects: number,
    read: boolean,
  ): Promise<unknown> {
    if (this.closed || redirects >= this.maxRedirections) throw err;
    if (err instanceof ConnectionClosedError) {
      void this.topology.refresh().catch(noop);
      // Never written: the new owner can have it. Written: it may have run, so the caller
      // decides, unless it only reads (a replica that died under a GET): then another node can answer.
      if (err.written === false || read) return this.connectOrRefresh().then(() => this.routed(slot, run, redirects + 1, read));
      throw err;
    }
    // A replica still loading its data set: this read did not run; its primary can serve it.
    if (read && err instanceof ReplyError && err.code === 'LOADING' && !this.topology.isPrimary(node.key)) {
      return this.routed(slot, run, redirects + 1, false);
    }
    const reply = redirection(err);
    if (reply === null) throw err;
    if (reply.code === 'MOVED' || reply.code === 'ASK') {
      const redirect = parseRedirect(reply.message, node.address, this.input.natMap);
      if (redirect === null) throw err;
      if (redirect.kind === 'MOVED') {
        const target = this.topology.moved(redirect.slot, redirect.address);
        void this.topology.refresh().catch(noop);
        return run(target).then(undefined, (e: unknown) => this.failed(e, target, slot, run, redirects + 1, read));
      }
      const target = this.topology.node(redirect.address);
      // ASKING holds for the next command (for a whole MULTI/EXEC when it precedes MULTI).
      target.client.call('ASKING').catch(noop);
      return run(target).then(undefined, (e: unknown) => this.failed(e, target, slot, run, redirects + 1, read));
    }
    // TRYAGAIN, CLUSTERDOWN, UNBLOCKED (none ran the command): wait, then route afresh.
    if (reply.code !== 'TRYAGAIN') void this.topology.refresh().catch(noop);
    const delay = Math.min(this.retryDelay * 2 ** redirects, 2000);
    return new Promise((r) => setTimeout(r, delay)).then(() => this.routed(slot, run, redirects + 1, read));
  }
}

/** What {@link RedisCluster.nodes} hands out: the node's RedisClient. */
export type RedisClientLike = ClusterNode['client'];

/** The redirection error behind `err` (itself, or inside an aborted transaction), or null. */
function redirection(err: unknown): ReplyError | null {
  if (err instanceof ReplyError) return RETRYABLE.has(err.code) ? err : null;
  if (err instanceof TransactionAbortedError) return err.errors.find((e) => RETRYABLE.has(e.code)) ?? null;
  return null;
}

function slotOf(key: unknown): number {
  return keySlot(typeof key === 'string' || Buffer.isBuffer(key) ? key : String(key));
}

function closedPromise(command: string): Promise<never> {
  return Promise.reject(new ConnectionClosedError('The cluster client is closed', { command }));
}

function seedAddress(node: string | NodeAddress): NodeAddress {
  if (typeof node === 'string') {
    const parsed = parseRedisUrl(node);
    return { host: parsed.host ?? '127.0.0.1', port: parsed.port ?? 6379 };
  }
  if (node === null || typeof node !== 'object' || typeof node.host !== 'string' || !Number.isInteger(node.port)) {
    throw new TypeError(`Invalid cluster node ${JSON.stringify(node)}: expected a redis:// URL or { host, port }`);
  }
  return { host: node.host, port: node.port };
}
