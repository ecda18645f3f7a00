// The pending entries list of a consumer group, after Redis 7.0's
// t_stream.c: XPENDING (summary and extended form), XCLAIM and XAUTOCLAIM.
// Claims are propagated as the deterministic XCLAIM form described in
// stream-groups.ts, so that replaying the AOF gives the same delivery
// times and counts.

import type { CommandContext, CommandSpec } from '../command.js';
import { compareIds, decrId, formatId, incrId, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from '../data/stream-id.js';
import type { Consumer, PendingEntry } from '../data/stream-groups.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { lookupOrCreateConsumer, parseIdText, parseIntervalId, parseStrictId, replyEntry, setIdForm, streamAndGroup, xclaimForm } from './stream-common.js';

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

export const streamClaimCommands: CommandSpec[] = [
  { name: 'xpending', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: xpending, categories: ['read', 'stream', 'slow'], summary: "Summarises a group's pending entries, or lists them with owner, idle time and delivery count.", syntax: 'key group [[IDLE min-idle-time] start end count [consumer]]' },
  { name: 'xclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xclaim, categories: ['write', 'stream', 'fast'], summary: 'Gives pending entries idle long enough to another consumer.', syntax: 'key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]' },
  { name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], keys: [1, 1, 1], handler: xautoclaim, categories: ['write', 'stream', 'fast'], summary: 'Gives pending entries idle long enough to another consumer, scanning the pending list from an ID like a cursor.', syntax: 'key group consumer min-idle-time start [COUNT count] [JUSTID]' },
];
