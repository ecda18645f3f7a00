// List commands, after Redis 7.0's t_list.c: pushes and pops at both ends,
// ranges and indexes, LPOS, moves between lists, and the blocking pops.
//
// A list is a Deque of binary strings. Redis never keeps an empty list:
// every write ends with db.modified(key), which deletes a list that became
// empty, invalidates WATCH, and wakes clients blocked on the key.
//
// Blocking commands first try to serve at once, exactly like their
// non-blocking forms. Only when every key is missing do they block through
// ctx.block(); the core calls tryServe() when one of the keys is written,
// in the order the clients blocked. Served pops are propagated as their
// non-blocking equivalents (BLPOP as LPOP, BLMOVE as LMOVE...).

import type { CommandContext, CommandSpec } from '../command.js';
import { parseBlockingTimeout } from '../blocking-timeout.js';
import { Deque } from '../data/deque.js';
import type { ListValue } from '../database.js';
import { CommandError, NO_SUCH_KEY, NOT_INTEGER, OUT_OF_RANGE, SYNTAX, WRONGTYPE, wrongArity } from '../errors.js';
import { parseInt64, parseInteger } from '../numbers.js';

const POP_COUNT_RANGE = 'ERR value is out of range, must be positive';
const NUMKEYS_RANGE = 'ERR numkeys should be greater than 0';
const MPOP_COUNT_RANGE = 'ERR count should be greater than 0';
const LPOS_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
const INT64_MIN = -(2n ** 63n);

/** Parses a long that must be >= min; `message` is the error for both bad syntax and range. */
function parseLongAtLeast(s: string, min: number, message: string): number {
  const n = parseInt64(s);
  if (n === null || n < BigInt(min)) throw new CommandError(message);
  return Number(n);
}

/** LEFT or RIGHT (any case): true for LEFT. */
function parseEnd(s: string): boolean {
  const lower = s.toLowerCase();
  if (lower === 'left') return true;
  if (lower === 'right') return false;
  throw new CommandError(SYNTAX);
}

/** A value that is a list with at least one element, or undefined (missing key, wrong type, empty). */
function nonEmptyList(ctx: CommandContext, key: string): ListValue | undefined {
  const v = ctx.db.get(key);
  return v instanceof Deque && v.length > 0 ? v : undefined;
}

/** Replies with up to count elements popped from one end, as an array, and deletes an emptied list. */
function popRangeReply(ctx: CommandContext, list: ListValue, left: boolean, count: number): number {
  const n = Math.min(count, list.length);
  const reply = ctx.reply;
  reply.arrayLen(n);
  if (left) for (let i = 0; i < n; i++) reply.bulk(list.popFront() as string);
  else for (let i = 0; i < n; i++) reply.bulk(list.popBack() as string);
  return n;
}

/** LMPOP/BLMPOP's reply: [key, [elements...]]; propagated as LPOP/RPOP key n. */
function mpopServe(ctx: CommandContext, key: string, list: ListValue, left: boolean, count: number): void {
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(key);
  const n = popRangeReply(ctx, list, left, count);
  ctx.propagate([left ? 'LPOP' : 'RPOP', key, String(n)]);
  ctx.db.modified(key);
}

/** BLPOP/BRPOP's reply: [key, element]; propagated as LPOP/RPOP key. */
function popOneServe(ctx: CommandContext, key: string, list: ListValue, left: boolean): void {
  const value = (left ? list.popFront() : list.popBack()) as string;
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(key);
  ctx.reply.bulk(value);
  ctx.propagate([left ? 'LPOP' : 'RPOP', key]);
  ctx.db.modified(key);
}

/** Moves one element from src to dst (both lists; dst may be missing) and replies with it. */
function moveElement(ctx: CommandContext, src: string, srcList: ListValue, dst: string, dstList: ListValue | undefined, fromLeft: boolean, toLeft: boolean): void {
  const value = (fromLeft ? srcList.popFront() : srcList.popBack()) as string;
  if (dstList === undefined) {
    dstList = new Deque<string>();
    ctx.db.add(dst, dstList);
  }
  if (toLeft) dstList.pushFront(value);
  else dstList.pushBack(value);
  ctx.reply.bulk(value);
  ctx.db.modified(dst);
  if (src !== dst) ctx.db.modified(src);
}

// ---------------------------------------------------------------------------
// Push and pop

/** LPUSH, RPUSH, LPUSHX, RPUSHX: `onlyIfExists` is the X forms. */
function pushGeneric(ctx: CommandContext, left: boolean, onlyIfExists: boolean): void {
  const { argv, db } = ctx;
  const key = argv[1];
  let list = db.getList(key);
  if (list === undefined) {
    if (onlyIfExists) {
      ctx.reply.integer(0);
      return;
    }
    list = new Deque<string>();
    db.add(key, list);
  }
  if (left) for (let i = 2; i < argv.length; i++) list.pushFront(argv[i]);
  else for (let i = 2; i < argv.length; i++) list.pushBack(argv[i]);
  ctx.reply.integer(list.length);
  db.modified(key);
}

/** LPOP, RPOP: one element as a bulk, or with a count an array (nil array when the key is missing). */
function popGeneric(ctx: CommandContext, left: boolean): void {
  const { argv, db, reply } = ctx;
  if (argv.length > 3) throw new CommandError(wrongArity(argv[0]));
  const key = argv[1];
  const hasCount = argv.length === 3;
  const count = hasCount ? parseLongAtLeast(argv[2], 0, POP_COUNT_RANGE) : 0;
  const list = db.getList(key);
  if (list === undefined) {
    if (hasCount) reply.nullArray();
    else reply.nullBulk();
    return;
  }
  if (!hasCount) {
    reply.bulk((left ? list.popFront() : list.popBack()) as string);
  } else if (count === 0) {
    reply.arrayLen(0);
    return;
  } else {
    popRangeReply(ctx, list, left, count);
  }
  db.modified(key);
}

// ---------------------------------------------------------------------------
// Reading and editing in place

/** LRANGE/LPOS-style index normalisation: [start, end] clipped to the list, or null when empty. */
function clipRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function lrange(ctx: CommandContext): void {
  const { argv, reply } = ctx;
  const start = parseInteger(argv[2]);
  const end = parseInteger(argv[3]);
  const list = ctx.db.getList(argv[1]);
  const range = list === undefined ? null : clipRange(start, end, list.length);
  if (range === null || list === undefined) {
    reply.arrayLen(0);
    return;
  }
  reply.arrayLen(range[1] - range[0] + 1);
  for (let i = range[0]; i <= range[1]; i++) reply.bulk(list.at(i) as string);
}

function lindex(ctx: CommandContext): void {
  const list = ctx.db.getList(ctx.argv[1]);
  if (list === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const index = parseInteger(ctx.argv[2]);
  ctx.reply.bulkOrNull(list.at(index < 0 ? list.length + index : index));
}

function lset(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const list = db.getList(argv[1]);
  if (list === undefined) throw new CommandError(NO_SUCH_KEY);
  let index = parseInteger(argv[2]);
  if (index < 0) index += list.length;
  if (index < 0 || index >= list.length) throw new CommandError(OUT_OF_RANGE);
  list.set(index, argv[3]);
  ctx.reply.ok();
  db.modified(argv[1]);
}

function ltrim(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const start = parseInteger(argv[2]);
  const end = parseInteger(argv[3]);
  const list = db.getList(argv[1]);
  if (list !== undefined) {
    const len = list.length;
    const range = clipRange(start, end, len);
    if (range === null) list.dropFront(len);
    else {
      list.dropBack(len - range[1] - 1);
      list.dropFront(range[0]);
    }
    // Redis signals the key even when nothing was trimmed.
    db.modified(argv[1]);
  }
  ctx.reply.ok();
}

function lrem(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const count = parseInteger(argv[2]);
  const list = db.getList(argv[1]);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const removed = list.removeValue(argv[3], Math.abs(count), count < 0);
  ctx.reply.integer(removed);
  if (removed > 0) db.modified(argv[1]);
}

function linsert(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const where = argv[2].toLowerCase();
  if (where !== 'before' && where !== 'after') throw new CommandError(SYNTAX);
  const list = db.getList(argv[1]);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const pivot = list.indexOf(argv[3]);
  if (pivot < 0) {
    ctx.reply.integer(-1);
    return;
  }
  list.insert(where === 'after' ? pivot + 1 : pivot, argv[4]);
  ctx.reply.integer(list.length);
  db.modified(argv[1]);
}

function lpos(ctx: CommandContext): void {
  const { argv, reply } = ctx;
  const element = argv[2];
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  // RANK -9223372036854775808 cannot be negated in Redis: it searches from
  // the tail, matches from the first hit on, and COUNT never stops it.
  let rankMin = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j < argv.length - 1;
    if (opt === 'rank' && more) {
      const n = parseInt64(argv[++j]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n === 0n) throw new CommandError(LPOS_RANK_ZERO);
      rankMin = n === INT64_MIN;
      rank = Number(n);
    } else if (opt === 'count' && more) {
      count = parseLongAtLeast(argv[++j], 0, LPOS_COUNT_NEGATIVE);
    } else if (opt === 'maxlen' && more) {
      maxlen = parseLongAtLeast(argv[++j], 0, LPOS_MAXLEN_NEGATIVE);
    } else {
      throw new CommandError(SYNTAX);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = rankMin ? 1 : -rank;
  const limit = rankMin ? 0 : count;

  const list = ctx.db.getList(argv[1]);
  if (list === undefined) {
    if (count !== -1) reply.arrayLen(0);
    else reply.nullBulk();
    return;
  }
  const len = list.length;
  const scan = maxlen === 0 ? len : Math.min(maxlen, len);
  const found: number[] = [];
  let matches = 0;
  for (let i = 0; i < scan; i++) {
    const index = fromTail ? len - 1 - i : i;
    if (list.at(index) !== element) continue;
    matches++;
    if (matches < rank) continue;
    found.push(index);
    if (count === -1 || (limit !== 0 && found.length >= limit)) break;
  }
  if (count === -1) {
    if (found.length > 0) reply.integer(found[0]);
    else reply.nullBulk();
    return;
  }
  reply.arrayLen(found.length);
  for (const index of found) reply.integer(index);
}

function llen(ctx: CommandContext): void {
  const list = ctx.db.getList(ctx.argv[1]);
  ctx.reply.integer(list === undefined ? 0 : list.length);
}

// ---------------------------------------------------------------------------
// Moves between lists

/** RPOPLPUSH and LMOVE: nil when the source is missing; WRONGTYPE for the destination leaves the source untouched. */
function lmoveGeneric(ctx: CommandContext, fromLeft: boolean, toLeft: boolean): boolean {
  const { argv, db } = ctx;
  const src = argv[1];
  const dst = argv[2];
  const srcList = db.getList(src);
  if (srcList === undefined) {
    ctx.reply.nullBulk();
    return false;
  }
  const dstList = db.getList(dst);
  moveElement(ctx, src, srcList, dst, dstList, fromLeft, toLeft);
  return true;
}

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

// ---------------------------------------------------------------------------
// Blocking and multi-key pops

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

/** LMPOP and BLMPOP arguments from numkeysIdx on: numkeys key... LEFT|RIGHT [COUNT count]. */
function parseMpop(argv: readonly string[], numkeysIdx: number): { keys: string[]; left: boolean; count: number } {
  const numkeys = parseLongAtLeast(argv[numkeysIdx], 1, NUMKEYS_RANGE);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new CommandError(SYNTAX);
  const left = parseEnd(argv[whereIdx]);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && j < argv.length - 1 && argv[j].toLowerCase() === 'count') {
      count = parseLongAtLeast(argv[++j], 1, MPOP_COUNT_RANGE);
    } else {
      throw new CommandError(SYNTAX);
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), left, count: count === -1 ? 1 : count };
}

function lmpop(ctx: CommandContext): void {
  const { keys, left, count } = parseMpop(ctx.argv, 1);
  for (const key of keys) {
    const list = ctx.db.getList(key);
    if (list === undefined || list.length === 0) continue;
    mpopServe(ctx, key, list, left, count);
    return;
  }
  ctx.reply.nullArray();
}

// ---------------------------------------------------------------------------
// The table

const WRITE_FAST = ['write', 'list', 'fast'] as const;
const WRITE_SLOW = ['write', 'list', 'slow'] as const;
const READ_SLOW = ['read', 'list', 'slow'] as const;
const BLOCKING = ['write', 'list', 'slow', 'blocking'] as const;

export const listCommands: CommandSpec[] = [
  // LPUSH key element [element ...]
  {
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Inserts elements at the head of a list, creating it when missing.', syntax: 'key element [element ...]',
    handler: (ctx) => pushGeneric(ctx, true, false),
  },
  // RPUSH key element [element ...]
  {
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Appends elements to the tail of a list, creating it when missing.', syntax: 'key element [element ...]',
    handler: (ctx) => pushGeneric(ctx, false, false),
  },
  // LPUSHX key element [element ...]
  {
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Inserts elements at the head of a list that already exists.', syntax: 'key element [element ...]',
    handler: (ctx) => pushGeneric(ctx, true, true),
  },
  // RPUSHX key element [element ...]
  {
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Appends elements to the tail of a list that already exists.', syntax: 'key element [element ...]',
    handler: (ctx) => pushGeneric(ctx, false, true),
  },
  // LPOP key [count]
  {
    name: 'lpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Removes and returns the first elements of a list.', syntax: 'key [count]',
    handler: (ctx) => popGeneric(ctx, true),
  },
  // RPOP key [count]
  {
    name: 'rpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], categories: WRITE_FAST,
    summary: 'Removes and returns the last elements of a list.', syntax: 'key [count]',
    handler: (ctx) => popGeneric(ctx, false),
  },
  // LLEN key
  {
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], categories: ['read', 'list', 'fast'],
    summary: 'Returns the number of elements of a list.', syntax: 'key',
    handler: llen,
  },
  // LRANGE key start stop
  {
    name: 'lrange', arity: 4, flags: ['readonly'], keys: [1, 1, 1], categories: READ_SLOW,
    summary: 'Returns the elements between two indexes of a list.', syntax: 'key start stop',
    handler: lrange,
  },
  // LINDEX key index
  {
    name: 'lindex', arity: 3, flags: ['readonly'], keys: [1, 1, 1], categories: READ_SLOW,
    summary: 'Returns the element at an index of a list.', syntax: 'key index',
    handler: lindex,
  },
  // LSET key index element
  {
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], categories: WRITE_SLOW,
    summary: 'Replaces the element at an index of a list.', syntax: 'key index element',
    handler: lset,
  },
  // LREM key count element
  {
    name: 'lrem', arity: 4, flags: ['write'], keys: [1, 1, 1], categories: WRITE_SLOW,
    summary: 'Removes occurrences of an element from a list.', syntax: 'key count element',
    handler: lrem,
  },
  // LTRIM key start stop
  {
    name: 'ltrim', arity: 4, flags: ['write'], keys: [1, 1, 1], categories: WRITE_SLOW,
    summary: 'Keeps only the elements between two indexes of a list.', syntax: 'key start stop',
    handler: ltrim,
  },
  // LINSERT key BEFORE|AFTER pivot element
  {
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], keys: [1, 1, 1], categories: WRITE_SLOW,
    summary: 'Inserts an element before or after the first occurrence of another.', syntax: 'key BEFORE|AFTER pivot element',
    handler: linsert,
  },
  // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
  {
    name: 'lpos', arity: -3, flags: ['readonly'], keys: [1, 1, 1], categories: READ_SLOW,
    summary: 'Returns the indexes of the elements equal to a value.', syntax: 'key element [RANK rank] [COUNT num-matches] [MAXLEN len]',
    handler: lpos,
  },
  // RPOPLPUSH source destination
  {
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], keys: [1, 2, 1], categories: WRITE_SLOW,
    summary: 'Moves the last element of a list to the head of another.', syntax: 'source destination',
    handler: (ctx) => void lmoveGeneric(ctx, false, true),
  },
  // LMOVE source destination LEFT|RIGHT LEFT|RIGHT
  {
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], keys: [1, 2, 1], categories: WRITE_SLOW,
    summary: 'Moves an element from one end of a list to one end of another.', syntax: 'source destination LEFT|RIGHT LEFT|RIGHT',
    handler: (ctx) => {
      const fromLeft = parseEnd(ctx.argv[3]);
      const toLeft = parseEnd(ctx.argv[4]);
      lmoveGeneric(ctx, fromLeft, toLeft);
    },
  },
  // LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
  {
    name: 'lmpop', arity: -4, flags: ['write', 'movablekeys'], keys: [0, 0, 0], categories: WRITE_SLOW,
    summary: 'Pops elements from the first non-empty list among several.', syntax: 'numkeys key [key ...] LEFT|RIGHT [COUNT count]',
    handler: lmpop,
  },
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
