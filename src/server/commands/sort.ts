// SORT and SORT_RO, after Redis 7.0's sort.c: sorts a list, set or sorted
// set numerically or with ALPHA, by the elements themselves or by weights
// found through a BY pattern ("w_*", "h_*->field"; a pattern without "*"
// does not sort at all), cuts with LIMIT, replaces elements with GET
// patterns ("#" is the element), and with STORE (SORT only) saves the
// result as a list.
//
// What shows in replies follows Redis: options are parsed before the key's
// type is checked; a numeric sort breaks ties by comparing the elements, an
// ALPHA sort by BY weights keeps the input order of ties (a stable sort, as
// glibc's qsort is: a list's order; for a set or sorted set Redis's input
// order is its hash table's, which simpledb does not reproduce), and
// missing weights sort first; a weight that is not
// a number fails the whole command after the sort; an unsorted set is
// sorted ALPHA anyway when stored, so that the stored list is
// deterministic. The byte order of ALPHA is C's (strcoll under the C
// locale Redis runs with).

import type { CommandContext, CommandSpec } from '../command.js';
import { Deque } from '../data/deque.js';
import { SetValue } from '../data/set.js';
import { SortedSet } from '../data/sorted-set.js';
import type { Database } from '../database.js';
import { CommandError, NOT_INTEGER, syntaxError, wrongTypeError } from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../notifications.js';
import { parseInt64, parseSortWeight } from '../numbers.js';

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  by: string | null;
  /** BY without "*": keep the elements' own order. */
  dontSort: boolean;
  get: string[];
  store: string | null;
}

/** A LIMIT argument: a long, clamped to safe integers (Redis clamps it to the object's size right after). */
function parseLimit(s: string): number {
  const n = parseInt64(s);
  if (n === null) throw new CommandError(NOT_INTEGER);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(n > max ? max : n < -max ? -max : n);
}

function parseOptions(argv: readonly string[], readonly: boolean): SortOptions {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, by: null, dontSort: false, get: [], store: null };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j].toLowerCase();
    if (opt === 'asc') o.desc = false;
    else if (opt === 'desc') o.desc = true;
    else if (opt === 'alpha') o.alpha = true;
    else if (opt === 'limit' && left >= 2) {
      o.limitStart = parseLimit(argv[j + 1]);
      o.limitCount = parseLimit(argv[j + 2]);
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      o.store = argv[++j];
    } else if (opt === 'by' && left >= 1) {
      o.by = argv[++j];
      // Once a constant BY was seen, nothing is sorted (a later BY does not undo it, as in Redis).
      if (!o.by.includes('*')) o.dontSort = true;
    } else if (opt === 'get' && left >= 1) {
      o.get.push(argv[++j]);
    } else {
      throw syntaxError();
    }
  }
  return o;
}

/**
 * Redis's lookupKeyByPattern: "#" is the element; otherwise the first "*"
 * is replaced by it, and "->field" after the "*" reads a hash field. Null
 * when the pattern has no "*", or the key is missing or of another type.
 */
function lookupByPattern(db: Database, pattern: string, element: string): string | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const field = arrow >= 0 && arrow + 2 < pattern.length ? pattern.slice(arrow + 2) : null;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, field === null ? pattern.length : arrow);
  const v = db.read(key);
  if (v === undefined) return null;
  if (field !== null) return v instanceof Map ? (v.get(field) ?? null) : null;
  return typeof v === 'string' ? v : null;
}

/** What gets sorted: an element, and its numeric score or ALPHA weight. */
interface Item {
  element: string;
  score: number;
  /** BY ... ALPHA: the weight (null when missing). */
  weight: string | null;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Redis's sortCompare. */
function comparator(o: SortOptions): (a: Item, b: Item) => number {
  const sign = o.desc ? -1 : 1;
  if (!o.alpha) return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element));
  if (o.by === null) return (a, b) => sign * compareBytes(a.element, b.element);
  return (a, b) => {
    if (a.weight === null || b.weight === null) return sign * (a.weight === b.weight ? 0 : a.weight === null ? -1 : 1);
    return sign * compareBytes(a.weight, b.weight);
  };
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination] */
/* SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] */
function sortGeneric(ctx: CommandContext, readonly: boolean): void {
  const { argv, db } = ctx;
  const o = parseOptions(argv, readonly);
  const value = db.read(argv[1]);
  if (value !== undefined && !(value instanceof Deque) && !(value instanceof SetValue) && !(value instanceof SortedSet)) throw wrongTypeError();
  // An unsorted set has no order worth storing: sort it ALPHA.
  if (o.dontSort && value instanceof SetValue && o.store !== null) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  const size = value === undefined ? 0 : value instanceof Deque ? value.length : value.size;
  // LIMIT as sort.c clamps it.
  let start = Math.min(Math.max(o.limitStart, 0), size);
  const count = Math.min(Math.max(o.limitCount, -1), size);
  let end = count < 0 ? size - 1 : start + count - 1;
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;

  let elements: string[];
  if (o.dontSort && (value instanceof Deque || value instanceof SortedSet)) {
    // The native order, read from the right end for DESC, only the range asked for.
    elements = [];
    for (let i = start; i <= end; i++) {
      const at = o.desc ? size - 1 - i : i;
      elements.push(value instanceof Deque ? value.at(at)! : value.byRank(at)!.member);
    }
    end -= start;
    start = 0;
  } else if (value === undefined) {
    elements = [];
  } else if (value instanceof Deque) {
    elements = [...value];
  } else {
    elements = [...value.members()];
  }

  let badWeight = false;
  if (!o.dontSort) {
    const items: Item[] = elements.map((element) => ({ element, score: 0, weight: null }));
    for (const item of items) {
      let by: string | null = item.element;
      if (o.by !== null) {
        by = lookupByPattern(db, o.by, item.element);
        if (by === null) continue;
      }
      if (o.alpha) {
        if (o.by !== null) item.weight = by;
      } else {
        const score = parseSortWeight(by);
        if (score === null) badWeight = true;
        else item.score = score;
      }
    }
    items.sort(comparator(o));
    elements = items.map((i) => i.element);
  }
  if (badWeight) throw new CommandError("ERR One or more scores can't be converted into double");

  const reply = ctx.reply;
  const picked = end >= start ? elements.slice(start, end + 1) : [];
  const outputLen = o.get.length !== 0 ? o.get.length * picked.length : picked.length;
  if (o.store === null) {
    reply.arrayLen(outputLen);
    for (const element of picked) {
      if (o.get.length === 0) reply.bulk(element);
      for (const pattern of o.get) {
        const v = lookupByPattern(db, pattern, element);
        if (v === null) reply.nullBulk();
        else reply.bulk(v);
      }
    }
    return;
  }
  const list = new Deque<string>();
  for (const element of picked) {
    if (o.get.length === 0) list.pushBack(element);
    for (const pattern of o.get) list.pushBack(lookupByPattern(db, pattern, element) ?? '');
  }
  if (outputLen !== 0) {
    db.set(o.store, list);
    // Redis counts one change per stored element.
    db.addDirty(outputLen - 1);
    // Redis files the stored result under the list class.
    db.notify(NOTIFY_LIST, 'sortstore', o.store);
  } else if (db.delete(o.store)) {
    db.notify(NOTIFY_GENERIC, 'del', o.store);
  }
  reply.integer(outputLen);
}

const SYNTAX = 'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]';

export const sortCommands: CommandSpec[] = [
  {
    name: 'sort', arity: -2, flags: ['write', 'denyoom', 'movablekeys'], keys: [1, 1, 1],
    categories: ['write', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
    summary: 'Sorts a list, set or sorted set (numerically, or ALPHA), optionally by weights in other keys, with LIMIT, GET and STORE.',
    syntax: `${SYNTAX} [STORE destination]`,
    handler: (ctx) => sortGeneric(ctx, false),
  },
  {
    name: 'sort_ro', arity: -2, flags: ['readonly', 'movablekeys'], keys: [1, 1, 1],
    categories: ['read', 'set', 'sortedset', 'list', 'slow', 'dangerous'],
    summary: 'SORT without STORE, for read-only connections.',
    syntax: SYNTAX,
    handler: (ctx) => sortGeneric(ctx, true),
  },
];
