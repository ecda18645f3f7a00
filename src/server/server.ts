// simpledb's server: the listener, the set of clients, the 16 databases and
// the shared machinery (dispatcher, blocking, pub/sub, MONITOR, active
// expiry, output limits). Commands live in commands/; this file wires them.

import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { BlockingManager } from './blocking.js';
import { CommandTiming } from './command-timing.js';
import { ConfigTable } from './config.js';
import { formatNotifyFlags, parseNotifyFlags, publishKeyspaceEvent } from './notifications.js';
import { Client } from './client.js';
import { readConnection } from './connection-reader.js';
import type { CommandSpec } from './command.js';
import { allCommands } from './commands/index.js';
import { EncodingLimits } from './data/encoding-limits.js';
import { Database, type KeyspaceShared } from './database.js';
import { registerEncodingConfig } from './encoding-config.js';
import { Dispatcher } from './dispatcher.js';
import { Logger, type LogLevel } from './logger.js';
import { unwatchAll } from './multi.js';
import type { ReplyHolder } from './persistence/aof-writer.js';
import { Persistence, type PersistenceHost, type PersistenceOptions } from './persistence/index.js';
import { PubSub } from './pubsub.js';
import { redactedArguments } from './redaction.js';
import type { ServerConfig, ServerState, ServerStats } from './server-state.js';

export type { ServerConfig } from './server-state.js';

/** Persistence fields (dir, appendonly, appendfsync, save...) are documented in PersistenceOptions. */
export interface ServerOptions extends PersistenceOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 31337. */
  port?: number;
  /** Connections beyond this get "ERR max number of clients reached". Default 10000. */
  maxClients?: number;
  /** Require AUTH with this password. */
  requirepass?: string;
  /** Number of logical databases; default 16. */
  databases?: number;
  /** Log level; default 'warn' when embedded. */
  logLevel?: LogLevel;
  /** Log to this file instead of stderr. */
  logFile?: string;
  /** Extra commands (extensions). */
  commands?: readonly CommandSpec[];
  /** The clock, in ms; injectable for tests. */
  now?: () => number;
  /** Keyspace-notification classes, as CONFIG SET notify-keyspace-events takes them (e.g. "KEA"); default "" (off). */
  notifyKeyspaceEvents?: string;
}

// Redis's default pub/sub output buffer limits: 32mb hard, 8mb for 60 s.
const PUBSUB_HARD_LIMIT = 32 * 1024 * 1024;
const PUBSUB_SOFT_LIMIT = 8 * 1024 * 1024;
const PUBSUB_SOFT_SECONDS = 60;

export class Server implements ServerState<Client>, PersistenceHost {
  readonly databases: Database[];
  readonly clients = new Map<number, Client>();
  readonly dispatcher = new Dispatcher<Client>(this);
  readonly blocking = new BlockingManager(this);
  readonly pubsub = new PubSub();
  readonly monitors = new Set<Client>();
  /** The slow log and the latency monitor. */
  readonly timing = new CommandTiming(() => Math.floor(this.now() / 1000));
  readonly shared: KeyspaceShared;
  readonly config: ServerConfig;
  readonly configTable = new ConfigTable();
  readonly log: Logger;
  readonly startedAt = Date.now();
  readonly stats: ServerStats = { connections: 0, commands: 0, rejectedConnections: 0, blockedClients: 0, expiredKeys: 0, errorReplies: 0 };
  /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
  readonly errorStats = new Map<string, number>();
  /** Counts an error reply as Redis does: by its code when it has one of under 31 characters, else as ERR. */
  readonly countError = (message: string): void => {
    this.stats.errorReplies++;
    const space = message.indexOf(' ');
    const code = space > 0 && space < 31 ? message.slice(0, space) : 'ERR';
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
  };
  /** Persistence hook: called with each write's commands (after propagate() rewriting). */
  onWrite: ((dbIndex: number, commands: string[][]) => void) | null = null;
  /**
   * Called before a connection's replies are written; returning true holds
   * them (the hook flushes the client later). The AOF uses it so that a
   * write is acknowledged only once logged, as Redis's beforeSleep does.
   */
  beforeReply: ((c: ReplyHolder) => boolean) | null = null;
  /** AOF, snapshots, save rules (persistence/). */
  readonly persistence: Persistence;
  readonly now: () => number;
  private nextClientId = 1;
  private readonly net: NetServer;
  private expiryTimer: NodeJS.Timeout | null = null;
  private listening = false;

  constructor(options: ServerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.log = new Logger(options.logLevel ?? 'warn', options.logFile);
    const blocking = this.blocking;
    this.shared = {
      dirty: 0,
      keyReady: (db, key) => blocking.keyReady(db, key),
      keyExpired: (db, key) => {
        this.stats.expiredKeys++;
        this.onWrite?.(db.index, [['DEL', key]]);
      },
      notifyFlags: 0,
      publishEvent: (db, event, key) => publishKeyspaceEvent(this.pubsub, this.shared.notifyFlags, event, key, db.index),
      lruClock: lruClockAt(this.now()),
      limits: new EncodingLimits(),
    };
    const n = options.databases ?? 16;
    this.databases = Array.from({ length: n }, (_, i) => new Database(i, this.shared, this.now));
    this.config = {
      requirepass: options.requirepass ?? '',
      maxclients: options.maxClients ?? 10000,
      bind: options.host ?? '127.0.0.1',
      port: options.port ?? 31337,
      databases: n,
    };
    this.registerConfig();
    if (options.notifyKeyspaceEvents !== undefined) this.configTable.setMany([['notify-keyspace-events', options.notifyKeyspaceEvents]]);
    for (const spec of allCommands) this.dispatcher.register(spec);
    for (const spec of options.commands ?? []) this.dispatcher.register(spec);
    this.persistence = new Persistence(this, options);
    // Paused: readConnection decides how each connection is read.
    this.net = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
  }

  get dirty(): number {
    return this.shared.dirty;
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    const addr = this.net.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.port;
  }

  get host(): string {
    return this.config.bind;
  }

  async listen(): Promise<void> {
    // Data is loaded before the first connection, as Redis loads before accepting clients.
    await this.persistence.load();
    await new Promise<void>((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(this.config.port, this.config.bind, () => {
        this.net.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.net.on('error', (e) => this.log.error(`listener error: ${e.message}`));
    this.expiryTimer = setInterval(() => {
      this.shared.lruClock = lruClockAt(this.now());
      this.activeExpire();
    }, 100);
    this.expiryTimer.unref();
  }

  /** Stops listening and drops every client. */
  async close(): Promise<void> {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = null;
    this.persistence.close();
    for (const c of [...this.clients.values()]) this.disconnect(c);
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }

  /**
   * Shutdown on a signal: saves as SHUTDOWN would (save is SAVE (true),
   * NOSAVE (false) or neither (null): the save rules decide), then closes.
   * Throws, leaving the server up, when the final save fails.
   */
  async shutdown(save: boolean | null): Promise<void> {
    if (!this.persistence.prepareShutdown(save, false)) throw new Error('Errors trying to SHUTDOWN. Check logs.');
    await this.closeAfterShutdown();
  }

  /** The last step of a shutdown whose final save is done: close, then tell onClosed listeners (the CLI exits). */
  async closeAfterShutdown(): Promise<void> {
    await this.close();
    this.emitClosed();
  }

  private closedListeners: (() => void)[] = [];
  /** Called once the server has shut down through SHUTDOWN. */
  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }
  private emitClosed(): void {
    for (const l of this.closedListeners) l();
  }

  private registerConfig(): void {
    const t = this.configTable;
    const cfg = this.config;
    t.string('requirepass', () => cfg.requirepass, (v) => (cfg.requirepass = v));
    t.integer('maxclients', () => cfg.maxclients, (n) => (cfg.maxclients = n), 1, 4294967295); // UINT_MAX, as Redis
    t.integer('port', () => this.port);
    t.string('bind', () => cfg.bind);
    t.integer('databases', () => cfg.databases);
    t.integer('proto-max-bulk-len', () => 512 * 1024 * 1024);
    t.constant('maxmemory', '0');
    t.constant('maxmemory-policy', 'noeviction');
    t.constant('timeout', '0');
    t.constant('tcp-keepalive', '300');
    t.constant('hz', '10');
    t.constant('io-threads', '1');
    t.string(
      'notify-keyspace-events',
      () => formatNotifyFlags(this.shared.notifyFlags),
      (v) => {
        const flags = parseNotifyFlags(v);
        if (flags === null) throw new Error('Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.');
        this.shared.notifyFlags = flags;
      },
    );
    registerEncodingConfig(t, this.shared.limits);
    this.timing.registerConfig(t);
    t.constant('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  }

  registerCommand(spec: CommandSpec): void {
    this.dispatcher.register(spec);
  }

  lookupCommand(argv: readonly string[]): ReturnType<Dispatcher<Client>['lookupCommand']> {
    return this.dispatcher.lookupCommand(argv);
  }

  hasCommand(name: string): boolean {
    return this.dispatcher.lookup(name) !== undefined;
  }

  private accept(accepted: Socket): void {
    this.stats.connections++;
    if (this.clients.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      accepted.on('error', () => {});
      // Closed both ways once written, as Redis: a peer keeping its side open must not hold the socket.
      accepted.end('-ERR max number of clients reached\r\n', () => accepted.destroy());
      return;
    }
    // Reading starts now, but no bytes can arrive before the next turn of the event loop, when c is set.
    const socket = readConnection(accepted, (chunk) => c.onData(chunk));
    socket.setNoDelay(true);
    const c = new Client(this.nextClientId++, this, socket);
    this.clients.set(c.id, c);
    this.log.debug(`accepted ${c.addr} (id ${c.id})`);
    socket.on('error', (e) => this.log.debug(`client ${c.addr}: ${e.message}`));
    socket.on('close', () => this.forget(c));
  }

  /** Closes a client's connection at once (CLIENT KILL, limits, shutdown). */
  disconnect(c: Client): void {
    c.closed = true;
    c.socket.destroy();
    this.forget(c);
  }

  private forget(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    c.closed = true;
    this.blocking.unblock(c);
    this.pubsub.forget(c);
    this.monitors.delete(c);
    unwatchAll(c);
    this.log.debug(`client ${c.addr} (id ${c.id}) closed`);
  }

  /** Disconnects a subscriber whose unread output passed Redis's pub/sub limits. */
  checkOutputLimits(c: Client): void {
    if (!c.inPubSubMode) return;
    const pending = c.socket.writableLength;
    if (pending > PUBSUB_HARD_LIMIT) return this.dropSlowClient(c, pending);
    if (pending > PUBSUB_SOFT_LIMIT) {
      const now = this.now();
      if (c.softLimitSince === 0) c.softLimitSince = now;
      else if (now - c.softLimitSince > PUBSUB_SOFT_SECONDS * 1000) this.dropSlowClient(c, pending);
    } else {
      c.softLimitSince = 0;
    }
  }

  private dropSlowClient(c: Client, pending: number): void {
    this.log.warn(`client id=${c.id} addr=${c.addr} scheduled to be closed ASAP for overcoming of output buffer limits (${pending} bytes pending)`);
    this.disconnect(c);
  }

  /** MONITOR output: one line per command, in redis-cli's format. */
  feedMonitors(c: Client, argv: string[]): void {
    const t = this.now();
    const micros = String((t % 1000) * 1000).padStart(6, '0');
    let line = `+${Math.floor(t / 1000)}.${micros} [${c.db.index} ${c.addr}]`;
    const redacted = redactedArguments(argv);
    for (let i = 0; i < argv.length; i++) line += ' ' + (redacted?.includes(i) ? '"(redacted)"' : repr(argv[i]));
    line += '\r\n';
    // A monitor sees its own commands too, as in Redis.
    for (const m of this.monitors) {
      m.reply.raw(line);
      m.flushOutOfBand();
    }
  }

  private activeExpire(): void {
    const began = Date.now();
    for (const db of this.databases) {
      // Like Redis: keep going while a quarter of the sample was stale, within a time budget.
      const start = Date.now();
      let n: number;
      do {
        n = db.activeExpireCycle(20);
      } while (n > 5 && Date.now() - start < 25);
    }
    this.timing.latency.addIfNeeded('expire-cycle', Date.now() - began);
  }
}

/** Redis's LRU clock at time ms: whole seconds (LRU_CLOCK_RESOLUTION), read by OBJECT IDLETIME. */
function lruClockAt(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Redis's sdscatrepr: a quoted, escaped rendering of a binary string. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code >= 32 && code < 127) out += ch;
    else out += '\\x' + code.toString(16).padStart(2, '0');
  }
  return out + '"';
}
