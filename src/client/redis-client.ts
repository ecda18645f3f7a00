// RedisClient: one TCP connection to Redis or simpledb, pipelined. This file is
// the public facade; the work is done by four parts it wires together:
//   command-queue   to-write and in-flight FIFOs, the encoder batch, reply matching
//   connection      connect, handshake, one write per turn, reconnect with backoff, close
//   pubsub-router   pub/sub frames and message delivery to listeners
//   deadlines       commandTimeout: one timer over the commands that have a deadline
// The per-command path (send) allocates one PendingCommand and one Promise and
// nothing else.
import { EventEmitter } from 'node:events';
import { checkedSize } from '../resp/command-writer.js';
import type { CommandArgument } from '../resp/encoder.js';
import { argumentRefusal, commandInfo } from './command-info.js';
import { CommandQueue } from './command-queue.js';
import { CLOSED, Connection, READY } from './connection.js';
import { Deadlines } from './deadlines.js';
import { ConnectionClosedError, SubscriberModeError, UnsupportedCommandError } from './errors.js';
import { resolveOptions, type RedisClientOptions, type ResolvedOptions } from './options.js';
import { PendingCommand } from './pending-command.js';
import { subscriptionNames, type MessageListener, type PatternListener, type Subscriptions } from './pub-sub.js';
import { PubSubRouter } from './pubsub-router.js';
import type { Reply } from './reply.js';
import { SentinelWatch } from './sentinel.js';
import { buildTransaction } from './transaction.js';

export type { Reply } from './reply.js';

/** Connection state as seen from outside. */
export type ClientStatus = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** Events emitted by {@link RedisClient}. 'error' is only emitted when someone listens. */
export interface RedisClientEvents {
  /** TCP connection established (AUTH/SELECT still to come). */
  connect: [];
  /** Handshake done; commands flow. */
  ready: [];
  /** A connection-level problem (refused, reset, protocol error, failed handshake). The client carries on. */
  error: [error: Error];
  /** A reconnect attempt is scheduled. */
  reconnecting: [info: { attempt: number; delay: number; error: Error | undefined }];
  /** The client is closed for good (quit, disconnect, or the retry strategy gave up). */
  end: [];
  message: [channel: string, message: string];
  pmessage: [pattern: string, channel: string, message: string];
  /** A message published with SPUBLISH to a subscribed shard channel. */
  smessage: [channel: string, message: string];
  /** The server unsubscribed a shard channel on its own (a cluster node does when the channel's slot moves away). */
  sunsubscribed: [channel: string];
  /** A RESP3 push frame that is not pub/sub traffic (e.g. client tracking). */
  push: [frame: Reply[]];
}

const NO_ARGS: readonly unknown[] = [];

// One shared Promise executor instead of a new closure per command.
let capturedResolve: (value: unknown) => void = () => {};
let capturedReject: (error: Error) => void = () => {};
const capture = (resolve: (value: unknown) => void, reject: (error: Error) => void): void => {
  capturedResolve = resolve;
  capturedReject = reject;
};

/**
 * A pipelined Redis client for simpledb and Redis.
 *
 * @example
 * const client = new RedisClient({ url: 'redis://127.0.0.1:31337/0' });
 * await client.call('HSET', 'h', 'f', 'v');
 * const raw = await client.callBuffer('GET', 'k');
 * const [pushed, len] = await client.multi([['LPUSH', 'q', 'a'], ['LLEN', 'q']]);
 * await client.quit();
 */
export class RedisClient extends EventEmitter<RedisClientEvents> {
  /** The options in effect after defaults and URL parsing. */
  readonly options: Readonly<ResolvedOptions>;

  private readonly input: RedisClientOptions;
  private readonly router: PubSubRouter;
  private readonly subs: Subscriptions;
  private readonly deadlines: Deadlines;
  private readonly queue: CommandQueue;
  private readonly connection: Connection;

  /** Connects at once unless `lazyConnect`; throws TypeError for invalid options or URL. */
  constructor(options: RedisClientOptions | string = {}) {
    super();
    this.input = typeof options === 'string' ? { url: options } : { ...options };
    this.options = Object.freeze(resolveOptions(this.input));
    this.router = new PubSubRouter({
      listening: (event) => this.listenerCount(event) > 0,
      message: (channel, message) => this.emitSafely('message', channel, message),
      pmessage: (pattern, channel, message) => this.emitSafely('pmessage', pattern, channel, message),
      smessage: (channel, message) => this.emitSafely('smessage', channel, message),
      listenerError: (err) => this.reportListenerError(err),
    });
    this.subs = this.router.subs;
    this.deadlines = new Deadlines(this.options.commandTimeout, () => this.queue.expired());
    this.queue = new CommandQueue(this.router, this.deadlines, (frame) => this.emitSafely('push', frame));
    this.queue.onShardChannelDropped = (channel) => {
      // Forgotten here too, so a reconnect does not subscribe it again where it is no longer served.
      this.subs.removeShardChannels([channel], undefined);
      this.emitSafely('sunsubscribed', channel);
    };
    const { sentinel, connectTimeout } = this.options;
    const watch =
      sentinel === undefined
        ? null
        : new SentinelWatch(sentinel, connectTimeout > 0 ? connectTimeout : 10_000, (o) => new RedisClient(o), (primary) =>
            this.connection.failover(`Sentinel switched the primary to ${primary.host}:${primary.port}`, primary),
          );
    if (watch !== null) this.queue.onRoleLost = () => this.connection.failover('The server is no longer the primary');
    this.connection = new Connection(this.options, this.queue, this.deadlines, this.subs, {
      connected: () => this.emitSafely('connect'),
      ready: () => this.emitSafely('ready'),
      error: (err) => {
        if (this.listenerCount('error') > 0) this.emitSafely('error', err);
      },
      reconnecting: (info) => this.emitSafely('reconnecting', info),
      end: () => this.emitSafely('end'),
    }, watch);
    if (!this.options.lazyConnect) this.connection.open();
  }

  /** Current connection state. */
  get status(): ClientStatus {
    const { state, quitting } = this.connection;
    if (state === CLOSED) return 'closed';
    if (quitting) return 'closing';
    return (['idle', 'connecting', 'ready', 'reconnecting'] as const)[state] as ClientStatus;
  }

  /**
   * Resolves when the connection is ready (connecting first if lazy). Rejects if
   * the next connection attempt fails (the client keeps retrying in the background)
   * or the client is closed.
   */
  connect(): Promise<void> {
    return this.connection.whenReady();
  }
  /**
   * Sends any command; bulk strings in the reply are UTF-8 strings, nil is null,
   * integers are numbers. An error reply rejects with {@link ReplyError}.
   * `T` only narrows the static type; nothing is checked at run time.
   */
  call<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T> {
    return this.send(command, args, false) as Promise<T>;
  }

  /** Like {@link call}, with bulk strings in the reply as Buffers. */
  callBuffer<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T> {
    return this.send(command, args, true) as Promise<T>;
  }

  /**
   * Runs the commands in one MULTI/EXEC and resolves with their replies; a
   * command that failed at run time appears as its ReplyError. Rejects with
   * TransactionAbortedError when a WATCHed key changed or a command was refused
   * while queuing (EXECABORT).
   *
   * @example
   * const [, len] = await client.multi([['LPUSH', 'q', 'a'], ['LLEN', 'q']]);
   */
  multi<T = Reply[]>(commands: readonly (readonly CommandArgument[])[], options?: { buffers?: boolean }): Promise<T> {
    return new Promise<unknown>((resolve, reject) => {
      const batch = buildTransaction(commands, options?.buffers === true, resolve, reject);
      const blocked = this.refuseWhileSubscribed('MULTI');
      if (blocked) throw blocked;
      const refused = this.connection.admissionError('EXEC', batch.length);
      if (refused) throw refused;
      this.deadlines.set(batch[batch.length - 1] as PendingCommand, 0);
      for (const cmd of batch) this.connection.enqueue(cmd);
    }) as Promise<T>;
  }

  /** A new client (its own connection) with the same options, overridden by `overrides`. */
  duplicate(overrides: RedisClientOptions = {}): RedisClient {
    return new RedisClient({ ...this.input, ...overrides });
  }

  /**
   * Subscribes to channels; `listener` receives each message. Resolves once the
   * server confirms. On a RESP2 connection, ordinary commands are refused until
   * every subscription is gone: use a duplicate() for them.
   */
  subscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.changeSubscriptions('SUBSCRIBE', () => {
      const names = subscriptionNames(channels, 'channels') as string[];
      this.subs.addChannels(names, listener);
      return names;
    });
  }

  /** Subscribes to glob-style patterns; `listener` receives each matching message. */
  psubscribe(patterns: string | readonly string[], listener?: PatternListener): Promise<void> {
    return this.changeSubscriptions('PSUBSCRIBE', () => {
      const names = subscriptionNames(patterns, 'patterns') as string[];
      this.subs.addPatterns(names, listener);
      return names;
    });
  }

  /**
   * Removes `listener` (or all listeners) from `channels` (or from every
   * channel); channels left without listeners are unsubscribed on the server.
   */
  unsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.changeSubscriptions('UNSUBSCRIBE', () => {
      const names = subscriptionNames(channels, 'channels') ?? [...this.subs.channels.keys()];
      return this.subs.removeChannels(names, listener);
    });
  }

  /** Pattern counterpart of {@link unsubscribe}. */
  punsubscribe(patterns?: string | readonly string[], listener?: PatternListener): Promise<void> {
    return this.changeSubscriptions('PUNSUBSCRIBE', () => {
      const names = subscriptionNames(patterns, 'patterns') ?? [...this.subs.patterns.keys()];
      return this.subs.removePatterns(names, listener);
    });
  }

  /**
   * Subscribes to shard channels (Redis 7 sharded pub/sub: SPUBLISH reaches only
   * the nodes of the shard owning the channel's slot); `listener` receives each
   * message. On a single server this works like subscribe() on a separate namespace.
   * One SSUBSCRIBE per channel, as a cluster node refuses channels of different slots in one.
   */
  ssubscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.perShardChannel(channels, false, (name) =>
      this.changeSubscriptions('SSUBSCRIBE', () => {
        this.subs.addShardChannels([name], listener);
        return [name];
      }),
    );
  }

  /** Shard-channel counterpart of {@link unsubscribe}. */
  sunsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    return this.perShardChannel(channels, true, (name) =>
      this.changeSubscriptions('SUNSUBSCRIBE', () => this.subs.removeShardChannels([name], listener)),
    );
  }

  /**
   * Sends QUIT after everything already queued and resolves once the server has
   * answered all of it and closed the connection. Later commands are rejected.
   */
  quit(): Promise<void> {
    return this.connection.quit();
  }

  /** Closes the connection at once; every pending command is rejected with ConnectionClosedError. */
  disconnect(): void {
    if (this.connection.state !== CLOSED) this.connection.close(new ConnectionClosedError('Disconnected by the client'));
  }


  // ---- sending ----------------------------------------------------------------

  private send(name: string, args: readonly CommandArgument[], buffers: boolean): Promise<unknown> {
    if (typeof name !== 'string') return Promise.reject(new TypeError('The command name must be a string'));
    const info = commandInfo(name);
    if (info.refusal !== null) return Promise.reject(new UnsupportedCommandError(info.upper, info.refusal));
    if (info.checkArgs) {
      const refusal = argumentRefusal(info, args);
      if (refusal !== null) return Promise.reject(new UnsupportedCommandError(info.upper, refusal));
    }
    if (this.subs.size > 0 && !info.allowedWhileSubscribed) {
      const blocked = this.refuseWhileSubscribed(info.upper);
      if (blocked) return Promise.reject(blocked);
    }
    if (info.upper === 'QUIT') {
      try {
        checkedSize(name, args);
      } catch (err) {
        return Promise.reject(err);
      }
      return this.quit().then(() => 'OK');
    }
    const connection = this.connection;
    if (connection.state !== READY || connection.quitting) {
      const refused = connection.admissionError(info.upper, 1);
      if (refused) return Promise.reject(refused);
    }
    const queue = this.queue;
    try {
      queue.encode(name, args);
    } catch (err) {
      return Promise.reject(err);
    }
    const promise = new Promise(capture);
    // The arguments are kept only where a batch may need rebuilding (a command that
    // times out before it is written); otherwise they can die young.
    const deadlines = this.deadlines;
    const timeouts = deadlines.enabled;
    // A blocking command on a Sentinel client is sent again after a failover, so it keeps its arguments.
    const reissue = info.blockMs !== null && this.options.sentinel !== undefined;
    const keep = timeouts || reissue;
    const cmd = new PendingCommand(info.upper, name, keep ? args : NO_ARGS, buffers, capturedResolve, capturedReject);
    if (reissue) cmd.reissue = true;
    if (info.isSelect) {
      // Remember the db so that a reconnect selects it again.
      const resolve = cmd.resolve;
      cmd.resolve = (value) => {
        connection.db = Number(args[0]);
        resolve(value);
      };
    }
    if (timeouts) {
      const block = info.blockMs === null ? -1 : info.blockMs(args);
      if (block !== 0) deadlines.set(cmd, block > 0 ? block : 0);
    }
    queue.append(cmd);
    connection.scheduleWrite();
    return promise;
  }

  /** Runs `each` for every named shard channel (every subscribed one when `allByDefault` and none is named); bad names reject. */
  private perShardChannel(
    channels: string | readonly string[] | undefined,
    allByDefault: boolean,
    each: (name: string) => Promise<void>,
  ): Promise<void> {
    let names: string[];
    try {
      const given = subscriptionNames(allByDefault ? channels : (channels ?? []), 'shard channels');
      names = given ?? [...this.subs.shardChannels.keys()];
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.all(names.map(each)).then(() => undefined);
  }

  private refuseWhileSubscribed(name: string): SubscriberModeError | null {
    return this.options.protocol === 2 && this.subs.size > 0 ? new SubscriberModeError(name) : null;
  }

  private changeSubscriptions(
    verb: 'SUBSCRIBE' | 'PSUBSCRIBE' | 'UNSUBSCRIBE' | 'PUNSUBSCRIBE' | 'SSUBSCRIBE' | 'SUNSUBSCRIBE',
    update: () => string[],
  ): Promise<void> {
    return new Promise<unknown>((resolve, reject) => {
      const connection = this.connection;
      if (connection.state === CLOSED || connection.quitting) throw connection.closedError(verb);
      const names = update();
      if (names.length === 0) return resolve(undefined);
      const cmd = new PendingCommand(verb, verb, names, false, resolve, reject, names.length);
      this.deadlines.set(cmd, 0);
      connection.enqueue(cmd);
    }).then(() => undefined);
  }

  // ---- events -------------------------------------------------------------------

  private emitSafely<K extends keyof RedisClientEvents>(event: K, ...args: RedisClientEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: RedisClientEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.reportListenerError(err);
    }
  }

  private reportListenerError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else queueMicrotask(() => {
      throw error;
    });
  }
}
