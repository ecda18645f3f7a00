// One of simpledb's 16 logical databases: the key -> value map, expiry times
// (exact to the millisecond over Redis's whole 64-bit range),
// and the bookkeeping that writes must trigger (WATCH invalidation, waking
// blocked clients, the dirty counter used by persistence).
//
// Keys and string values are binary strings (one char per byte, latin1).
// A value's type is its JS shape: string | Deque (list) | Map (hash) | SortedSet
// | SetValue | StreamValue (HashValue is a Map with its encoding flag).

import { Deque } from './data/deque.js';
import type { EncodingLimits } from './data/encoding-limits.js';
import { HashValue } from './data/hash.js';
import { SetValue } from './data/set.js';
import { SortedSet } from './data/sorted-set.js';
import { StreamValue } from './data/stream.js';
import { wrongTypeError } from './errors.js';
import type { StringEncoding } from './data/string-encoding.js';
import { NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notifications.js';

export { HashValue };
export type ListValue = Deque<string>;
export type Value = string | ListValue | HashValue | SortedSet | SetValue | StreamValue;
export type TypeName = 'string' | 'list' | 'hash' | 'zset' | 'set' | 'stream';

export function typeOf(v: Value): TypeName {
  if (typeof v === 'string') return 'string';
  if (v instanceof Map) return 'hash';
  return v.kind;
}

/** Something that can be marked by a write to a watched key (a client in WATCH). */
export interface Watcher {
  dirtyCas: boolean;
}

/** Counters and hooks shared by all databases of one server. */
export interface KeyspaceShared {
  /** Writes since the last save: persistence and INFO read it. */
  dirty: number;
  /** Called when a key that blocked clients wait on was written. */
  keyReady(db: Database, key: string): void;
  /**
   * Called when a key is deleted because its time came (lazily or by the
   * active cycle). Not a write of the running command: persistence logs a
   * DEL for it, as Redis propagates expirations.
   */
  keyExpired(db: Database, key: string): void;
  /** The enabled keyspace-notification classes (notify-keyspace-events); 0 when off. */
  notifyFlags: number;
  /** Publishes an event whose class is enabled (see Database.notify). */
  publishEvent(db: Database, event: string, key: string): void;
  /** Redis's LRU clock: seconds, advanced by the server's cron (OBJECT IDLETIME). */
  lruClock: number;
  /** The encoding thresholds CONFIG SET changes (hash-max-listpack-entries...). */
  readonly limits: EncodingLimits;
}

export class Database {
  /** key -> value. Replaced only by swapContents (SWAPDB). */
  data = new Map<string, Value>();
  /** key -> absolute expiry time in ms. Only keys that exist are here. Replaced only by swapContents. */
  expires = new Map<string, number>();
  /**
   * Expiry times are ms numbers in `expires`, exact up to 2^53 (year 287396).
   * Redis keeps 64-bit integers, and EXPIREAT 9223372036854775 must read
   * back exactly, so times beyond 2^53 also go here; an entry counts only
   * while `expires` still holds the same (rounded) time for the key.
   */
  private exactExpires: Map<string, bigint> | null = null;
  /** key -> clients that WATCH it. */
  readonly watchers = new Map<string, Set<Watcher>>();
  /** key -> number of clients blocked on it (the server owns the queues). */
  readonly blockedOn = new Map<string, number>();
  /** Cursor for the active expiry cycle, so each cycle samples different keys. */
  private expireCursor: IterableIterator<[string, number]> | null = null;
  /** key -> the LRU clock at its last access (OBJECT IDLETIME). Replaced only by swapContents. */
  private accessed = new Map<string, number>();
  /**
   * key -> the encoding of a string value when its text alone does not
   * decide it (APPEND makes "12" raw, INCRBYFLOAT makes "3" embstr, COPY
   * unshares a small integer). Cleared by every whole-value write.
   */
  private stringEncodings: Map<string, StringEncoding> | null = null;

  constructor(
    readonly index: number,
    private readonly shared: KeyspaceShared,
    /** The clock; injectable for tests. */
    readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.data.size;
  }

  /** The thresholds that decide encodings (shared by every database of the server). */
  get limits(): EncodingLimits {
    return this.shared.limits;
  }

  /** The value at key, after lazy expiry; undefined when missing. An access: OBJECT IDLETIME restarts. */
  get(key: string): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const v = this.data.get(key);
    if (v !== undefined) this.accessed.set(key, this.shared.lruClock);
    return v;
  }

  /** As get() without counting an access (Redis's LOOKUP_NOTOUCH: TYPE, TTL, EXISTS, OBJECT). */
  peek(key: string): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    return this.data.get(key);
  }

  /** Whether key exists, without counting an access. */
  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** Seconds since key's last access, as OBJECT IDLETIME reports it; undefined when missing. */
  idleSeconds(key: string): number | undefined {
    if (this.peek(key) === undefined) return undefined;
    return Math.max(0, this.shared.lruClock - (this.accessed.get(key) ?? this.shared.lruClock));
  }

  /** The encoding a write recorded for key's string value, when its text alone does not tell. */
  stringEncoding(key: string): StringEncoding | undefined {
    return this.stringEncodings?.get(key);
  }

  /** Records how the write that just stored key's string value encoded it (see stringEncodings). */
  setStringEncoding(key: string, encoding: StringEncoding | undefined): void {
    if (encoding === undefined) this.stringEncodings?.delete(key);
    else (this.stringEncodings ??= new Map()).set(key, encoding);
  }

  getString(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined || typeof v === 'string') return v;
    throw wrongTypeError();
  }

  getList(key: string): ListValue | undefined {
    const v = this.get(key);
    if (v === undefined || v instanceof Deque) return v;
    throw wrongTypeError();
  }

  getHash(key: string): HashValue | undefined {
    const v = this.get(key);
    if (v === undefined || v instanceof Map) return v;
    throw wrongTypeError();
  }

  getZset(key: string): SortedSet | undefined {
    const v = this.get(key);
    if (v === undefined || v instanceof SortedSet) return v;
    throw wrongTypeError();
  }

  getSet(key: string): SetValue | undefined {
    const v = this.get(key);
    if (v === undefined || v instanceof SetValue) return v;
    throw wrongTypeError();
  }

  getStream(key: string): StreamValue | undefined {
    const v = this.get(key);
    if (v === undefined || v instanceof StreamValue) return v;
    throw wrongTypeError();
  }

  /**
   * Lookups for reading (Redis's lookupKeyRead): as get() and the typed
   * getters, and a miss publishes "keymiss" (class m). Commands use them
   * where Redis reads a key; writes, and reads Redis does not report
   * (OBJECT, blocked clients being served), use get().
   */
  read(key: string): Value | undefined {
    return this.reported(this.get(key), key);
  }
  /** As read() without counting an access (Redis's LOOKUP_NOTOUCH: TYPE, TTL, EXISTS). */
  readNoTouch(key: string): Value | undefined {
    return this.reported(this.peek(key), key);
  }
  readString(key: string): string | undefined {
    return this.reported(this.getString(key), key);
  }
  readList(key: string): ListValue | undefined {
    return this.reported(this.getList(key), key);
  }
  readHash(key: string): HashValue | undefined {
    return this.reported(this.getHash(key), key);
  }
  readZset(key: string): SortedSet | undefined {
    return this.reported(this.getZset(key), key);
  }
  readSet(key: string): SetValue | undefined {
    return this.reported(this.getSet(key), key);
  }
  readStream(key: string): StreamValue | undefined {
    return this.reported(this.getStream(key), key);
  }

  private reported<T>(v: T | undefined, key: string): T | undefined {
    if (v === undefined) this.missed(key);
    return v;
  }

  /** A read found no key: "keymiss" when class m is on (off, one AND). */
  missed(key: string): void {
    if ((this.shared.notifyFlags & NOTIFY_KEY_MISS) !== 0) this.shared.publishEvent(this, 'keymiss', key);
  }

  /**
   * Stores a value (new key or replacement) and signals the write.
   * Clears any expiry unless keepTtl (SET KEEPTTL) is given.
   */
  set(key: string, value: Value, keepTtl = false): void {
    if ((this.shared.notifyFlags & NOTIFY_NEW) !== 0 && !this.data.has(key)) this.shared.publishEvent(this, 'new', key);
    this.data.set(key, value);
    this.accessed.set(key, this.shared.lruClock);
    if (this.stringEncodings !== null) this.stringEncodings.delete(key);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.modified(key);
  }

  /**
   * Adds a fresh container value (list, hash, zset) for a key known to be
   * missing, without signalling: the caller fills it and then calls modified().
   */
  add(key: string, value: Value): void {
    this.data.set(key, value);
    this.accessed.set(key, this.shared.lruClock);
    if ((this.shared.notifyFlags & NOTIFY_NEW) !== 0) this.shared.publishEvent(this, 'new', key);
  }

  /**
   * A keyspace notification (Redis's notifyKeyspaceEvent): `type` is the
   * event's class (notifications.ts). Off, this is one AND and nothing else,
   * so write paths call it unconditionally.
   */
  notify(type: number, event: string, key: string): void {
    if ((this.shared.notifyFlags & type) !== 0) this.shared.publishEvent(this, event, key);
  }

  /** Deletes a key; returns whether it existed. Signals the write. */
  delete(key: string): boolean {
    if (this.peek(key) === undefined) return false;
    this.forget(key);
    this.modified(key);
    return true;
  }

  /**
   * Must follow every change to a key's value made in place (list push,
   * hash set...). Removes a container that became empty, as Redis never
   * keeps empty lists, hashes, sets or sorted sets (an empty stream stays:
   * it keeps its last ID).
   */
  modified(key: string): void {
    this.shared.dirty++;
    const v = this.data.get(key);
    if (v !== undefined && typeof v !== 'string' && !(v instanceof StreamValue) && (v instanceof Map ? v.size : v instanceof Deque ? v.length : v.size) === 0) {
      this.forget(key);
    }
    if (this.watchers.size !== 0) this.touchWatched(key);
    // A deleted key is signalled too: XREADGROUP waiters must learn it is gone.
    this.signalReady(key);
  }

  /** Drops key and everything kept beside its value. */
  private forget(key: string): void {
    this.data.delete(key);
    this.expires.delete(key);
    this.accessed.delete(key);
    if (this.stringEncodings !== null) this.stringEncodings.delete(key);
  }

  /**
   * The event of a write that may have emptied a container (a pop, a
   * removal), called after modified(): the event, then "del" when the key is
   * gone, in Redis's order.
   */
  notifyRemoval(type: number, event: string, key: string): void {
    if (this.shared.notifyFlags === 0) return;
    this.notify(type, event, key);
    if (!this.data.has(key)) this.notify(NOTIFY_GENERIC, 'del', key);
  }

  /** Wakes the clients blocked on key, without counting a write (XGROUP DESTROY). */
  signalReady(key: string): void {
    if (this.blockedOn.size !== 0 && this.blockedOn.has(key)) this.shared.keyReady(this, key);
  }

  /** Counts writes that set/delete/modified do not see (FLUSHDB, SWAPDB), for persistence and INFO. */
  addDirty(n: number): void {
    this.shared.dirty += n;
  }

  /** Marks WATCHers of key without counting a write (FLUSHDB, expiry). */
  touchWatched(key: string): void {
    const set = this.watchers.get(key);
    if (set) for (const w of set) w.dirtyCas = true;
  }

  setExpire(key: string, atMs: number): void {
    this.expires.set(key, atMs);
  }

  /** Absolute expiry in ms, or undefined when the key has none. */
  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** Sets key's expiry to `at` ms (a 64-bit integer), keeping it exact. */
  setExpireExact(key: string, at: bigint): void {
    const ms = Number(at);
    this.expires.set(key, ms);
    if (Number.isSafeInteger(ms)) return;
    if (this.exactExpires === null) this.exactExpires = new Map();
    this.exactExpires.set(key, at);
  }

  /** Key's expiry in ms as an exact integer, or undefined without one. */
  getExpireExact(key: string): bigint | undefined {
    const ms = this.expires.get(key);
    if (ms === undefined) return undefined;
    if (Number.isSafeInteger(ms)) return BigInt(ms);
    const exact = this.exactExpires?.get(key);
    if (exact !== undefined && Number(exact) === ms) return exact;
    this.exactExpires?.delete(key);
    return BigInt(ms);
  }

  removeExpire(key: string): boolean {
    return this.expires.delete(key);
  }

  /** Removes everything; WATCHers of keys that existed are marked. */
  flush(): void {
    if (this.watchers.size !== 0) for (const key of this.watchers.keys()) if (this.data.has(key)) this.touchWatched(key);
    // XREADGROUP waiters on a flushed stream fail, as in Redis.
    for (const key of this.blockedOn.keys()) if (this.data.get(key) instanceof StreamValue) this.signalReady(key);
    this.data.clear();
    this.expires.clear();
    this.accessed.clear();
    this.stringEncodings = null;
    this.exactExpires = null;
    this.expireCursor = null;
  }

  /**
   * Exchanges keys and expiry times with another database in O(1) (SWAPDB).
   * Watchers and blocked clients stay with their database: the caller
   * decides whom the exchange touches.
   */
  swapContents(other: Database): void {
    [this.data, other.data] = [other.data, this.data];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.exactExpires, other.exactExpires] = [other.exactExpires, this.exactExpires];
    [this.accessed, other.accessed] = [other.accessed, this.accessed];
    [this.stringEncodings, other.stringEncodings] = [other.stringEncodings, this.stringEncodings];
    this.expireCursor = null;
    other.expireCursor = null;
  }

  /** Iterates live keys (expired ones are skipped, not deleted). */
  *keys(): IterableIterator<string> {
    const now = this.now();
    for (const key of this.data.keys()) {
      const at = this.expires.get(key);
      if (at === undefined || at > now) yield key;
    }
  }

  /** Deletes key if its time has come; returns true when it did. */
  expireIfNeeded(key: string): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > this.now()) return false;
    this.forget(key);
    if (this.watchers.size !== 0) this.touchWatched(key);
    this.notify(NOTIFY_EXPIRED, 'expired', key);
    this.shared.keyExpired(this, key);
    return true;
  }

  /**
   * One step of active expiry: looks at up to `sample` keys with a TTL and
   * deletes the expired ones. Returns how many it deleted, so the caller can
   * run another step when many were stale (as Redis's cycle does).
   */
  activeExpireCycle(sample = 20): number {
    if (this.expires.size === 0) return 0;
    const now = this.now();
    let deleted = 0;
    for (let i = 0; i < sample; i++) {
      if (!this.expireCursor) this.expireCursor = this.expires.entries();
      const next = this.expireCursor.next();
      if (next.done) {
        this.expireCursor = null;
        break;
      }
      const [key, at] = next.value;
      if (at <= now && this.expireIfNeeded(key)) deleted++;
    }
    return deleted;
  }
}
