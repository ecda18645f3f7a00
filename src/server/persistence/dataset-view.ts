// A point-in-time copy of the keyspace for BGSAVE and BGREWRITEAOF.
//
// Node cannot fork, so a background save needs its own frozen view of the
// data while clients keep writing. We take a cheap structural copy in one
// synchronous step: strings are immutable and shared, and each container
// (list, hash, set, sorted set, stream) is flattened into arrays of
// references to its element strings (stream entries are immutable too). No
// byte is copied: the cost is a pointer copy per key and per container
// element (about 40 ms per million keys, 10-70 ms per million container
// elements), well under the cost of encoding and writing the same data,
// which then runs a slice at a time between client commands (see
// file-writer.ts). This is the moment Redis's fork() pays for copying page
// tables; both grow with the dataset. Expiry times are captured as two
// arrays and indexed later, inside the background slices.

import { Deque } from '../data/deque.js';
import { SetValue } from '../data/set.js';
import { SortedSet } from '../data/sorted-set.js';
import { StreamValue, type StreamEntry } from '../data/stream.js';
import { MAX_ID, MIN_ID, type StreamId } from '../data/stream-id.js';
import type { Database, Value } from '../database.js';

/** A string value is kept as itself (immutable); containers as flat arrays. */
export type CapturedValue =
  | string
  | { type: 'list'; items: string[] }
  /** fields and values interleaved: f1 v1 f2 v2 ... */
  | { type: 'hash'; pairs: string[] }
  | { type: 'zset'; members: string[]; scores: number[] }
  | { type: 'set'; members: string[] }
  /** Live entries in ID order, the greatest ID ever added (new IDs must be above it), and the consumer groups. */
  | CapturedStream;

export interface CapturedStream {
  type: 'stream';
  entries: StreamEntry[];
  lastId: StreamId;
  entriesAdded: number;
  maxDeletedId: StreamId;
  /** In name order. */
  groups: CapturedGroup[];
}

/** A consumer group copied out of the live one (its PEL changes after the view is taken). */
export interface CapturedGroup {
  name: string;
  lastId: StreamId;
  /** -1: unknown. */
  entriesRead: number;
  /** In name order, each with its own pending entries in ID order; together they are the group's PEL. */
  consumers: { name: string; seenTime: number; pending: { id: StreamId; deliveryTime: number; deliveryCount: number }[] }[];
}

function captureGroups(v: StreamValue): CapturedGroup[] {
  return v.groupList().map((g) => ({
    name: g.name,
    lastId: g.lastId,
    entriesRead: g.entriesRead,
    consumers: g.consumers().map((c) => ({
      name: c.name,
      seenTime: c.seenTime,
      pending: c.pel.values.map((p) => ({ id: p.id, deliveryTime: p.deliveryTime, deliveryCount: p.deliveryCount })),
    })),
  }));
}

export interface CapturedDb {
  index: number;
  keys: string[];
  /** Same indexes as keys. */
  values: CapturedValue[];
  /** Keys with a TTL and their absolute expiry in ms (bigint only beyond 2^53, to stay exact). */
  expireKeys: string[];
  expireAts: (number | bigint)[];
}

export interface DatasetView {
  dbs: CapturedDb[];
  keyCount: number;
  /** When the view was taken (ms): keys that expire by then are not written. */
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
  if (v instanceof StreamValue) {
    return {
      type: 'stream',
      entries: [...v.range(MIN_ID, MAX_ID)],
      lastId: v.lastId,
      entriesAdded: v.entriesAdded,
      maxDeletedId: v.maxDeletedId,
      groups: captureGroups(v),
    };
  }
  // A value type added without persistence support: fail the save loudly rather than drop keys.
  throw new Error(`cannot persist a value of type ${(v as { kind?: string }).kind ?? typeof v}`);
}

/**
 * Copies every database (see the file comment for the cost). The key and
 * value arrays come from spreading the Map iterators, V8's fastest bulk
 * copy; only containers are then copied one by one.
 */
export function captureDataset(databases: readonly Database[], now: number): DatasetView {
  const dbs: CapturedDb[] = [];
  let keyCount = 0;
  for (const db of databases) {
    if (db.size === 0) continue;
    const keys = [...db.data.keys()];
    const values = [...db.data.values()] as (Value | CapturedValue)[];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'string') values[i] = captureValue(v as Value);
    }
    const expireKeys = [...db.expires.keys()];
    const expireAts: (number | bigint)[] = [...db.expires.values()];
    for (let i = 0; i < expireAts.length; i++) {
      if (!Number.isSafeInteger(expireAts[i])) expireAts[i] = db.getExpireExact(expireKeys[i]) ?? expireAts[i];
    }
    keyCount += keys.length;
    dbs.push({ index: db.index, keys, values: values as CapturedValue[], expireKeys, expireAts });
  }
  return { dbs, keyCount, at: now };
}

/**
 * Indexes a captured database's expiry times by key, a slice at a time (the
 * producers yield through it), and counts the keys already expired at the
 * view's time, which are not written.
 */
export function* expiryIndex(db: CapturedDb, now: number): Generator<void, { at: Map<string, number | bigint>; expired: number }, void> {
  const at = new Map<string, number | bigint>();
  let expired = 0;
  for (let i = 0; i < db.expireKeys.length; i++) {
    const t = db.expireAts[i];
    at.set(db.expireKeys[i], t);
    if (t <= now) expired++;
    if ((i & 4095) === 4095) yield;
  }
  return { at, expired };
}
