// Keyspace commands (Redis's db.c and expire.c): existence, deletion, types,
// iteration (KEYS, SCAN, RANDOMKEY), expiry, renaming, flushing, and moving
// keys between the 16 databases (COPY, MOVE, SWAPDB). SCAN's cursors: see
// scan-cursors.ts.

import type { CommandContext, CommandSpec } from '../command.js';
import { type Database, typeOf, HashValue, type ListValue, type Value } from '../database.js';
import { Deque } from '../data/deque.js';
import { SortedSet } from '../data/sorted-set.js';
import { StreamValue } from '../data/stream.js';
import { isSharedInteger, type StringEncoding } from '../data/string-encoding.js';
import { CommandError, NOT_INTEGER, NO_SUCH_KEY, syntaxError } from '../errors.js';
import { globMatcher } from '../glob.js';
import { NOTIFY_GENERIC } from '../notifications.js';
import { parseInt64, parseIntArg } from '../numbers.js';
import { forgetCursors, parseCursor, scanPage } from '../scan-cursors.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const SAME_OBJECT = 'ERR source and destination objects are the same';
const DB_OUT_OF_RANGE = 'ERR DB index is out of range';

// DEL key [key ...]
// UNLINK key [key ...]
function delCommand(ctx: CommandContext): void {
  let deleted = 0;
  for (let i = 1; i < ctx.argv.length; i++) {
    if (!ctx.db.delete(ctx.argv[i])) continue;
    ctx.db.notify(NOTIFY_GENERIC, 'del', ctx.argv[i]);
    deleted++;
  }
  ctx.reply.integer(deleted);
}

// EXISTS key [key ...]
function existsCommand(ctx: CommandContext): void {
  let found = 0;
  for (let i = 1; i < ctx.argv.length; i++) if (ctx.db.readNoTouch(ctx.argv[i]) !== undefined) found++;
  ctx.reply.integer(found);
}

// TOUCH key [key ...]: as EXISTS, but each key found counts as accessed (OBJECT IDLETIME).
function touchCommand(ctx: CommandContext): void {
  let found = 0;
  for (let i = 1; i < ctx.argv.length; i++) if (ctx.db.read(ctx.argv[i]) !== undefined) found++;
  ctx.reply.integer(found);
}

// TYPE key
function typeCommand(ctx: CommandContext): void {
  const v = ctx.db.readNoTouch(ctx.argv[1]);
  ctx.reply.simple(v === undefined ? 'none' : typeOf(v));
}

// KEYS pattern
function keysCommand(ctx: CommandContext): void {
  // A lone "*" lists every key without matching, so the empty key is included.
  const match = ctx.argv[1] === '*' ? null : globMatcher(ctx.argv[1]);
  const keys: string[] = [];
  // Expired keys are skipped, not deleted, as in Redis.
  for (const key of ctx.db.keys()) if (match === null || match(key)) keys.push(key);
  ctx.reply.bulkArray(keys);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scanCommand(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const cursor = parseCursor(argv[1]);
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    if (i + 1 >= argv.length) throw syntaxError();
    if (opt === 'count') {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 1n) throw syntaxError();
      count = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    } else if (opt === 'match') {
      pattern = argv[i + 1];
    } else if (opt === 'type') {
      // Redis 7.0 does not check the name: an unknown type matches nothing.
      type = argv[i + 1].toLowerCase();
    } else {
      throw syntaxError();
    }
  }

  const match = pattern === null || pattern === '*' ? null : globMatcher(pattern);
  const found: string[] = [];
  // COUNT is how many keys to look at, matching or not, like Redis's buckets.
  const next = scanPage(db, cursor, () => db.data.keys(), count, (key) => {
    if (match !== null && !match(key)) return;
    // Expires it lazily when its time has come; with TYPE, a read (a key expired here is also a keymiss), as Redis.
    const v = type === null ? db.get(key) : db.read(key);
    if (v === undefined) return;
    if (type !== null && typeOf(v) !== type) return;
    found.push(key);
  });
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(next);
  ctx.reply.bulkArray(found);
}

// DBSIZE
function dbsizeCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.size);
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (expireGenericCommand): relative
 * forms add now, second forms multiply by 1000, both in 64 bits with Redis's
 * overflow checks. A time in the past deletes the key. Logged to the AOF as
 * PEXPIREAT (or DEL).
 */
function expireGeneric(ctx: CommandContext, relative: boolean, seconds: boolean): void {
  const { argv, db } = ctx;
  const key = argv[1];
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === 'nx') nx = true;
    else if (opt === 'xx') xx = true;
    else if (opt === 'gt') gt = true;
    else if (opt === 'lt') lt = true;
    else throw new CommandError(`ERR Unsupported option ${argv[i]}`);
  }
  if (nx && (xx || gt || lt)) throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (gt && lt) throw new CommandError('ERR GT and LT options at the same time are not compatible');

  let when = parseInt64(argv[2]);
  if (when === null) throw new CommandError(NOT_INTEGER);
  const invalid = () => new CommandError(`ERR invalid expire time in '${argv[0].toLowerCase()}' command`);
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw invalid();
    when *= 1000n;
  }
  const now = db.now();
  if (relative) {
    if (when > INT64_MAX - BigInt(now)) throw invalid();
    when += BigInt(now);
  }

  if (db.get(key) === undefined) return ctx.reply.integer(0);
  if (nx || xx || gt || lt) {
    const current = db.getExpireExact(key);
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if (nx && current !== undefined) return ctx.reply.integer(0);
    if (xx && current === undefined) return ctx.reply.integer(0);
    if (gt && (current === undefined || when <= current)) return ctx.reply.integer(0);
    if (lt && current !== undefined && when >= current) return ctx.reply.integer(0);
  }

  if (when <= BigInt(now)) {
    db.delete(key);
    db.notify(NOTIFY_GENERIC, 'del', key);
    ctx.propagate(['DEL', key]);
  } else {
    db.setExpireExact(key, when);
    db.modified(key);
    db.notify(NOTIFY_GENERIC, 'expire', key);
    if (relative || seconds) ctx.propagate(['PEXPIREAT', key, String(when), ...argv.slice(3)]);
  }
  ctx.reply.integer(1);
}

/** TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 when missing, -1 without expiry. */
function ttlGeneric(ctx: CommandContext, ms: boolean, absolute: boolean): void {
  const { db } = ctx;
  const key = ctx.argv[1];
  if (db.readNoTouch(key) === undefined) return ctx.reply.integer(-2);
  const at = db.getExpireExact(key);
  if (at === undefined) return ctx.reply.integer(-1);
  let t = absolute ? at : at - BigInt(db.now());
  if (t < 0n) t = 0n;
  ctx.reply.integer(ms ? t : (t + 500n) / 1000n);
}

// PERSIST key
function persistCommand(ctx: CommandContext): void {
  const { db } = ctx;
  const key = ctx.argv[1];
  if (db.get(key) !== undefined && db.removeExpire(key)) {
    db.modified(key);
    db.notify(NOTIFY_GENERIC, 'persist', key);
    ctx.reply.integer(1);
  } else {
    ctx.reply.integer(0);
  }
}

/** RENAME and RENAMENX: the value and its TTL move; an existing destination is replaced (or kept, for NX). */
function renameGeneric(ctx: CommandContext, nx: boolean): void {
  const { db } = ctx;
  const [, src, dst] = ctx.argv;
  const value = db.get(src);
  if (value === undefined) throw new CommandError(NO_SUCH_KEY);
  if (src === dst) return nx ? ctx.reply.integer(0) : ctx.reply.ok();
  const at = db.getExpireExact(src);
  if (nx && db.has(dst)) return ctx.reply.integer(0);
  // As Redis, a replaced destination is deleted first: the new key is announced as "new".
  const replaced = db.delete(dst);
  const encoding = db.stringEncoding(src);
  db.set(dst, value);
  db.setStringEncoding(dst, encoding); // the same object, as in Redis
  if (at !== undefined) db.setExpireExact(dst, at);
  db.delete(src);
  db.addDirty(replaced ? -2 : -1); // Redis counts a rename as one change
  db.notify(NOTIFY_GENERIC, 'rename_from', src);
  db.notify(NOTIFY_GENERIC, 'rename_to', dst);
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

// RANDOMKEY
function randomkeyCommand(ctx: CommandContext): void {
  const { db } = ctx;
  // Each round either returns a live key or deletes an expired one, so this ends.
  while (db.size > 0) {
    let skip = Math.floor(Math.random() * db.size);
    let picked: string | undefined;
    for (const key of db.data.keys()) {
      if (skip-- === 0) {
        picked = key;
        break;
      }
    }
    if (picked === undefined) break;
    if (!db.expireIfNeeded(picked)) return ctx.reply.bulk(picked);
  }
  ctx.reply.nullBulk();
}

/** FLUSHDB and FLUSHALL take an optional ASYNC or SYNC (both are immediate here). */
function checkFlushArgs(argv: readonly string[]): void {
  if (argv.length === 1) return;
  const mode = argv[1].toLowerCase();
  if (argv.length === 2 && (mode === 'sync' || mode === 'async')) return;
  throw syntaxError();
}

/** Empties one database; returns how many keys it held. */
function flushDatabase(db: Database): number {
  const n = db.size;
  db.flush();
  forgetCursors(db);
  return n;
}

// FLUSHDB [ASYNC | SYNC]
function flushdbCommand(ctx: CommandContext): void {
  checkFlushArgs(ctx.argv);
  ctx.db.addDirty(flushDatabase(ctx.db));
  ctx.reply.ok();
}

// FLUSHALL [ASYNC | SYNC]
function flushallCommand(ctx: CommandContext): void {
  checkFlushArgs(ctx.argv);
  let n = 0;
  for (const db of ctx.server.databases) n += flushDatabase(db);
  ctx.db.addDirty(n);
  ctx.reply.ok();
}

/** A database by index from an argument, with getIntFromObjectOrReply's errors and then the range check. */
function databaseArg(ctx: CommandContext, arg: string, message?: string): Database {
  const index = parseIntArg(arg, message);
  const db = ctx.server.databases[index];
  if (index < 0 || db === undefined) throw new CommandError(DB_OUT_OF_RANGE);
  return db;
}

/** dupStringObject keeps the encoding, but a shared integer's copy is an integer of its own. */
function copiedStringEncoding(db: Database, key: string, value: string): StringEncoding | undefined {
  return db.stringEncoding(key) ?? (isSharedInteger(value) ? 'int' : undefined);
}

/** A deep copy, so that COPY's source and destination never share a container. */
function duplicate(v: Value): Value {
  if (typeof v === 'string') return v;
  if (v instanceof HashValue) return v.clone();
  if (v instanceof Deque) {
    const list: ListValue = new Deque<string>();
    for (const item of v) list.pushBack(item);
    return list;
  }
  if (v instanceof SortedSet) {
    const z = new SortedSet();
    z.listpack = v.listpack;
    for (const node of v) z.set(node.member, node.score);
    return z;
  }
  // Sets and streams know how to copy themselves.
  return v.clone();
}

// COPY source destination [DB destination-db] [REPLACE]
function copyCommand(ctx: CommandContext): void {
  const { argv, db } = ctx;
  const [, src, dst] = argv;
  let target = db;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === 'replace') replace = true;
    else if (opt === 'db' && i + 1 < argv.length) target = databaseArg(ctx, argv[++i]);
    else throw syntaxError();
  }
  if (target === db && src === dst) throw new CommandError(SAME_OBJECT);
  const value = db.read(src);
  if (value === undefined) return ctx.reply.integer(0);
  const at = db.getExpireExact(src);
  if (!replace && target.has(dst)) return ctx.reply.integer(0);
  const replaced = target.delete(dst);
  target.set(dst, duplicate(value)); // a fresh key: no TTL but the source's
  if (typeof value === 'string') target.setStringEncoding(dst, copiedStringEncoding(db, src, value));
  if (at !== undefined) target.setExpireExact(dst, at);
  if (replaced) target.addDirty(-1);
  target.notify(NOTIFY_GENERIC, 'copy_to', dst);
  ctx.reply.integer(1);
}

// MOVE key db
function moveCommand(ctx: CommandContext): void {
  const { db } = ctx;
  const key = ctx.argv[1];
  const target = databaseArg(ctx, ctx.argv[2]);
  if (target === db) throw new CommandError(SAME_OBJECT);
  const value = db.get(key);
  if (value === undefined || target.has(key)) return ctx.reply.integer(0);
  const at = db.getExpireExact(key);
  target.set(key, value);
  target.setStringEncoding(key, db.stringEncoding(key));
  if (at !== undefined) target.setExpireExact(key, at);
  db.delete(key);
  db.addDirty(-1); // Redis counts a move as one change
  db.notify(NOTIFY_GENERIC, 'move_from', key);
  target.notify(NOTIFY_GENERIC, 'move_to', key);
  ctx.reply.integer(1);
}

// SWAPDB index1 index2
function swapdbCommand(ctx: CommandContext): void {
  const a = parseIntArg(ctx.argv[1], 'ERR invalid first DB index');
  const b = parseIntArg(ctx.argv[2], 'ERR invalid second DB index');
  const dbs = ctx.server.databases;
  if (a < 0 || b < 0 || a >= dbs.length || b >= dbs.length) throw new CommandError(DB_OUT_OF_RANGE);
  if (a !== b) swapDatabases(dbs[a], dbs[b]);
  ctx.db.addDirty(1);
  ctx.reply.ok();
}

/**
 * Exchanges the contents of two databases, in O(1) whatever their size. Clients stay where they are: WATCHed
 * keys that exist on either side are touched (EXEC will fail) and clients
 * blocked on a key that now exists are woken, as Redis's dbSwapDatabases does.
 */
function swapDatabases(a: Database, b: Database): void {
  a.swapContents(b);
  forgetCursors(a);
  forgetCursors(b);
  for (const [db, other] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const key of db.watchers.keys()) if (db.data.has(key) || other.data.has(key)) db.touchWatched(key);
    for (const key of [...db.blockedOn.keys()]) {
      if (db.data.has(key)) db.modified(key);
      // A stream swapped away fails the XREADGROUP waiters on it, as in Redis.
      else if (other.data.get(key) instanceof StreamValue) db.signalReady(key);
    }
  }
}

const keyspaceRead = ['keyspace', 'read', 'fast'] as const;
const keyspaceWriteFast = ['keyspace', 'write', 'fast'] as const;
const oneKey = [1, 1, 1] as const;

export const keyspaceCommands: CommandSpec[] = [
  { name: 'del', arity: -2, flags: ['write'], keys: [1, -1, 1], categories: ['keyspace', 'write', 'slow'], handler: delCommand, summary: 'Removes the given keys and counts how many were there.', syntax: 'key [key ...]' },
  { name: 'unlink', arity: -2, flags: ['write', 'fast'], keys: [1, -1, 1], categories: keyspaceWriteFast, handler: delCommand, summary: 'Same as DEL here: removes the given keys right away.', syntax: 'key [key ...]' },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], categories: keyspaceRead, handler: existsCommand, summary: 'Counts how many of the given keys are present.', syntax: 'key [key ...]' },
  { name: 'touch', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], categories: keyspaceRead, handler: touchCommand, summary: 'Counts the given keys that exist, marking each as just accessed.', syntax: 'key [key ...]' },
  { name: 'type', arity: 2, flags: ['readonly', 'fast'], keys: oneKey, categories: keyspaceRead, handler: typeCommand, summary: 'Names the kind of value a key holds, or none.', syntax: 'key' },
  { name: 'keys', arity: 2, flags: ['readonly'], keys: [0, 0, 0], categories: ['keyspace', 'read', 'slow', 'dangerous'], handler: keysCommand, summary: 'Lists every key name matching a glob pattern.', syntax: 'pattern' },
  { name: 'scan', arity: -2, flags: ['readonly'], keys: [0, 0, 0], categories: ['keyspace', 'read', 'slow'], handler: scanCommand, summary: 'Walks the key names in batches using a cursor.', syntax: 'cursor [MATCH pattern] [COUNT count] [TYPE type]' },
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], keys: [0, 0, 0], categories: keyspaceRead, handler: dbsizeCommand, summary: 'Counts the keys in the selected database.', syntax: '' },
  { name: 'randomkey', arity: 1, flags: ['readonly'], keys: [0, 0, 0], categories: ['keyspace', 'read', 'slow'], handler: randomkeyCommand, summary: 'Picks any one key name at random.', syntax: '' },
  // EXPIRE key seconds [NX | XX | GT | LT]
  { name: 'expire', arity: -3, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: (ctx) => expireGeneric(ctx, true, true), summary: 'Gives a key a lifetime in seconds.', syntax: 'key seconds [NX | XX | GT | LT]' },
  // PEXPIRE key milliseconds [NX | XX | GT | LT]
  { name: 'pexpire', arity: -3, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: (ctx) => expireGeneric(ctx, true, false), summary: 'Gives a key a lifetime in milliseconds.', syntax: 'key milliseconds [NX | XX | GT | LT]' },
  // EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
  { name: 'expireat', arity: -3, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: (ctx) => expireGeneric(ctx, false, true), summary: 'Makes a key expire at a Unix time in seconds.', syntax: 'key unix-time-seconds [NX | XX | GT | LT]' },
  // PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
  { name: 'pexpireat', arity: -3, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: (ctx) => expireGeneric(ctx, false, false), summary: 'Makes a key expire at a Unix time in milliseconds.', syntax: 'key unix-time-milliseconds [NX | XX | GT | LT]' },
  // TTL key
  { name: 'ttl', arity: 2, flags: ['readonly', 'fast'], keys: oneKey, categories: keyspaceRead, handler: (ctx) => ttlGeneric(ctx, false, false), summary: 'Tells how many seconds a key has left to live.', syntax: 'key' },
  // PTTL key
  { name: 'pttl', arity: 2, flags: ['readonly', 'fast'], keys: oneKey, categories: keyspaceRead, handler: (ctx) => ttlGeneric(ctx, true, false), summary: 'Tells how many milliseconds a key has left to live.', syntax: 'key' },
  // EXPIRETIME key
  { name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], keys: oneKey, categories: keyspaceRead, handler: (ctx) => ttlGeneric(ctx, false, true), summary: 'Tells the Unix time in seconds at which a key expires.', syntax: 'key' },
  // PEXPIRETIME key
  { name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], keys: oneKey, categories: keyspaceRead, handler: (ctx) => ttlGeneric(ctx, true, true), summary: 'Tells the Unix time in milliseconds at which a key expires.', syntax: 'key' },
  { name: 'persist', arity: 2, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: persistCommand, summary: 'Makes a key permanent by dropping its expiry.', syntax: 'key' },
  // RENAME key newkey
  { name: 'rename', arity: 3, flags: ['write'], keys: [1, 2, 1], categories: ['keyspace', 'write', 'slow'], handler: (ctx) => renameGeneric(ctx, false), summary: 'Gives a key a new name, replacing any key already using it.', syntax: 'key newkey' },
  // RENAMENX key newkey
  { name: 'renamenx', arity: 3, flags: ['write', 'fast'], keys: [1, 2, 1], categories: keyspaceWriteFast, handler: (ctx) => renameGeneric(ctx, true), summary: 'Gives a key a new name, but only if that name is free.', syntax: 'key newkey' },
  { name: 'flushdb', arity: -1, flags: ['write'], keys: [0, 0, 0], categories: ['keyspace', 'write', 'slow', 'dangerous'], handler: flushdbCommand, summary: 'Empties the selected database.', syntax: '[ASYNC | SYNC]' },
  { name: 'flushall', arity: -1, flags: ['write'], keys: [0, 0, 0], categories: ['keyspace', 'write', 'slow', 'dangerous'], handler: flushallCommand, summary: 'Empties every database.', syntax: '[ASYNC | SYNC]' },
  { name: 'copy', arity: -3, flags: ['write', 'denyoom'], keys: [1, 2, 1], categories: ['keyspace', 'write', 'slow'], handler: copyCommand, summary: 'Duplicates a value under another name, optionally in another database.', syntax: 'source destination [DB destination-db] [REPLACE]' },
  { name: 'move', arity: 3, flags: ['write', 'fast'], keys: oneKey, categories: keyspaceWriteFast, handler: moveCommand, summary: 'Transfers a key into another database if the name is free there.', syntax: 'key db' },
  { name: 'swapdb', arity: 3, flags: ['write', 'fast'], keys: [0, 0, 0], categories: ['keyspace', 'write', 'fast', 'dangerous'], handler: swapdbCommand, summary: 'Exchanges the contents of two databases.', syntax: 'index1 index2' },
];
