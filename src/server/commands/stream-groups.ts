// Consumer-group commands, after Redis 7.0's t_stream.c: XGROUP, XREADGROUP
// (with BLOCK) and XACK. The pending entries list's inspection and transfer
// (XPENDING, XCLAIM, XAUTOCLAIM) are in stream-claims.ts; the groups live
// on the StreamValue (data/stream-groups.ts).
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
import { StreamValue } from '../data/stream.js';
import { compareIds, formatId, incrId, MAX_ID, MIN_ID, type StreamId } from '../data/stream-id.js';
import { ConsumerGroup, INVALID_ENTRIES_READ, type Consumer } from '../data/stream-groups.js';
import { advanceGroup } from '../data/stream-lag.js';
import { CommandError, NOT_INTEGER } from '../errors.js';
import { NOTIFY_STREAM } from '../notifications.js';
import { parseInt64 } from '../numbers.js';
import {
  INVALID_ID,
  lookupOrCreateConsumer,
  parseIdText,
  parseReadOptions,
  parseStrictId,
  replyEntry,
  setIdForm,
  xclaimForm,
} from './stream-common.js';
import { containerCommand, subcommandSyntaxError } from './subcommands.js';

/** How many entries a blocked XREADGROUP without COUNT gets at most. */
const BLOCKED_DEFAULT_COUNT = 1000;

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
  db.notify(NOTIFY_STREAM, 'xgroup-create', argv[2]);
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
  db.notify(NOTIFY_STREAM, 'xgroup-setid', argv[2]);
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
  db.notify(NOTIFY_STREAM, 'xgroup-destroy', argv[2]);
  // XREADGROUP waiters on the key look again: their group may be the one gone.
  db.signalReady(argv[2]);
  ctx.reply.integer(1);
}

/* XGROUP CREATECONSUMER key group consumer */
function xgroupCreateConsumer(ctx: CommandContext): void {
  const { g } = xgroupPrologue(ctx);
  const created = (g as ConsumerGroup).createConsumer(ctx.argv[4], ctx.server.now());
  if (created !== undefined) {
    ctx.db.addDirty(1);
    ctx.db.notify(NOTIFY_STREAM, 'xgroup-createconsumer', ctx.argv[2]);
  }
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
    ctx.db.notify(NOTIFY_STREAM, 'xgroup-delconsumer', ctx.argv[2]);
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
  const [c, created] = lookupOrCreateConsumer(ctx, key, g, name);
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
    const s = db.readStream(key);
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
// XACK

/* XACK key group id [id ...] */
function xack(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const g = db.readStream(argv[1])?.group(argv[2]);
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

// ---------------------------------------------------------------------------
// The table

/** XGROUP's and XINFO's key: argv[2]. */
const KEY2 = [2, 2, 1] as const;

const xgroup = containerCommand(
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
];
