// Persistence commands: SAVE BGSAVE BGREWRITEAOF LASTSAVE, with Redis 7's
// replies. The work is in persistence/ (Server.persistence); one background
// job runs at a time, as Redis runs one child process.

import type { CommandContext, CommandSpec } from '../command.js';
import { CommandError, SYNTAX } from '../errors.js';
import type { Persistence } from '../persistence/index.js';
import { asClient } from './connection.js';

const persistenceOf = (ctx: CommandContext): Persistence => asClient(ctx).server.persistence;

// SAVE
function save(ctx: CommandContext): void {
  const p = persistenceOf(ctx);
  if (p.jobKind === 'save') throw new CommandError('ERR Background save already in progress');
  if (!p.saveNow()) throw new CommandError('ERR');
  ctx.reply.ok();
}

// BGSAVE [SCHEDULE]
function bgsave(ctx: CommandContext): void {
  const p = persistenceOf(ctx);
  let schedule = false;
  if (ctx.argv.length > 1) {
    if (ctx.argv.length === 2 && ctx.argv[1].toLowerCase() === 'schedule') schedule = true;
    else throw new CommandError(SYNTAX);
  }
  if (p.jobKind === 'save') throw new CommandError('ERR Background save already in progress');
  if (p.jobKind === 'rewrite') {
    if (!schedule) {
      throw new CommandError(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
    }
    p.bgsaveScheduled = true;
    ctx.reply.simple('Background saving scheduled');
    return;
  }
  p.startBgsave();
  ctx.reply.simple('Background saving started');
}

// BGREWRITEAOF
function bgrewriteaof(ctx: CommandContext): void {
  const p = persistenceOf(ctx);
  if (p.jobKind === 'rewrite') throw new CommandError('ERR Background append only file rewriting already in progress');
  if (p.jobKind === 'save') {
    p.rewriteScheduled = true;
    ctx.reply.simple('Background append only file rewriting scheduled');
    return;
  }
  p.startRewrite();
  ctx.reply.simple('Background append only file rewriting started');
}

// LASTSAVE
function lastsave(ctx: CommandContext): void {
  ctx.reply.integer(persistenceOf(ctx).lastSave);
}

const adminSlow = ['admin', 'slow', 'dangerous'] as const;

export const persistenceCommands: CommandSpec[] = [
  { name: 'save', arity: 1, flags: ['admin', 'noscript', 'not-in-multi', 'no-async-loading'], keys: [0, 0, 0], handler: save, categories: adminSlow, summary: 'Writes a snapshot now, before replying.' },
  { name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no-async-loading'], keys: [0, 0, 0], handler: bgsave, categories: adminSlow, summary: 'Starts writing a snapshot in the background.' },
  { name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no-async-loading'], keys: [0, 0, 0], handler: bgrewriteaof, categories: adminSlow, summary: 'Compacts the append-only file in the background.' },
  { name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], keys: [0, 0, 0], handler: lastsave, categories: ['admin', 'fast', 'dangerous'], summary: 'Tells when the last snapshot was written (Unix seconds).' },
];
