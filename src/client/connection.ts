// The socket lifecycle of one client: connect (with its timeout), the handshake
// (AUTH/HELLO, SELECT, SETNAME, restored subscriptions), one write per
// event-loop turn while ready, reconnecting with the retry strategy's backoff
// when the connection is lost, and closing for good. A client that has had no
// connection for connectTimeout (never connected, or lost it that long ago)
// rejects the commands waiting for one, and new ones, with an error naming
// the address and the reason, while it keeps reconnecting in the background:
// a caller is told, rather than left waiting forever for a server that is not there. What travels over the
// socket is the command queue's; this module decides when it may.
import { createConnection, type Socket } from 'node:net';
import { ProtocolError } from '../resp/protocol-error.js';
import { settleRejected, type CommandQueue } from './command-queue.js';
import type { Deadlines } from './deadlines.js';
import { ConnectionClosedError, TimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { PendingCommand } from './pending-command.js';
import type { Subscriptions } from './pub-sub.js';
import type { Address, SentinelWatch } from './sentinel.js';

export const IDLE = 0;
export const CONNECTING = 1; // TCP connect or handshake in progress
export const READY = 2;
export const WAITING = 3; // backoff before reconnecting
export const CLOSED = 4;
export type ConnectionState = typeof IDLE | typeof CONNECTING | typeof READY | typeof WAITING | typeof CLOSED;

/** What the connection tells its owner (the client turns these into events). */
export interface ConnectionEvents {
  /** TCP connection established, handshake about to start. */
  connected(): void;
  /** Handshake done; commands flow. */
  ready(): void;
  /** A connection-level problem; the connection carries on (reconnects). */
  error(error: Error): void;
  reconnecting(info: { attempt: number; delay: number; error: Error | undefined }): void;
  /** Closed for good. */
  end(): void;
}

/** Connection lifecycle of one client over its command queue. */
export class Connection {
  state: ConnectionState = IDLE;
  /** quit() was called: nothing more is accepted, the connection closes once QUIT is answered. */
  quitting = false;
  /** The database selected on every (re)connect; follows successful SELECTs. */
  db: number;
  /** The server of the current (or last) connection. */
  address: Address;
  private socket: Socket | null = null;
  private flushScheduled = false;
  // Counts open() calls, so a primary looked up for an abandoned attempt is not used.
  private opening = 0;
  private connectTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private lastError: Error | undefined;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** When the client last had a usable connection, or null while it has one (or before the first attempt). */
  private offlineSince: number | null = null;
  private offlineTimer: NodeJS.Timeout | null = null;
  /** Offline for longer than connectTimeout: commands are rejected until a connection is ready again. */
  private unavailable = false;
  private endWaiters: (() => void)[] = [];

  constructor(
    private readonly options: Readonly<ResolvedOptions>,
    private readonly queue: CommandQueue,
    private readonly deadlines: Deadlines,
    private readonly subs: Subscriptions,
    private readonly events: ConnectionEvents,
    /** Set when the primary is found through Sentinel. */
    private readonly sentinel: SentinelWatch | null = null,
  ) {
    this.db = options.db;
    this.address = { host: options.host, port: options.port };
  }

  /** Resolves once ready (opening the connection if idle); rejects if the next attempt fails or the client closes. */
  whenReady(): Promise<void> {
    if (this.state === READY) return Promise.resolve();
    if (this.state === CLOSED || this.quitting) {
      return Promise.reject(new ConnectionClosedError('The client is closed'));
    }
    const p = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.state === IDLE) this.open();
    return p;
  }

  // ---- admission and writing ------------------------------------------------------

  /** Why `count` more commands cannot be queued now, or null. */
  admissionError(command: string, count: number): ConnectionClosedError | null {
    if (this.state === CLOSED || this.quitting) return this.closedError(command);
    if (this.state !== READY && this.unavailable) return this.unavailableError(command);
    if (this.state !== READY && this.queue.waiting + count > this.options.maxOfflineCommands) {
      return this.offlineFullError(command);
    }
    return null;
  }

  /** Queues an already validated command for the next write, or offline while not connected. */
  enqueue(cmd: PendingCommand): void {
    if (this.state === CLOSED || (this.quitting && cmd.name !== 'QUIT')) {
      settleRejected(cmd, this.closedError(cmd.name));
      return;
    }
    if (this.state !== READY && this.queue.waiting >= this.options.maxOfflineCommands && cmd.name !== 'QUIT') {
      settleRejected(cmd, this.offlineFullError(cmd.name));
      return;
    }
    if (this.state !== READY && this.unavailable && cmd.name !== 'QUIT') {
      settleRejected(cmd, this.unavailableError(cmd.name));
      return;
    }
    this.queue.enqueue(cmd);
    this.scheduleWrite();
  }

  /** A command was queued: write at the end of this turn when connected, or connect. */
  scheduleWrite(): void {
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
    const socket = this.socket;
    if (this.state !== READY || socket === null) return;
    const bytes = this.queue.takeBatch();
    if (bytes === null) return;
    if (!Array.isArray(bytes)) {
      socket.write(bytes);
      return;
    }
    socket.cork();
    for (const b of bytes) socket.write(b);
    socket.uncork();
  };

  // ---- opening ------------------------------------------------------------------

  open(): void {
    this.state = CONNECTING;
    this.lastError = undefined;
    this.startOffline();
    const sentinel = this.sentinel;
    if (sentinel === null) return this.openSocket(this.address);
    const attempt = ++this.opening;
    sentinel.watch();
    sentinel.resolvePrimary().then(
      (primary) => {
        if (this.state !== CONNECTING || attempt !== this.opening) return;
        this.address = primary;
        this.openSocket(primary);
      },
      (err: Error) => {
        if (this.state !== CONNECTING || attempt !== this.opening) return;
        this.lastError = err;
        this.events.error(err);
        this.rejectReadyWaiters(err);
        if (this.quitting) this.close(new ConnectionClosedError('The client quit before connecting', { cause: err }));
        else this.scheduleReconnect();
      },
    );
  }

  /**
   * Leaves the current server for the primary Sentinel names now (after
   * +switch-master, READONLY or UNBLOCKED): what is in flight is rejected as on
   * any lost connection, blocking commands are sent again to the new primary.
   */
  failover(reason: string, to?: Address): void {
    const socket = this.socket;
    if (socket === null || this.state === CLOSED) return;
    if (to !== undefined && to.host === this.address.host && to.port === this.address.port) return;
    this.fail(socket, new ConnectionClosedError(reason));
  }

  private openSocket({ host, port }: Address): void {
    const { connectTimeout, keepAlive } = this.options;
    const socket = createConnection({ host, port });
    this.socket = socket;
    this.queue.connectionStarted();
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
      this.events.connected();
      this.handshake(socket);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      try {
        this.queue.feed(chunk);
      } catch (err) {
        // A reply handler may already have dropped this connection (failed handshake).
        if (this.socket === socket) this.fail(socket, err instanceof Error ? err : new ProtocolError(String(err)));
      }
    });
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      this.lastError = err;
      this.events.error(err);
    });
    socket.on('close', () => this.onClose(socket));
  }

  /** Reports `error` and drops the connection (which then reconnects). */
  private fail(socket: Socket, error: Error): void {
    this.lastError = error;
    this.events.error(error);
    socket.destroy();
    // Settle now rather than on the 'close' event, so nothing more is written to this socket.
    this.onClose(socket);
  }

  /** AUTH/HELLO, SELECT, SETNAME, READONLY and restored subscriptions, pipelined; user commands wait for them. */
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
    // A cluster replica redirects reads to its primary unless told, on each connection.
    if (this.options.readOnly) steps.push(['READONLY']);
    // Sentinel may still name a primary that was just demoted: only a primary will do.
    if (this.sentinel !== null) steps.push(['ROLE']);
    const channels = [...this.subs.channels.keys()];
    const patterns = [...this.subs.patterns.keys()];
    if (channels.length > 0) steps.push(['SUBSCRIBE', ...channels]);
    if (patterns.length > 0) steps.push(['PSUBSCRIBE', ...patterns]);
    // One SSUBSCRIBE per shard channel: on a cluster node, channels of different slots in one command are refused (CROSSSLOT).
    for (const channel of this.subs.shardChannels.keys()) steps.push(['SSUBSCRIBE', channel]);
    if (steps.length === 0) return this.becomeReady(socket);

    let remaining = steps.length;
    let failed = false;
    const onDone = (): void => {
      if (--remaining === 0 && !failed && this.socket === socket) this.becomeReady(socket);
    };
    const onError = (err: Error): void => {
      if (failed || this.socket !== socket) return;
      failed = true;
      // Commands waiting for this connection would run unauthenticated or in the
      // wrong db: they fail with the server's reason instead.
      this.queue.rejectUnwritten(err);
      this.fail(socket, err);
    };
    const onRole = (reply: unknown): void => {
      if (Array.isArray(reply) && reply[0] === 'master') return onDone();
      if (failed || this.socket !== socket) return;
      failed = true;
      // Not a primary (yet, or any more): try again later; queued commands wait for a primary.
      const { host, port } = this.address;
      this.fail(socket, new ConnectionClosedError(`${host}:${port} is not a primary (ROLE ${String(Array.isArray(reply) ? reply[0] : reply)})`));
    };
    const commands = steps.map(([verb, ...args]) => {
      const confirmations =
        verb === 'SUBSCRIBE' ? channels.length : verb === 'PSUBSCRIBE' ? patterns.length : verb === 'SSUBSCRIBE' ? 1 : 0;
      const done = verb === 'ROLE' ? onRole : onDone;
      return new PendingCommand(verb as string, verb as string, args, false, done, onError, confirmations, true);
    });
    socket.write(this.queue.handshake(commands));
  }

  private becomeReady(socket: Socket): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.state = READY;
    this.attempt = 0;
    this.endOffline();
    this.queue.restored();
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.resolve();
    this.events.ready();
    if (this.socket === socket) this.flush();
  }

  // ---- losing and closing -----------------------------------------------------------

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const cause = this.lastError;
    const wasReady = this.state === READY;
    this.queue.connectionLost(cause);
    if (this.state === CLOSED) return;
    if (this.quitting) {
      this.close(undefined);
      return;
    }
    if (wasReady) this.startOffline();
    if (!wasReady) this.rejectReadyWaiters(cause ?? new ConnectionClosedError('Connection closed during the handshake'));
    this.scheduleReconnect();
  }

  private rejectReadyWaiters(error: Error): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.reject(error);
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
    this.events.reconnecting({ attempt: this.attempt, delay, error: this.lastError });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state === WAITING) this.open();
    }, delay);
  }

  /**
   * Sends QUIT after everything already queued and resolves once the server has
   * answered all of it and closed the connection.
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

  /** Ends the client for good; `error` (if any) rejects everything still pending. */
  close(error: ConnectionClosedError | undefined): void {
    this.state = CLOSED;
    this.quitting = false;
    this.endOffline();
    for (const t of [this.connectTimer, this.reconnectTimer]) if (t !== null) clearTimeout(t);
    this.connectTimer = this.reconnectTimer = null;
    this.deadlines.clear();
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.sentinel?.close();
    const reason = error ?? new ConnectionClosedError('The client is closed');
    this.queue.rejectAll(reason);
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.reject(reason);
    const ended = this.endWaiters;
    this.endWaiters = [];
    for (const resolve of ended) resolve();
    this.events.end();
  }

  // ---- no connection for too long ---------------------------------------------------

  /** Starts counting the time without a connection (once per outage). */
  private startOffline(): void {
    if (this.offlineSince !== null) return;
    this.offlineSince = Date.now();
    const { connectTimeout } = this.options;
    if (connectTimeout <= 0) return;
    this.offlineTimer = setTimeout(() => {
      this.offlineTimer = null;
      if (this.state === READY || this.state === CLOSED) return;
      this.unavailable = true;
      this.queue.rejectUnwritten(this.unavailableError(undefined));
    }, connectTimeout);
    // Waiting to tell callers must not keep a process alive on its own.
    this.offlineTimer.unref();
  }

  private endOffline(): void {
    if (this.offlineTimer !== null) clearTimeout(this.offlineTimer);
    this.offlineTimer = null;
    this.offlineSince = null;
    this.unavailable = false;
  }

  private unavailableError(command: string | undefined): ConnectionClosedError {
    const { host, port } = this.address;
    const { connectTimeout } = this.options;
    const cause = this.lastError;
    const reason = cause ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : 'no answer';
    return new ConnectionClosedError(
      `Cannot reach ${host}:${port} (${reason}): no connection for ${connectTimeout} ms; still retrying in the background`,
      { command, cause },
    );
  }

  closedError(command: string): ConnectionClosedError {
    return new ConnectionClosedError(this.quitting ? 'The client is quitting' : 'The client is closed', { command });
  }

  private offlineFullError(command: string): ConnectionClosedError {
    return new ConnectionClosedError(
      `Not connected and ${this.queue.waiting} commands are already waiting (maxOfflineCommands ${this.options.maxOfflineCommands})`,
      { command, cause: this.lastError },
    );
  }
}
