// One client connection: its socket, request parser, reply writer and the
// per-connection state commands read (selected db, protocol, MULTI queue,
// WATCHed keys, subscriptions, blocking). The Client is itself the context
// handed to handlers: the CommandContext of data and extension commands,
// and the whole client for the built-in commands that need it
// (ClientCommand), so no object is allocated per command.

import type { Socket } from 'node:net';
import { RequestParser, RequestProtocolError } from '../resp/request-parser.js';
import type { BlockState, Blockable } from './blocking.js';
import type { AnyCommandSpec, BlockSpec, ClientCommandSpec, ClientInfo, CommandContext } from './command.js';
import type { Database } from './database.js';
import type { DispatchedClient, Entry } from './dispatcher.js';
import type { QueuedCommand, WatchedKey } from './multi.js';
import type { ReplyHolder } from './persistence/aof-writer.js';
import type { Subscriber } from './pubsub.js';
import { ReplyWriter } from './reply.js';
import type { ServerState } from './server-state.js';

/** A built-in command whose handler takes the client (MULTI, SUBSCRIBE, CLIENT, CONFIG...). */
export type ClientCommand = ClientCommandSpec<Client>;
/** Any entry of the built-in command table. */
export type BuiltinCommand = AnyCommandSpec<Client>;

export class Client implements CommandContext, ClientInfo, DispatchedClient<Client>, Blockable, Subscriber, ReplyHolder {
  readonly reply = new ReplyWriter();
  readonly parser = new RequestParser();
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  argv: string[] = [];
  db: Database;
  name = '';
  libName = '';
  libVersion = '';
  authenticated: boolean;
  /** MULTI state: queued commands, and whether an error while queueing dooms EXEC. */
  inMulti = false;
  multiQueue: QueuedCommand<Entry<Client>>[] = [];
  multiError = false;
  /** Set when a WATCHed key is written: EXEC will fail. */
  dirtyCas = false;
  readonly watched: WatchedKey[] = [];
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  monitor = false;
  mustNotBlock = false;
  blocked: BlockState | null = null;
  /** Close once pending output is written (QUIT, protocol errors). */
  closeAfterReply = false;
  closed = false;
  lastCommand = 'NULL';
  propagated: string[][] | null = null;
  callMicros = 0;
  /** When the output buffer first passed the soft limit (pub/sub back-pressure). */
  softLimitSince = 0;
  /** CLIENT REPLY OFF is in force (see setReplyMode). */
  private replyOff = false;
  /** CLIENT REPLY SKIP ran: the next command's replies are dropped. */
  private skipNext = false;
  private processing = false;
  /**
   * Input that arrives while the client is blocked: kept as the chunks read
   * and handed to the parser once, on wake-up. Fed one by one, each chunk
   * would re-join everything not yet parsed (quadratic for a big pipeline
   * behind a BLPOP, stalling every client).
   */
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    readonly id: number,
    readonly server: ServerState<Client>,
    readonly socket: Socket,
  ) {
    this.db = server.databases[0];
    this.authenticated = !server.config.requirepass;
    this.parser.authenticated = this.authenticated;
    this.reply.onError = server.countError;
    this.addr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`.replace(/^::ffff:/, '');
    this.laddr = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`.replace(/^::ffff:/, '');
  }

  readonly addr: string;
  readonly laddr: string;

  /** The handlers' view of this connection (CommandContext.client). */
  get client(): this {
    return this;
  }

  get protocol(): 2 | 3 {
    return this.reply.protocol;
  }

  get dbIndex(): number {
    return this.db.index;
  }

  /** Channels and patterns (what SUBSCRIBE and PSUBSCRIBE confirmations count). */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size;
  }

  /** Subscribed to anything, shard channels included: Redis's CLIENT_PUBSUB (RESP2 subscribe mode, client type pubsub). */
  get inPubSubMode(): boolean {
    return this.channels.size !== 0 || this.patterns.size !== 0 || this.shardChannels.size !== 0;
  }

  block(spec: BlockSpec): void {
    this.server.blocking.block(this, spec);
  }

  propagate(...commands: string[][]): void {
    this.propagated = commands;
  }

  /** Bytes arrived from the socket, valid only until this returns. */
  onData(chunk: Buffer): void {
    // Closing (QUIT, protocol error): what the peer still sends is never read, so not kept either.
    if (this.closed || this.closeAfterReply) return;
    this.lastInteraction = Date.now();
    if (this.blocked) {
      // The chunk is borrowed (see connection-reader.ts): what waits is a copy.
      this.held.push(Buffer.from(chunk));
      this.heldBytes += chunk.length;
      return;
    }
    this.parser.feed(chunk);
    this.processInput();
    this.parser.release();
  }

  /** Bytes received and not yet run (CLIENT LIST's qbuf). */
  get pendingInputBytes(): number {
    return this.parser.bufferedBytes + this.heldBytes;
  }

  /** Runs every complete command in the input buffer, unless blocked or closing. */
  processInput(): void {
    if (this.processing) return;
    if (this.held.length !== 0 && !this.blocked) {
      this.parser.feed(this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldBytes));
      this.held = [];
      this.heldBytes = 0;
    }
    this.processing = true;
    this.server.dispatcher.beginBatch();
    try {
      while (!this.blocked && !this.closeAfterReply && !this.closed) {
        let argv: string[] | null;
        try {
          argv = this.parser.next();
        } catch (e) {
          if (!(e instanceof RequestProtocolError)) throw e;
          this.reply.error(`ERR ${e.message}`);
          this.server.log.debug(`protocol error from ${this.addr}: ${e.message}`);
          this.closeAfterReply = true;
          break;
        }
        if (argv === null) break;
        if (this.skipNext) this.executeSkipped(argv);
        else this.server.dispatcher.execute(this, argv);
      }
    } finally {
      this.processing = false;
    }
    this.flush();
  }

  /**
   * CLIENT REPLY: ON, OFF (nothing reaches the client until ON, its own
   * replies, pub/sub messages and served blocking pops alike) or SKIP (the
   * next command's replies are dropped). As in Redis, OFF and SKIP have no
   * reply of their own, and SKIP does nothing while replies are off.
   */
  setReplyMode(mode: 'on' | 'off' | 'skip'): void {
    if (mode === 'on') {
      this.replyOff = false;
      this.skipNext = false;
      this.reply.muted = false;
      this.reply.ok();
    } else if (mode === 'off') {
      this.replyOff = true;
      this.reply.muted = true;
    } else if (!this.replyOff) {
      this.skipNext = true;
    }
  }

  /** Runs the command after a CLIENT REPLY SKIP, dropping what it replies. */
  private executeSkipped(argv: string[]): void {
    this.skipNext = false;
    this.reply.muted = true;
    this.server.dispatcher.execute(this, argv);
    // Unless that command turned replies off (or on) for good.
    if (!this.replyOff) this.reply.muted = false;
  }

  /** Writes pending replies in one socket write. */
  flush(): void {
    // Persistence may hold the replies until the AOF has the writes (see Server.beforeReply).
    if (this.server.beforeReply !== null && this.server.beforeReply(this)) return;
    if (this.reply.out.length !== 0 && !this.closed) {
      this.socket.write(this.reply.take(), 'latin1');
    }
    if (this.closeAfterReply && !this.closed) {
      this.closed = true;
      // Close both ways once the reply is out, as Redis does: a peer that
      // keeps its side open must not keep the connection alive.
      const socket = this.socket;
      socket.end(() => socket.destroy());
    }
  }

  /**
   * Output written to this client outside its own commands (pub/sub, MONITOR,
   * unblocking). Written once the command that produced it (and the rest of
   * its batch) is done, not at once: a publisher's pipeline of a thousand
   * PUBLISHes then costs each subscriber one socket write, not a thousand
   * (a write per message cost about 5 µs each). Redis, too, writes a
   * client's output once per event-loop turn.
   */
  flushOutOfBand(): void {
    if (this.closed || this.outOfBandDue) return;
    this.outOfBandDue = true;
    queueMicrotask(this.writeOutOfBand);
  }

  private outOfBandDue = false;
  private readonly writeOutOfBand = (): void => {
    this.outOfBandDue = false;
    if (this.closed) return;
    this.flush();
    this.server.checkOutputLimits(this);
  };
}
