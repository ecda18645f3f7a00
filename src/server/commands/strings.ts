// String commands (Redis's t_string.c): GET/SET and their variants, counters,
// APPEND and the range commands. Values are binary strings, so `.length` is
// the byte length. Writes that only change a string in place (INCR, APPEND,
// SETRANGE) keep the key's TTL, as Redis does; whole-value writes (SET,
// GETSET, MSET) clear it.

import type { CommandContext, CommandSpec } from '../command.js';
import { encodingOfText } from '../data/string-encoding.js';
import type { Database } from '../database.js';
import { CommandError, NOT_FLOAT, NOT_INTEGER, OVERFLOW, syntaxError, wrongArity } from '../errors.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../long-double.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../notifications.js';
import { parseInt64 } from '../numbers.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** proto-max-bulk-len: the largest string SETRANGE and APPEND may build. */
const MAX_STRING_BYTES = 512 * 1024 * 1024;
/** V8 cannot hold a string this long, a little under 512 MB; such writes get Redis's size error. */
const MAX_JS_STRING = 2 ** 29 - 24;
const TOO_BIG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';

/** How an expiry argument is read: relative or absolute, seconds or ms. */
type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  unit: ExpireUnit | null;
  /** The expiry argument as sent (the last one given wins). */
  expire: string | null;
}

/**
 * The option parser SET and GETEX share (parseExtendedStringArgumentsOrReply):
 * options are case-insensitive and may repeat, but the expiry forms, KEEPTTL
 * and PERSIST exclude each other, NX excludes XX, and each command accepts
 * only its own subset. Anything else is a syntax error.
 */
function parseSetOptions(argv: readonly string[], from: number, forSet: boolean): SetOptions {
  const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, unit: null, expire: null };
  for (let i = from; i < argv.length; i++) {
    const opt = argv[i].toUpperCase();
    const hasNext = i + 1 < argv.length;
    if (forSet && opt === 'NX' && !o.xx) o.nx = true;
    else if (forSet && opt === 'XX' && !o.nx) o.xx = true;
    else if (forSet && opt === 'GET') o.get = true;
    else if (forSet && opt === 'KEEPTTL' && o.unit === null) o.keepTtl = true;
    else if (!forSet && opt === 'PERSIST' && o.unit === null) o.persist = true;
    else if (
      (opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') &&
      (o.unit === null || o.unit === opt) &&
      !o.keepTtl &&
      !o.persist &&
      hasNext
    ) {
      o.unit = opt;
      o.expire = argv[++i];
    } else {
      throw syntaxError();
    }
  }
  return o;
}

/**
 * Turns an expiry argument into an absolute time in ms, with Redis's checks:
 * not an integer, not positive, or overflowing 64 bits once converted is an
 * error naming the command.
 */
function expireAtMs(ctx: CommandContext, arg: string, unit: ExpireUnit): bigint {
  let n = parseInt64(arg);
  if (n === null) throw new CommandError(NOT_INTEGER);
  const seconds = unit === 'EX' || unit === 'EXAT';
  const invalid = () => new CommandError(`ERR invalid expire time in '${ctx.argv[0].toLowerCase()}' command`);
  if (n <= 0n || (seconds && n > INT64_MAX / 1000n)) throw invalid();
  if (seconds) n *= 1000n;
  if (unit === 'EX' || unit === 'PX') n += BigInt(ctx.db.now());
  // Redis adds in 64 bits: an overflow wraps negative and is caught the same way.
  if (n > INT64_MAX) throw invalid();
  return n;
}

/**
 * The generic SET behind SET, SETNX, SETEX and PSETEX (setGenericCommand).
 * Replies only for GET; returns whether the value was written, so that each
 * caller gives its own reply (OK or nil for SET, 1 or 0 for SETNX).
 */
function setGeneric(ctx: CommandContext, key: string, value: string, o: SetOptions): boolean {
  const { db, reply } = ctx;
  const at = o.unit !== null && o.expire !== null ? expireAtMs(ctx, o.expire, o.unit) : null;
  if (o.get) reply.bulkOrNull(db.readString(key));
  const found = db.has(key);
  if ((o.nx && found) || (o.xx && !found)) return false;
  db.set(key, value, o.keepTtl);
  db.notify(NOTIFY_STRING, 'set', key);
  if (at !== null) {
    db.setExpireExact(key, at);
    db.notify(NOTIFY_GENERIC, 'expire', key);
    // Relative or second-based expiry goes to the AOF as an absolute PXAT.
    if (o.unit !== 'PXAT') ctx.propagate(['SET', key, value, 'PXAT', String(at)]);
  }
  return true;
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function setCommand(ctx: CommandContext): void {
  const o = parseSetOptions(ctx.argv, 3, true);
  const written = setGeneric(ctx, ctx.argv[1], ctx.argv[2], o);
  if (o.get) return;
  if (written) ctx.reply.ok();
  else ctx.reply.nullBulk();
}

// SETNX key value
function setnxCommand(ctx: CommandContext): void {
  const o = { ...parseSetOptions([], 0, true), nx: true };
  ctx.reply.integer(setGeneric(ctx, ctx.argv[1], ctx.argv[2], o) ? 1 : 0);
}

// SETEX key seconds value
// PSETEX key milliseconds value
function setexGeneric(unit: 'EX' | 'PX') {
  return (ctx: CommandContext): void => {
    const o = parseSetOptions([], 0, true);
    o.unit = unit;
    o.expire = ctx.argv[2];
    setGeneric(ctx, ctx.argv[1], ctx.argv[3], o);
    ctx.reply.ok();
  };
}

// GET key
function getCommand(ctx: CommandContext): void {
  ctx.reply.bulkOrNull(ctx.db.readString(ctx.argv[1]));
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
function getexCommand(ctx: CommandContext): void {
  const { db, argv } = ctx;
  const key = argv[1];
  const o = parseSetOptions(argv, 2, false);
  const value = db.readString(key);
  if (value === undefined) return ctx.reply.nullBulk();
  const at = o.unit !== null && o.expire !== null ? expireAtMs(ctx, o.expire, o.unit) : null;
  ctx.reply.bulk(value);
  if (at !== null && (o.unit === 'EXAT' || o.unit === 'PXAT') && at <= BigInt(db.now())) {
    db.delete(key);
    db.notify(NOTIFY_GENERIC, 'del', key);
    ctx.propagate(['DEL', key]);
  } else if (at !== null) {
    db.setExpireExact(key, at);
    db.modified(key);
    db.notify(NOTIFY_GENERIC, 'expire', key);
    ctx.propagate(['PEXPIREAT', key, String(at)]);
  } else if (o.persist && db.removeExpire(key)) {
    db.modified(key);
    db.notify(NOTIFY_GENERIC, 'persist', key);
    ctx.propagate(['PERSIST', key]);
  }
}

// GETDEL key
function getdelCommand(ctx: CommandContext): void {
  const key = ctx.argv[1];
  const value = ctx.db.readString(key);
  ctx.reply.bulkOrNull(value);
  if (value !== undefined) {
    ctx.db.delete(key);
    ctx.db.notify(NOTIFY_GENERIC, 'del', key);
  }
}

// GETSET key value
function getsetCommand(ctx: CommandContext): void {
  const [, key, value] = ctx.argv;
  ctx.reply.bulkOrNull(ctx.db.readString(key));
  ctx.db.set(key, value);
  ctx.db.notify(NOTIFY_STRING, 'set', key);
  ctx.propagate(['SET', key, value]);
}

// MGET key [key ...]
function mgetCommand(ctx: CommandContext): void {
  const { db, argv, reply } = ctx;
  reply.arrayLen(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const v = db.read(argv[i]);
    if (typeof v === 'string') reply.bulk(v);
    else reply.nullBulk();
  }
}

// MSET key value [key value ...]
// MSETNX key value [key value ...]
function msetGeneric(nx: boolean) {
  return (ctx: CommandContext): void => {
    const { db, argv } = ctx;
    if (argv.length % 2 === 0) throw new CommandError(wrongArity(argv[0]));
    if (nx) {
      for (let i = 1; i < argv.length; i += 2) {
        if (db.has(argv[i])) return ctx.reply.integer(0);
      }
    }
    for (let i = 1; i < argv.length; i += 2) {
      db.set(argv[i], argv[i + 1]);
      db.notify(NOTIFY_STRING, 'set', argv[i]);
    }
    if (nx) ctx.reply.integer(1);
    else ctx.reply.ok();
  };
}

/** INCR, DECR, INCRBY and DECRBY (incrDecrCommand): 64-bit signed, overflow is an error, TTL kept. */
function incrDecr(ctx: CommandContext, by: bigint): void {
  const { db } = ctx;
  const key = ctx.argv[1];
  const current = db.getString(key);
  const value = current === undefined ? 0n : parseInt64(current);
  if (value === null) throw new CommandError(NOT_INTEGER);
  const next = value + by;
  if (next > INT64_MAX || next < INT64_MIN) throw new CommandError(OVERFLOW);
  db.set(key, String(next), true);
  db.notify(NOTIFY_STRING, 'incrby', key);
  ctx.reply.integer(next);
}

function int64Arg(s: string): bigint {
  const n = parseInt64(s);
  if (n === null) throw new CommandError(NOT_INTEGER);
  return n;
}

// INCR key
function incrCommand(ctx: CommandContext): void {
  incrDecr(ctx, 1n);
}

// DECR key
function decrCommand(ctx: CommandContext): void {
  incrDecr(ctx, -1n);
}

// INCRBY key increment
function incrbyCommand(ctx: CommandContext): void {
  incrDecr(ctx, int64Arg(ctx.argv[2]));
}

// DECRBY key decrement
function decrbyCommand(ctx: CommandContext): void {
  const by = int64Arg(ctx.argv[2]);
  // -INT64_MIN does not fit in 64 bits.
  if (by === INT64_MIN) throw new CommandError('ERR decrement would overflow');
  incrDecr(ctx, -by);
}

// INCRBYFLOAT key increment
function incrbyfloatCommand(ctx: CommandContext): void {
  const { db } = ctx;
  const [, key, incrArg] = ctx.argv;
  const current = db.getString(key);
  // Redis computes in long double (x87, 64-bit mantissa) and prints "%.17Lf" trimmed.
  const value = parseLongDouble(current ?? '0');
  const incr = parseLongDouble(incrArg);
  if (value === null || incr === null) throw new CommandError(NOT_FLOAT);
  const sum = addLongDouble(value, incr);
  if (sum === null || sum.inf) throw new CommandError('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  db.set(key, text, true);
  // Stored as built (createStringObject), never as an integer: "3" is an embstr.
  if (encodingOfText(text) === 'int') db.setStringEncoding(key, 'embstr');
  db.notify(NOTIFY_STRING, 'incrbyfloat', key);
  ctx.reply.bulk(text);
  // Replicas and the AOF get the result, not the float arithmetic.
  ctx.propagate(['SET', key, text, 'KEEPTTL']);
}

/** Redis's checkStringLength: the size a write would give a string. */
function checkStringLength(size: number): void {
  if (size > MAX_STRING_BYTES || size > MAX_JS_STRING) throw new CommandError(TOO_BIG);
}

/** APPEND and SETRANGE edit a string in place, which leaves it raw whatever its text. */
function markRaw(db: Database, key: string, text: string): void {
  if (encodingOfText(text) !== 'raw') db.setStringEncoding(key, 'raw');
}

// APPEND key value
function appendCommand(ctx: CommandContext): void {
  const { db } = ctx;
  const [, key, suffix] = ctx.argv;
  const current = db.getString(key);
  if (current === undefined) {
    db.set(key, suffix);
    db.notify(NOTIFY_STRING, 'append', key);
    return ctx.reply.integer(suffix.length);
  }
  checkStringLength(current.length + suffix.length);
  const next = current + suffix;
  db.set(key, next, true);
  markRaw(db, key, next);
  db.notify(NOTIFY_STRING, 'append', key);
  ctx.reply.integer(next.length);
}

// STRLEN key
function strlenCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readString(ctx.argv[1])?.length ?? 0);
}

// SETRANGE key offset value
function setrangeCommand(ctx: CommandContext): void {
  const { db } = ctx;
  const [, key, offsetArg, value] = ctx.argv;
  const big = int64Arg(offsetArg);
  if (big < 0n) throw new CommandError('ERR offset is out of range');
  // Past 2^53 the exact offset no longer matters: the size check fails anyway.
  const offset = Number(big);
  const current = db.getString(key);
  if (value.length === 0) return ctx.reply.integer(current?.length ?? 0);
  checkStringLength(offset + value.length);
  const base = current ?? '';
  const next =
    offset >= base.length
      ? base + '\0'.repeat(offset - base.length) + value
      : base.slice(0, offset) + value + base.slice(offset + value.length);
  db.set(key, next, true);
  markRaw(db, key, next);
  db.notify(NOTIFY_STRING, 'setrange', key);
  ctx.reply.integer(next.length);
}

// GETRANGE key start end
function getrangeCommand(ctx: CommandContext): void {
  const start64 = int64Arg(ctx.argv[2]);
  const end64 = int64Arg(ctx.argv[3]);
  const s = ctx.db.readString(ctx.argv[1]);
  if (s === undefined) return ctx.reply.bulk('');
  if (start64 < 0n && end64 < 0n && start64 > end64) return ctx.reply.bulk('');
  const len = BigInt(s.length);
  let start = start64 < 0n ? len + start64 : start64;
  let end = end64 < 0n ? len + end64 : end64;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return ctx.reply.bulk('');
  ctx.reply.bulk(s.slice(Number(start), Number(end) + 1));
}

const keyFlags = { keys: [1, 1, 1] as const };

export const stringCommands: CommandSpec[] = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], ...keyFlags, categories: ['read', 'string', 'fast'], handler: getCommand, summary: 'Reads a string value.', syntax: 'key' },
  {
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    ...keyFlags,
    categories: ['write', 'string', 'slow'],
    handler: setCommand,
    summary: 'Writes a string value over whatever the key held, with optional conditions and expiry.',
    syntax: 'key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
  },
  { name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: setnxCommand, summary: 'Writes a string value unless the key is already present.', syntax: 'key value' },
  { name: 'setex', arity: 4, flags: ['write', 'denyoom'], ...keyFlags, categories: ['write', 'string', 'slow'], handler: setexGeneric('EX'), summary: 'Writes a string value together with a lifetime in seconds.', syntax: 'key seconds value' },
  { name: 'psetex', arity: 4, flags: ['write', 'denyoom'], ...keyFlags, categories: ['write', 'string', 'slow'], handler: setexGeneric('PX'), summary: 'Writes a string value together with a lifetime in milliseconds.', syntax: 'key milliseconds value' },
  { name: 'mget', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], categories: ['read', 'string', 'fast'], handler: mgetCommand, summary: 'Reads several string values in one call.', syntax: 'key [key ...]' },
  { name: 'mset', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 2], categories: ['write', 'string', 'slow'], handler: msetGeneric(false), summary: 'Writes several string values in one step.', syntax: 'key value [key value ...]' },
  { name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 2], categories: ['write', 'string', 'slow'], handler: msetGeneric(true), summary: 'Writes several string values, but only if none of the keys is present.', syntax: 'key value [key value ...]' },
  { name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: incrCommand, summary: 'Adds 1 to an integer string, starting from 0 when missing.', syntax: 'key' },
  { name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: incrbyCommand, summary: 'Adds an integer to an integer string, starting from 0 when missing.', syntax: 'key increment' },
  { name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: decrCommand, summary: 'Subtracts 1 from an integer string, starting from 0 when missing.', syntax: 'key' },
  { name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: decrbyCommand, summary: 'Subtracts an integer from an integer string, starting from 0 when missing.', syntax: 'key decrement' },
  { name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: incrbyfloatCommand, summary: 'Adds a decimal number to a numeric string, starting from 0 when missing.', syntax: 'key increment' },
  { name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: appendCommand, summary: 'Appends to a string, creating it when missing.', syntax: 'key value' },
  { name: 'strlen', arity: 2, flags: ['readonly', 'fast'], ...keyFlags, categories: ['read', 'string', 'fast'], handler: strlenCommand, summary: 'Gives the length of a string, or 0 when missing.', syntax: 'key' },
  { name: 'getdel', arity: 2, flags: ['write', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: getdelCommand, summary: 'Reads a string value and deletes the key.', syntax: 'key' },
  {
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    ...keyFlags,
    categories: ['write', 'string', 'fast'],
    handler: getexCommand,
    summary: 'Reads a string value and changes or clears its expiry.',
    syntax: 'key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]',
  },
  { name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], ...keyFlags, categories: ['write', 'string', 'fast'], handler: getsetCommand, summary: 'Writes a new string value and hands back the old one.', syntax: 'key value' },
  { name: 'getrange', arity: 4, flags: ['readonly'], ...keyFlags, categories: ['read', 'string', 'slow'], handler: getrangeCommand, summary: 'Reads the part of a string between two offsets.', syntax: 'key start end' },
  { name: 'setrange', arity: 4, flags: ['write', 'denyoom'], ...keyFlags, categories: ['write', 'string', 'slow'], handler: setrangeCommand, summary: 'Overwrites part of a string from an offset, zero-padding and creating it as needed.', syntax: 'key offset value' },
];
