// The contract between the dispatcher and command handlers.
//
// Each file under commands/ exports an array of command specs. The
// dispatcher does every shared check (unknown command and subcommand, arity,
// AUTH gate, MULTI queueing, the subscribe-mode allow-list) before calling a
// handler, so a handler holds only its command's semantics: parse the
// arguments, act on ctx.db, describe the reply through ctx.reply. To fail, a
// handler throws CommandError (see errors.ts) before writing any reply.
//
// CommandSpec and CommandContext are the public API extensions (-x) use.
// Built-in commands that work on the connection itself (MULTI, SUBSCRIBE,
// CLIENT, CONFIG...) are ClientCommandSpecs instead: their handler gets the
// client object, which is also the CommandContext every handler receives,
// so neither kind costs a cast or an allocation per command.

import type { Database } from './database.js';
import type { ReplyWriter } from './reply.js';

export type CommandFlag =
  | 'write' // changes data: refused on OOM, propagated to the AOF when it changed something
  | 'readonly'
  | 'denyoom' // may use more memory: refused when over maxmemory (COMMAND INFO shows it)
  | 'movablekeys' // keys are not at fixed positions (LMPOP numkeys key...): COMMAND INFO shows it, keys is 0,0,0
  | 'admin'
  | 'pubsub'
  | 'fast'
  | 'blocking' // may block the client (BLPOP...)
  | 'no-auth' // allowed before AUTH (AUTH, HELLO, QUIT)
  | 'no-multi' // not queued inside MULTI: runs at once (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET); not shown
  | 'not-in-multi' // refused inside MULTI, "Command not allowed inside a transaction" (SHUTDOWN): COMMAND INFO's no_multi
  | 'allow-in-subscribe' // allowed in RESP2 subscribe mode; not shown
  | 'loading'
  | 'stale'
  | 'noscript'
  | 'allow-busy' // COMMAND INFO only (allow_busy)
  | 'no-async-loading' // COMMAND INFO only (no_async_loading: SAVE, BGSAVE...)
  | 'skip-slowlog'; // COMMAND INFO only (skip_slowlog)

export interface CommandSpec {
  /** Lowercase name. */
  name: string;
  /** Redis's arity: counts the command name; negative means "at least -arity". */
  arity: number;
  flags: readonly CommandFlag[];
  /** Key positions for COMMAND INFO/GETKEYS: first key index, last (-1 = last arg), step. 0,0,0 when none. */
  keys: readonly [first: number, last: number, step: number];
  handler: (ctx: CommandContext) => void;
  /** ACL categories shown by COMMAND INFO, without '@' (e.g. ['write', 'list', 'fast']). */
  categories?: readonly string[];
  /**
   * Container commands (CLIENT, CONFIG...): the dispatcher looks argv[1] up
   * among these (existence, arity) and runs that subcommand's handler; a
   * container without a "help" subcommand gets one that calls its own
   * handler. COMMAND INFO/DOCS list them.
   */
  subcommands?: readonly CommandSpec[];
  /** One-line summary for COMMAND DOCS (redis-cli shows it in hints/help). */
  summary?: string;
  /** Argument syntax for COMMAND DOCS / HELP, e.g. "key element [element ...]". */
  syntax?: string;
}

/**
 * A built-in command whose handler needs the connection itself (C is the
 * server's client class): its MULTI state, subscriptions, name, the server
 * behind it. The AOF never replays these: they change no data.
 */
export interface ClientCommandSpec<C> extends Omit<CommandSpec, 'handler' | 'subcommands'> {
  readonly needsClient: true;
  handler: (c: C) => void;
  subcommands?: readonly AnyCommandSpec<C>[];
}

/** What the dispatcher's table holds: extension and data commands, and client commands. */
export type AnyCommandSpec<C> = CommandSpec | ClientCommandSpec<C>;

/** How a blocking command waits; see CommandContext.block. */
export interface BlockSpec {
  /** Keys to wait on, in the client's database. */
  keys: readonly string[];
  /** Timeout in ms; 0 waits forever. */
  timeoutMs: number;
  /**
   * Called when one of the keys was written. Try to serve the client: if the
   * data is there, act on ctx.db, write the reply and return true; otherwise
   * return false and keep waiting. ctx.argv is the original command.
   */
  tryServe(ctx: CommandContext, readyKey: string): boolean;
  /**
   * Also try to serve when the key was deleted (tryServe then finds it
   * missing): XREADGROUP fails its waiters then, where other commands keep waiting.
   */
  servesGoneKeys?: boolean;
  /** Reply on timeout; defaults to the nil array. */
  onTimeout?(reply: ReplyWriter): void;
}

/** What a handler sees: the connection's state for the duration of one command. */
export interface CommandContext {
  /** argv[0] is the command name as sent. All arguments are binary strings (latin1). */
  readonly argv: string[];
  /** The selected database. */
  readonly db: Database;
  /** Where the reply goes; it knows RESP2/RESP3. */
  readonly reply: ReplyWriter;
  /** True while running inside EXEC (or another context where blocking is not allowed): blocking commands must reply at once. */
  readonly mustNotBlock: boolean;
  /** The server: other databases, clients, config. */
  readonly server: ServerContext;
  /** The connection itself (id, name, protocol...). */
  readonly client: ClientInfo;
  /**
   * Blocks the client: no reply now; the reply comes from spec.tryServe when
   * a key is written, or onTimeout. Must be the last thing a handler does.
   */
  block(spec: BlockSpec): void;
  /**
   * Replaces what is written to the append-only file for this command (e.g.
   * EXPIRE logged as PEXPIREAT, BLPOP as LPOP). Call once per command that
   * changed data; without it the command's own argv is logged.
   */
  propagate(...commands: string[][]): void;
}

/** The parts of a connection that commands read or change. */
export interface ClientInfo {
  readonly id: number;
  name: string;
  readonly protocol: 2 | 3;
  readonly addr: string;
  readonly laddr: string;
  /** Index of the selected database. */
  readonly dbIndex: number;
}

/** The parts of the server that commands use. */
export interface ServerContext {
  readonly databases: readonly Database[];
  /** Writes since the last save. */
  readonly dirty: number;
  /** The clock in ms (injectable for tests). */
  now(): number;
}
