// What the stream command files share (streams.ts, stream-groups.ts,
// stream-claims.ts, stream-info.ts): the ID and XREAD option parsers with
// Redis's errors, the entry reply, the group lookups and the commands that
// recreate group state on AOF replay. A leaf: it imports no command file.

import type { CommandContext } from '../command.js';
import type { StreamEntry, StreamValue } from '../data/stream.js';
import type { Consumer, ConsumerGroup, PendingEntry } from '../data/stream-groups.js';
import { formatId, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from '../data/stream-id.js';
import type { Database } from '../database.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { NOTIFY_STREAM } from '../notifications.js';
import { parseInt64 } from '../numbers.js';

export const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

// ---------------------------------------------------------------------------
// IDs

const STRTOULL_RE = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * Redis's string2ull: a canonical integer must not be negative; anything
 * else goes to strtoull, which skips leading spaces, takes a sign (a minus
 * wraps around) and must consume the whole string without overflow.
 */
function string2ull(s: string): bigint | null {
  const ll = parseInt64(s);
  if (ll !== null) return ll < 0n ? null : ll;
  const m = STRTOULL_RE.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]);
  if (v > UINT64_MAX) return null;
  return m[1] === '-' && v !== 0n ? 2n ** 64n - v : v;
}

/**
 * Parses <ms>-<seq>, <ms> (seq = missingSeq), "-" and "+" (refused when
 * strict) and, when seqStar, <ms>-* (seqGiven false). Null when invalid.
 */
export function parseIdText(text: string, missingSeq: bigint, strict: boolean, seqStar = false): { id: StreamId; seqGiven: boolean } | null {
  if (text.length > 127) return null;
  // Redis parses a C string: an embedded NUL ends it.
  const nul = text.indexOf('\0');
  const s = nul < 0 ? text : text.slice(0, nul);
  if (s === '-' || s === '+') {
    if (strict) return null;
    return { id: s === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf('-');
  const ms = string2ull(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const seqText = s.slice(dash + 1);
  if (seqStar && seqText === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = string2ull(seqText);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}

/** A strict ID argument (no "-" or "+"), with Redis's error when invalid. */
export function parseStrictId(text: string, missingSeq = 0n): StreamId {
  const parsed = parseIdText(text, missingSeq, true);
  if (parsed === null) throw new CommandError(INVALID_ID);
  return parsed.id;
}

/** An XRANGE bound: "(" makes it exclusive (then "-" and "+" are refused). */
export function parseIntervalId(text: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } {
  const exclusive = text.length > 1 && text[0] === '(';
  const parsed = exclusive ? parseIdText(text.slice(1), missingSeq, true) : parseIdText(text, missingSeq, false);
  if (parsed === null) throw new CommandError(INVALID_ID);
  return { id: parsed.id, exclusive };
}

/** The options XREAD and XREADGROUP share (Redis parses both in one xreadCommand). */
export interface ReadOptions {
  /** BLOCK in ms, or -1 without it. */
  timeout: number;
  /** COUNT, 0 for no limit. */
  count: number;
  /** Index in argv of the first key after STREAMS. */
  streamsArg: number;
  /** Number of keys (and of IDs after them). */
  streamsCount: number;
  noack: boolean;
  /** GROUP's group and consumer, or null without GROUP. */
  group: { name: string; consumer: string } | null;
}

/**
 * Parses [GROUP group consumer] [COUNT n] [BLOCK ms] [NOACK] STREAMS keys ids
 * with Redis's errors; GROUP and NOACK only for XREADGROUP.
 */
export function parseReadOptions(argv: readonly string[], xreadgroup: boolean): ReadOptions {
  const o: ReadOptions = { timeout: -1, count: 0, streamsArg: 0, streamsCount: 0, noack: false, group: null };
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const opt = argv[i].toLowerCase();
    if (opt === 'block' && more > 0) {
      const n = parseInt64(argv[++i]);
      if (n === null) throw new CommandError('ERR timeout is not an integer or out of range');
      if (n < 0n) throw new CommandError('ERR timeout is negative');
      o.timeout = Number(n);
    } else if (opt === 'count' && more > 0) {
      const n = parseInt64(argv[++i]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      o.count = n < 0n ? 0 : Number(n);
    } else if (opt === 'streams' && more > 0) {
      o.streamsArg = i + 1;
      const rest = argv.length - o.streamsArg;
      if (rest % 2 !== 0) {
        throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      o.streamsCount = rest / 2;
      break;
    } else if (opt === 'group' && more >= 2) {
      if (!xreadgroup) throw new CommandError('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      o.group = { name: argv[i + 1], consumer: argv[i + 2] };
      i += 2;
    } else if (opt === 'noack') {
      if (!xreadgroup) throw new CommandError('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      o.noack = true;
    } else {
      throw syntaxError();
    }
  }
  if (o.streamsArg === 0) throw syntaxError();
  return o;
}

// ---------------------------------------------------------------------------
// Replies and groups

/** One entry: [id, [field, value, ...]]. */
export function replyEntry(ctx: CommandContext, e: StreamEntry): void {
  const reply = ctx.reply;
  reply.arrayLen(2);
  reply.bulk(formatId(e.id));
  reply.bulkArray(e.fields);
}

export function noGroupFor(key: string, group: string): CommandError {
  return new CommandError(`NOGROUP No such key '${key}' or consumer group '${group}'`);
}

/** The stream and group, or Redis's NOGROUP error (a wrong type first). */
export function streamAndGroup(db: Database, key: string, name: string): [StreamValue, ConsumerGroup] {
  const s = db.readStream(key);
  const g = s?.group(name);
  if (s === undefined || g === undefined) throw noGroupFor(key, name);
  return [s, g];
}

/** The consumer, created when missing (Redis's lookup refreshes its seen time). */
export function lookupOrCreateConsumer(ctx: CommandContext, key: string, g: ConsumerGroup, name: string): [Consumer, boolean] {
  const now = ctx.server.now();
  const c = g.consumer(name);
  if (c !== undefined) {
    c.seenTime = now;
    return [c, false];
  }
  ctx.db.addDirty(1);
  const created = g.createConsumer(name, now) as Consumer;
  ctx.db.notify(NOTIFY_STREAM, 'xgroup-createconsumer', key);
  return [created, true];
}

/** The XCLAIM that recreates a pending entry on replay (streamPropagateXCLAIM). */
export function xclaimForm(key: string, group: ConsumerGroup, id: StreamId, p: PendingEntry): string[] {
  return [
    'XCLAIM', key, group.name, (p.consumer as Consumer).name, '0', formatId(id),
    'TIME', String(p.deliveryTime), 'RETRYCOUNT', String(p.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ];
}

export function setIdForm(key: string, g: ConsumerGroup): string[] {
  return ['XGROUP', 'SETID', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)];
}
