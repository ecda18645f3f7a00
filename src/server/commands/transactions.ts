// MULTI EXEC DISCARD WATCH UNWATCH.
import type { CommandContext, CommandSpec } from '../command.js';
import { CommandError } from '../errors.js';
import { asClient, discardTransaction, unwatchAll } from './connection.js';

// MULTI
function multi(ctx: CommandContext): void {
  const c = asClient(ctx);
  if (c.inMulti) throw new CommandError('ERR MULTI calls can not be nested');
  c.inMulti = true;
  c.multiQueue = [];
  c.multiError = false;
  ctx.reply.ok();
}

// EXEC
function exec(ctx: CommandContext): void {
  const c = asClient(ctx);
  if (!c.inMulti) throw new CommandError('ERR EXEC without MULTI');
  if (c.multiError) {
    discardTransaction(c);
    unwatchAll(c);
    throw new CommandError('EXECABORT Transaction discarded because of previous errors.');
  }
  if (c.dirtyCas) {
    discardTransaction(c);
    unwatchAll(c);
    ctx.reply.nullArray();
    return;
  }
  const queue = c.multiQueue;
  discardTransaction(c);
  unwatchAll(c);
  const dispatcher = c.server.dispatcher;
  const execArgv = c.argv;
  ctx.reply.arrayLen(queue.length);
  // Blocking commands reply at once inside EXEC; clients blocked on keys
  // written here are served after the whole transaction.
  c.mustNotBlock = true;
  // The AOF wraps the transaction's writes in MULTI ... EXEC, so that a crash never leaves half of it.
  const aof = c.server.persistence.aof;
  aof.beginExec();
  try {
    for (const { entry, named, argv } of queue) dispatcher.call(c, entry, named, argv);
  } finally {
    aof.endExec();
    c.mustNotBlock = false;
    c.argv = execArgv;
    // Each queued command was handed to persistence as it ran; EXEC itself logs nothing.
    ctx.propagate();
  }
}

// DISCARD
function discard(ctx: CommandContext): void {
  const c = asClient(ctx);
  if (!c.inMulti) throw new CommandError('ERR DISCARD without MULTI');
  discardTransaction(c);
  unwatchAll(c);
  ctx.reply.ok();
}

// WATCH key [key ...]
function watch(ctx: CommandContext): void {
  const c = asClient(ctx);
  if (c.inMulti) throw new CommandError('ERR WATCH inside MULTI is not allowed');
  for (let i = 1; i < ctx.argv.length; i++) {
    const key = ctx.argv[i];
    if (c.watched.some((w) => w.db === c.db && w.key === key)) continue;
    c.watched.push({ db: c.db, key });
    let set = c.db.watchers.get(key);
    if (!set) c.db.watchers.set(key, (set = new Set()));
    set.add(c);
  }
  ctx.reply.ok();
}

// UNWATCH
function unwatch(ctx: CommandContext): void {
  unwatchAll(asClient(ctx));
  ctx.reply.ok();
}

/** Redis's flags for MULTI, DISCARD, WATCH, UNWATCH. */
const BUSY_OK = ['noscript', 'loading', 'stale', 'fast', 'allow-busy'] as const;

export const transactionCommands: CommandSpec[] = [
  { name: 'multi', arity: 1, flags: ['no-multi', ...BUSY_OK], keys: [0, 0, 0], handler: multi, categories: ['fast', 'transaction'] },
  { name: 'exec', arity: 1, flags: ['no-multi', 'noscript', 'loading', 'stale', 'skip-slowlog'], keys: [0, 0, 0], handler: exec, categories: ['slow', 'transaction'] },
  { name: 'discard', arity: 1, flags: ['no-multi', ...BUSY_OK], keys: [0, 0, 0], handler: discard, categories: ['fast', 'transaction'] },
  { name: 'watch', arity: -2, flags: ['no-multi', ...BUSY_OK], keys: [1, -1, 1], handler: watch, categories: ['fast', 'transaction'] },
  // Unlike WATCH, UNWATCH is queued inside MULTI (it then runs in EXEC, where it changes nothing).
  { name: 'unwatch', arity: 1, flags: BUSY_OK, keys: [0, 0, 0], handler: unwatch, categories: ['fast', 'transaction'] },
];
