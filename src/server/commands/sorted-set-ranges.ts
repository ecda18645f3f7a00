// The ZRANGE family and ZREMRANGEBY* (Redis's t_zset.c): one generic
// function each, as in Redis. zrangeGeneric serves ZRANGE, ZRANGESTORE,
// ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX; zremrangeGeneric
// ZREMRANGEBYRANK/SCORE/LEX.

import type { CommandContext, CommandSpec } from '../command.js';
import { SortedSet, lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, type LexRange, type ScoreRange, type ZNode } from '../data/sorted-set.js';
import { CommandError, syntaxError } from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../notifications.js';
import { parseInteger } from '../numbers.js';
import { parseLexRange, parseScoreRange, replyNodes } from './sorted-set-common.js';

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

  const z = ctx.db.readZset(argv[src]);
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
      // As zrangeResultBeginStore: a rank range knows its length and starts in
      // the encoding that needs; a score or lex range starts as a listpack.
      // Members are then added as ZADD adds them (a listpack turns -0 into 0).
      const limits = ctx.db.limits;
      const out = new SortedSet();
      if (type === 'rank' && nodes.length > limits.zsetMaxListpackEntries) out.listpack = false;
      for (const n of nodes) {
        out.checkAdding(limits, n.member);
        out.set(n.member, n.score);
      }
      ctx.db.set(dst, out);
      ctx.db.notify(NOTIFY_ZSET, 'zrangestore', dst);
    } else if (ctx.db.delete(dst)) {
      ctx.db.notify(NOTIFY_GENERIC, 'del', dst);
    }
    ctx.reply.integer(nodes.length);
    return;
  }
  replyNodes(ctx, nodes, withScores);
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
  if (deleted > 0) {
    ctx.db.modified(key);
    ctx.db.notifyRemoval(NOTIFY_ZSET, type === 'rank' ? 'zremrangebyrank' : type === 'score' ? 'zremrangebyscore' : 'zremrangebylex', key);
  }
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

const zWriteSlow = ['write', 'sortedset', 'slow'] as const;
const zReadSlow = ['read', 'sortedset', 'slow'] as const;

export const sortedSetRangeCommands: CommandSpec[] = [
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
];
