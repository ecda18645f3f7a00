// Consumer-group commands, after Redis 7.0's t_stream.c: XGROUP, XREADGROUP
// (with BLOCK), XACK, XPENDING, XCLAIM and XAUTOCLAIM. The groups live on
// the StreamValue (data/stream-groups.ts).
//
// Group state changes carry no key signal (Redis does not touch WATCHed keys
// for them) but count as writes, so they reach the AOF. What depends on the
// clock is propagated in Redis's deterministic forms: every delivery or
// claim as `XCLAIM key group consumer 0 id TIME <ms> RETRYCOUNT <n> FORCE
// JUSTID LASTID <group last id>`, a read's progress as `XGROUP SETID key
// group id ENTRIESREAD n` (Redis does this after NOACK reads only), and a
// consumer created by a NOACK read as `XGROUP CREATECONSUMER`. Re-deliveries
// from a consumer's history are logged as XCLAIM too (Redis logs nothing
// for them), so the AOF keeps every delivery count.

import type { CommandContext, CommandSpec } from '../command.js';
import { compareIds, decrId, formatId, incrId, MAX_ID, MIN_ID, StreamValue, UINT64_MAX, type StreamId } from '../data/stream.js';
import { ConsumerGroup, INVALID_ENTRIES_READ, type Consumer, type PendingEntry } from '../data/stream-groups.js';
import type { Database } from '../database.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { parseIdText, parseIntervalId, parseReadOptions, parseStrictId, replyEntry, INVALID_ID } from './streams.js';
import { subcommandDispatcher, subcommandSyntaxError } from './subcommands.js';

/** How many entries a blocked XREADGROUP without COUNT gets at most. */
const BLOCKED_DEFAULT_COUNT = 1000;

// ---------------------------------------------------------------------------
// Read counters (entries_read) and lag, as Redis 7.0 keeps them

/** Whether an XDEL tombstone may lie in [start, end] (Redis's streamRangeHasTombstones). */
export function rangeHasTombstones(s: StreamValue, start: StreamId, end: StreamId = MAX_ID): boolean {
  const maxDel = s.maxDeletedId;
  if (s.length === 0 || (maxDel.ms === 0n && maxDel.seq === 0n)) return false;
  if (compareIds(s.firstLiveId(), maxDel) > 0) return false;
  return compareIds(start, maxDel) <= 0 && compareIds(maxDel, end) <= 0;
}

/**
 * The read counter that goes with id: how many entries the stream had
 * received up to it, or -1 when fragmentation makes that unknowable
 * (streamEstimateDistanceFromFirstEverEntry).
 */
export function entriesBefore(s: StreamValue, id: StreamId): number {
  if (s.entriesAdded === 0) return 0;
  if (s.length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const first = s.firstLiveId();
  const maxDel = s.maxDeletedId;
  if ((maxDel.ms === 0n && maxDel.seq === 0n) || compareIds(maxDel, first) < 0) {
    const cmpFirst = compareIds(id, first);
    if (cmpFirst < 0) return s.entriesAdded - s.length;
    if (cmpFirst === 0) return s.entriesAdded - s.length + 1;
  }
  return INVALID_ENTRIES_READ;
}

/** The group's lag, or null when it cannot be known (streamReplyWithCGLag). */
export function groupLag(s: StreamValue, g: ConsumerGroup): number | null {
  if (s.entriesAdded === 0) return 0;
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId)) return s.entriesAdded - g.entriesRead;
  const read = entriesBefore(s, g.lastId);
  return read === INVALID_ENTRIES_READ ? null : s.entriesAdded - read;
}

/** Moves the group's last ID to a delivered entry, keeping the read counter as Redis does. */
function advanceGroup(s: StreamValue, g: ConsumerGroup, id: StreamId): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, id)) g.entriesRead++;
  else if (s.entriesAdded !== 0) g.entriesRead = entriesBefore(s, id);
  g.lastId = id;
}

// ---------------------------------------------------------------------------
// Shared pieces

function noGroupFor(key: string, group: string): CommandError {
  return new CommandError(`NOGROUP No such key '${key}' or consumer group '${group}'`);
}

/** The stream and group, or Redis's NOGROUP error (a wrong type first). */
function streamAndGroup(db: Database, key: string, name: string): [StreamValue, ConsumerGroup] {
  const s = db.getStream(key);
  const g = s?.group(name);
  if (s === undefined || g === undefined) throw noGroupFor(key, name);
  return [s, g];
}

/** The consumer, created when missing (Redis's lookup refreshes its seen time). */
function lookupOrCreateConsumer(ctx: CommandContext, g: ConsumerGroup, name: string): [Consumer, boolean] {
  const now = ctx.server.now();
  const c = g.consumer(name);
  if (c !== undefined) {
    c.seenTime = now;
    return [c, false];
  }
  ctx.db.addDirty(1);
  return [g.createConsumer(name, now) as Consumer, true];
}

/** The XCLAIM that recreates a pending entry on replay (streamPropagateXCLAIM). */
function xclaimForm(key: string, group: ConsumerGroup, id: StreamId, p: PendingEntry): string[] {
  return [
    'XCLAIM', key, group.name, (p.consumer as Consumer).name, '0', formatId(id),
    'TIME', String(p.deliveryTime), 'RETRYCOUNT', String(p.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ];
}

function setIdForm(key: string, g: ConsumerGroup): string[] {
  return ['XGROUP', 'SETID', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)];
}

// ---------------------------------------------------------------------------
// XGROUP

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

function replyHelp(ctx: CommandContext, lines: readonly string[]): void {
  ctx.reply.arrayLen(lines.length);
  for (const l of lines) ctx.reply.simple(l);
}

/** The checks every XGROUP subcommand but HELP makes, in Redis's order (xgroupCommand). */
function xgroupPrologue(ctx: CommandContext): { s: StreamValue | undefined; g: ConsumerGroup | undefined; mkstream: boolean; entriesRead: number } {
  const { argv, db } = ctx;
  const sub = argv[1].toLowerCase();
  const create = sub === 'create';
  const setid = sub === 'setid';
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  for (let i = 5; i < argv.length; ) {
    const opt = argv[i].toLowerCase();
    if (create && opt === 'mkstream') {
      mkstream = true;
      i++;
    } else if ((create || setid) && opt === 'entriesread' && i + 1 < argv.length) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 0n && n !== -1n) throw new CommandError('ERR value for ENTRIESREAD must be positive or -1');
      entriesRead = Number(n);
      i += 2;
    } else {
      throw subcommandSyntaxError(ctx);
    }
  }
  const s = db.getStream(argv[2]);
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === undefined) {
      throw new CommandError(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    g = s.group(argv[3]);
    if (g === undefined && (setid || sub === 'createconsumer' || sub === 'delconsumer')) {
      throw new CommandError(`NOGROUP No such consumer group '${argv[3]}' for key name '${argv[2]}'`);
    }
  } else {
    g = s?.group(argv[3]);
  }
  return { s, g, mkstream, entriesRead };
}

/* XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries_read] */
function xgroupCreate(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const { s: found, entriesRead } = xgroupPrologue(ctx);
  if (argv.length > 8) throw subcommandSyntaxError(ctx);
  let s = found;
  const id = argv[4] === '$' ? (s?.lastId ?? MIN_ID) : parseStrictId(argv[4]);
  if (s === undefined) {
    s = new StreamValue();
    db.add(argv[2], s);
    db.modified(argv[2]);
  }
  if (s.group(argv[3]) !== undefined) throw new CommandError('BUSYGROUP Consumer Group name already exists');
  if (s.groups === null) s.groups = new Map();
  s.groups.set(argv[3], new ConsumerGroup(argv[3], id, entriesRead));
  db.addDirty(1);
  ctx.reply.ok();
}

/* XGROUP SETID key group id|$ [ENTRIESREAD entries_read] */
function xgroupSetid(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const { s, g, entriesRead } = xgroupPrologue(ctx);
  if (argv.length !== 5 && argv.length !== 7) throw subcommandSyntaxError(ctx);
  let id: StreamId;
  if (argv[4] === '$') id = (s as StreamValue).lastId;
  else {
    const parsed = parseIdText(argv[4], 0n, false);
    if (parsed === null) throw new CommandError(INVALID_ID);
    id = parsed.id;
  }
  const group = g as ConsumerGroup;
  group.lastId = id;
  group.entriesRead = entriesRead;
  db.addDirty(1);
  ctx.reply.ok();
}

/* XGROUP DESTROY key group */
function xgroupDestroy(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const { s, g } = xgroupPrologue(ctx);
  if (g === undefined) {
    ctx.reply.integer(0);
    return;
  }
  (s as StreamValue).groups?.delete(g.name);
  db.addDirty(1);
  // XREADGROUP waiters on the key look again: their group may be the one gone.
  db.signalReady(argv[2]);
  ctx.reply.integer(1);
}

/* XGROUP CREATECONSUMER key group consumer */
function xgroupCreateConsumer(ctx: CommandContext): void {
  const { g } = xgroupPrologue(ctx);
  const created = (g as ConsumerGroup).createConsumer(ctx.argv[4], ctx.server.now());
  if (created !== undefined) ctx.db.addDirty(1);
  ctx.reply.integer(created === undefined ? 0 : 1);
}

/* XGROUP DELCONSUMER key group consumer */
function xgroupDelConsumer(ctx: CommandContext): void {
  const group = xgroupPrologue(ctx).g as ConsumerGroup;
  const c = group.consumer(ctx.argv[4]);
  let pending = 0;
  if (c !== undefined) {
    pending = c.pel.size;
    group.deleteConsumer(c);
    ctx.db.addDirty(1);
  }
  ctx.reply.integer(pending);
}

// ---------------------------------------------------------------------------
// XREADGROUP

/** Delivers new entries after the group's last ID to the consumer (streamReplyWithRange with a group). */
function deliverNew(
  ctx: CommandContext,
  key: string,
  s: StreamValue,
  g: ConsumerGroup,
  consumer: Consumer,
  count: number,
  noack: boolean,
  log: string[][],
): void {
  const start = incrId(g.lastId);
  const delivered = [];
  if (start !== null) {
    for (const e of s.range(start, MAX_ID)) {
      delivered.push(e);
      if (delivered.length === count) break;
    }
  }
  const now = ctx.server.now();
  let movedLastId = false;
  ctx.reply.arrayLen(delivered.length);
  for (const e of delivered) {
    if (compareIds(e.id, g.lastId) > 0) {
      advanceGroup(s, g, e.id);
      movedLastId = true;
    }
    replyEntry(ctx, e);
    if (!noack) {
      let p = g.pel.get(e.id);
      if (p === undefined) {
        p = { id: e.id, consumer, deliveryTime: now, deliveryCount: 1 };
        g.pel.set(e.id, p);
        consumer.pel.set(e.id, p);
      } else {
        // The group was moved back with SETID: the entry changes hands.
        g.transfer(p, consumer);
        p.deliveryTime = now;
        p.deliveryCount = 1;
      }
      log.push(xclaimForm(key, g, e.id, p));
    }
  }
  // Redis logs this only after a NOACK read (otherwise the XCLAIMs' LASTID
  // moves the group), which leaves the read counter behind on replay; the
  // SETID after every read keeps it, so XINFO's entries-read and lag survive.
  if (movedLastId) log.push(setIdForm(key, g));
  ctx.db.addDirty(1);
}

/**
 * Replays the consumer's own pending entries from start
 * (streamReplyWithRangeFromConsumerPEL). Each re-delivery counts; Redis does
 * not log it, so its AOF forgets those counts, while the XCLAIM logged here
 * keeps them.
 */
function deliverHistory(
  ctx: CommandContext,
  key: string,
  s: StreamValue,
  g: ConsumerGroup,
  consumer: Consumer,
  start: StreamId,
  count: number,
  log: string[][],
): void {
  const pel = consumer.pel;
  const from = pel.lowerBound(start);
  const to = count === 0 ? pel.size : Math.min(pel.size, from + count);
  const now = ctx.server.now();
  ctx.reply.arrayLen(to - from);
  for (let i = from; i < to; i++) {
    const p = pel.values[i];
    const e = s.entry(p.id);
    if (e === undefined) {
      // Deleted since delivery: the ID with a nil body.
      ctx.reply.arrayLen(2);
      ctx.reply.bulk(formatId(p.id));
      ctx.reply.nullArray();
    } else {
      replyEntry(ctx, e);
      p.deliveryTime = now;
      p.deliveryCount++;
      log.push(xclaimForm(key, g, p.id, p));
    }
  }
  ctx.db.addDirty(1);
}

/** A consumer a NOACK read created must be created on replay too. */
function consumerFor(ctx: CommandContext, key: string, g: ConsumerGroup, name: string, noack: boolean, log: string[][]): Consumer {
  const [c, created] = lookupOrCreateConsumer(ctx, g, name);
  if (created && noack) log.push(['XGROUP', 'CREATECONSUMER', key, g.name, name]);
  return c;
}

/* XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroup(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  const { timeout, count, streamsArg, streamsCount, noack, group } = parseReadOptions(argv, true);
  if (group === null) throw new CommandError('ERR Missing GROUP option for XREADGROUP');
  const groupName = group.name;
  const consumerName = group.consumer;
  const gname = groupName;

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  // null: ">" (new entries); else the history from that ID.
  const ids: (StreamId | null)[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i];
    const s = db.getStream(key);
    if (s === undefined || s.group(gname) === undefined) {
      throw new CommandError(`NOGROUP No such key '${key}' or consumer group '${gname}' in XREADGROUP with GROUP option`);
    }
    const text = argv[streamsArg + streamsCount + i];
    if (text === '$') {
      throw new CommandError(
        'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
      );
    }
    // The greatest ID means ">" to Redis, which encodes ">" that way.
    const id = text === '>' ? null : parseStrictId(text);
    ids.push(id === null || compareIds(id, MAX_ID) === 0 ? null : id);
  }

  const log: string[][] = [];
  const serve: number[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const s = db.getStream(keys[i]) as StreamValue;
    const g = s.group(gname) as ConsumerGroup;
    if (ids[i] !== null) serve.push(i);
    else if (s.length !== 0) {
      const maxId = s.lastLiveId();
      if (maxId !== null && compareIds(maxId, g.lastId) > 0) serve.push(i);
    }
  }
  if (serve.length > 0) {
    if (reply.protocol === 2) reply.arrayLen(serve.length);
    else reply.mapLen(serve.length);
    for (const i of serve) {
      const key = keys[i];
      const s = db.getStream(key) as StreamValue;
      const g = s.group(gname) as ConsumerGroup;
      if (reply.protocol === 2) reply.arrayLen(2);
      reply.bulk(key);
      const consumer = consumerFor(ctx, key, g, consumerName, noack, log);
      const from = ids[i];
      if (from === null) deliverNew(ctx, key, s, g, consumer, count, noack, log);
      else deliverHistory(ctx, key, s, g, consumer, incrId(from) ?? MAX_ID, count, log);
    }
    ctx.propagate(...log);
    return;
  }
  ctx.propagate();
  if (timeout === -1 || ctx.mustNotBlock) {
    reply.nullArray();
    return;
  }
  const blockedCount = count === 0 ? BLOCKED_DEFAULT_COUNT : count;
  // Redis looks at a waiter's stream only when an entry is added (or the
  // key or group goes), so other writes (XDEL, SETID...) must not serve it:
  // what was seen at the last look tells whether XADD came since.
  const seen = new Map<string, [StreamValue, number]>();
  for (const key of keys) {
    const s = db.getStream(key) as StreamValue;
    seen.set(key, [s, s.entriesAdded]);
  }
  ctx.block({
    keys,
    timeoutMs: timeout,
    servesGoneKeys: true,
    tryServe(c, readyKey) {
      const v = c.db.get(readyKey);
      if (!(v instanceof StreamValue)) throw new CommandError('UNBLOCKED the stream key no longer exists');
      const g = v.group(gname);
      if (g === undefined) throw new CommandError('NOGROUP the consumer group this client was blocked on no longer exists');
      const last = seen.get(readyKey);
      if (last !== undefined && last[0] === v && last[1] === v.entriesAdded) return false;
      seen.set(readyKey, [v, v.entriesAdded]);
      if (compareIds(v.lastId, g.lastId) <= 0) return false;
      const served: string[][] = [];
      const consumer = consumerFor(c, readyKey, g, consumerName, noack, served);
      if (c.reply.protocol === 2) {
        c.reply.arrayLen(1);
        c.reply.arrayLen(2);
      } else c.reply.mapLen(1);
      c.reply.bulk(readyKey);
      deliverNew(c, readyKey, v, g, consumer, blockedCount, noack, served);
      c.propagate(...served);
      return true;
    },
  });
}

// ---------------------------------------------------------------------------
// XACK and XPENDING

/* XACK key group id [id ...] */
function xack(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const g = db.getStream(argv[1])?.group(argv[2]);
  if (g === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) ids.push(parseStrictId(argv[j]));
  let acknowledged = 0;
  for (const id of ids) if (g.acknowledge(id)) acknowledged++;
  if (acknowledged > 0) db.addDirty(acknowledged);
  ctx.reply.integer(acknowledged);
}

/* XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpending(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  const n = argv.length;
  if (n !== 3 && (n < 6 || n > 9)) throw syntaxError();
  let start = MIN_ID;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (n >= 6) {
    let at = 3;
    if (argv[3].toLowerCase() === 'idle') {
      const v = parseInt64(argv[4]);
      if (v === null) throw new CommandError(NOT_INTEGER);
      minIdle = Number(v);
      if (n < 8) throw syntaxError();
      at += 2;
    }
    const c = parseInt64(argv[at + 2]);
    if (c === null) throw new CommandError(NOT_INTEGER);
    count = c < 0n ? 0 : Number(c);
    const s = parseIntervalId(argv[at], 0n);
    let startId: StreamId | null = s.id;
    if (s.exclusive && (startId = incrId(startId)) === null) throw new CommandError('ERR invalid start ID for the interval');
    const e = parseIntervalId(argv[at + 1], UINT64_MAX);
    let endId: StreamId | null = e.id;
    if (e.exclusive && (endId = decrId(endId)) === null) throw new CommandError('ERR invalid end ID for the interval');
    start = startId;
    end = endId;
    if (at + 3 < n) consumerName = argv[at + 3];
  }
  const [, g] = streamAndGroup(db, argv[1], argv[2]);
  if (n === 3) {
    reply.arrayLen(4);
    reply.integer(g.pel.size);
    if (g.pel.size === 0) {
      reply.nullBulk();
      reply.nullBulk();
      reply.nullArray();
      return;
    }
    reply.bulk(formatId(g.pel.ids[0]));
    reply.bulk(formatId(g.pel.ids[g.pel.size - 1]));
    const owners = g.consumers().filter((c) => c.pel.size > 0);
    reply.arrayLen(owners.length);
    for (const c of owners) {
      reply.arrayLen(2);
      reply.bulk(c.name);
      reply.bulk(String(c.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const c = g.consumer(consumerName);
    if (c === undefined) {
      reply.arrayLen(0);
      return;
    }
    pel = c.pel;
  }
  const now = ctx.server.now();
  const rows: PendingEntry[] = [];
  for (let i = pel.lowerBound(start); count > 0 && i < pel.size && compareIds(pel.ids[i], end) <= 0; i++) {
    const p = pel.values[i];
    if (minIdle !== 0 && now - p.deliveryTime < minIdle) continue;
    rows.push(p);
    count--;
  }
  reply.arrayLen(rows.length);
  for (const p of rows) {
    reply.arrayLen(4);
    reply.bulk(formatId(p.id));
    reply.bulk((p.consumer as Consumer).name);
    reply.integer(Math.max(0, now - p.deliveryTime));
    reply.integer(p.deliveryCount);
  }
}

// ---------------------------------------------------------------------------
// XCLAIM and XAUTOCLAIM

function parseLong(text: string, message: string): number {
  const n = parseInt64(text);
  if (n === null) throw new CommandError(`ERR ${message}`);
  return Number(n);
}

/* XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id] */
function xclaim(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  const key = argv[1];
  const [s, g] = streamAndGroup(db, key, argv[2]);
  let minIdle = parseLong(argv[4], 'Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0) minIdle = 0;
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const parsed = parseIdText(argv[j], 0n, true);
    if (parsed === null) break;
    ids.push(parsed.id);
  }
  const now = ctx.server.now();
  let force = false;
  let justid = false;
  let deliveryTime = -1;
  let retryCount = -1;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toLowerCase();
    if (opt === 'force') force = true;
    else if (opt === 'justid') justid = true;
    else if (opt === 'idle' && more > 0) deliveryTime = now - parseLong(argv[++j], 'Invalid IDLE option argument for XCLAIM');
    else if (opt === 'time' && more > 0) deliveryTime = parseLong(argv[++j], 'Invalid TIME option argument for XCLAIM');
    else if (opt === 'retrycount' && more > 0) retryCount = parseLong(argv[++j], 'Invalid RETRYCOUNT option argument for XCLAIM');
    else if (opt === 'lastid' && more > 0) lastId = parseStrictId(argv[++j]);
    else throw new CommandError(`ERR Unrecognized XCLAIM option '${argv[j]}'`);
  }
  let propagateLastId = false;
  if (compareIds(lastId, g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

  const log: string[][] = [];
  let consumer: Consumer | undefined;
  const claimed: StreamId[] = [];
  for (const id of ids) {
    let p = g.pel.get(id);
    if (!s.has(id)) {
      // A pending entry whose stream entry is gone is dropped.
      if (p !== undefined) {
        log.push(xclaimForm(key, g, id, p));
        propagateLastId = false;
        g.acknowledge(id);
        db.addDirty(1);
      }
      continue;
    }
    if (force && p === undefined) {
      p = { id, consumer: null, deliveryTime: now, deliveryCount: 1 };
      g.pel.set(id, p);
    }
    if (p === undefined) continue;
    if (p.consumer !== null && minIdle !== 0 && now - p.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, g, argv[3])[0];
    g.transfer(p, consumer);
    p.deliveryTime = deliveryTime;
    if (retryCount >= 0) p.deliveryCount = retryCount;
    else if (!justid) p.deliveryCount++;
    claimed.push(id);
    log.push(xclaimForm(key, g, id, p));
    propagateLastId = false;
    db.addDirty(1);
  }
  if (propagateLastId) {
    log.push(setIdForm(key, g));
    db.addDirty(1);
  }
  reply.arrayLen(claimed.length);
  for (const id of claimed) {
    if (justid) reply.bulk(formatId(id));
    else replyEntry(ctx, s.entry(id)!);
  }
  ctx.propagate(...log);
}

/* XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaim(ctx: CommandContext): void {
  const { argv, db, reply } = ctx;
  const key = argv[1];
  let minIdle = parseLong(argv[4], 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0) minIdle = 0;
  const startArg = parseIntervalId(argv[5], 0n);
  let start: StreamId | null = startArg.id;
  if (startArg.exclusive && (start = incrId(start)) === null) throw new CommandError('ERR invalid start ID for the interval');
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toLowerCase();
    if (opt === 'count' && more > 0) {
      const n = parseInt64(argv[j + 1]);
      // LONG_MAX / 16: the most Redis can allocate room for.
      if (n === null || n < 1n || n > 576460752303423487n) throw new CommandError('ERR COUNT must be > 0');
      count = Number(n);
      j++;
    } else if (opt === 'justid') justid = true;
    else throw syntaxError();
  }
  const [s, g] = streamAndGroup(db, key, argv[2]);
  // Redis allocates 16 bytes per COUNT up front; beyond a 64-bit process's
  // 2^47-byte address space that always fails (smaller huge counts fail or
  // not depending on the machine's memory).
  if (count * 16 > 2 ** 47) throw new CommandError('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');
  const now = ctx.server.now();
  const log: string[][] = [];
  const claimed: StreamId[] = [];
  const deleted: StreamId[] = [];
  let consumer: Consumer | undefined;
  let attempts = count * 10;
  let i = g.pel.lowerBound(start);
  while (attempts-- > 0 && count > 0 && i < g.pel.size) {
    const p = g.pel.values[i];
    const id = p.id;
    if (!s.has(id)) {
      log.push(xclaimForm(key, g, id, p));
      g.acknowledge(id);
      db.addDirty(1);
      deleted.push(id);
      count--;
      continue; // the next entry slid into place i
    }
    i++;
    if (minIdle !== 0 && now - p.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, g, argv[3])[0];
    g.transfer(p, consumer);
    p.deliveryTime = now;
    if (!justid) p.deliveryCount++;
    claimed.push(id);
    count--;
    log.push(xclaimForm(key, g, id, p));
    db.addDirty(1);
  }
  reply.arrayLen(3);
  reply.bulk(i < g.pel.size ? formatId(g.pel.ids[i]) : '0-0');
  reply.arrayLen(claimed.length);
  for (const id of claimed) {
    if (justid) reply.bulk(formatId(id));
    else replyEntry(ctx, s.entry(id)!);
  }
  reply.arrayLen(deleted.length);
  for (const id of deleted) reply.bulk(formatId(id));
  ctx.propagate(...log);
}

// ---------------------------------------------------------------------------
// The table

/** XGROUP's and XINFO's key: argv[2]. */
const KEY2 = [2, 2, 1] as const;

const xgroup = subcommandDispatcher(
  'xgroup',
  [
    { name: 'create', keys: KEY2, arity: -5, handler: xgroupCreate, flags: ['write', 'denyoom'] },
    { name: 'setid', keys: KEY2, arity: -5, handler: xgroupSetid },
    { name: 'destroy', keys: KEY2, arity: 4, handler: xgroupDestroy },
    { name: 'createconsumer', keys: KEY2, arity: 5, handler: xgroupCreateConsumer, flags: ['write', 'denyoom'] },
    { name: 'delconsumer', keys: KEY2, arity: 5, handler: xgroupDelConsumer },
    { name: 'help', arity: 2, handler: (ctx) => replyHelp(ctx, XGROUP_HELP), flags: ['loading', 'stale'], categories: ['stream', 'slow'] },
  ],
  { flags: ['write'], categories: ['write', 'stream', 'slow'] },
);

export const streamGroupCommands: CommandSpec[] = [
  { ...xgroup, summary: 'Creates, changes and removes consumer groups and their consumers.', syntax: 'CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER|HELP ...' },
  { name: 'xreadgroup', arity: -7, flags: ['write', 'blocking', 'movablekeys'], keys: [0, 0, 0], handler: xreadgroup, categories: ['write', 'stream', 'slow', 'blocking'], summary: 'Reads entries for a consumer of a group: new ones with ">", or its own pending history, optionally waiting for new ones.', syntax: 'GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]' },
  { name: 'xack', arity: -4, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xack, categories: ['write', 'stream', 'fast'], summary: "Removes entries from a group's pending list and counts how many were there.", syntax: 'key group id [id ...]' },
  { name: 'xpending', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: xpending, categories: ['read', 'stream', 'slow'], summary: "Summarises a group's pending entries, or lists them with owner, idle time and delivery count.", syntax: 'key group [[IDLE min-idle-time] start end count [consumer]]' },
  { name: 'xclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xclaim, categories: ['write', 'stream', 'fast'], summary: 'Gives pending entries idle long enough to another consumer.', syntax: 'key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]' },
  { name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xautoclaim, categories: ['write', 'stream', 'fast'], summary: 'Gives pending entries idle long enough to another consumer, scanning the pending list from an ID like a cursor.', syntax: 'key group consumer min-idle-time start [COUNT count] [JUSTID]' },
];
