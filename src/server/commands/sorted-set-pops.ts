// Sorted-set pops (Redis's t_zset.c genericZpopCommand): ZPOPMIN, ZPOPMAX,
// ZMPOP and the blocking forms BZPOPMIN, BZPOPMAX, BZMPOP, which try at
// once like the plain pops, then wait on every key. Every pop is logged to
// the AOF as the equivalent ZPOPMIN/ZPOPMAX (with the count it popped).

import { parseBlockingTimeout } from '../blocking-timeout.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { SortedSet, type ZNode } from '../data/sorted-set.js';
import { CommandError, syntaxError } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { parseMultiPop } from './collection-helpers.js';

type End = 'min' | 'max';

/**
 * How popped elements are written: member-score pairs flat (ZPOP*, and
 * with a count in RESP2) or nested (with a count in RESP3), [key, member,
 * score] (BZPOP*), or [key, [[member, score]...]] (ZMPOP, BZMPOP).
 */
type Shape = 'flat' | 'nested' | 'key' | 'key-nested';

/** Pops up to `count` elements from one end of the non-empty zset at key and writes them in `shape`. */
function popGeneric(ctx: CommandContext, key: string, z: SortedSet, end: End, count: number, shape: Shape): void {
  const reply = ctx.reply;
  const n = Math.min(count, z.size);
  const nested = shape === 'nested' || shape === 'key-nested';
  if (shape === 'key') {
    reply.arrayLen(n * 2 + 1);
    reply.bulk(key);
  } else if (shape === 'key-nested') {
    reply.arrayLen(2);
    reply.bulk(key);
    reply.arrayLen(n);
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
  popGeneric(ctx, key, z, end, count, hasCount && ctx.reply.protocol === 3 ? 'nested' : 'flat');
}

/* ZPOPMIN key [count] */
function zpopmin(ctx: CommandContext): void {
  zpopGeneric(ctx, 'min');
}

/* ZPOPMAX key [count] */
function zpopmax(ctx: CommandContext): void {
  zpopGeneric(ctx, 'max');
}

/**
 * BZPOPMIN, BZPOPMAX (count -1: one element, [key, member, score]) and
 * BZMPOP (a count: [key, [[member, score]...]]): pop from the first
 * non-empty key, else wait on all of them.
 */
function blockingPopGeneric(ctx: CommandContext, keys: readonly string[], end: End, timeoutArg: string, count: number): void {
  const timeoutMs = parseBlockingTimeout(timeoutArg);
  for (const key of keys) {
    const z = ctx.db.getZset(key);
    if (z === undefined || z.size === 0) continue;
    servePop(ctx, key, z, end, count);
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
      servePop(c, readyKey, v, end, count);
      return true;
    },
  });
}

/** One pop for BZPOP* (count -1), ZMPOP or BZMPOP, logged as the equivalent ZPOPMIN/ZPOPMAX. */
function servePop(ctx: CommandContext, key: string, z: SortedSet, end: End, count: number): void {
  const command = end === 'min' ? 'ZPOPMIN' : 'ZPOPMAX';
  if (count === -1) {
    popGeneric(ctx, key, z, end, 1, 'key');
    ctx.propagate([command, key]);
    return;
  }
  const popped = Math.min(count, z.size);
  popGeneric(ctx, key, z, end, count, 'key-nested');
  ctx.propagate([command, key, String(popped)]);
}

/* BZPOPMIN key [key ...] timeout */
function bzpopmin(ctx: CommandContext): void {
  blockingPopGeneric(ctx, ctx.argv.slice(1, -1), 'min', ctx.argv[ctx.argv.length - 1], -1);
}

/* BZPOPMAX key [key ...] timeout */
function bzpopmax(ctx: CommandContext): void {
  blockingPopGeneric(ctx, ctx.argv.slice(1, -1), 'max', ctx.argv[ctx.argv.length - 1], -1);
}

/* ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpop(ctx: CommandContext): void {
  const { keys, first, count } = parseMultiPop(ctx.argv, 1, 'min', 'max');
  // The first key that exists decides: it must be a sorted set (Redis never keeps an empty one).
  for (const key of keys) {
    const z = ctx.db.getZset(key);
    if (z === undefined) continue;
    servePop(ctx, key, z, first ? 'min' : 'max', count);
    return;
  }
  ctx.reply.nullArray();
}

/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpop(ctx: CommandContext): void {
  const { keys, first, count } = parseMultiPop(ctx.argv, 2, 'min', 'max');
  blockingPopGeneric(ctx, keys, first ? 'min' : 'max', ctx.argv[1], count);
}

const zWriteFast = ['write', 'sortedset', 'fast'] as const;
const zBlocking = ['write', 'sortedset', 'fast', 'blocking'] as const;
const zWriteSlow = ['write', 'sortedset', 'slow'] as const;

export const sortedSetPopCommands: CommandSpec[] = [
  { name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmin, categories: zWriteFast, summary: 'Takes out and returns the members with the lowest scores.', syntax: 'key [count]' },
  { name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmax, categories: zWriteFast, summary: 'Takes out and returns the members with the highest scores.', syntax: 'key [count]' },
  { name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmin, categories: zBlocking, summary: 'Pops the lowest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
  { name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmax, categories: zBlocking, summary: 'Pops the highest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
  { name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], keys: [0, 0, 0], handler: zmpop, categories: zWriteSlow, summary: 'Pops members with the lowest or highest scores from the first non-empty sorted set among several.', syntax: 'numkeys key [key ...] MIN|MAX [COUNT count]' },
  { name: 'bzmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], keys: [0, 0, 0], handler: bzmpop, categories: [...zWriteSlow, 'blocking'], summary: 'Pops members with the lowest or highest scores from the first non-empty sorted set among several, waiting for one if needed.', syntax: 'timeout numkeys key [key ...] MIN|MAX [COUNT count]' },
];
