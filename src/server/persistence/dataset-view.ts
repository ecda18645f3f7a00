// A point-in-time copy of the keyspace for BGSAVE and BGREWRITEAOF.
//
// Node cannot fork, so a background save needs its own frozen view of the
// data while clients keep writing. We take a cheap structural copy in one
// synchronous step: strings are immutable and shared, and each container
// (list, hash, set, sorted set, stream) is flattened into arrays of
// references to its element strings (stream entries are immutable too). No byte is copied; the cost is a few pointer writes per
// element, well under the cost of encoding and writing the same data, which
// then runs a slice at a time between client commands (see file-writer.ts).
// This is the moment Redis's fork() pays for the page tables; both grow with
// the dataset. Keys already expired at capture time are left out.

import { getExpireExact } from '../commands/keyspace.js';
import { Deque } from '../data/deque.js';
import { SetValue } from '../data/set.js';
import { SortedSet } from '../data/sorted-set.js';
import { MAX_ID, MIN_ID, StreamValue, type StreamEntry, type StreamId } from '../data/stream.js';
import type { Database, Value } from '../database.js';

/** A string value is kept as itself (immutable); containers as flat arrays. */
export type CapturedValue =
  | string
  | { type: 'list'; items: string[] }
  /** fields and values interleaved: f1 v1 f2 v2 ... */
  | { type: 'hash'; pairs: string[] }
  | { type: 'zset'; members: string[]; scores: number[] }
  | { type: 'set'; members: string[] }
  /** Live entries in ID order, and the greatest ID ever added (new IDs must be above it). */
  | { type: 'stream'; entries: StreamEntry[]; lastId: StreamId };

export interface CapturedDb {
  index: number;
  keys: string[];
  values: CapturedValue[];
  /** Absolute expiry in ms (64-bit exact) per key, or undefined. Same indexes as keys. */
  expires: (bigint | undefined)[];
}

export interface DatasetView {
  dbs: CapturedDb[];
  keyCount: number;
  /** When the view was taken (ms). */
  at: number;
}

export function captureValue(v: Value): CapturedValue {
  if (typeof v === 'string') return v;
  if (v instanceof Deque) return { type: 'list', items: v.slice() };
  if (v instanceof Map) {
    const pairs = new Array<string>(v.size * 2);
    let i = 0;
    for (const [f, x] of v) {
      pairs[i++] = f;
      pairs[i++] = x;
    }
    return { type: 'hash', pairs };
  }
  if (v instanceof SortedSet) {
    const members = new Array<string>(v.size);
    const scores = new Array<number>(v.size);
    let i = 0;
    for (const node of v) {
      members[i] = node.member;
      scores[i++] = node.score;
    }
    return { type: 'zset', members, scores };
  }
  if (v instanceof SetValue) return { type: 'set', members: v.members().slice() };
  if (v instanceof StreamValue) return { type: 'stream', entries: [...v.range(MIN_ID, MAX_ID)], lastId: v.lastId };
  // A value type added without persistence support: fail the save loudly rather than drop keys.
  throw new Error(`cannot persist a value of type ${(v as { kind?: string }).kind ?? typeof v}`);
}

/** Copies every live key of every database (see the file comment for why this is cheap enough). */
export function captureDataset(databases: readonly Database[], now: number): DatasetView {
  const dbs: CapturedDb[] = [];
  let keyCount = 0;
  for (const db of databases) {
    if (db.size === 0) continue;
    const keys: string[] = [];
    const values: CapturedValue[] = [];
    const expires: (bigint | undefined)[] = [];
    const hasExpires = db.expires.size !== 0;
    for (const [key, v] of db.data) {
      let at: bigint | undefined;
      if (hasExpires && db.expires.has(key)) {
        if (db.expires.get(key)! <= now) continue;
        at = getExpireExact(db, key);
      }
      keys.push(key);
      values.push(captureValue(v));
      expires.push(at);
    }
    keyCount += keys.length;
    if (keys.length !== 0) dbs.push({ index: db.index, keys, values, expires });
  }
  return { dbs, keyCount, at: now };
}
