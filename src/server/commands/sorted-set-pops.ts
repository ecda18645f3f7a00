// Sorted-set pops (Redis's t_zset.c genericZpopCommand): ZPOPMIN, ZPOPMAX
// and their blocking forms BZPOPMIN, BZPOPMAX, which try at once like the
// plain pops, then wait on every key; a served wait is logged to the AOF as
// the equivalent plain pop.

import { parseBlockingTimeout } from '../blocking-timeout.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { SortedSet, type ZNode } from '../data/sorted-set.js';
import { CommandError, syntaxError } from '../errors.js';
import { NOTIFY_ZSET } from '../notifications.js';
import { parseInt64 } from '../numbers.js';

type End = 'min' | 'max';

/**
 * Pops up to `count` elements from one end of the non-empty zset at key and
 * writes them: with `emitKey` (BZPOP*) as [key, member, score]; otherwise
 * member-score pairs, flat, or nested in RESP3 when a count was given.
 */
function popGeneric(ctx: CommandContext, key: string, z: SortedSet, end: End, count: number, emitKey: boolean, nested: boolean): void {
  const reply = ctx.reply;
  const n = Math.min(count, z.size);
  if (emitKey) {
    reply.arrayLen(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayLen(nested ? n : n * 2);
  }
  for (let i = 0; i < n; i++) {
    const node = (end === 'min' ? z.first : z.last) as ZNode;
    z.delete(node.member);
    if (nested) reply.arrayLen(2);
    reply.bulk(node.member);
    reply.double(node.score);
  }
  ctx.db.modified(key);
  ctx.db.notifyRemoval(NOTIFY_ZSET, end === 'min' ? 'zpopmin' : 'zpopmax', key);
}

/** ZPOPMIN/ZPOPMAX key [count] */
function zpopGeneric(ctx: CommandContext, end: End): void {
  const argv = ctx.argv;
  if (argv.length > 3) throw syntaxError();
  let count = 1;
  const hasCount = argv.length === 3;
  if (hasCount) {
    const n = parseInt64(argv[2]);
    // Redis gives the range message for non-integers too.
    if (n === null || n < 0n) throw new CommandError('ERR value is out of range, must be positive');
    count = Number(n);
  }
  const key = argv[1];
  const z = ctx.db.getZset(key);
  if (z === undefined || count === 0) {
    ctx.reply.arrayLen(0);
    return;
  }
  popGeneric(ctx, key, z, end, count, false, hasCount && ctx.reply.protocol === 3);
}

/* ZPOPMIN key [count] */
function zpopmin(ctx: CommandContext): void {
  zpopGeneric(ctx, 'min');
}

/* ZPOPMAX key [count] */
function zpopmax(ctx: CommandContext): void {
  zpopGeneric(ctx, 'max');
}

/** BZPOPMIN/BZPOPMAX key [key ...] timeout */
function bzpopGeneric(ctx: CommandContext, end: End): void {
  const argv = ctx.argv;
  const timeoutMs = parseBlockingTimeout(argv[argv.length - 1]);
  const keys = argv.slice(1, -1);
  for (const key of keys) {
    const z = ctx.db.getZset(key);
    if (z === undefined || z.size === 0) continue;
    servePop(ctx, key, z, end);
    return;
  }
  // Inside MULTI/EXEC an empty wait is a timeout, whatever the timeout.
  if (ctx.mustNotBlock) {
    ctx.reply.nullArray();
    return;
  }
  ctx.block({
    keys,
    timeoutMs,
    tryServe(c, readyKey) {
      // The key may have been replaced by another type since it was signalled.
      const v = c.db.get(readyKey);
      if (!(v instanceof SortedSet) || v.size === 0) return false;
      servePop(c, readyKey, v, end);
      return true;
    },
  });
}

/** One BZPOP* pop, logged to the AOF as the equivalent ZPOPMIN/ZPOPMAX. */
function servePop(ctx: CommandContext, key: string, z: SortedSet, end: End): void {
  popGeneric(ctx, key, z, end, 1, true, false);
  ctx.propagate([end === 'min' ? 'ZPOPMIN' : 'ZPOPMAX', key]);
}

/* BZPOPMIN key [key ...] timeout */
function bzpopmin(ctx: CommandContext): void {
  bzpopGeneric(ctx, 'min');
}

/* BZPOPMAX key [key ...] timeout */
function bzpopmax(ctx: CommandContext): void {
  bzpopGeneric(ctx, 'max');
}

const zWriteFast = ['write', 'sortedset', 'fast'] as const;
const zBlocking = ['write', 'sortedset', 'fast', 'blocking'] as const;

export const sortedSetPopCommands: CommandSpec[] = [
  { name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmin, categories: zWriteFast, summary: 'Takes out and returns the members with the lowest scores.', syntax: 'key [count]' },
  { name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmax, categories: zWriteFast, summary: 'Takes out and returns the members with the highest scores.', syntax: 'key [count]' },
  { name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmin, categories: zBlocking, summary: 'Pops the lowest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
  { name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmax, categories: zBlocking, summary: 'Pops the highest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
];
