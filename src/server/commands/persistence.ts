// Persistence commands: SAVE BGSAVE BGREWRITEAOF LASTSAVE, with Redis 7's
// replies. The work is in persistence/ (Server.persistence); one background
// job runs at a time, as Redis runs one child process.

import type { Client, ClientCommand } from '../client.js';
import { CommandError, SYNTAX } from '../errors.js';

// SAVE
function save(c: Client): void {
  const p = c.server.persistence;
  if (p.jobKind === 'save') throw new CommandError('ERR Background save already in progress');
  if (!p.saveNow()) throw new CommandError('ERR');
  c.reply.ok();
}

// BGSAVE [SCHEDULE]
function bgsave(c: Client): void {
  const p = c.server.persistence;
  let schedule = false;
  if (c.argv.length > 1) {
    if (c.argv.length === 2 && c.argv[1].toLowerCase() === 'schedule') schedule = true;
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
    c.reply.simple('Background saving scheduled');
    return;
  }
  p.startBgsave();
  c.reply.simple('Background saving started');
}

// BGREWRITEAOF
function bgrewriteaof(c: Client): void {
  const p = c.server.persistence;
  if (p.jobKind === 'rewrite') throw new CommandError('ERR Background append only file rewriting already in progress');
  if (p.jobKind === 'save') {
    p.rewriteScheduled = true;
    c.reply.simple('Background append only file rewriting scheduled');
    return;
  }
  p.startRewrite();
  c.reply.simple('Background append only file rewriting started');
}

// LASTSAVE
function lastsave(c: Client): void {
  c.reply.integer(c.server.persistence.lastSave);
}

const adminSlow = ['admin', 'slow', 'dangerous'] as const;

export const persistenceCommands: ClientCommand[] = [
  { needsClient: true, name: 'save', arity: 1, flags: ['admin', 'noscript', 'not-in-multi', 'no-async-loading'], keys: [0, 0, 0], handler: save, categories: adminSlow, summary: 'Writes a snapshot now, before replying.' },
  { needsClient: true, name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no-async-loading'], keys: [0, 0, 0], handler: bgsave, categories: adminSlow, summary: 'Starts writing a snapshot in the background.' },
  { needsClient: true, name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no-async-loading'], keys: [0, 0, 0], handler: bgrewriteaof, categories: adminSlow, summary: 'Compacts the append-only file in the background.' },
  { needsClient: true, name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], keys: [0, 0, 0], handler: lastsave, categories: ['admin', 'fast', 'dangerous'], summary: 'Tells when the last snapshot was written (Unix seconds).' },
];
