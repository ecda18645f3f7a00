// The one place every command passes through: lookup (a container's
// subcommand included: resolved here only), arity, the AUTH gate, the RESP2
// subscribe-mode allow-list and MULTI queueing happen here, so handlers hold
// only semantics. After a handler runs it feeds MONITOR, hands the write to
// persistence, and serves clients blocked on keys it touched.
//
// Generic over the client class C, so that this module needs nothing of
// client.ts or server.ts: both depend on it, never the other way round.

import { performance } from 'node:perf_hooks';
import type { AnyCommandSpec, CommandContext } from './command.js';
import type { TimedCommand } from './command-timing.js';
import { CommandError, wrongArity } from './errors.js';
import type { Logger } from './logger.js';
import { discardTransaction, unwatchAll, type TransactionState } from './multi.js';
import type { ReplyWriter } from './reply.js';

/** A command spec with its flags resolved to booleans, for the hot path. */
export interface Entry<C> extends TimedCommand {
  spec: AnyCommandSpec<C>;
  noAuth: boolean;
  noMulti: boolean;
  notInMulti: boolean;
  allowInSubscribe: boolean;
  skipMonitor: boolean;
  isExec: boolean;
  /**
   * Container commands (CLIENT, CONFIG...): their subcommands by lowercase
   * name, checked here like commands (existence, arity) so that inside MULTI
   * a bad subcommand is refused at once and aborts EXEC, as in Redis.
   */
  subs: Map<string, Entry<C>> | null;
}

/** What the dispatcher reads and writes on a client. */
export interface DispatchedClient<C> extends CommandContext, TransactionState<Entry<C>> {
  argv: string[];
  readonly reply: ReplyWriter;
  readonly protocol: 2 | 3;
  readonly authenticated: boolean;
  readonly channels: ReadonlySet<string>;
  readonly patterns: ReadonlySet<string>;
  readonly shardChannels: ReadonlySet<string>;
  mustNotBlock: boolean;
  /** CLIENT LIST's cmd=. */
  lastCommand: string;
  /** What propagate() asked the AOF to log instead of argv (null: argv itself). */
  propagated: string[][] | null;
  readonly addr: string;
  readonly name: string;
  /** Set by a command that blocked the client (null otherwise). */
  readonly blocked: object | null;
  /** How long the last call took, in µs (Redis's c->duration): a served blocking command adds its serving time. */
  callMicros: number;
}

/** What the dispatcher uses of the server. */
export interface DispatchHost<C> {
  readonly stats: { commands: number };
  readonly shared: { readonly dirty: number };
  readonly monitors: ReadonlySet<C>;
  feedMonitors(c: C, argv: string[]): void;
  /** Persistence's hook for commands that changed data; null when nothing listens. */
  readonly onWrite: ((dbIndex: number, commands: string[][]) => void) | null;
  readonly blocking: { readonly hasReadyKeys: boolean; handleReadyKeys(): void };
  readonly log: Logger;
  /** The slow log and latency monitor: told a command's time when it reaches their floor (µs). */
  readonly timing: {
    readonly floor: number;
    ran(c: C, cmd: TimedCommand, argv: readonly string[], micros: number, blocked: boolean): void;
  };
}

const SUBSCRIBE_CONTEXT =
  'only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context';

export class Dispatcher<C extends DispatchedClient<C>> {
  /** Keyed by lowercase name; exact-case spellings seen are cached too. */
  private readonly table = new Map<string, Entry<C>>();
  /**
   * performance.now() when the last command ended, or its batch began. A
   * command's time runs from there to its end: one clock reading per
   * command (and one per batch), where reading it before and after each
   * handler would cost a reading more, measurably so on a busy machine.
   * So the time also counts parsing the command and the dispatcher's checks.
   * No clock is read while both the slow log and the latency monitor are off.
   */
  private lastEnd = 0;

  constructor(private readonly server: DispatchHost<C>) {}

  register(spec: AnyCommandSpec<C>): void {
    const name = spec.name.toLowerCase();
    for (const key of [...this.table.keys()]) if (key.toLowerCase() === name) this.table.delete(key);
    this.table.set(name, toEntry(spec));
  }

  lookup(name: string): AnyCommandSpec<C> | undefined {
    return this.entry(name)?.spec;
  }

  /**
   * The spec a command line runs, as Redis's lookupCommand(argv): for a
   * container, its subcommand's. Undefined for an unknown command or
   * subcommand. (The AOF loader uses it; execute() resolves inline.)
   */
  lookupCommand(argv: readonly string[]): AnyCommandSpec<C> | undefined {
    const entry = this.entry(argv[0]);
    if (entry === undefined || entry.subs === null || argv.length < 2) return entry?.spec;
    return entry.subs.get(argv[1].toLowerCase())?.spec;
  }

  get commands(): AnyCommandSpec<C>[] {
    const seen = new Set<AnyCommandSpec<C>>();
    for (const e of this.table.values()) seen.add(e.spec);
    return [...seen];
  }

  private entry(name: string): Entry<C> | undefined {
    let e = this.table.get(name);
    if (e === undefined) {
      e = this.table.get(name.toLowerCase());
      // Cache the spelling clients actually use (LPUSH, lpush) to skip toLowerCase next time.
      if (e !== undefined && name.length < 32) this.table.set(name, e);
    }
    return e;
  }

  /** A client's batch of commands begins (Client.processInput): commands are timed from here. */
  beginBatch(): void {
    // With the slow log and the latency monitor both off, no clock is read at all.
    if (this.server.timing.floor !== Infinity) this.lastEnd = performance.now();
  }

  /** Runs one command from a client, with every shared check. */
  execute(c: C, argv: string[]): void {
    const entry = this.entry(argv[0]);
    if (entry === undefined) {
      c.lastCommand = 'NULL';
      this.reject(c, unknownCommand(argv));
      return;
    }
    // The command as Redis names it in errors: 'client|setname' for a subcommand.
    let named = entry;
    if (entry.subs !== null && argv.length >= 2) {
      const sub = entry.subs.get(argv[1].toLowerCase());
      if (sub === undefined) {
        c.lastCommand = 'NULL';
        this.reject(c, `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
        return;
      }
      named = sub;
    }
    // CLIENT LIST's cmd=: the last command looked up, refused or not (queued ones too; not those EXEC runs).
    c.lastCommand = named.spec.name;
    const arity = named.spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.reject(c, wrongArity(named.spec.name), entry, argv);
      return;
    }
    if (!c.authenticated && !entry.noAuth) {
      this.reject(c, 'NOAUTH Authentication required.', entry, argv);
      return;
    }
    if (c.inMulti && entry.notInMulti) {
      this.reject(c, 'ERR Command not allowed inside a transaction', entry, argv);
      return;
    }
    if (c.protocol === 2 && !entry.allowInSubscribe && (c.channels.size !== 0 || c.patterns.size !== 0 || c.shardChannels.size !== 0)) {
      this.reject(c, `ERR Can't execute '${named.spec.name}': ${SUBSCRIBE_CONTEXT}`, entry, argv);
      return;
    }
    if (c.inMulti && !entry.noMulti) {
      c.multiQueue.push({ entry: named, argv });
      c.reply.simple('QUEUED');
      return;
    }
    this.call(c, named, argv);
  }

  /**
   * An error before execution; inside MULTI it also dooms EXEC, as in Redis.
   * A refused EXEC itself (say, with arguments) discards the transaction.
   */
  private reject(c: C, message: string, entry?: Entry<C>, argv?: string[]): void {
    if (entry?.isExec) {
      discardTransaction(c);
      unwatchAll(c);
      c.reply.error(`EXECABORT Transaction discarded because of: ${message.startsWith('ERR ') ? message.slice(4) : message}`);
      if (this.server.monitors.size !== 0 && argv !== undefined) this.server.feedMonitors(c, argv);
      return;
    }
    if (c.inMulti) c.multiError = true;
    c.reply.error(message);
  }

  /** Runs the handler (EXEC calls this for each queued command). `named` is the subcommand's entry for a container. */
  call(c: C, named: Entry<C>, argv: string[]): void {
    const server = this.server;
    const dirtyBefore = server.shared.dirty;
    c.argv = argv;
    c.propagated = null;
    const timing = server.timing;
    const timed = timing.floor !== Infinity;
    // EXEC's own time spans the commands it runs, which move lastEnd on. While
    // timing is off, only admin commands (rare) read the clock first: CONFIG SET
    // may turn it on, and is then logged itself, as in Redis.
    const start = timed ? this.lastEnd : named.skipMonitor ? performance.now() : -1;
    try {
      named.spec.handler(c);
    } catch (err) {
      if (err instanceof CommandError) c.reply.error(err.message);
      else {
        server.log.error(`command ${argv[0]} failed: ${(err as Error).stack ?? err}`);
        c.reply.error(`ERR ${(err as Error).message}`);
      }
    }
    c.callMicros = 0;
    if (timing.floor !== Infinity) {
      const end = performance.now();
      this.lastEnd = end;
      if (start >= 0) {
        const micros = (end - start) * 1000;
        c.callMicros = micros;
        if (micros >= timing.floor) timing.ran(c, named, argv, micros, c.blocked !== null);
      }
    }
    server.stats.commands++;
    if (server.monitors.size !== 0 && !named.skipMonitor) server.feedMonitors(c, argv);
    if (server.shared.dirty !== dirtyBefore && server.onWrite !== null) {
      server.onWrite(c.db.index, c.propagated ?? [argv]);
    }
    if (server.blocking.hasReadyKeys && !c.mustNotBlock) {
      server.blocking.handleReadyKeys();
      // Serving blocked clients is timed on its own (BlockingManager.serve), not as the next command.
      if (timing.floor !== Infinity) this.lastEnd = performance.now();
    }
  }
}

function toEntry<C>(spec: AnyCommandSpec<C>): Entry<C> {
  let subs: Map<string, Entry<C>> | null = null;
  if (spec.subcommands !== undefined && spec.subcommands.length !== 0) {
    subs = new Map();
    for (const sub of spec.subcommands) subs.set(sub.name.slice(sub.name.indexOf('|') + 1).toLowerCase(), toEntry(sub));
    // Every container answers HELP (Redis has it as a subcommand of arity 2).
    if (!subs.has('help')) {
      subs.set('help', toEntry<C>({ ...spec, name: `${spec.name.toLowerCase()}|help`, arity: 2, keys: [0, 0, 0], subcommands: undefined }));
    }
  }
  return {
    spec,
    noAuth: spec.flags.includes('no-auth'),
    noMulti: spec.flags.includes('no-multi'),
    notInMulti: spec.flags.includes('not-in-multi'),
    allowInSubscribe: spec.flags.includes('allow-in-subscribe'),
    skipMonitor: spec.flags.includes('admin'),
    isExec: spec.name.toLowerCase() === 'exec',
    fast: spec.flags.includes('fast'),
    skipSlowlog: spec.flags.includes('skip-slowlog'),
    subs,
  };
}

function unknownCommand(argv: string[]): string {
  let args = '';
  // As Redis: each argument is cut to what is left of 128 characters.
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i].slice(0, 128 - args.length)}' `;
  return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
}
