// Sorted-set commands (Redis's t_zset.c) over data/sorted-set.ts.
// One generic function per family, as in Redis: zaddGeneric (ZADD, ZINCRBY),
// zrangeGeneric (ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBYSCORE,
// Z[REV]RANGEBYLEX), zremrangeGeneric (ZREMRANGEBY*), popGeneric (ZPOPMIN,
// ZPOPMAX, BZPOPMIN, BZPOPMAX).

import { parseBlockingTimeout } from '../blocking-timeout.js';
import type { CommandContext, CommandSpec } from '../command.js';
import {
  LEX_MAX,
  LEX_MIN,
  SortedSet,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexEdge,
  type LexRange,
  type ScoreRange,
  type ZNode,
} from '../data/sorted-set.js';
import { CommandError, NOT_FLOAT, syntaxError } from '../errors.js';
import { formatDouble, parseDouble, parseInteger, parseInt64, parseStrtod } from '../numbers.js';
import { ZSET_MAX_LISTPACK_ENTRIES, parseRandomArgs, randomPicks, randomSample, replyScan, scanCollection } from './collection-helpers.js';
import { parseCursor } from '../scan-cursors.js';

// ---------------------------------------------------------------------------
// Argument parsing

/** A score argument of ZADD/ZINCRBY (Redis's string2d: no leading space, no NaN, no overflow). */
function parseScore(s: string): number {
  const d = parseDouble(s);
  if (d === null) throw new CommandError(NOT_FLOAT);
  return d;
}

const SCORE_RANGE_ERROR = 'ERR min or max is not a float';
const LEX_RANGE_ERROR = 'ERR min or max not valid string range item';

/** One end of a score range: "(" makes it exclusive; the rest is plain strtod (spaces, "", hex allowed). */
function parseScoreBound(s: string): { value: number; ex: boolean } {
  const ex = s[0] === '(';
  const value = parseStrtod(ex ? s.slice(1) : s);
  if (value === null) throw new CommandError(SCORE_RANGE_ERROR);
  return { value, ex };
}

/** "1.5", "(1.5", "-inf", "+inf" pairs (Redis's zslParseRange). */
function parseScoreRange(min: string, max: string): ScoreRange {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  return { min: lo.value, max: hi.value, minex: lo.ex, maxex: hi.ex };
}

function parseLexBound(s: string): { value: LexEdge; ex: boolean } {
  switch (s[0]) {
    case '+':
      if (s.length === 1) return { value: LEX_MAX, ex: true };
      break;
    case '-':
      if (s.length === 1) return { value: LEX_MIN, ex: true };
      break;
    case '(':
      return { value: s.slice(1), ex: true };
    case '[':
      return { value: s.slice(1), ex: false };
  }
  throw new CommandError(LEX_RANGE_ERROR);
}

/** "[a", "(a", "-", "+" pairs (Redis's zslParseLexRange). */
function parseLexRange(min: string, max: string): LexRange {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  return { min: lo.value, max: hi.value, minex: lo.ex, maxex: hi.ex };
}

// ---------------------------------------------------------------------------
// ZADD, ZINCRBY

/** ZADD and ZINCRBY: options, then score-member pairs. */
function zaddGeneric(ctx: CommandContext, incrCommand: boolean): void {
  const argv = ctx.argv;
  const argc = argv.length;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrCommand;
  let idx = 2;
  for (; idx < argc; idx++) {
    const opt = argv[idx];
    // Scores are never 2-4 letters, so cheap length test first.
    if (opt.length < 2 || opt.length > 4) break;
    const o = opt.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const elements = argc - idx;
  if (elements === 0 || (elements & 1) === 1) throw syntaxError();
  const pairs = elements >> 1;
  if (nx && xx) throw new CommandError('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new CommandError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && pairs > 1) throw new CommandError('ERR INCR option supports a single increment-element pair');
  // All scores first: the command applies fully or not at all.
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = parseScore(argv[idx + 2 * j]);

  const db = ctx.db;
  const key = argv[1];
  let z = db.getZset(key);
  if (z === undefined) {
    if (xx) {
      if (incr) ctx.reply.nullBulk();
      else ctx.reply.integer(0);
      return;
    }
    z = new SortedSet();
    db.add(key, z);
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  let result = 0;
  for (let j = 0; j < pairs; j++) {
    const member = argv[idx + 2 * j + 1];
    let score = scores[j];
    const current = z.score(member);
    if (current === undefined) {
      if (xx) continue;
      z.set(member, score);
      added++;
    } else {
      if (nx) continue;
      if (incr) {
        score += current;
        if (Number.isNaN(score)) throw new CommandError('ERR resulting score is not a number (NaN)');
      }
      if ((lt && score >= current) || (gt && score <= current)) continue;
      if (score !== current) {
        z.set(member, score);
        updated++;
      }
    }
    processed++;
    result = score;
  }
  if (added > 0 || updated > 0) db.modified(key);
  if (incr) {
    if (processed > 0) ctx.reply.double(result);
    else ctx.reply.nullBulk();
  } else {
    ctx.reply.integer(ch ? added + updated : added);
  }
}

/* ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
function zadd(ctx: CommandContext): void {
  zaddGeneric(ctx, false);
}

/* ZINCRBY key increment member */
function zincrby(ctx: CommandContext): void {
  zaddGeneric(ctx, true);
}

// ---------------------------------------------------------------------------
// Single-member reads and removal

/* ZREM key member [member ...] */
function zrem(ctx: CommandContext): void {
  const argv = ctx.argv;
  const key = argv[1];
  const z = ctx.db.getZset(key);
  let deleted = 0;
  if (z !== undefined) {
    for (let i = 2; i < argv.length && z.size > 0; i++) if (z.delete(argv[i])) deleted++;
    if (deleted > 0) ctx.db.modified(key);
  }
  ctx.reply.integer(deleted);
}

/* ZCARD key */
function zcard(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.getZset(ctx.argv[1])?.size ?? 0);
}

/* ZSCORE key member */
function zscore(ctx: CommandContext): void {
  const score = ctx.db.getZset(ctx.argv[1])?.score(ctx.argv[2]);
  if (score === undefined) ctx.reply.nullBulk();
  else ctx.reply.double(score);
}

/* ZMSCORE key member [member ...] */
function zmscore(ctx: CommandContext): void {
  const argv = ctx.argv;
  const z = ctx.db.getZset(argv[1]);
  const reply = ctx.reply;
  reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = z?.score(argv[i]);
    if (score === undefined) reply.nullBulk();
    else reply.double(score);
  }
}

function zrankGeneric(ctx: CommandContext, reverse: boolean): void {
  const z = ctx.db.getZset(ctx.argv[1]);
  const rank = z === undefined ? -1 : z.rank(ctx.argv[2], reverse);
  if (rank < 0) ctx.reply.nullBulk();
  else ctx.reply.integer(rank);
}

/* ZRANK key member */
function zrank(ctx: CommandContext): void {
  zrankGeneric(ctx, false);
}

/* ZREVRANK key member */
function zrevrank(ctx: CommandContext): void {
  zrankGeneric(ctx, true);
}

/* ZCOUNT key min max */
function zcount(ctx: CommandContext): void {
  const range = parseScoreRange(ctx.argv[2], ctx.argv[3]);
  ctx.reply.integer(ctx.db.getZset(ctx.argv[1])?.countInScoreRange(range) ?? 0);
}

/* ZLEXCOUNT key min max */
function zlexcount(ctx: CommandContext): void {
  const range = parseLexRange(ctx.argv[2], ctx.argv[3]);
  ctx.reply.integer(ctx.db.getZset(ctx.argv[1])?.countInLexRange(range) ?? 0);
}

// ---------------------------------------------------------------------------
// The ZRANGE family

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** Elements of z by 0-based rank start..end (negative counts from the end), in the given direction. */
function rangeByRank(z: SortedSet, start: number, end: number, reverse: boolean): ZNode[] {
  const len = z.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return [];
  if (end >= len) end = len - 1;
  const out: ZNode[] = new Array<ZNode>(end - start + 1);
  let n = z.byRank(reverse ? len - 1 - start : start);
  for (let i = 0; i < out.length && n !== null; i++) {
    out[i] = n;
    n = reverse ? n.prev : n.next;
  }
  return out;
}

/**
 * Walks from `first` while `inRange` holds, skipping `offset` elements and
 * taking at most `limit` (negative: no limit), as Redis's range loops: a
 * negative offset yields nothing.
 */
function walkRange(first: ZNode | null, reverse: boolean, offset: number, limit: number, inRange: (n: ZNode) => boolean): ZNode[] {
  const out: ZNode[] = [];
  if (offset < 0) return out;
  let n = first;
  for (; n !== null && offset > 0; offset--) n = reverse ? n.prev : n.next;
  for (; n !== null && limit !== 0 && inRange(n); limit--) {
    out.push(n);
    n = reverse ? n.prev : n.next;
  }
  return out;
}

/**
 * ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BYSCORE|BYLEX]: `src` is the
 * index of the source key, followed by min, max and the options. The legacy
 * commands fix the range type and direction; ZRANGE[STORE] takes them from
 * BYSCORE/BYLEX/REV.
 */
function zrangeGeneric(ctx: CommandContext, src: number, store: boolean, type: RangeType, direction: Direction): void {
  const argv = ctx.argv;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let j = src + 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const left = argv.length - j - 1;
    if (!store && opt === 'withscores') {
      withScores = true;
    } else if (opt === 'limit' && left >= 2) {
      offset = parseInteger(argv[j + 1]);
      limit = parseInteger(argv[j + 2]);
      hasLimit = limit !== -1;
      j += 2;
    } else if (direction === 'auto' && opt === 'rev') {
      direction = 'reverse';
    } else if (type === 'auto' && opt === 'bylex') {
      type = 'lex';
    } else if (type === 'auto' && opt === 'byscore') {
      type = 'score';
    } else {
      throw syntaxError();
    }
  }
  if (type === 'auto') type = 'rank';
  const reverse = direction === 'reverse';
  if (hasLimit && type === 'rank') {
    throw new CommandError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && type === 'lex') {
    throw new CommandError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  // Score and lex ranges are given as max, min when reversed.
  const minArg = reverse && type !== 'rank' ? argv[src + 2] : argv[src + 1];
  const maxArg = reverse && type !== 'rank' ? argv[src + 1] : argv[src + 2];
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === 'rank') {
    start = parseInteger(minArg);
    end = parseInteger(maxArg);
  } else if (type === 'score') {
    scoreRange = parseScoreRange(minArg, maxArg);
  } else {
    lexRange = parseLexRange(minArg, maxArg);
  }

  const z = ctx.db.getZset(argv[src]);
  let nodes: ZNode[];
  if (z === undefined) {
    nodes = [];
  } else if (scoreRange !== undefined) {
    const r = scoreRange;
    // Redis answers at once when the offset is past the end.
    nodes =
      offset > 0 && offset >= z.size
        ? []
        : reverse
          ? walkRange(z.lastInScoreRange(r), true, offset, limit, (n) => scoreGteMin(n.score, r))
          : walkRange(z.firstInScoreRange(r), false, offset, limit, (n) => scoreLteMax(n.score, r));
  } else if (lexRange !== undefined) {
    const r = lexRange;
    nodes = reverse
      ? walkRange(z.lastInLexRange(r), true, offset, limit, (n) => lexGteMin(n.member, r))
      : walkRange(z.firstInLexRange(r), false, offset, limit, (n) => lexLteMax(n.member, r));
  } else {
    nodes = rangeByRank(z, start, end, reverse);
  }

  if (store) {
    const dst = argv[1];
    if (nodes.length > 0) {
      const out = new SortedSet();
      for (const n of nodes) out.set(n.member, n.score);
      ctx.db.set(dst, out);
    } else {
      ctx.db.delete(dst);
    }
    ctx.reply.integer(nodes.length);
    return;
  }
  replyNodes(ctx, nodes, withScores);
}

/** Members, or member-score pairs: flat in RESP2, [member, score] arrays in RESP3. */
function replyNodes(ctx: CommandContext, nodes: readonly ZNode[], withScores: boolean): void {
  const reply = ctx.reply;
  if (!withScores) {
    reply.arrayLen(nodes.length);
    for (const n of nodes) reply.bulk(n.member);
    return;
  }
  const nested = reply.protocol === 3;
  reply.arrayLen(nested ? nodes.length : nodes.length * 2);
  for (const n of nodes) {
    if (nested) reply.arrayLen(2);
    reply.bulk(n.member);
    reply.double(n.score);
  }
}

/* ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrange(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'auto', 'auto');
}

/* ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestore(ctx: CommandContext): void {
  zrangeGeneric(ctx, 2, true, 'auto', 'auto');
}

/* ZREVRANGE key start stop [WITHSCORES] */
function zrevrange(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'rank', 'reverse');
}

/* ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscore(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'score', 'forward');
}

/* ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscore(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'score', 'reverse');
}

/* ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylex(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'lex', 'forward');
}

/* ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylex(ctx: CommandContext): void {
  zrangeGeneric(ctx, 1, false, 'lex', 'reverse');
}

// ---------------------------------------------------------------------------
// ZREMRANGEBY*

function zremrangeGeneric(ctx: CommandContext, type: 'rank' | 'score' | 'lex'): void {
  const [, key, minArg, maxArg] = ctx.argv;
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === 'rank') {
    start = parseInteger(minArg);
    end = parseInteger(maxArg);
  } else if (type === 'score') {
    scoreRange = parseScoreRange(minArg, maxArg);
  } else {
    lexRange = parseLexRange(minArg, maxArg);
  }
  const z = ctx.db.getZset(key);
  if (z === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let deleted: number;
  if (scoreRange !== undefined) {
    deleted = z.deleteRangeByScore(scoreRange);
  } else if (lexRange !== undefined) {
    deleted = z.deleteRangeByLex(lexRange);
  } else {
    const len = z.size;
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      ctx.reply.integer(0);
      return;
    }
    if (end >= len) end = len - 1;
    deleted = z.deleteRangeByRank(start, end);
  }
  if (deleted > 0) ctx.db.modified(key);
  ctx.reply.integer(deleted);
}

/* ZREMRANGEBYRANK key start stop */
function zremrangebyrank(ctx: CommandContext): void {
  zremrangeGeneric(ctx, 'rank');
}

/* ZREMRANGEBYSCORE key min max */
function zremrangebyscore(ctx: CommandContext): void {
  zremrangeGeneric(ctx, 'score');
}

/* ZREMRANGEBYLEX key min max */
function zremrangebylex(ctx: CommandContext): void {
  zremrangeGeneric(ctx, 'lex');
}

// ---------------------------------------------------------------------------
// Pops, blocking and not

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

// ---------------------------------------------------------------------------
// ZRANDMEMBER, ZSCAN

/* ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmember(ctx: CommandContext): void {
  const argv = ctx.argv;
  const reply = ctx.reply;
  if (argv.length === 2) {
    const z = ctx.db.getZset(argv[1]);
    if (z === undefined || z.size === 0) reply.nullBulk();
    else reply.bulk((z.byRank(Math.floor(Math.random() * z.size)) as ZNode).member);
    return;
  }
  const { count, withPairs: withScores } = parseRandomArgs(argv, 'withscores');
  const z = ctx.db.getZset(argv[1]);
  if (z === undefined || count === 0) {
    reply.arrayLen(0);
    return;
  }
  const all = [...z];
  // Negative count: independent picks; positive: distinct members, or all of
  // them when count >= size, highest first (Redis walks the set from its end).
  const nodes = count < 0 ? randomPicks(all, -count) : count >= all.length ? all.reverse() : randomSample(all, count);
  replyNodes(ctx, nodes, withScores);
}

/* ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscan(ctx: CommandContext): void {
  const argv = ctx.argv;
  parseCursor(argv[2]);
  const z = ctx.db.getZset(argv[1]);
  if (z === undefined) {
    replyScan(ctx, []);
    return;
  }
  // A listpack keeps a small sorted set in score order.
  const byScore = function* () {
    for (const n of z) yield n.member;
  };
  scanCollection(ctx, z, z.size, ZSET_MAX_LISTPACK_ENTRIES, () => z.members(), byScore, (member) => {
    const score = z.score(member);
    return score === undefined ? undefined : formatDouble(score);
  });
}

// ---------------------------------------------------------------------------

const zWriteFast = ['write', 'sortedset', 'fast'] as const;
const zWriteSlow = ['write', 'sortedset', 'slow'] as const;
const zReadFast = ['read', 'sortedset', 'fast'] as const;
const zReadSlow = ['read', 'sortedset', 'slow'] as const;
const zBlocking = ['write', 'sortedset', 'fast', 'blocking'] as const;

export const sortedSetCommands: CommandSpec[] = [
  { name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: zadd, categories: zWriteFast, summary: 'Puts scored members into a sorted set, creating it when missing; options control updates.', syntax: 'key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]' },
  { name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: zincrby, categories: zWriteFast, summary: 'Adds to a member\'s score, inserting the member when missing.', syntax: 'key increment member' },
  { name: 'zrem', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zrem, categories: zWriteFast, summary: 'Takes members out of a sorted set; an emptied set disappears.', syntax: 'key member [member ...]' },
  { name: 'zcard', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zcard, categories: zReadFast, summary: 'Counts the members of a sorted set.', syntax: 'key' },
  { name: 'zscore', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zscore, categories: zReadFast, summary: 'Reads one member\'s score.', syntax: 'key member' },
  { name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zmscore, categories: zReadFast, summary: 'Reads the scores of several members, with nil for absent ones.', syntax: 'key member [member ...]' },
  { name: 'zrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zrank, categories: zReadFast, summary: 'Gives a member\'s position counting from the lowest score.', syntax: 'key member' },
  { name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zrevrank, categories: zReadFast, summary: 'Gives a member\'s position counting from the highest score.', syntax: 'key member' },
  { name: 'zcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zcount, categories: zReadFast, summary: 'Counts members whose scores fall between two bounds.', syntax: 'key min max' },
  { name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: zlexcount, categories: zReadFast, summary: 'Counts members whose names fall between two bounds (equal scores assumed).', syntax: 'key min max' },
  { name: 'zrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrange, categories: zReadSlow, summary: 'Lists members by position, score or name bounds, in either direction.', syntax: 'key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]' },
  { name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], keys: [1, 2, 1], handler: zrangestore, categories: zWriteSlow, summary: 'Like ZRANGE, but saves the selection as a new sorted set.', syntax: 'dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]' },
  { name: 'zrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrangebyscore, categories: zReadSlow, summary: 'Lists members whose scores fall between two bounds, lowest first.', syntax: 'key min max [WITHSCORES] [LIMIT offset count]' },
  { name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrevrangebyscore, categories: zReadSlow, summary: 'Lists members whose scores fall between two bounds, highest first.', syntax: 'key max min [WITHSCORES] [LIMIT offset count]' },
  { name: 'zrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrangebylex, categories: zReadSlow, summary: 'Lists members whose names fall between two bounds, in name order.', syntax: 'key min max [LIMIT offset count]' },
  { name: 'zrevrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrevrangebylex, categories: zReadSlow, summary: 'Lists members whose names fall between two bounds, in reverse name order.', syntax: 'key max min [LIMIT offset count]' },
  { name: 'zrevrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: zrevrange, categories: zReadSlow, summary: 'Lists members by position, highest score first.', syntax: 'key start stop [WITHSCORES]' },
  { name: 'zremrangebyscore', arity: 4, flags: ['write'], keys: [1, 1, 1], handler: zremrangebyscore, categories: zWriteSlow, summary: 'Drops members whose scores fall between two bounds.', syntax: 'key min max' },
  { name: 'zremrangebyrank', arity: 4, flags: ['write'], keys: [1, 1, 1], handler: zremrangebyrank, categories: zWriteSlow, summary: 'Drops members whose positions fall between two bounds.', syntax: 'key start stop' },
  { name: 'zremrangebylex', arity: 4, flags: ['write'], keys: [1, 1, 1], handler: zremrangebylex, categories: zWriteSlow, summary: 'Drops members whose names fall between two bounds.', syntax: 'key min max' },
  { name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmin, categories: zWriteFast, summary: 'Takes out and returns the members with the lowest scores.', syntax: 'key [count]' },
  { name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: zpopmax, categories: zWriteFast, summary: 'Takes out and returns the members with the highest scores.', syntax: 'key [count]' },
  { name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmin, categories: zBlocking, summary: 'Pops the lowest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
  { name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], handler: bzpopmax, categories: zBlocking, summary: 'Pops the highest-scored member of the first non-empty sorted set, waiting for one if needed.', syntax: 'key [key ...] timeout' },
  { name: 'zrandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], handler: zrandmember, categories: zReadSlow, summary: 'Picks random members of a sorted set, optionally with their scores.', syntax: 'key [count [WITHSCORES]]' },
  { name: 'zscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: zscan, categories: zReadSlow, summary: 'Walks the members and scores of a sorted set in batches using a cursor.', syntax: 'key cursor [MATCH pattern] [COUNT count]' },
];
