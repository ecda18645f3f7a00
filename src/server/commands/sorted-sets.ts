// Sorted-set commands (Redis's t_zset.c) over data/sorted-set.ts: ZADD and
// ZINCRBY (one zaddGeneric, as in Redis), single-member reads and removal,
// ZCOUNT, ZLEXCOUNT, ZRANDMEMBER and ZSCAN. The ZRANGE family and
// ZREMRANGEBY* are in sorted-set-ranges.ts, the pops in sorted-set-pops.ts.

import type { CommandContext, CommandSpec } from '../command.js';
import { SortedSet, type ZNode } from '../data/sorted-set.js';
import { CommandError, syntaxError } from '../errors.js';
import { NOTIFY_ZSET } from '../notifications.js';
import { formatDouble } from '../numbers.js';
import { parseRandomArgs, randomPicks, randomSample, replyScan, scanCollection } from './collection-helpers.js';
import { parseCursor } from '../scan-cursors.js';
import { parseLexRange, parseScore, parseScoreRange, replyNodes } from './sorted-set-common.js';

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
      z.checkAdding(db.limits, member);
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
  if (added > 0 || updated > 0) {
    db.modified(key);
    db.notify(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key);
  }
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
    if (deleted > 0) {
      ctx.db.modified(key);
      ctx.db.notifyRemoval(NOTIFY_ZSET, 'zrem', key);
    }
  }
  ctx.reply.integer(deleted);
}

/* ZCARD key */
function zcard(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readZset(ctx.argv[1])?.size ?? 0);
}

/* ZSCORE key member */
function zscore(ctx: CommandContext): void {
  const score = ctx.db.readZset(ctx.argv[1])?.score(ctx.argv[2]);
  if (score === undefined) ctx.reply.nullBulk();
  else ctx.reply.double(score);
}

/* ZMSCORE key member [member ...] */
function zmscore(ctx: CommandContext): void {
  const argv = ctx.argv;
  const z = ctx.db.readZset(argv[1]);
  const reply = ctx.reply;
  reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = z?.score(argv[i]);
    if (score === undefined) reply.nullBulk();
    else reply.double(score);
  }
}

function zrankGeneric(ctx: CommandContext, reverse: boolean): void {
  const z = ctx.db.readZset(ctx.argv[1]);
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
  ctx.reply.integer(ctx.db.readZset(ctx.argv[1])?.countInScoreRange(range) ?? 0);
}

/* ZLEXCOUNT key min max */
function zlexcount(ctx: CommandContext): void {
  const range = parseLexRange(ctx.argv[2], ctx.argv[3]);
  ctx.reply.integer(ctx.db.readZset(ctx.argv[1])?.countInLexRange(range) ?? 0);
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER, ZSCAN

/* ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmember(ctx: CommandContext): void {
  const argv = ctx.argv;
  const reply = ctx.reply;
  if (argv.length === 2) {
    const z = ctx.db.readZset(argv[1]);
    if (z === undefined || z.size === 0) reply.nullBulk();
    else reply.bulk((z.byRank(Math.floor(Math.random() * z.size)) as ZNode).member);
    return;
  }
  const { count, withPairs: withScores } = parseRandomArgs(argv, 'withscores');
  const z = ctx.db.readZset(argv[1]);
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
  const z = ctx.db.readZset(argv[1]);
  if (z === undefined) {
    replyScan(ctx, []);
    return;
  }
  // A listpack keeps a small sorted set in score order.
  const byScore = function* () {
    for (const n of z) yield n.member;
  };
  scanCollection(ctx, z, z.listpack, () => z.members(), byScore, (member) => {
    const score = z.score(member);
    return score === undefined ? undefined : formatDouble(score);
  });
}

// ---------------------------------------------------------------------------

const zWriteFast = ['write', 'sortedset', 'fast'] as const;
const zReadFast = ['read', 'sortedset', 'fast'] as const;
const zReadSlow = ['read', 'sortedset', 'slow'] as const;

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
  { name: 'zrandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], handler: zrandmember, categories: zReadSlow, summary: 'Picks random members of a sorted set, optionally with their scores.', syntax: 'key [count [WITHSCORES]]' },
  { name: 'zscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: zscan, categories: zReadSlow, summary: 'Walks the members and scores of a sorted set in batches using a cursor.', syntax: 'key cursor [MATCH pattern] [COUNT count]' },
];
