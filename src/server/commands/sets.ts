// Set commands, after Redis 7.0's t_set.c: membership, random pops and
// picks, and the algebra (SINTER, SUNION, SDIFF and their STORE forms).
//
// A set is a SetValue (data/set.ts), which lists an intset-encodable set in
// ascending numeric order as Redis does; other sets come out in an order of
// their own, as in Redis, where a hash table's order is random per process.
// Result sets (SUNION, SDIFF, the STORE forms) are built like Redis builds
// them, starting from an empty intset, so they are listed, and encoded for
// later commands, the same way.
//
// SPOP is random, so it is propagated as the SREM (or DEL) of what it took.

import type { CommandContext, CommandSpec } from '../command.js';
import { SetValue } from '../data/set.js';
import { CommandError, syntaxError, wrongTypeError } from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../notifications.js';
import { parseInt64 } from '../numbers.js';
import { parseRandomArgs, parseScanOptions, randomPicks, randomSample, replyScan } from './collection-helpers.js';
import { parseCursor } from '../scan-cursors.js';

const LONG_MAX = 2n ** 63n - 1n;
const POSITIVE = 'ERR value is out of range, must be positive';
/** SPOP's cut-over to "pick what stays" (Redis's SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** getRangeLongFromObjectOrReply with one message for both failures; the result as a number. */
function parseLongInRange(s: string, min: bigint, message: string): number {
  const n = parseInt64(s);
  if (n === null || n < min || n > LONG_MAX) throw new CommandError(message);
  return Number(n);
}

/** The set at key for writing, created empty (not yet signalled) when missing. */
function setForWrite(ctx: CommandContext, key: string): SetValue {
  let set = ctx.db.getSet(key);
  if (set === undefined) {
    set = new SetValue(ctx.db.limits);
    ctx.db.add(key, set);
  }
  return set;
}

/** Replies with a whole set: a RESP3 set (~), an array in RESP2. */
function replyMembers(ctx: CommandContext, members: readonly string[]): void {
  const reply = ctx.reply;
  reply.setLen(members.length);
  for (const m of members) reply.bulk(m);
}

/**
 * Looks up every key as a set, in order: missing keys are null, and any
 * other type fails the whole command with WRONGTYPE (after the earlier
 * keys were looked up, as Redis does).
 */
function lookupSets(ctx: CommandContext, keys: readonly string[]): (SetValue | null)[] {
  const sets: (SetValue | null)[] = [];
  for (const key of keys) {
    const v = ctx.db.read(key);
    if (v === undefined) sets.push(null);
    else if (v instanceof SetValue) sets.push(v);
    else throw wrongTypeError();
  }
  return sets;
}

/**
 * The STORE forms' ending: store a non-empty result (announced as `event`),
 * else delete the destination. Replies with the size.
 */
function storeResult(ctx: CommandContext, dst: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    ctx.db.set(dst, result);
    ctx.reply.integer(result.size);
    ctx.db.notify(NOTIFY_SET, event, dst);
  } else {
    if (ctx.db.delete(dst)) ctx.db.notify(NOTIFY_GENERIC, 'del', dst);
    ctx.reply.integer(0);
  }
}

// ---------------------------------------------------------------------------
// Members

/* SADD key member [member ...] */
function sadd(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const key = argv[1];
  const set = setForWrite(ctx, key);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i])) added++;
  if (added > 0) {
    db.modified(key);
    db.addDirty(added - 1);
    db.notify(NOTIFY_SET, 'sadd', key);
  }
  ctx.reply.integer(added);
}

/* SREM key member [member ...] */
function srem(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const key = argv[1];
  const set = db.getSet(key);
  let deleted = 0;
  if (set !== undefined) {
    for (let i = 2; i < argv.length && set.size > 0; i++) if (set.delete(argv[i])) deleted++;
    if (deleted > 0) {
      db.modified(key);
      db.addDirty(deleted - 1);
      db.notifyRemoval(NOTIFY_SET, 'srem', key);
    }
  }
  ctx.reply.integer(deleted);
}

/* SMOVE source destination member */
function smove(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const [, src, dst, member] = argv;
  const srcValue = db.get(src);
  const dstValue = db.get(dst);
  if (srcValue === undefined) {
    ctx.reply.integer(0);
    return;
  }
  if (!(srcValue instanceof SetValue) || (dstValue !== undefined && !(dstValue instanceof SetValue))) throw wrongTypeError();
  if (srcValue === dstValue) {
    ctx.reply.integer(srcValue.has(member) ? 1 : 0);
    return;
  }
  if (!srcValue.delete(member)) {
    ctx.reply.integer(0);
    return;
  }
  db.modified(src);
  db.notifyRemoval(NOTIFY_SET, 'srem', src);
  const target = dstValue ?? setForWrite(ctx, dst);
  if (target.add(member)) {
    db.modified(dst);
    db.notify(NOTIFY_SET, 'sadd', dst);
  }
  ctx.reply.integer(1);
}

/* SISMEMBER key member */
function sismember(ctx: CommandContext): void {
  const set = ctx.db.readSet(ctx.argv[1]);
  ctx.reply.integer(set !== undefined && set.has(ctx.argv[2]) ? 1 : 0);
}

/* SMISMEMBER key member [member ...] */
function smismember(ctx: CommandContext): void {
  const { argv, reply } = ctx;
  const set = ctx.db.readSet(argv[1]);
  reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) reply.integer(set !== undefined && set.has(argv[i]) ? 1 : 0);
}

/* SCARD key */
function scard(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readSet(ctx.argv[1])?.size ?? 0);
}

/* SMEMBERS key */
function smembers(ctx: CommandContext): void {
  const set = ctx.db.readSet(ctx.argv[1]);
  replyMembers(ctx, set === undefined ? [] : set.members());
}

// ---------------------------------------------------------------------------
// Random pops and picks

/* SPOP key [count] */
function spop(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  if (argv.length > 3) throw syntaxError();
  const key = argv[1];
  if (argv.length === 2) {
    const set = db.getSet(key);
    if (set === undefined) {
      reply.nullBulk();
      return;
    }
    const member = set.random() as string;
    set.delete(member);
    reply.bulk(member);
    ctx.propagate(['SREM', key, member]);
    db.modified(key);
    db.notifyRemoval(NOTIFY_SET, 'spop', key);
    return;
  }
  const count = parseLongInRange(argv[2], 0n, POSITIVE);
  const set = db.getSet(key);
  if (set === undefined || count === 0) {
    reply.setLen(0);
    return;
  }
  const size = set.size;
  db.notify(NOTIFY_SET, 'spop', key);
  if (count >= size) {
    // The whole set, listed as SUNION of the one key would list it.
    const all = new SetValue(ctx.db.limits);
    for (const m of set.members()) all.add(m);
    replyMembers(ctx, all.members());
    db.delete(key);
    db.notify(NOTIFY_GENERIC, 'del', key);
    db.addDirty(size - 1);
    ctx.propagate(['DEL', key]);
    return;
  }
  const popped: string[] = [];
  const remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const member = set.random() as string;
      set.delete(member);
      popped.push(member);
    }
    db.modified(key);
  } else {
    // Most of the set goes: pick what stays, as a new set (which may be an
    // intset again), and hand out the rest in the old set's order.
    const kept = new SetValue(ctx.db.limits);
    while (kept.size < remaining) kept.add(set.random() as string);
    for (const m of set.members()) if (!kept.has(m)) popped.push(m);
    db.set(key, kept, true);
  }
  db.addDirty(count - 1);
  replyMembers(ctx, popped);
  ctx.propagate(['SREM', key, ...popped]);
}

/* SRANDMEMBER key [count] */
function srandmember(ctx: CommandContext): void {
  const { argv, reply } = ctx;
  if (argv.length > 3) throw syntaxError();
  if (argv.length === 2) {
    reply.bulkOrNull(ctx.db.readSet(argv[1])?.random());
    return;
  }
  const { count } = parseRandomArgs(argv, '');
  const set = ctx.db.readSet(argv[1]);
  if (set === undefined || count === 0) {
    reply.arrayLen(0);
    return;
  }
  // Negative: independent picks; positive: distinct members, the whole set (in its order) when count >= size.
  const members = set.members();
  const picked =
    count < 0 || count === 1
      ? randomPicks(members, Math.abs(count))
      : count >= set.size
        ? members
        : randomSample(members, count);
  reply.bulkArray(picked);
}

// ---------------------------------------------------------------------------
// Intersection, union, difference

/**
 * SINTER, SINTERSTORE, SINTERCARD: iterate the smallest set and keep what
 * every other set has. `limit` stops SINTERCARD early (0: no limit).
 */
function sinterGeneric(ctx: CommandContext, keys: readonly string[], dst: string | null, cardinalityOnly: boolean, limit: number): void {
  const found = lookupSets(ctx, keys);
  if (found.includes(null)) {
    if (dst !== null) {
      if (ctx.db.delete(dst)) ctx.db.notify(NOTIFY_GENERIC, 'del', dst);
      ctx.reply.integer(0);
    } else if (cardinalityOnly) ctx.reply.integer(0);
    else ctx.reply.setLen(0);
    return;
  }
  const sets = (found as SetValue[]).sort((a, b) => a.size - b.size);
  const first = sets[0];
  const result: string[] = [];
  for (const m of first.members()) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] !== first && !sets[j].has(m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    result.push(m);
    if (cardinalityOnly && limit !== 0 && result.length >= limit) break;
  }
  if (cardinalityOnly) {
    ctx.reply.integer(result.length);
  } else if (dst !== null) {
    const stored = new SetValue(ctx.db.limits);
    for (const m of result) stored.add(m);
    storeResult(ctx, dst, stored, 'sinterstore');
  } else {
    replyMembers(ctx, result);
  }
}

/** SUNION, SDIFF and their STORE forms, with Redis's two SDIFF algorithms (they decide the result's encoding). */
function sunionDiffGeneric(ctx: CommandContext, keys: readonly string[], dst: string | null, union: boolean): void {
  const sets = lookupSets(ctx, keys);
  let sameSet = false;
  for (let j = 1; j < sets.length; j++) if (sets[j] !== null && sets[j] === sets[0]) sameSet = true;
  const result = new SetValue(ctx.db.limits);
  if (union) {
    for (const s of sets) if (s !== null) for (const m of s.members()) result.add(m);
  } else if (sets[0] !== null && !sameSet) {
    const first = sets[0];
    // Algorithm 1 (check each member of the first set) unless summing the sizes is cheaper.
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === null) continue;
      one += first.size;
      two += s.size;
    }
    if (Math.floor(one / 2) <= two) {
      const others = sets.slice(1).sort((a, b) => (b?.size ?? 0) - (a?.size ?? 0));
      for (const m of first.members()) if (!others.some((s) => s !== null && s.has(m))) result.add(m);
    } else {
      for (const m of first.members()) result.add(m);
      for (let j = 1; j < sets.length && result.size > 0; j++) {
        const s = sets[j];
        if (s !== null) for (const m of s.members()) result.delete(m);
      }
    }
  }
  if (dst !== null) storeResult(ctx, dst, result, union ? 'sunionstore' : 'sdiffstore');
  else replyMembers(ctx, result.members());
}

/* SINTER key [key ...] */
function sinter(ctx: CommandContext): void {
  sinterGeneric(ctx, ctx.argv.slice(1), null, false, 0);
}

/* SINTERSTORE destination key [key ...] */
function sinterstore(ctx: CommandContext): void {
  sinterGeneric(ctx, ctx.argv.slice(2), ctx.argv[1], false, 0);
}

/* SUNION key [key ...] */
function sunion(ctx: CommandContext): void {
  sunionDiffGeneric(ctx, ctx.argv.slice(1), null, true);
}

/* SUNIONSTORE destination key [key ...] */
function sunionstore(ctx: CommandContext): void {
  sunionDiffGeneric(ctx, ctx.argv.slice(2), ctx.argv[1], true);
}

/* SDIFF key [key ...] */
function sdiff(ctx: CommandContext): void {
  sunionDiffGeneric(ctx, ctx.argv.slice(1), null, false);
}

/* SDIFFSTORE destination key [key ...] */
function sdiffstore(ctx: CommandContext): void {
  sunionDiffGeneric(ctx, ctx.argv.slice(2), ctx.argv[1], false);
}

/* SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercard(ctx: CommandContext): void {
  const argv = ctx.argv;
  const numkeys = parseLongInRange(argv[1], 1n, 'ERR numkeys should be greater than 0');
  if (numkeys > argv.length - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'limit' && j < argv.length - 1) {
      limit = parseLongInRange(argv[++j], 0n, "ERR LIMIT can't be negative");
    } else {
      throw syntaxError();
    }
  }
  sinterGeneric(ctx, argv.slice(2, 2 + numkeys), null, true, limit);
}

// ---------------------------------------------------------------------------
// SSCAN

/* SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscan(ctx: CommandContext): void {
  const { argv, reply } = ctx;
  // Capped to what an index can be: a larger cursor starts from the top, as the full size would.
  const cursor = Math.min(Number(parseCursor(argv[2])), Number.MAX_SAFE_INTEGER);
  const set = ctx.db.readSet(argv[1]);
  if (set === undefined) {
    replyScan(ctx, []);
    return;
  }
  const { match, count } = parseScanOptions(argv, 3);
  if (set.encoding === 'intset') {
    // Redis returns a whole intset in one reply, in order, with cursor 0.
    const members = set.members();
    replyScan(ctx, match === null ? members : members.filter(match));
    return;
  }
  // The cursor counts the storage positions still to visit, walked from the
  // top down: removing a member moves the last one, already visited, into
  // its place, so every member present throughout an iteration is returned.
  let position = cursor === 0 ? set.size : Math.min(cursor, set.size);
  const items: string[] = [];
  for (let visited = 0; position > 0 && visited < count; visited++) {
    const m = set.at(--position) as string;
    if (match === null || match(m)) items.push(m);
  }
  reply.arrayLen(2);
  reply.bulk(String(position));
  reply.bulkArray(items);
}

// ---------------------------------------------------------------------------
// The table

const WRITE_FAST = ['write', 'set', 'fast'] as const;
const WRITE_SLOW = ['write', 'set', 'slow'] as const;
const READ_FAST = ['read', 'set', 'fast'] as const;
const READ_SLOW = ['read', 'set', 'slow'] as const;

export const setCommands: CommandSpec[] = [
  { name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: sadd, categories: WRITE_FAST, summary: 'Puts members into a set, creating it when missing; counts the new ones.', syntax: 'key member [member ...]' },
  { name: 'srem', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], handler: srem, categories: WRITE_FAST, summary: 'Takes members out of a set; an emptied set disappears.', syntax: 'key member [member ...]' },
  { name: 'smembers', arity: 2, flags: ['readonly'], keys: [1, 1, 1], handler: smembers, categories: READ_SLOW, summary: 'Lists every member of a set.', syntax: 'key' },
  { name: 'sismember', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: sismember, categories: READ_FAST, summary: 'Tells whether a value is in a set.', syntax: 'key member' },
  { name: 'smismember', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: smismember, categories: READ_FAST, summary: 'Tells, for each of several values, whether it is in a set.', syntax: 'key member [member ...]' },
  { name: 'scard', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: scard, categories: READ_FAST, summary: 'Counts the members of a set.', syntax: 'key' },
  { name: 'spop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], handler: spop, categories: WRITE_FAST, summary: 'Takes out and returns random members of a set.', syntax: 'key [count]' },
  { name: 'srandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], handler: srandmember, categories: READ_SLOW, summary: 'Picks random members of a set without removing them.', syntax: 'key [count]' },
  { name: 'smove', arity: 4, flags: ['write', 'fast'], keys: [1, 2, 1], handler: smove, categories: WRITE_FAST, summary: 'Transfers a value from one set into another.', syntax: 'source destination member' },
  { name: 'sinter', arity: -2, flags: ['readonly'], keys: [1, -1, 1], handler: sinter, categories: READ_SLOW, summary: 'Lists the values present in every given set.', syntax: 'key [key ...]' },
  { name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], handler: sinterstore, categories: WRITE_SLOW, summary: 'Like SINTER, but saves the result as a new set.', syntax: 'destination key [key ...]' },
  { name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], keys: [0, 0, 0], handler: sintercard, categories: READ_SLOW, summary: 'Counts the values present in every given set, optionally stopping at a limit.', syntax: 'numkeys key [key ...] [LIMIT limit]' },
  { name: 'sunion', arity: -2, flags: ['readonly'], keys: [1, -1, 1], handler: sunion, categories: READ_SLOW, summary: 'Lists the values present in any given set.', syntax: 'key [key ...]' },
  { name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], handler: sunionstore, categories: WRITE_SLOW, summary: 'Like SUNION, but saves the result as a new set.', syntax: 'destination key [key ...]' },
  { name: 'sdiff', arity: -2, flags: ['readonly'], keys: [1, -1, 1], handler: sdiff, categories: READ_SLOW, summary: 'Lists the values of the first set missing from all the others.', syntax: 'key [key ...]' },
  { name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], handler: sdiffstore, categories: WRITE_SLOW, summary: 'Like SDIFF, but saves the result as a new set.', syntax: 'destination key [key ...]' },
  { name: 'sscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: sscan, categories: READ_SLOW, summary: 'Walks the members of a set in batches using a cursor.', syntax: 'key cursor [MATCH pattern] [COUNT count]' },
];
