// Hash commands (Redis's t_hash.c). A hash is a Map<string, string>; Map
// keeps insertion order, which is the order Redis's listpack encoding shows
// for small hashes (HGETALL, HKEYS, HSCAN...).

import type { CommandContext, CommandSpec } from '../command.js';
import { HashValue } from '../data/hash.js';
import { CommandError, NOT_FLOAT, NOT_INTEGER, OVERFLOW, wrongArity } from '../errors.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../long-double.js';
import { NOTIFY_HASH } from '../notifications.js';
import { parseInt64 } from '../numbers.js';
import { parseRandomArgs, randomPicks, randomSample, replyScan, scanCollection } from './collection-helpers.js';
import { parseCursor } from '../scan-cursors.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The hash at key for writing, created empty (not yet signalled) when missing. */
function hashForWrite(ctx: CommandContext, key: string): HashValue {
  let h = ctx.db.getHash(key);
  if (h === undefined) {
    h = new HashValue();
    ctx.db.add(key, h);
  }
  return h;
}

/** Sets one field (HSETNX, HINCRBY*), with hashTypeSet's encoding checks. */
function storeField(ctx: CommandContext, key: string, field: string, value: string): void {
  const h = hashForWrite(ctx, key);
  h.checkLengths(ctx.db.limits, field, value);
  h.set(field, value);
  h.checkSize(ctx.db.limits);
}

/** HSET/HMSET key field value [field value ...]: HSET replies how many fields were new, HMSET +OK. */
function hsetGeneric(ctx: CommandContext, name: 'hset' | 'hmset'): void {
  const argv = ctx.argv;
  if ((argv.length & 1) === 1) throw new CommandError(wrongArity(name));
  const key = argv[1];
  const h = hashForWrite(ctx, key);
  const limits = ctx.db.limits;
  // As hashTypeTryConversion: every argument is checked before any is stored.
  for (let i = 2; i < argv.length; i += 2) h.checkLengths(limits, argv[i], argv[i + 1]);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    const field = argv[i];
    if (!h.has(field)) created++;
    h.set(field, argv[i + 1]);
  }
  h.checkSize(limits);
  ctx.db.modified(key);
  ctx.db.notify(NOTIFY_HASH, 'hset', key);
  if (name === 'hset') ctx.reply.integer(created);
  else ctx.reply.ok();
}

/* HSET key field value [field value ...] */
function hset(ctx: CommandContext): void {
  hsetGeneric(ctx, 'hset');
}

/* HMSET key field value [field value ...] */
function hmset(ctx: CommandContext): void {
  hsetGeneric(ctx, 'hmset');
}

/* HSETNX key field value */
function hsetnx(ctx: CommandContext): void {
  const [, key, field, value] = ctx.argv;
  const h = ctx.db.getHash(key);
  if (h !== undefined && h.has(field)) {
    ctx.reply.integer(0);
    return;
  }
  storeField(ctx, key, field, value);
  ctx.db.modified(key);
  ctx.db.notify(NOTIFY_HASH, 'hset', key);
  ctx.reply.integer(1);
}

/* HGET key field */
function hget(ctx: CommandContext): void {
  const h = ctx.db.readHash(ctx.argv[1]);
  ctx.reply.bulkOrNull(h === undefined ? undefined : h.get(ctx.argv[2]));
}

/* HMGET key field [field ...] */
function hmget(ctx: CommandContext): void {
  const argv = ctx.argv;
  const h = ctx.db.readHash(argv[1]);
  const reply = ctx.reply;
  reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) reply.bulkOrNull(h === undefined ? undefined : h.get(argv[i]));
}

/* HDEL key field [field ...] */
function hdel(ctx: CommandContext): void {
  const argv = ctx.argv;
  const key = argv[1];
  const h = ctx.db.getHash(key);
  let deleted = 0;
  if (h !== undefined) {
    for (let i = 2; i < argv.length && h.size > 0; i++) if (h.delete(argv[i])) deleted++;
    if (deleted > 0) {
      ctx.db.modified(key);
      ctx.db.notifyRemoval(NOTIFY_HASH, 'hdel', key);
    }
  }
  ctx.reply.integer(deleted);
}

/* HEXISTS key field */
function hexists(ctx: CommandContext): void {
  const h = ctx.db.readHash(ctx.argv[1]);
  ctx.reply.integer(h !== undefined && h.has(ctx.argv[2]) ? 1 : 0);
}

/* HLEN key */
function hlen(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readHash(ctx.argv[1])?.size ?? 0);
}

/* HSTRLEN key field */
function hstrlen(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.readHash(ctx.argv[1])?.get(ctx.argv[2])?.length ?? 0);
}

/** HGETALL, HKEYS and HVALS: HGETALL is a map (RESP3), the others flat arrays. */
function hgetallGeneric(ctx: CommandContext, keys: boolean, values: boolean): void {
  const h = ctx.db.readHash(ctx.argv[1]);
  const reply = ctx.reply;
  const size = h?.size ?? 0;
  if (keys && values) reply.mapLen(size);
  else reply.arrayLen(size);
  if (h === undefined) return;
  for (const [field, value] of h) {
    if (keys) reply.bulk(field);
    if (values) reply.bulk(value);
  }
}

/* HGETALL key */
function hgetall(ctx: CommandContext): void {
  hgetallGeneric(ctx, true, true);
}

/* HKEYS key */
function hkeys(ctx: CommandContext): void {
  hgetallGeneric(ctx, true, false);
}

/* HVALS key */
function hvals(ctx: CommandContext): void {
  hgetallGeneric(ctx, false, true);
}

/* HINCRBY key field increment */
function hincrby(ctx: CommandContext): void {
  const [, key, field, incrArg] = ctx.argv;
  const incr = parseInt64(incrArg);
  if (incr === null) throw new CommandError(NOT_INTEGER);
  const current = ctx.db.getHash(key)?.get(field);
  let value = 0n;
  if (current !== undefined) {
    const parsed = parseInt64(current);
    if (parsed === null) throw new CommandError('ERR hash value is not an integer');
    value = parsed;
  }
  const result = value + incr;
  if (result < INT64_MIN || result > INT64_MAX) throw new CommandError(OVERFLOW);
  storeField(ctx, key, field, result.toString());
  ctx.db.modified(key);
  ctx.db.notify(NOTIFY_HASH, 'hincrby', key);
  ctx.reply.integer(result);
}

/* HINCRBYFLOAT key field increment */
function hincrbyfloat(ctx: CommandContext): void {
  const [, key, field, incrArg] = ctx.argv;
  // Redis adds in long double and prints with "%.17Lf": see long-double.ts.
  const incr = parseLongDouble(incrArg);
  if (incr === null) throw new CommandError(NOT_FLOAT);
  if (incr.inf) throw new CommandError('ERR value is NaN or Infinity');
  const current = ctx.db.getHash(key)?.get(field);
  let value = incr;
  if (current !== undefined) {
    const parsed = parseLongDouble(current);
    if (parsed === null) throw new CommandError('ERR hash value is not a float');
    const sum = addLongDouble(parsed, incr);
    if (sum === null || sum.inf) throw new CommandError('ERR increment would produce NaN or Infinity');
    value = sum;
  }
  const text = formatLongDoubleHuman(value);
  storeField(ctx, key, field, text);
  ctx.db.modified(key);
  ctx.db.notify(NOTIFY_HASH, 'hincrbyfloat', key);
  ctx.reply.bulk(text);
  // Replicas and the AOF get the result, so float formatting cannot drift.
  ctx.propagate(['HSET', key, field, text]);
}

/* HRANDFIELD key [count [WITHVALUES]] */
function hrandfield(ctx: CommandContext): void {
  const argv = ctx.argv;
  const reply = ctx.reply;
  if (argv.length === 2) {
    const h = ctx.db.readHash(argv[1]);
    if (h === undefined || h.size === 0) {
      reply.nullBulk();
      return;
    }
    reply.bulk(randomPicks([...h.keys()], 1)[0]);
    return;
  }
  const { count, withPairs: withValues } = parseRandomArgs(argv, 'withvalues');
  const h = ctx.db.readHash(argv[1]);
  if (h === undefined || count === 0) {
    reply.arrayLen(0);
    return;
  }
  // Negative count: that many independent picks; positive: distinct fields (the whole hash, in order, when count >= size).
  const fields =
    count < 0 ? randomPicks([...h.keys()], -count) : count >= h.size ? [...h.keys()] : randomSample([...h.keys()], count);
  const nested = withValues && reply.protocol === 3;
  reply.arrayLen(withValues && !nested ? fields.length * 2 : fields.length);
  for (const f of fields) {
    if (nested) reply.arrayLen(2);
    reply.bulk(f);
    if (withValues) reply.bulk(h.get(f) as string);
  }
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscan(ctx: CommandContext): void {
  const argv = ctx.argv;
  parseCursor(argv[2]);
  const h = ctx.db.readHash(argv[1]);
  if (h === undefined) {
    replyScan(ctx, []);
    return;
  }
  scanCollection(ctx, h, h.listpack, () => h.keys(), () => h.keys(), (field) => h.get(field));
}

const hashWrite = ['write', 'hash', 'fast'] as const;
const hashReadFast = ['read', 'hash', 'fast'] as const;
const hashReadSlow = ['read', 'hash', 'slow'] as const;

export const hashCommands: CommandSpec[] = [
  { name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: hset, categories: hashWrite, summary: 'Writes field values in a hash, creating it when missing; counts new fields.', syntax: 'key field value [field value ...]' },
  { name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: hsetnx, categories: hashWrite, summary: 'Writes a hash field unless that field is already present.', syntax: 'key field value' },
  { name: 'hget', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: hget, categories: hashReadFast, summary: 'Reads one field of a hash.', syntax: 'key field' },
  { name: 'hmget', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: hmget, categories: hashReadFast, summary: 'Reads the given fields of a hash, with nil for absent ones.', syntax: 'key field [field ...]' },
  { name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: hmset, categories: hashWrite, summary: 'Older form of HSET that replies OK.', syntax: 'key field value [field value ...]' },
  { name: 'hdel', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], handler: hdel, categories: hashWrite, summary: 'Removes fields from a hash; an emptied hash disappears.', syntax: 'key field [field ...]' },
  { name: 'hexists', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: hexists, categories: hashReadFast, summary: 'Tells whether a hash has a given field.', syntax: 'key field' },
  { name: 'hlen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: hlen, categories: hashReadFast, summary: 'Counts the fields of a hash.', syntax: 'key' },
  { name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], handler: hstrlen, categories: hashReadFast, summary: 'Gives the length of one field value of a hash.', syntax: 'key field' },
  { name: 'hgetall', arity: 2, flags: ['readonly'], keys: [1, 1, 1], handler: hgetall, categories: hashReadSlow, summary: 'Lists every field of a hash with its value.', syntax: 'key' },
  { name: 'hkeys', arity: 2, flags: ['readonly'], keys: [1, 1, 1], handler: hkeys, categories: hashReadSlow, summary: 'Lists the field names of a hash.', syntax: 'key' },
  { name: 'hvals', arity: 2, flags: ['readonly'], keys: [1, 1, 1], handler: hvals, categories: hashReadSlow, summary: 'Lists the field values of a hash.', syntax: 'key' },
  { name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: hincrby, categories: hashWrite, summary: 'Adds an integer to a hash field, starting from 0 when missing.', syntax: 'key field increment' },
  { name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], handler: hincrbyfloat, categories: hashWrite, summary: 'Adds a decimal number to a hash field, starting from 0 when missing.', syntax: 'key field increment' },
  { name: 'hrandfield', arity: -2, flags: ['readonly'], keys: [1, 1, 1], handler: hrandfield, categories: hashReadSlow, summary: 'Picks random fields of a hash, optionally with their values.', syntax: 'key [count [WITHVALUES]]' },
  { name: 'hscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], handler: hscan, categories: hashReadSlow, summary: 'Walks the fields and values of a hash in batches using a cursor.', syntax: 'key cursor [MATCH pattern] [COUNT count]' },
];
