// Runs logged commands (the AOF at startup) through the ordinary command
// handlers, against databases of its own whose clock reads 0: nothing
// expires and no expiry time is "already past" while replaying, as Redis
// does not expire keys while loading. Otherwise a key whose TTL ran out
// between the original command and the restart would vanish before a later
// logged command that found it alive (e.g. an APPEND), and replay would
// diverge. The loaded keys then move into the server's databases, where
// normal expiry applies.

import { EncodingLimits } from '../data/encoding-limits.js';
import type { AnyCommandSpec, ClientInfo, CommandContext, CommandSpec, ServerContext } from '../command.js';
import { Database, type KeyspaceShared } from '../database.js';
import { CommandError } from '../errors.js';
import { ReplyWriter } from '../reply.js';

/**
 * The spec a logged command line runs (for a container, its subcommand's),
 * or undefined when unknown. Client commands (needsClient: PING, CLIENT...)
 * change no data and are never logged; the replayer skips them where a log
 * has them, so their client type does not matter here.
 */
export type LookupCommand = (argv: readonly string[]) => AnyCommandSpec<never> | undefined;

/** A logged command that cannot be replayed: the log is damaged (or from a newer simpledb). */
export class ReplayError extends Error {}

class ReplayContext implements CommandContext, ServerContext, ClientInfo {
  argv: string[] = [];
  db: Database;
  readonly reply = new ReplyWriter();
  readonly mustNotBlock = true;
  readonly id = 0;
  name = '';
  readonly protocol = 2 as const;
  readonly addr = 'aof';
  readonly laddr = 'aof';
  readonly dirty = 0;

  constructor(readonly databases: Database[]) {
    this.db = databases[0];
  }

  get server(): ServerContext {
    return this;
  }

  get client(): ClientInfo {
    return this;
  }

  get dbIndex(): number {
    return this.db.index;
  }

  /** The real clock, as Redis's mstime() while loading: XCLAIM ... TIME t refuses a t in the future. */
  now(): number {
    return Date.now();
  }

  block(): void {
    throw new Error('a blocking command blocked during AOF replay');
  }

  propagate(): void {
    // Replay writes nothing back to the log.
  }
}

export class Replayer {
  readonly databases: Database[];
  private readonly ctx: ReplayContext;
  private queue: string[][] | null = null;
  /** Handler errors (WRONGTYPE and the like) seen while replaying; Redis ignores them too. */
  commandErrors = 0;

  constructor(
    count: number,
    private readonly lookup: LookupCommand,
    /** The server's encoding thresholds, which the values built here keep reading. */
    limits: EncodingLimits = new EncodingLimits(),
  ) {
    const shared: KeyspaceShared = { dirty: 0, keyReady: () => {}, keyExpired: () => {}, notifyFlags: 0, publishEvent: () => {}, lruClock: 0, limits };
    this.databases = Array.from({ length: count }, (_, i) => new Database(i, shared, () => 0));
    this.ctx = new ReplayContext(this.databases);
  }

  get inTransaction(): boolean {
    return this.queue !== null;
  }

  /** Runs one command from the log (MULTI queues until EXEC, as the client did). */
  run(argv: string[]): void {
    const name = argv[0].toLowerCase();
    if (name === 'multi') {
      this.queue = [];
      return;
    }
    if (name === 'exec') {
      const queued = this.queue ?? [];
      this.queue = null;
      for (const cmd of queued) this.execute(cmd);
      return;
    }
    this.check(argv, name);
    if (this.queue !== null) this.queue.push(argv);
    else this.execute(argv);
  }

  /** Forgets a transaction whose EXEC never made it to the log. */
  discardTransaction(): void {
    this.queue = null;
  }

  private check(argv: string[], name: string): void {
    if (name === 'select') {
      if (argv.length !== 2 || !/^\d+$/.test(argv[1]) || Number(argv[1]) >= this.databases.length) {
        throw new ReplayError(`bad SELECT ${JSON.stringify(argv.slice(1))}`);
      }
      return;
    }
    this.replayable(argv);
  }

  /** The spec that runs argv (null: a client command, nothing to replay), or a ReplayError when the log cannot hold it. */
  private replayable(argv: string[]): CommandSpec | null {
    const spec = this.lookup(argv);
    if (spec === undefined) throw new ReplayError(`unknown command '${argv[0].slice(0, 128)}'`);
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      throw new ReplayError(`wrong number of arguments for '${spec.name}'`);
    }
    return 'needsClient' in spec ? null : spec;
  }

  private execute(argv: string[]): void {
    const ctx = this.ctx;
    if (argv[0].toLowerCase() === 'select') {
      ctx.db = this.databases[Number(argv[1])];
      return;
    }
    const spec = this.replayable(argv);
    if (spec === null) return;
    ctx.argv = argv;
    try {
      spec.handler(ctx);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      this.commandErrors++;
    }
    if (ctx.reply.out.startsWith('-')) this.commandErrors++;
    ctx.reply.out = '';
  }

  /** Moves the replayed keys (with their exact expiry times) into the server's empty databases. */
  moveInto(targets: readonly Database[]): number {
    let keys = 0;
    for (const src of this.databases) {
      const dst = targets[src.index];
      for (const [key, value] of src.data) {
        dst.add(key, value);
        dst.setStringEncoding(key, src.stringEncoding(key));
        keys++;
      }
      for (const key of src.expires.keys()) dst.setExpireExact(key, src.getExpireExact(key)!);
    }
    return keys;
  }
}
