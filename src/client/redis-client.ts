// RedisClient: one TCP connection to Redis or simpledb, pipelined.
//
// Commands go through two FIFOs: `toWrite` (encoded into the CommandWriter's
// batch, not yet on the wire; also the offline queue while disconnected) and
// `inflight` (written, awaiting a reply). Everything queued during one
// event-loop turn leaves in one socket write; replies are matched to `inflight`
// strictly in order. When a connection dies, what was in flight is rejected (it
// may have run, so it is never resent) while what was never written waits for
// the next connection.
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { checkedSize, CommandWriter } from '../resp/command-writer.js';
import { RespDecoder } from '../resp/decoder.js';
import { encodeNamedCommand, type CommandArgument } from '../resp/encoder.js';
import { ProtocolError } from '../resp/protocol-error.js';
import type { RespValue } from '../resp/types.js';
import { argumentRefusal, commandInfo } from './command-info.js';
import {
  ConnectionClosedError,
  ReplyError,
  SubscriberModeError,
  TimeoutError,
  UnsupportedCommandError,
} from './errors.js';
import { Fifo } from './fifo.js';
import { resolveOptions, type RedisClientOptions, type ResolvedOptions } from './options.js';
import { PendingCommand } from './pending-command.js';
import { Subscriptions, subscriptionNames, type MessageListener, type PatternListener } from './pub-sub.js';
import { buildTransaction } from './transaction.js';

/** A decoded reply: bulk strings are strings from call() and Buffers from callBuffer(). */
export type Reply = RespValue<ReplyError>;

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
  /** A RESP3 push frame that is not pub/sub traffic (e.g. client tracking). */
  push: [frame: Reply[]];
}

const IDLE = 0;
const CONNECTING = 1; // TCP connect or handshake in progress
const READY = 2;
const WAITING = 3; // backoff before reconnecting
const CLOSED = 4;

const CONFIRMATIONS = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe']);

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
  private state = IDLE;
  private quitting = false;
  private socket: Socket | null = null;
  private readonly decoder: RespDecoder<ReplyError>;
  private readonly writer = new CommandWriter();
  private readonly toWrite = new Fifo<PendingCommand>();
  // Commands that timed out while toWrite was not empty: the batch is rebuilt without them.
  private unwrittenDone = 0;
  // (UN)SUBSCRIBE commands in toWrite.
  private pubsubQueued = 0;
  private readonly inflight = new Fifo<PendingCommand>();
  private flushScheduled = false;
  private db: number;

  private readonly subs = new Subscriptions();
  // RESP2: the server is in subscriber mode as of the replies read so far.
  private serverSubscribed = false;
  private pubsubInFlight = 0;
  // (UN)SUBSCRIBE calls whose connection died: settled once the next connection restores the registry.
  private awaitingRestore: PendingCommand[] = [];

  private readonly timed = new Fifo<PendingCommand>();
  private timeoutTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private lastError: Error | undefined;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private endWaiters: (() => void)[] = [];

  /** Connects at once unless `lazyConnect`; throws TypeError for invalid options or URL. */
  constructor(options: RedisClientOptions | string = {}) {
    super();
    this.input = typeof options === 'string' ? { url: options } : { ...options };
    this.options = Object.freeze(resolveOptions(this.input));
    this.db = this.options.db;
    this.decoder = new RespDecoder<ReplyError>({
      onReply: (value) => this.onReply(value),
      onPush: (frame) => this.onPush(frame),
      makeError: (message) => new ReplyError(message),
    });
    if (!this.options.lazyConnect) this.open();
  }

  /** Current connection state. */
  get status(): ClientStatus {
    if (this.state === CLOSED) return 'closed';
    if (this.quitting) return 'closing';
    return (['idle', 'connecting', 'ready', 'reconnecting'] as const)[this.state] as ClientStatus;
  }

  /**
   * Resolves when the connection is ready (connecting first if lazy). Rejects if
   * the next connection attempt fails (the client keeps retrying in the background)
   * or the client is closed.
   */
  connect(): Promise<void> {
    if (this.state === READY) return Promise.resolve();
    if (this.state === CLOSED || this.quitting) {
      return Promise.reject(new ConnectionClosedError('The client is closed'));
    }
    const p = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.state === IDLE) this.open();
    return p;
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
      const refused = this.admissionError('EXEC', batch.length);
      if (refused) throw refused;
      this.setDeadline(batch[batch.length - 1] as PendingCommand, 0);
      for (const cmd of batch) this.enqueue(cmd);
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
   * Sends QUIT after everything already queued and resolves once the server has
   * answered all of it and closed the connection. Later commands are rejected.
   */
  quit(): Promise<void> {
    if (this.state === CLOSED) return Promise.resolve();
    const ended = new Promise<void>((resolve) => this.endWaiters.push(resolve));
    if (!this.quitting) {
      this.quitting = true;
      if (this.state === READY || this.state === CONNECTING) {
        const quit = new PendingCommand(
          'QUIT',
          'QUIT',
          [],
          false,
          () => this.socket?.end(),
          () => this.socket?.destroy(),
        );
        this.enqueue(quit);
      } else {
        this.close(new ConnectionClosedError('The client quit before reconnecting'));
      }
    }
    return ended;
  }

  /** Closes the connection at once; every pending command is rejected with ConnectionClosedError. */
  disconnect(): void {
    if (this.state !== CLOSED) this.close(new ConnectionClosedError('Disconnected by the client'));
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
    if (this.state !== READY || this.quitting) {
      const refused = this.admissionError(info.upper, 1);
      if (refused) return Promise.reject(refused);
    }
    try {
      this.writer.write(name, args);
    } catch (err) {
      return Promise.reject(err);
    }
    const promise = new Promise(capture);
    // The arguments are kept only where a batch may need rebuilding (a command that
    // times out before it is written); otherwise they can die young.
    const timeouts = this.options.commandTimeout > 0;
    const cmd = new PendingCommand(info.upper, name, timeouts ? args : NO_ARGS, buffers, capturedResolve, capturedReject);
    if (info.isSelect) {
      // Remember the db so that a reconnect selects it again.
      const resolve = cmd.resolve;
      cmd.resolve = (value) => {
        this.db = Number(args[0]);
        resolve(value);
      };
    }
    if (timeouts) {
      const block = info.blockMs === null ? -1 : info.blockMs(args);
      if (block !== 0) this.setDeadline(cmd, block > 0 ? block : 0);
    }
    this.toWrite.push(cmd);
    this.scheduleWrite();
    return promise;
  }

  /** Why `count` more commands cannot be queued now, or null. */
  private admissionError(command: string, count: number): ConnectionClosedError | null {
    if (this.state === CLOSED || this.quitting) return this.closedError(command);
    if (this.state !== READY && this.toWrite.length + count > this.options.maxOfflineCommands) {
      return this.offlineFullError(command);
    }
    return null;
  }

  private refuseWhileSubscribed(name: string): SubscriberModeError | null {
    return this.options.protocol === 2 && this.subs.size > 0 ? new SubscriberModeError(name) : null;
  }

  private changeSubscriptions(
    verb: 'SUBSCRIBE' | 'PSUBSCRIBE' | 'UNSUBSCRIBE' | 'PUNSUBSCRIBE',
    update: () => string[],
  ): Promise<void> {
    return new Promise<unknown>((resolve, reject) => {
      if (this.state === CLOSED || this.quitting) throw this.closedError(verb);
      const names = update();
      if (names.length === 0) return resolve(undefined);
      const cmd = new PendingCommand(verb, verb, names, false, resolve, reject, names.length);
      this.setDeadline(cmd, 0);
      this.enqueue(cmd);
    }).then(() => undefined);
  }

  private setDeadline(cmd: PendingCommand, extraMs: number): void {
    const ms = this.options.commandTimeout;
    if (ms <= 0) return;
    cmd.timeoutMs = ms + extraMs;
    cmd.deadline = Date.now() + cmd.timeoutMs;
    this.timed.push(cmd);
    if (this.timeoutTimer === null) this.armTimeout(cmd.timeoutMs);
  }

  /** Queues an already validated command for the next write, or offline while not connected. */
  private enqueue(cmd: PendingCommand): void {
    if (this.state === CLOSED || (this.quitting && cmd.name !== 'QUIT')) {
      settleRejected(cmd, this.closedError(cmd.name));
      return;
    }
    if (this.state !== READY && this.toWrite.length >= this.options.maxOfflineCommands && cmd.name !== 'QUIT') {
      settleRejected(cmd, this.offlineFullError(cmd.name));
      return;
    }
    this.writer.write(cmd.rawName, cmd.args);
    this.toWrite.push(cmd);
    if (cmd.confirmations > 0) this.pubsubQueued++;
    this.scheduleWrite();
  }

  /** A command was queued: write at the end of this turn when connected, or connect. */
  private scheduleWrite(): void {
    if (this.state === READY) {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    } else if (this.state === IDLE) {
      this.open();
    }
  }

  /** Writes everything queued this turn in one socket write. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.writeBatch();
  };

  private writeBatch(): void {
    const socket = this.socket;
    if (this.state !== READY || socket === null) return;
    const queue = this.toWrite;
    if (this.unwrittenDone > 0) this.rebuildBatch();
    const inflight = this.inflight;
    if (inflight.length === 0 && queue.length > 0) this.decoder.returnBuffers = (queue.peek() as PendingCommand).buffers;
    queue.transferTo(inflight);
    this.pubsubInFlight += this.pubsubQueued;
    this.pubsubQueued = 0;
    const bytes = this.writer.take();
    if (bytes === null) return;
    if (!Array.isArray(bytes)) {
      socket.write(bytes);
      return;
    }
    socket.cork();
    for (const b of bytes) socket.write(b);
    socket.uncork();
  }

  /** Re-encodes the waiting commands without the ones that timed out before being written. */
  private rebuildBatch(): void {
    this.writer.discard();
    this.pubsubQueued = 0;
    for (const cmd of this.toWrite.drain()) {
      if (cmd.done) continue;
      this.writer.write(cmd.rawName, cmd.args);
      this.toWrite.push(cmd);
      if (cmd.confirmations > 0) this.pubsubQueued++;
    }
    this.unwrittenDone = 0;
  }

  // ---- receiving --------------------------------------------------------------

  private onReply(value: Reply): void {
    if ((this.serverSubscribed || this.pubsubInFlight > 0) && Array.isArray(value) && this.pubsubFrame(value, false)) {
      return;
    }
    const cmd = this.inflight.shift();
    if (cmd === undefined) throw new ProtocolError('received a reply while no command was waiting');
    const next = this.inflight.peek();
    this.decoder.returnBuffers = next !== undefined && next.buffers;
    if (cmd.confirmations > 0) {
      // A pub/sub command answered by something other than a confirmation: an error.
      this.pubsubInFlight--;
    }
    if (cmd.deadline !== 0) this.pruneTimed(cmd);
    if (cmd.done) return;
    cmd.done = true;
    if (value instanceof ReplyError) {
      value.command = cmd.name;
      cmd.reject(value);
    } else {
      cmd.resolve(value);
    }
  }

  /** Drops answered commands from the head of the deadline queue so it holds only what is pending. */
  private pruneTimed(answered: PendingCommand): void {
    const timed = this.timed;
    let head: PendingCommand | undefined;
    while ((head = timed.peek()) !== undefined && (head.done || head === answered)) timed.shift();
  }

  private onPush(frame: Reply[]): void {
    if (!this.pubsubFrame(frame, true)) this.emitSafely('push', frame);
  }

  /** Handles pub/sub traffic (messages, (un)subscribe confirmations); false when `frame` is something else. */
  private pubsubFrame(frame: Reply[], isPush: boolean): boolean {
    const kind = text(frame[0]);
    if (kind === 'message' && frame.length === 3 && (isPush || this.serverSubscribed)) {
      this.deliver(text(frame[1]), text(frame[2]), undefined);
      return true;
    }
    if (kind === 'pmessage' && frame.length === 4 && (isPush || this.serverSubscribed)) {
      this.deliver(text(frame[2]), text(frame[3]), text(frame[1]));
      return true;
    }
    if (kind === undefined || !CONFIRMATIONS.has(kind) || frame.length !== 3) return false;
    const head = this.inflight.peek();
    if (head === undefined || head.confirmations === 0) return false;
    this.serverSubscribed = typeof frame[2] === 'number' && frame[2] > 0;
    if (--head.confirmations === 0) {
      this.inflight.shift();
      this.pubsubInFlight--;
      const next = this.inflight.peek();
      this.decoder.returnBuffers = next !== undefined && next.buffers;
      if (!head.done) {
        head.done = true;
        head.resolve(undefined);
      }
    }
    return true;
  }

  private deliver(channel: string | undefined, message: string | undefined, pattern: string | undefined): void {
    if (channel === undefined || message === undefined) return;
    if (pattern === undefined) {
      const listeners = this.subs.channels.get(channel);
      if (listeners) for (const l of listeners) this.runListener(() => l(message, channel));
      if (this.listenerCount('message') > 0) this.emitSafely('message', channel, message);
    } else {
      const listeners = this.subs.patterns.get(pattern);
      if (listeners) for (const l of listeners) this.runListener(() => l(message, channel, pattern));
      if (this.listenerCount('pmessage') > 0) this.emitSafely('pmessage', pattern, channel, message);
    }
  }

  // A listener that throws must not abandon the rest of the chunk being decoded.
  private runListener(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.reportListenerError(err);
    }
  }

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

  // ---- connection lifecycle ---------------------------------------------------

  private open(): void {
    this.state = CONNECTING;
    this.lastError = undefined;
    const { host, port, connectTimeout, keepAlive } = this.options;
    const socket = createConnection({ host, port });
    this.socket = socket;
    this.decoder.reset();
    this.serverSubscribed = false;
    this.pubsubInFlight = 0;
    socket.setNoDelay(true);
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive);
    if (connectTimeout > 0) {
      this.connectTimer = setTimeout(() => {
        if (this.socket !== socket) return;
        this.fail(socket, new TimeoutError('connect', connectTimeout));
      }, connectTimeout);
    }
    socket.once('connect', () => {
      if (this.socket !== socket) return;
      this.emitSafely('connect');
      this.handshake(socket);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      try {
        this.decoder.feed(chunk);
      } catch (err) {
        // A reply handler may already have dropped this connection (failed handshake).
        if (this.socket === socket) this.fail(socket, err instanceof Error ? err : new ProtocolError(String(err)));
      }
    });
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      this.lastError = err;
      this.emitError(err);
    });
    socket.on('close', () => this.onClose(socket));
  }

  /** Reports `error` and drops the connection (which then reconnects). */
  private fail(socket: Socket, error: Error): void {
    this.lastError = error;
    this.emitError(error);
    socket.destroy();
    // Settle now rather than on the 'close' event, so nothing more is written to this socket.
    this.onClose(socket);
  }

  /** AUTH/HELLO, SELECT, SETNAME and restored subscriptions, pipelined; user commands wait for them. */
  private handshake(socket: Socket): void {
    const { protocol, username, password, name } = this.options;
    const steps: unknown[][] = [];
    if (protocol === 3) {
      const hello: unknown[] = ['HELLO', '3'];
      if (password !== undefined) hello.push('AUTH', username ?? 'default', password);
      if (name !== undefined) hello.push('SETNAME', name);
      steps.push(hello);
    } else {
      if (password !== undefined) steps.push(username !== undefined ? ['AUTH', username, password] : ['AUTH', password]);
      if (name !== undefined) steps.push(['CLIENT', 'SETNAME', name]);
    }
    if (this.db !== 0) steps.push(['SELECT', this.db]);
    const channels = [...this.subs.channels.keys()];
    const patterns = [...this.subs.patterns.keys()];
    if (channels.length > 0) steps.push(['SUBSCRIBE', ...channels]);
    if (patterns.length > 0) steps.push(['PSUBSCRIBE', ...patterns]);
    if (steps.length === 0) return this.becomeReady(socket);

    let remaining = steps.length;
    let failed = false;
    let batch = '';
    for (const [verb, ...args] of steps) {
      const confirmations = verb === 'SUBSCRIBE' ? channels.length : verb === 'PSUBSCRIBE' ? patterns.length : 0;
      const cmd = new PendingCommand(
        verb as string,
        verb as string,
        args,
        false,
        () => {
          if (--remaining === 0 && !failed && this.socket === socket) this.becomeReady(socket);
        },
        (err) => {
          if (failed || this.socket !== socket) return;
          failed = true;
          this.handshakeFailed(socket, err);
        },
        confirmations,
        true,
      );
      this.inflight.push(cmd);
      if (confirmations > 0) this.pubsubInFlight++;
      batch += encodeNamedCommand(verb as string, args) as string;
    }
    this.decoder.returnBuffers = false;
    socket.write(batch);
  }

  private handshakeFailed(socket: Socket, err: Error): void {
    // Commands waiting for this connection would run unauthenticated or in the
    // wrong db: they fail with the server's reason instead.
    this.writer.discard();
    this.unwrittenDone = 0;
    this.pubsubQueued = 0;
    for (const cmd of this.toWrite.drain()) settleRejected(cmd, err);
    this.fail(socket, err);
  }

  private becomeReady(socket: Socket): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.state = READY;
    this.attempt = 0;
    const restored = this.awaitingRestore;
    this.awaitingRestore = [];
    for (const cmd of restored) {
      if (!cmd.done) {
        cmd.done = true;
        cmd.resolve(undefined);
      }
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.resolve();
    this.emitSafely('ready');
    if (this.socket === socket) this.flush();
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const cause = this.lastError;
    const wasReady = this.state === READY;
    this.serverSubscribed = false;
    this.pubsubInFlight = 0;
    for (const cmd of this.inflight.drain()) {
      if (cmd.done) continue;
      if (cmd.confirmations > 0 && !cmd.internal) {
        // (Un)subscribing is idempotent and the registry already reflects it: the next connection restores it.
        this.awaitingRestore.push(cmd);
        continue;
      }
      settleRejected(cmd, new ConnectionClosedError('Connection closed before the reply arrived', { command: cmd.name, cause }));
    }
    if (this.state === CLOSED) return;
    if (this.quitting) {
      this.close(undefined);
      return;
    }
    if (!wasReady) {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      const error = cause ?? new ConnectionClosedError('Connection closed during the handshake');
      for (const w of waiters) w.reject(error);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.attempt++;
    let delay: number | null;
    try {
      delay = this.options.retryStrategy(this.attempt, this.lastError);
    } catch (err) {
      delay = null;
      this.lastError = err instanceof Error ? err : new Error(String(err));
    }
    if (delay === null || !(delay >= 0)) {
      this.close(
        new ConnectionClosedError(`Gave up reconnecting after ${this.attempt - 1} attempt(s)`, { cause: this.lastError }),
      );
      return;
    }
    this.state = WAITING;
    this.emitSafely('reconnecting', { attempt: this.attempt, delay, error: this.lastError });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state === WAITING) this.open();
    }, delay);
  }

  /** Ends the client for good; `error` (if any) rejects everything still pending. */
  private close(error: ConnectionClosedError | undefined): void {
    this.state = CLOSED;
    this.quitting = false;
    for (const t of [this.connectTimer, this.reconnectTimer, this.timeoutTimer]) if (t !== null) clearTimeout(t);
    this.connectTimer = this.reconnectTimer = this.timeoutTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    const reason = error ?? new ConnectionClosedError('The client is closed');
    for (const cmd of this.inflight.drain()) {
      settleRejected(cmd, new ConnectionClosedError(reason.message, { command: cmd.name, cause: reason.cause }));
    }
    this.writer.discard();
    this.unwrittenDone = 0;
    this.pubsubQueued = 0;
    for (const cmd of [...this.toWrite.drain(), ...this.awaitingRestore]) {
      settleRejected(cmd, new ConnectionClosedError(reason.message, { command: cmd.name, cause: reason.cause }));
    }
    this.awaitingRestore = [];
    this.timed.drain();
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.reject(reason);
    const ended = this.endWaiters;
    this.endWaiters = [];
    for (const resolve of ended) resolve();
    this.emitSafely('end');
  }

  private emitError(err: Error): void {
    if (this.listenerCount('error') > 0) this.emitSafely('error', err);
  }

  private closedError(command: string): ConnectionClosedError {
    return new ConnectionClosedError(this.quitting ? 'The client is quitting' : 'The client is closed', { command });
  }

  private offlineFullError(command: string): ConnectionClosedError {
    return new ConnectionClosedError(
      `Not connected and ${this.toWrite.length} commands are already waiting (maxOfflineCommands ${this.options.maxOfflineCommands})`,
      { command, cause: this.lastError },
    );
  }

  // ---- timeouts -----------------------------------------------------------------

  private armTimeout(ms: number): void {
    this.timeoutTimer = setTimeout(this.onTimeout, Math.max(ms, 1));
    this.timeoutTimer.unref();
  }

  // Deadlines are checked oldest first; a command queued behind a longer one
  // (a blocking command) is checked once that one is settled or expired.
  private readonly onTimeout = (): void => {
    this.timeoutTimer = null;
    const now = Date.now();
    let cmd: PendingCommand | undefined;
    while ((cmd = this.timed.peek()) !== undefined) {
      if (!cmd.done) {
        if (cmd.deadline > now) {
          this.armTimeout(cmd.deadline - now);
          return;
        }
        cmd.done = true;
        // It may still be waiting to be written (cannot tell cheaply): rebuild the batch to be sure.
        if (this.toWrite.length > 0) this.unwrittenDone++;
        cmd.reject(new TimeoutError(cmd.name, cmd.timeoutMs));
      }
      this.timed.shift();
    }
  };
}

function settleRejected(cmd: PendingCommand, error: Error): void {
  if (cmd.done) return;
  cmd.done = true;
  cmd.reject(error);
}

function text(v: Reply | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}
