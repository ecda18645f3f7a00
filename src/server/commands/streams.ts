// Stream commands, after Redis 7.0's t_stream.c: XADD (with trimming),
// XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and XREAD (with BLOCK). Consumer
// groups are in stream-groups.ts (XGROUP, XREADGROUP, XACK), stream-claims.ts
// (XPENDING, XCLAIM, XAUTOCLAIM) and
// stream-info.ts (XINFO).
//
// A stream is a StreamValue (data/stream.ts). Unlike other containers it is
// not deleted when it becomes empty: it keeps the last ID it handed out.
//
// What is random or approximate is propagated in its exact form: XADD's
// generated ID replaces "*" (or "<ms>-*"), and a "~" trim becomes "=" with
// the length, or first ID, the trimming actually left.

import type { CommandContext, CommandSpec } from '../command.js';
import { StreamValue, type StreamEntry, type TrimSpec } from '../data/stream.js';
import { compareIds, decrId, formatId, incrId, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from '../data/stream-id.js';
import { INVALID_ID, parseIdText, parseIntervalId, parseReadOptions, parseStrictId, replyEntry } from './stream-common.js';
import { CommandError, NOT_INTEGER, NO_SUCH_KEY, syntaxError, wrongArity } from '../errors.js';
import { NOTIFY_STREAM } from '../notifications.js';
import { parseInt64 } from '../numbers.js';

const ID_TOO_SMALL = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
const TOO_LARGE = 'ERR Elements are too large to be stored';
/** A listpack holds at most 1 GB (STREAM_LISTPACK_MAX_SIZE). */
const MAX_ENTRY_BYTES = 2 ** 30;
/** The work limit of a "~" trim without LIMIT: 100 nodes of stream-node-max-entries (100 nodes of the default 100 when unlimited). */
function approxTrimLimit(nodeMaxEntries: number): number {
  return 100 * (nodeMaxEntries > 0 ? nodeMaxEntries : 100);
}
/** How many entries a blocked XREAD without COUNT gets at most. */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

// ---------------------------------------------------------------------------
// Replies

/** Up to count entries (0: all) from start to end, as an array. */
function replyRange(ctx: CommandContext, s: StreamValue, start: StreamId, end: StreamId, count: number, rev: boolean): void {
  const entries: StreamEntry[] = [];
  for (const e of s.range(start, end, rev)) {
    entries.push(e);
    if (entries.length === count) break;
  }
  ctx.reply.arrayLen(entries.length);
  for (const e of entries) replyEntry(ctx, e);
}

// ---------------------------------------------------------------------------
// XADD and XTRIM

interface AddTrimArgs {
  trim: TrimSpec | null;
  /** Index of the MAXLEN count / MINID id argument (rewritten when propagating a "~" trim). */
  trimArgIndex: number;
  /** Indexes of LIMIT keywords, left out when propagating. */
  limitIndexes: number[];
  noMkStream: boolean;
  /** XADD: index of the ID argument ("*" or explicit). */
  idIndex: number;
  id: StreamId | null;
  seqGiven: boolean;
}

/** Redis's streamParseAddOrTrimArgsOrReply: the options of XADD (xadd) or XTRIM, in Redis's order of checks. */
function parseAddTrimArgs(argv: readonly string[], xadd: boolean, nodeMaxEntries: number): AddTrimArgs {
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxlen = 0;
  let minid: StreamId = MIN_ID;
  let limit = 0;
  let limitGiven = false;
  const args: AddTrimArgs = { trim: null, trimArgIndex: 0, limitIndexes: [], noMkStream: false, idIndex: 0, id: null, seqGiven: true };
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt === '*') break;
    const lower = opt.toLowerCase();
    if ((lower === 'maxlen' || lower === 'minid') && more > 0) {
      if (strategy !== null) throw new CommandError('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      if (lower === 'maxlen') {
        const n = parseInt64(argv[i + 1]);
        if (n === null) throw new CommandError(NOT_INTEGER);
        if (n < 0n) throw new CommandError('ERR The MAXLEN argument must be >= 0.');
        maxlen = Number(n);
      } else {
        minid = parseStrictId(argv[i + 1]);
      }
      i++;
      strategy = lower;
      args.trimArgIndex = i;
    } else if (lower === 'limit' && more > 0) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 0n) throw new CommandError('ERR The LIMIT argument must be >= 0.');
      limit = Number(n);
      limitGiven = true;
      args.limitIndexes.push(i);
      i++;
    } else if (xadd && lower === 'nomkstream') {
      args.noMkStream = true;
    } else if (xadd) {
      const parsed = parseIdText(opt, 0n, true, true);
      if (parsed === null) throw new CommandError(INVALID_ID);
      args.id = parsed.id;
      args.seqGiven = parsed.seqGiven;
      break;
    } else {
      throw syntaxError();
    }
  }
  args.idIndex = i;
  if (limit !== 0 && strategy === null) {
    throw new CommandError('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  }
  if (!xadd && strategy === null) throw new CommandError('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (limitGiven) {
    if (!approx) throw new CommandError('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else {
    limit = approx ? approxTrimLimit(nodeMaxEntries) : 0;
  }
  if (strategy !== null) args.trim = { strategy, maxlen, minid, approx, limit };
  return args;
}

/**
 * The command as replicas and the AOF should see it: a "~" trim as "=" with
 * what it left (length, or first ID), without LIMIT, and `id` in place of
 * the ID argument when given.
 */
function exactForm(argv: readonly string[], args: AddTrimArgs, s: StreamValue, id: string | null): string[] {
  const out = argv.slice();
  if (id !== null) out[args.idIndex] = id;
  if (args.trim !== null && args.trim.approx) {
    out[args.trimArgIndex - 1] = '=';
    out[args.trimArgIndex] = args.trim.strategy === 'maxlen' ? String(s.length) : formatId(s.firstEdgeId());
    for (const li of [...args.limitIndexes].reverse()) out.splice(li, 2);
  }
  return out;
}

/* XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xadd(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const key = argv[1];
  const args = parseAddTrimArgs(argv, true, ctx.db.limits.streamNodeMaxEntries);
  const fieldPos = args.idIndex + 1;
  const pairsArgs = argv.length - fieldPos;
  if (pairsArgs < 2 || pairsArgs % 2 === 1) throw new CommandError(wrongArity('xadd'));
  const given = args.id;
  if (given !== null && args.seqGiven && given.ms === 0n && given.seq === 0n) {
    throw new CommandError('ERR The ID specified in XADD must be greater than 0-0');
  }
  let s = db.getStream(key);
  if (s === undefined) {
    if (args.noMkStream) {
      ctx.reply.nullBulk();
      return;
    }
    s = new StreamValue();
    db.add(key, s);
  }
  const last = s.lastId;
  if (last.ms === UINT64_MAX && last.seq === UINT64_MAX) {
    throw new CommandError('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  let id: StreamId | null;
  if (given === null) id = s.nextAutoId(ctx.server.now());
  else if (args.seqGiven) id = given;
  else if (given.ms !== last.ms) id = given;
  else if (last.seq === UINT64_MAX) throw new CommandError(TOO_LARGE); // what Redis 7.0 reports here
  else id = { ms: last.ms, seq: last.seq + 1n };
  if (id === null || compareIds(id, last) <= 0) throw new CommandError(ID_TOO_SMALL);
  let bytes = 0;
  for (let i = fieldPos; i < argv.length; i++) bytes += argv[i].length;
  if (bytes > MAX_ENTRY_BYTES) throw new CommandError(TOO_LARGE);

  s.append(id, argv.slice(fieldPos), ctx.db.limits);
  const text = formatId(id);
  ctx.reply.bulk(text);
  db.notify(NOTIFY_STREAM, 'xadd', key);
  if (args.trim !== null && s.trim(args.trim) > 0) db.notify(NOTIFY_STREAM, 'xtrim', key);
  db.modified(key);
  const generated = given === null || !args.seqGiven;
  if (generated || (args.trim !== null && args.trim.approx)) ctx.propagate(exactForm(argv, args, s, generated ? text : null));
}

/* XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrim(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const args = parseAddTrimArgs(argv, false, ctx.db.limits.streamNodeMaxEntries);
  const s = db.getStream(argv[1]);
  if (s === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const trim = args.trim as TrimSpec;
  const deleted = s.trim(trim);
  if (deleted > 0) {
    db.modified(argv[1]);
    db.addDirty(deleted - 1);
    db.notify(NOTIFY_STREAM, 'xtrim', argv[1]);
    if (trim.approx) ctx.propagate(exactForm(argv, args, s, null));
  }
  ctx.reply.integer(deleted);
}

// ---------------------------------------------------------------------------
// Reading and deleting

/* XLEN key */
function xlen(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readStream(ctx.argv[1])?.length ?? 0);
}

/** XRANGE key start end [COUNT n], and XREVRANGE key end start [COUNT n]. */
function xrangeGeneric(ctx: CommandContext, rev: boolean): void {
  const argv = ctx.argv;
  const startArg = parseIntervalId(rev ? argv[3] : argv[2], 0n);
  let start: StreamId | null = startArg.id;
  if (startArg.exclusive && (start = incrId(start)) === null) throw new CommandError('ERR invalid start ID for the interval');
  const endArg = parseIntervalId(rev ? argv[2] : argv[3], UINT64_MAX);
  let end: StreamId | null = endArg.id;
  if (endArg.exclusive && (end = decrId(end)) === null) throw new CommandError('ERR invalid end ID for the interval');
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'count' && j < argv.length - 1) {
      const n = parseInt64(argv[++j]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      count = n < 0n ? 0 : Number(n);
    } else {
      throw syntaxError();
    }
  }
  const s = ctx.db.readStream(argv[1]);
  if (s === undefined) {
    ctx.reply.arrayLen(0);
    return;
  }
  if (count === 0) ctx.reply.nullArray();
  else replyRange(ctx, s, start, end, count === -1 ? 0 : count, rev);
}

/* XRANGE key start end [COUNT count] */
function xrange(ctx: CommandContext): void {
  xrangeGeneric(ctx, false);
}

/* XREVRANGE key end start [COUNT count] */
function xrevrange(ctx: CommandContext): void {
  xrangeGeneric(ctx, true);
}

/* XDEL key id [id ...] */
function xdel(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const s = db.getStream(argv[1]);
  if (s === undefined) {
    ctx.reply.integer(0);
    return;
  }
  // Every ID is checked before anything is deleted.
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) ids.push(parseStrictId(argv[j]));
  let deleted = 0;
  for (const id of ids) if (s.delete(id)) deleted++;
  if (deleted > 0) {
    db.modified(argv[1]);
    db.addDirty(deleted - 1);
    db.notify(NOTIFY_STREAM, 'xdel', argv[1]);
  }
  ctx.reply.integer(deleted);
}

/* XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetid(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const id = parseStrictId(argv[2]);
  let entriesAdded = -1;
  let maxDeleted: StreamId = MIN_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    const opt = argv[i].toLowerCase();
    if (opt === 'entriesadded' && more > 0) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 0n) throw new CommandError('ERR entries_added must be positive');
      entriesAdded = Number(n);
    } else if (opt === 'maxdeletedid' && more > 0) {
      maxDeleted = parseStrictId(argv[i + 1]);
      if (compareIds(id, maxDeleted) < 0) {
        throw new CommandError('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      }
    } else {
      throw syntaxError();
    }
  }
  const s = db.getStream(argv[1]);
  if (s === undefined) throw new CommandError(NO_SUCH_KEY);
  if (s.length > 0) {
    const top = s.lastLiveId() as StreamId;
    if (compareIds(id, top) < 0) throw new CommandError('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      throw new CommandError('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDeleted.ms !== 0n || maxDeleted.seq !== 0n) s.maxDeletedId = maxDeleted;
  // Redis wakes no waiter and no WATCH for it: only the write is counted.
  db.addDirty(1);
  db.notify(NOTIFY_STREAM, 'xsetid', argv[1]);
  ctx.reply.ok();
}

// ---------------------------------------------------------------------------
// XREAD

/** One stream's part of an XREAD reply: [key, entries] (a map entry in RESP3). */
function replyStream(ctx: CommandContext, key: string, s: StreamValue, after: StreamId, count: number): void {
  if (ctx.reply.protocol === 2) ctx.reply.arrayLen(2);
  ctx.reply.bulk(key);
  // after < lastId here, so it has a successor.
  replyRange(ctx, s, incrId(after) as StreamId, MAX_ID, count, false);
}

/* XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xread(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  const { timeout, count, streamsArg, streamsCount } = parseReadOptions(argv, false);

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const ids: StreamId[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const s = db.readStream(keys[i]);
    const text = argv[streamsArg + streamsCount + i];
    if (text === '$') ids.push(s === undefined ? MIN_ID : s.lastId);
    else if (text === '>') {
      throw new CommandError('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
    } else ids.push(parseStrictId(text));
  }

  const ready: number[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const s = db.readStream(keys[i]);
    if (s === undefined || s.length === 0) continue;
    const maxId = s.lastLiveId();
    if (maxId !== null && compareIds(maxId, ids[i]) > 0) ready.push(i);
  }
  if (ready.length > 0) {
    if (reply.protocol === 2) reply.arrayLen(ready.length);
    else reply.mapLen(ready.length);
    for (const i of ready) replyStream(ctx, keys[i], db.getStream(keys[i]) as StreamValue, ids[i], count);
    return;
  }
  if (timeout === -1 || ctx.mustNotBlock) {
    reply.nullArray();
    return;
  }
  // A client waits on each key once, for the ID given with its first mention.
  const waitFor = new Map<string, StreamId>();
  for (let i = 0; i < streamsCount; i++) if (!waitFor.has(keys[i])) waitFor.set(keys[i], ids[i]);
  const blockedCount = count === 0 ? XREAD_BLOCKED_DEFAULT_COUNT : count;
  ctx.block({
    keys: [...waitFor.keys()],
    timeoutMs: timeout,
    tryServe(c, readyKey) {
      const s = c.db.get(readyKey);
      const after = waitFor.get(readyKey);
      // Redis 7.0 leaves the client blocked when the key now holds another type.
      if (!(s instanceof StreamValue) || after === undefined || compareIds(s.lastId, after) <= 0) return false;
      if (c.reply.protocol === 2) c.reply.arrayLen(1);
      else c.reply.mapLen(1);
      replyStream(c, readyKey, s, after, blockedCount);
      return true;
    },
  });
}

// ---------------------------------------------------------------------------
// The table

export const streamCommands: CommandSpec[] = [
  { name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: xadd, categories: ['write', 'stream', 'fast'], summary: 'Adds an entry at the end of a stream, creating it unless NOMKSTREAM is given; can also trim.', syntax: 'key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]' },
  { name: 'xlen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: xlen, categories: ['read', 'stream', 'fast'], summary: 'Counts the entries of a stream.', syntax: 'key' },
  { name: 'xrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: xrange, categories: ['read', 'stream', 'slow'], summary: 'Lists stream entries whose IDs fall between two bounds, oldest first.', syntax: 'key start end [COUNT count]' },
  { name: 'xrevrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], handler: xrevrange, categories: ['read', 'stream', 'slow'], summary: 'Lists stream entries whose IDs fall between two bounds, newest first.', syntax: 'key end start [COUNT count]' },
  { name: 'xdel', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xdel, categories: ['write', 'stream', 'fast'], summary: 'Removes stream entries by ID and counts how many were there.', syntax: 'key id [id ...]' },
  { name: 'xtrim', arity: -4, flags: ['write'], keys: [1, 1, 1], handler: xtrim, categories: ['write', 'stream', 'slow'], summary: 'Drops the oldest stream entries by length or minimum ID.', syntax: 'key MAXLEN|MINID [=|~] threshold [LIMIT count]' },
  { name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: xsetid, categories: ['write', 'stream', 'fast'], summary: "Sets a stream's last ID, and optionally its count of entries ever added and greatest deleted ID.", syntax: 'key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]' },
  { name: 'xread', arity: -4, flags: ['readonly', 'blocking', 'movablekeys'], keys: [0, 0, 0], handler: xread, categories: ['read', 'stream', 'slow', 'blocking'], summary: 'Reads entries newer than the given IDs from one or more streams, optionally waiting for some.', syntax: '[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]' },
];
