// The blocking list commands, after Redis 7.0's t_list.c: BLPOP, BRPOP,
// BLMPOP, BLMOVE and BRPOPLPUSH.
//
// They first try to serve at once, exactly like their non-blocking forms.
// Only when every key is missing do they block through ctx.block(); the
// core calls tryServe() when one of the keys is written, in the order the
// clients blocked. Served pops are propagated as their non-blocking
// equivalents (BLPOP as LPOP, BLMOVE as LMOVE...).

import type { CommandContext, CommandSpec } from '../command.js';
import { parseBlockingTimeout } from '../blocking-timeout.js';
import { Deque } from '../data/deque.js';
import { WRONGTYPE } from '../errors.js';
import { lmoveGeneric, moveElement, mpopServe, nonEmptyList, parseEnd, parseMpop, popOneServe } from './list-common.js';

const BLOCKING = ['write', 'list', 'slow', 'blocking'] as const;

/** BLMOVE and BRPOPLPUSH: move at once, or wait on the source. */
function blockingMove(ctx: CommandContext, fromLeft: boolean, toLeft: boolean, timeoutArg: string): void {
  const { argv, db } = ctx;
  const timeoutMs = parseBlockingTimeout(timeoutArg);
  const src = argv[1];
  const dst = argv[2];
  const isRpoplpush = argv.length === 4;
  if (db.getList(src) !== undefined) {
    lmoveGeneric(ctx, fromLeft, toLeft);
    ctx.propagate(isRpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, argv[3], argv[4]]);
    return;
  }
  if (ctx.mustNotBlock) {
    // Unlike the pops, the non-blocking answer of a move is the nil bulk.
    ctx.reply.nullBulk();
    return;
  }
  ctx.block({
    keys: [src],
    timeoutMs,
    tryServe(c) {
      const srcList = nonEmptyList(c, src);
      if (srcList === undefined) return false;
      const dstValue = c.db.get(dst);
      if (dstValue !== undefined && !(dstValue instanceof Deque)) {
        // Redis unblocks the client with the error and pops nothing.
        c.reply.error(WRONGTYPE);
        return true;
      }
      c.propagate(isRpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, fromLeft ? 'left' : 'right', toLeft ? 'left' : 'right']);
      moveElement(c, src, srcList, dst, dstValue, fromLeft, toLeft);
      return true;
    },
  });
}

/** Keys without repeats, in first-seen order (a client waits once per key). */
function uniqueKeys(keys: readonly string[]): string[] {
  return keys.length === 1 ? [keys[0]] : [...new Set(keys)];
}

/**
 * BLPOP, BRPOP, BLMPOP: pop from the first non-empty key, else block on all
 * of them. count -1 is the single-element reply [key, element]; otherwise
 * the BLMPOP reply [key, [elements]].
 */
function blockingPop(ctx: CommandContext, keys: readonly string[], left: boolean, timeoutArg: string, count: number): void {
  const timeoutMs = parseBlockingTimeout(timeoutArg);
  for (const key of keys) {
    const list = ctx.db.getList(key);
    if (list === undefined || list.length === 0) continue;
    if (count === -1) popOneServe(ctx, key, list, left);
    else mpopServe(ctx, key, list, left, count);
    return;
  }
  if (ctx.mustNotBlock) {
    ctx.reply.nullArray();
    return;
  }
  ctx.block({
    keys: uniqueKeys(keys),
    timeoutMs,
    tryServe(c, readyKey) {
      const list = nonEmptyList(c, readyKey);
      if (list === undefined) return false;
      if (count === -1) popOneServe(c, readyKey, list, left);
      else mpopServe(c, readyKey, list, left, count);
      return true;
    },
  });
}

export const listBlockingCommands: CommandSpec[] = [
  // BLPOP key [key ...] timeout
  {
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], categories: BLOCKING,
    summary: 'Pops the first element of the first non-empty list, waiting for one if needed.', syntax: 'key [key ...] timeout',
    handler: (ctx) => blockingPop(ctx, ctx.argv.slice(1, -1), true, ctx.argv[ctx.argv.length - 1], -1),
  },
  // BRPOP key [key ...] timeout
  {
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], categories: BLOCKING,
    summary: 'Pops the last element of the first non-empty list, waiting for one if needed.', syntax: 'key [key ...] timeout',
    handler: (ctx) => blockingPop(ctx, ctx.argv.slice(1, -1), false, ctx.argv[ctx.argv.length - 1], -1),
  },
  // BRPOPLPUSH source destination timeout
  {
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], categories: BLOCKING,
    summary: 'Moves the last element of a list to the head of another, waiting for one if needed.', syntax: 'source destination timeout',
    handler: (ctx) => blockingMove(ctx, false, true, ctx.argv[3]),
  },
  // BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
  {
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], categories: BLOCKING,
    summary: 'Moves an element between lists, waiting for one if needed.', syntax: 'source destination LEFT|RIGHT LEFT|RIGHT timeout',
    handler: (ctx) => {
      const fromLeft = parseEnd(ctx.argv[3]);
      const toLeft = parseEnd(ctx.argv[4]);
      blockingMove(ctx, fromLeft, toLeft, ctx.argv[5]);
    },
  },
  // BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
  {
    name: 'blmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], keys: [0, 0, 0], categories: BLOCKING,
    summary: 'Pops elements from the first non-empty list among several, waiting for one if needed.',
    syntax: 'timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]',
    handler: (ctx) => {
      const { keys, left, count } = parseMpop(ctx.argv, 2);
      blockingPop(ctx, keys, left, ctx.argv[1], count);
    },
  },
];
