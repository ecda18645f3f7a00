// OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP: what Redis 7.0 reports
// about a key's value. Encodings follow each value's history of writes
// (data/hash.ts, data/set.ts, data/sorted-set.ts, data/string-encoding.ts);
// a 7.0 list is always a quicklist and a stream a stream. Lookups do not
// count as accesses (Redis's LOOKUP_NOTOUCH), so OBJECT IDLETIME can be asked
// twice.

import type { CommandContext, CommandSpec } from '../command.js';
import { Deque } from '../data/deque.js';
import { encodingOfText, isSharedInteger, SHARED_REFCOUNT, type StringEncoding } from '../data/string-encoding.js';
import { StreamValue } from '../data/stream.js';
import type { Database, Value } from '../database.js';
import { CommandError } from '../errors.js';
import { containerCommand } from './subcommands.js';

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** The value at argv[2] without touching it, or undefined after replying null. */
function lookup(ctx: CommandContext): Value | undefined {
  const v = ctx.db.peek(ctx.argv[2]);
  if (v === undefined) ctx.reply.nullBulk();
  return v;
}

/** The encoding of the string value at key: what its last write recorded, else what its text gives. */
export function stringEncodingOf(db: Database, key: string, v: string): StringEncoding {
  return db.stringEncoding(key) ?? encodingOfText(v);
}

/** Redis's OBJECT ENCODING name for the value at key. */
export function objectEncoding(db: Database, key: string, v: Value): string {
  if (typeof v === 'string') return stringEncodingOf(db, key, v);
  if (v instanceof Deque) return 'quicklist';
  if (v instanceof StreamValue) return 'stream';
  return v.encoding;
}

// OBJECT ENCODING key
function objectEncodingCommand(ctx: CommandContext): void {
  const v = lookup(ctx);
  if (v !== undefined) ctx.reply.bulk(objectEncoding(ctx.db, ctx.argv[2], v));
}

// OBJECT REFCOUNT key: 1, or INT_MAX for the shared integers 0..9999 SET stores.
function objectRefcount(ctx: CommandContext): void {
  const v = lookup(ctx);
  if (v === undefined) return;
  const shared = typeof v === 'string' && ctx.db.stringEncoding(ctx.argv[2]) === undefined && isSharedInteger(v);
  ctx.reply.integer(shared ? SHARED_REFCOUNT : 1);
}

// OBJECT IDLETIME key
function objectIdletime(ctx: CommandContext): void {
  if (lookup(ctx) !== undefined) ctx.reply.integer(ctx.db.idleSeconds(ctx.argv[2]) ?? 0);
}

// OBJECT FREQ key: simpledb never evicts (maxmemory-policy noeviction), so no LFU counters exist.
function objectFreq(ctx: CommandContext): void {
  if (lookup(ctx) === undefined) return;
  throw new CommandError(
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  );
}

const KEY2 = [2, 2, 1] as const;

const object = containerCommand(
  'object',
  [
    { name: 'encoding', arity: 3, keys: KEY2, handler: objectEncodingCommand },
    { name: 'freq', arity: 3, keys: KEY2, handler: objectFreq },
    { name: 'idletime', arity: 3, keys: KEY2, handler: objectIdletime },
    { name: 'refcount', arity: 3, keys: KEY2, handler: objectRefcount },
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      categories: ['keyspace', 'slow'],
      handler: (ctx) => {
        ctx.reply.arrayLen(OBJECT_HELP.length);
        for (const l of OBJECT_HELP) ctx.reply.simple(l);
      },
    },
  ],
  { flags: ['readonly'], categories: ['keyspace', 'read', 'slow'] },
);

export const objectCommands: CommandSpec[] = [
  { ...object, summary: 'Inspects the internals of a key: encoding, reference count, idle time.', syntax: 'ENCODING|FREQ|IDLETIME|REFCOUNT|HELP ...' },
];
