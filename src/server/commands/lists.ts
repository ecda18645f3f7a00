// List commands, after Redis 7.0's t_list.c: pushes and pops at both ends,
// ranges and indexes, LPOS, moves between lists and LMPOP. The blocking
// forms are in list-blocking.ts; what both share in list-common.ts.
//
// A list is a Deque of binary strings. Redis never keeps an empty list:
// every write ends with db.modified(key), which deletes a list that became
// empty, invalidates WATCH, and wakes clients blocked on the key.

import type { CommandContext, CommandSpec } from '../command.js';
import { Deque } from '../data/deque.js';
import { CommandError, NO_SUCH_KEY, NOT_INTEGER, OUT_OF_RANGE, SYNTAX, wrongArity } from '../errors.js';
import { NOTIFY_LIST } from '../notifications.js';
import { parseInt64, parseInteger } from '../numbers.js';
import { parseLongAtLeast } from './collection-helpers.js';
import { lmoveGeneric, mpopServe, parseEnd, parseMpop, popRangeReply } from './list-common.js';

const POP_COUNT_RANGE = 'ERR value is out of range, must be positive';
const LPOS_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
const INT64_MIN = -(2n ** 63n);

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
  db.notify(NOTIFY_LIST, left ? 'lpush' : 'rpush', key);
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
  db.notifyRemoval(NOTIFY_LIST, left ? 'lpop' : 'rpop', key);
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
  const list = ctx.db.readList(argv[1]);
  const range = list === undefined ? null : clipRange(start, end, list.length);
  if (range === null || list === undefined) {
    reply.arrayLen(0);
    return;
  }
  reply.arrayLen(range[1] - range[0] + 1);
  for (let i = range[0]; i <= range[1]; i++) reply.bulk(list.at(i) as string);
}

function lindex(ctx: CommandContext): void {
  const list = ctx.db.readList(ctx.argv[1]);
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
  db.notify(NOTIFY_LIST, 'lset', argv[1]);
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
    db.notifyRemoval(NOTIFY_LIST, 'ltrim', argv[1]);
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
  if (removed > 0) {
    db.modified(argv[1]);
    db.notifyRemoval(NOTIFY_LIST, 'lrem', argv[1]);
  }
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
  db.notify(NOTIFY_LIST, 'linsert', argv[1]);
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

  const list = ctx.db.readList(argv[1]);
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
  const list = ctx.db.readList(ctx.argv[1]);
  ctx.reply.integer(list === undefined ? 0 : list.length);
}

// ---------------------------------------------------------------------------
// Moves between lists

// ---------------------------------------------------------------------------
// Multi-key pops

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
];
