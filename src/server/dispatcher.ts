// The one place every command passes through: lookup, arity, the AUTH gate,
// the RESP2 subscribe-mode allow-list and MULTI queueing happen here, so
// handlers hold only semantics. After a handler runs it feeds MONITOR, hands
// the write to persistence, and serves clients blocked on keys it touched.

import type { CommandSpec } from './command.js';
import type { Client } from './client.js';
import { CommandError, wrongArity } from './errors.js';
import type { Server } from './server.js';

/** A CommandSpec with its flags resolved to booleans, for the hot path. */
interface Entry {
  spec: CommandSpec;
  noAuth: boolean;
  noMulti: boolean;
  allowInSubscribe: boolean;
  skipMonitor: boolean;
}

const SUBSCRIBE_CONTEXT =
  'only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context';

export class Dispatcher {
  /** Keyed by lowercase name; exact-case spellings seen are cached too. */
  private readonly table = new Map<string, Entry>();

  constructor(private readonly server: Server) {}

  register(spec: CommandSpec): void {
    const name = spec.name.toLowerCase();
    for (const key of [...this.table.keys()]) if (key.toLowerCase() === name) this.table.delete(key);
    this.table.set(name, {
      spec,
      noAuth: spec.flags.includes('no-auth'),
      noMulti: spec.flags.includes('no-multi'),
      allowInSubscribe: spec.flags.includes('allow-in-subscribe'),
      skipMonitor: spec.flags.includes('admin') || name === 'exec',
    });
  }

  lookup(name: string): CommandSpec | undefined {
    return this.entry(name)?.spec;
  }

  get commands(): CommandSpec[] {
    const seen = new Set<CommandSpec>();
    for (const e of this.table.values()) seen.add(e.spec);
    return [...seen];
  }

  private entry(name: string): Entry | undefined {
    let e = this.table.get(name);
    if (e === undefined) {
      e = this.table.get(name.toLowerCase());
      // Cache the spelling clients actually use (LPUSH, lpush) to skip toLowerCase next time.
      if (e !== undefined && name.length < 32) this.table.set(name, e);
    }
    return e;
  }

  /** Runs one command from a client, with every shared check. */
  execute(c: Client, argv: string[]): void {
    const entry = this.entry(argv[0]);
    if (entry === undefined) {
      this.reject(c, unknownCommand(argv));
      return;
    }
    const spec = entry.spec;
    const arity = spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.reject(c, wrongArity(spec.name));
      return;
    }
    if (!c.authenticated && !entry.noAuth) {
      this.reject(c, 'NOAUTH Authentication required.');
      return;
    }
    if (c.protocol === 2 && !entry.allowInSubscribe && (c.channels.size !== 0 || c.patterns.size !== 0)) {
      c.reply.error(`ERR Can't execute '${spec.name}': ${SUBSCRIBE_CONTEXT}`);
      return;
    }
    if (c.inMulti && !entry.noMulti) {
      c.multiQueue.push({ spec, argv });
      c.reply.simple('QUEUED');
      return;
    }
    this.call(c, entry, argv);
  }

  /** An error before execution; inside MULTI it also dooms EXEC, as in Redis. */
  private reject(c: Client, message: string): void {
    if (c.inMulti) c.multiError = true;
    c.reply.error(message);
  }

  /** Runs the handler (EXEC calls this for each queued command). */
  call(c: Client, entry: Entry | CommandSpec, argv: string[]): void {
    const e = 'handler' in entry ? this.entry(entry.name)! : entry;
    const server = this.server;
    const dirtyBefore = server.shared.dirty;
    c.argv = argv;
    c.propagated = null;
    try {
      e.spec.handler(c);
    } catch (err) {
      if (err instanceof CommandError) c.reply.error(err.message);
      else {
        server.log.error(`command ${argv[0]} failed: ${(err as Error).stack ?? err}`);
        c.reply.error(`ERR ${(err as Error).message}`);
      }
    }
    server.stats.commands++;
    c.lastCommand = e.spec.name;
    if (server.monitors.size !== 0 && !e.skipMonitor) server.feedMonitors(c, argv);
    if (server.shared.dirty !== dirtyBefore && server.onWrite !== null) {
      server.onWrite(c.db.index, c.propagated ?? [argv]);
    }
    if (server.blocking.hasReadyKeys && !c.mustNotBlock) server.blocking.handleReadyKeys();
  }
}

function unknownCommand(argv: string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i].slice(0, 128)}' `;
  return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
}
