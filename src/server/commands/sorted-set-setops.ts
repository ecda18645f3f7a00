// Sorted-set algebra, after Redis 7.0's zunionInterDiffGenericCommand
// (t_zset.c): ZUNION, ZINTER, ZDIFF and their STORE forms, and ZINTERCARD.
// Plain sets are accepted as inputs, every member scoring 1.
//
// The details that show in replies follow Redis: inputs are read (and
// type-checked) before the options are parsed; union and intersection visit
// the inputs from the smallest to the largest (a stable sort, so ties keep
// their order), which fixes the order in which SUM adds floating-point
// scores; a NaN from inf * 0 or inf + -inf counts as 0. A reply is built
// in a skip list, which keeps -0; a stored result is a small listpack-sized
// set, where -0 becomes 0 (SortedSet does that).

import type { CommandContext, CommandSpec } from '../command.js';
import { SetValue } from '../data/set.js';
import { SortedSet } from '../data/sorted-set.js';
import { CommandError, NOT_INTEGER, syntaxError, wrongTypeError } from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../notifications.js';
import { parseDouble, parseInt64 } from '../numbers.js';

type Op = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** One input: a sorted set, a set, or nothing (a missing key is an empty input). */
interface Source {
  value: SortedSet | SetValue | null;
  weight: number;
}

/** A member of the result and its score, kept as computed (-0 included). */
interface Scored {
  member: string;
  score: number;
}

function sizeOf(s: Source): number {
  return s.value === null ? 0 : s.value.size;
}

/** The member's score in s (1 for a set member), or undefined when absent. */
function scoreIn(s: Source, member: string): number | undefined {
  const v = s.value;
  if (v === null) return undefined;
  if (v instanceof SortedSet) return v.score(member);
  return v.has(member) ? 1 : undefined;
}

/** Calls fn for each member of s with its score (1 for a set member). */
function forEachMember(s: Source, fn: (member: string, score: number) => boolean | void): void {
  const v = s.value;
  if (v === null) return;
  if (v instanceof SortedSet) {
    for (const node of v) if (fn(node.member, node.score) === false) return;
  } else {
    for (const member of v) if (fn(member, 1) === false) return;
  }
}

/** Redis's zunionInterAggregate. */
function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/** weight * score, with NaN (inf * 0) as 0. */
function weighted(s: Source, score: number): number {
  const v = s.weight * score;
  return Number.isNaN(v) ? 0 : v;
}

interface Options {
  aggregate: Aggregate;
  withScores: boolean;
  /** ZINTERCARD's LIMIT; 0 for none. */
  limit: number;
}

/** Redis's order of checks: numkeys, key count, the inputs' types, then the options. */
function parseInputs(
  ctx: CommandContext,
  numkeysIndex: number,
  op: Op,
  store: boolean,
  cardinalityOnly: boolean,
): { sources: Source[]; options: Options } {
  const { argv, db } = ctx;
  const setnum = parseInt64(argv[numkeysIndex]);
  if (setnum === null) throw new CommandError(NOT_INTEGER);
  if (setnum < 1n) throw new CommandError(`ERR at least 1 input key is needed for '${argv[0].toLowerCase()}' command`);
  if (setnum > BigInt(argv.length - (numkeysIndex + 1))) throw syntaxError();
  const n = Number(setnum);
  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < n; i++, j++) {
    const v = db.read(argv[j]);
    if (v === undefined) sources.push({ value: null, weight: 1 });
    else if (v instanceof SortedSet || v instanceof SetValue) sources.push({ value: v, weight: 1 });
    else throw wrongTypeError();
  }
  const options: Options = { aggregate: 'sum', withScores: false, limit: 0 };
  const scoring = op !== 'diff' && !cardinalityOnly;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const opt = argv[j].toLowerCase();
    if (scoring && remaining >= n + 1 && opt === 'weights') {
      j++;
      for (let i = 0; i < n; i++, j++) {
        const w = parseDouble(argv[j]);
        if (w === null) throw new CommandError('ERR weight value is not a float');
        sources[i].weight = w;
      }
    } else if (scoring && remaining >= 2 && opt === 'aggregate') {
      const how = argv[j + 1].toLowerCase();
      if (how !== 'sum' && how !== 'min' && how !== 'max') throw syntaxError();
      options.aggregate = how;
      j += 2;
    } else if (!store && !cardinalityOnly && opt === 'withscores') {
      options.withScores = true;
      j++;
    } else if (cardinalityOnly && remaining >= 2 && opt === 'limit') {
      const limit = parseInt64(argv[j + 1]);
      if (limit === null || limit < 0n) throw new CommandError("ERR LIMIT can't be negative");
      options.limit = limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
      j += 2;
    } else {
      throw syntaxError();
    }
  }
  return { sources, options };
}

/** The intersection's members with their aggregated scores; with cardinalityOnly, just how many (up to limit). */
function intersect(sources: Source[], how: Aggregate, cardinalityOnly: boolean, limit: number): Scored[] | number {
  const out: Scored[] = [];
  let count = 0;
  const first = sources[0];
  if (sizeOf(first) === 0) return cardinalityOnly ? 0 : out;
  forEachMember(first, (member, score) => {
    let total = weighted(first, score);
    for (let j = 1; j < sources.length; j++) {
      const found = scoreIn(sources[j], member);
      if (found === undefined) return;
      total = aggregate(total, sources[j].weight * found, how);
    }
    if (cardinalityOnly) {
      count++;
      if (limit !== 0 && count >= limit) return false;
    } else {
      out.push({ member, score: total });
    }
  });
  return cardinalityOnly ? count : out;
}

function union(sources: Source[], how: Aggregate): Scored[] {
  const acc = new Map<string, number>();
  for (const s of sources) {
    forEachMember(s, (member, score) => {
      const value = weighted(s, score);
      const seen = acc.get(member);
      acc.set(member, seen === undefined ? value : aggregate(seen, value, how));
    });
  }
  const out: Scored[] = [];
  for (const [member, score] of acc) out.push({ member, score });
  return out;
}

/** The first input's members that no other input has, with the first input's scores. */
function difference(sources: Source[]): Scored[] {
  const out: Scored[] = [];
  const first = sources[0];
  for (let j = 1; j < sources.length; j++) if (first.value !== null && sources[j].value === first.value) return out;
  forEachMember(first, (member, score) => {
    for (let j = 1; j < sources.length; j++) if (scoreIn(sources[j], member) !== undefined) return;
    out.push({ member, score });
  });
  return out;
}

/** Skip-list order: by score, then by member bytes. */
function byScoreThenMember(a: Scored, b: Scored): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

/** The event a STORE form publishes on its destination. */
const STORE_EVENTS: Record<Op, string> = { union: 'zunionstore', inter: 'zinterstore', diff: 'zdiffstore' };

/**
 * ZUNION/ZINTER/ZDIFF (dst null, numkeys at argv[1]), their STORE forms
 * (dst argv[1], numkeys at argv[2]) and ZINTERCARD (cardinalityOnly).
 */
function zsetOpGeneric(ctx: CommandContext, op: Op, store: boolean, cardinalityOnly = false): void {
  const { sources, options } = parseInputs(ctx, store ? 2 : 1, op, store, cardinalityOnly);
  if (op !== 'diff') sources.sort((a, b) => sizeOf(a) - sizeOf(b));
  let result: Scored[];
  if (op === 'inter') {
    const r = intersect(sources, options.aggregate, cardinalityOnly, options.limit);
    if (typeof r === 'number') {
      ctx.reply.integer(r);
      return;
    }
    result = r;
  } else {
    result = op === 'union' ? union(sources, options.aggregate) : difference(sources);
  }
  const { db, reply } = ctx;
  if (store) {
    const dst = ctx.argv[1];
    // An empty result deletes the destination ("del" only if it existed).
    if (result.length === 0) {
      reply.integer(0);
      if (db.delete(dst)) db.notify(NOTIFY_GENERIC, 'del', dst);
      return;
    }
    const z = new SortedSet();
    z.listpack = false;
    for (const { member, score } of result) z.set(member, score);
    z.recomputeEncoding(db.limits);
    db.set(dst, z);
    reply.integer(z.size);
    db.notify(NOTIFY_ZSET, STORE_EVENTS[op], dst);
    return;
  }
  result.sort(byScoreThenMember);
  const nested = options.withScores && reply.protocol === 3;
  reply.arrayLen(options.withScores && !nested ? result.length * 2 : result.length);
  for (const { member, score } of result) {
    if (nested) reply.arrayLen(2);
    reply.bulk(member);
    if (options.withScores) reply.double(score);
  }
}

const STORE_FLAGS = ['write', 'denyoom', 'movablekeys'] as const;
const READ_FLAGS = ['readonly', 'movablekeys'] as const;
const WRITE_SLOW = ['write', 'sortedset', 'slow'] as const;
const READ_SLOW = ['read', 'sortedset', 'slow'] as const;
const SCORED = '[WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]';

export const sortedSetAlgebraCommands: CommandSpec[] = [
  // ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
  { name: 'zunionstore', arity: -4, flags: STORE_FLAGS, keys: [1, 1, 1], categories: WRITE_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'union', true), summary: 'Stores the union of sorted sets (or sets) in a key.', syntax: `destination numkeys key [key ...] ${SCORED}` },
  // ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
  { name: 'zinterstore', arity: -4, flags: STORE_FLAGS, keys: [1, 1, 1], categories: WRITE_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'inter', true), summary: 'Stores the intersection of sorted sets (or sets) in a key.', syntax: `destination numkeys key [key ...] ${SCORED}` },
  // ZDIFFSTORE destination numkeys key [key ...]
  { name: 'zdiffstore', arity: -4, flags: STORE_FLAGS, keys: [1, 1, 1], categories: WRITE_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'diff', true), summary: 'Stores the members of the first sorted set that the others lack.', syntax: 'destination numkeys key [key ...]' },
  // ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
  { name: 'zunion', arity: -3, flags: READ_FLAGS, keys: [0, 0, 0], categories: READ_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'union', false), summary: 'Returns the union of sorted sets (or sets).', syntax: `numkeys key [key ...] ${SCORED} [WITHSCORES]` },
  // ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
  { name: 'zinter', arity: -3, flags: READ_FLAGS, keys: [0, 0, 0], categories: READ_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'inter', false), summary: 'Returns the intersection of sorted sets (or sets).', syntax: `numkeys key [key ...] ${SCORED} [WITHSCORES]` },
  // ZDIFF numkeys key [key ...] [WITHSCORES]
  { name: 'zdiff', arity: -3, flags: READ_FLAGS, keys: [0, 0, 0], categories: READ_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'diff', false), summary: 'Returns the members of the first sorted set that the others lack.', syntax: 'numkeys key [key ...] [WITHSCORES]' },
  // ZINTERCARD numkeys key [key ...] [LIMIT limit]
  { name: 'zintercard', arity: -3, flags: READ_FLAGS, keys: [0, 0, 0], categories: READ_SLOW, handler: (ctx) => zsetOpGeneric(ctx, 'inter', false, true), summary: 'Counts the members of the intersection of sorted sets (or sets), up to a limit.', syntax: 'numkeys key [key ...] [LIMIT limit]' },
];
