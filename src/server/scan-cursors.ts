// Cursors for SCAN, and for HSCAN and ZSCAN over collections too large to
// return whole.
//
// Redis walks its hash tables with a reverse-binary cursor that needs no
// server state. We have no buckets; instead a cursor names a live iterator
// over a JS Map, kept in a small table per database or collection. A Map
// iterator sees later inserts and skips deleted entries, so one full
// iteration returns every entry that was present throughout, each once.
// Unknown cursors (stale, dropped, made up, or from another collection) end
// the iteration: cursor 0.

import { CommandError } from './errors.js';

/** One iteration in progress: a live iterator, with one item read ahead. */
class Walk<T> {
  private ahead: T | undefined;

  constructor(private readonly it: Iterator<T>) {}

  next(): T | undefined {
    if (this.ahead !== undefined) {
      const item = this.ahead;
      this.ahead = undefined;
      return item;
    }
    const r = this.it.next();
    return r.done ? undefined : r.value;
  }

  /** Whether items remain; reads one ahead so that the last page can say cursor 0, as Redis's usually does. */
  hasMore(): boolean {
    if (this.ahead === undefined) this.ahead = this.next();
    return this.ahead !== undefined;
  }
}

/** Open iterations per database or collection: cursor -> walk, oldest first. */
const tables = new WeakMap<object, Map<string, Walk<unknown>>>();
/** Most iterations one database or collection keeps open; the oldest is dropped beyond this. */
const MAX_OPEN = 256;
let nextCursor = 1;

const ULONG_MAX = 2n ** 64n - 1n;

/** Redis's parseScanCursorOrReply (strtoul): "", "+5" and "-1" are valid; spaces and overflow are not. Returns the cursor in canonical form. */
export function parseCursor(s: string): string {
  const m = /^([+-]?)([0-9]*)$/.exec(s);
  if (m === null || (m[2] === '' && s !== '')) throw new CommandError('ERR invalid cursor');
  const n = m[2] === '' ? 0n : BigInt(m[2]);
  if (n > ULONG_MAX) throw new CommandError('ERR invalid cursor');
  return String(m[1] === '-' ? (ULONG_MAX + 1n - n) % (ULONG_MAX + 1n) : n);
}

/** Ends every iteration open over `owner` (its contents were replaced wholesale: FLUSHDB, SWAPDB). */
export function forgetCursors(owner: object): void {
  tables.delete(owner);
}

/** Whether `cursor` (canonical) continues an iteration open over `owner`. */
export function isOpen(owner: object, cursor: string): boolean {
  return tables.get(owner)?.has(cursor) ?? false;
}

/**
 * One page of the iteration `cursor` names over `owner` ("0" starts a new
 * one from `start()`): hands at most `count` items to `visit` and returns the
 * cursor to go on with, "0" once the iteration is over.
 */
export function scanPage<T>(owner: object, cursor: string, start: () => Iterator<T>, count: number, visit: (item: T) => void): string {
  let table = tables.get(owner);
  if (!table) tables.set(owner, (table = new Map()));
  let walk: Walk<T> | undefined;
  if (cursor === '0') {
    walk = new Walk(start());
  } else {
    walk = table.get(cursor) as Walk<T> | undefined;
    table.delete(cursor);
  }
  if (walk === undefined) return '0';
  for (let seen = 0; seen < count; seen++) {
    const item = walk.next();
    if (item === undefined) break;
    visit(item);
  }
  if (!walk.hasMore()) return '0';
  const next = String(nextCursor);
  nextCursor = nextCursor >= Number.MAX_SAFE_INTEGER ? 1 : nextCursor + 1;
  table.set(next, walk as Walk<unknown>);
  if (table.size > MAX_OPEN) {
    const oldest = table.keys().next();
    if (!oldest.done) table.delete(oldest.value);
  }
  return next;
}
