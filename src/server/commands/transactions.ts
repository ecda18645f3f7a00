// MULTI EXEC DISCARD WATCH UNWATCH: the commands over the state kept by
// multi.ts. The dispatcher queues commands between MULTI and EXEC.
import type { ClientCommand, Client } from '../client.js';
import { CommandError } from '../errors.js';
import { beginTransaction, discardTransaction, unwatchAll, watchKey } from '../multi.js';

// MULTI
function multi(c: Client): void {
  if (c.inMulti) throw new CommandError('ERR MULTI calls can not be nested');
  beginTransaction(c);
  c.reply.ok();
}

// EXEC
function exec(c: Client): void {
  if (!c.inMulti) throw new CommandError('ERR EXEC without MULTI');
  if (c.multiError) {
    discardTransaction(c);
    unwatchAll(c);
    throw new CommandError('EXECABORT Transaction discarded because of previous errors.');
  }
  if (c.dirtyCas) {
    discardTransaction(c);
    unwatchAll(c);
    c.reply.nullArray();
    return;
  }
  const queue = c.multiQueue;
  discardTransaction(c);
  unwatchAll(c);
  const dispatcher = c.server.dispatcher;
  const execArgv = c.argv;
  c.reply.arrayLen(queue.length);
  // Blocking commands reply at once inside EXEC; clients blocked on keys
  // written here are served after the whole transaction.
  c.mustNotBlock = true;
  // The AOF wraps the transaction's writes in MULTI ... EXEC, so that a crash never leaves half of it.
  const aof = c.server.persistence.aof;
  aof.beginExec();
  try {
    for (const { entry, argv } of queue) dispatcher.call(c, entry, argv);
  } finally {
    aof.endExec();
    c.mustNotBlock = false;
    c.argv = execArgv;
    // Each queued command was handed to persistence as it ran; EXEC itself logs nothing.
    c.propagate();
  }
}

// DISCARD
function discard(c: Client): void {
  if (!c.inMulti) throw new CommandError('ERR DISCARD without MULTI');
  discardTransaction(c);
  unwatchAll(c);
  c.reply.ok();
}

// WATCH key [key ...]
function watch(c: Client): void {
  if (c.inMulti) throw new CommandError('ERR WATCH inside MULTI is not allowed');
  for (let i = 1; i < c.argv.length; i++) watchKey(c, c.argv[i]);
  c.reply.ok();
}

// UNWATCH
function unwatch(c: Client): void {
  unwatchAll(c);
  c.reply.ok();
}

/** Redis's flags for MULTI, DISCARD, WATCH, UNWATCH. */
const BUSY_OK = ['noscript', 'loading', 'stale', 'fast', 'allow-busy'] as const;

export const transactionCommands: ClientCommand[] = [
  { needsClient: true, name: 'multi', arity: 1, flags: ['no-multi', ...BUSY_OK], keys: [0, 0, 0], handler: multi, categories: ['fast', 'transaction'] },
  { needsClient: true, name: 'exec', arity: 1, flags: ['no-multi', 'noscript', 'loading', 'stale', 'skip-slowlog'], keys: [0, 0, 0], handler: exec, categories: ['slow', 'transaction'] },
  { needsClient: true, name: 'discard', arity: 1, flags: ['no-multi', ...BUSY_OK], keys: [0, 0, 0], handler: discard, categories: ['fast', 'transaction'] },
  { needsClient: true, name: 'watch', arity: -2, flags: ['no-multi', ...BUSY_OK], keys: [1, -1, 1], handler: watch, categories: ['fast', 'transaction'] },
  // Unlike WATCH, UNWATCH is queued inside MULTI (it then runs in EXEC, where it changes nothing).
  { needsClient: true, name: 'unwatch', arity: 1, flags: BUSY_OK, keys: [0, 0, 0], handler: unwatch, categories: ['fast', 'transaction'] },
];
