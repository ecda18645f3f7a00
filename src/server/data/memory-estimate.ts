// MEMORY USAGE: an estimate of the bytes Redis 7.0 would spend on a key and
// its value, not a measure of simpledb's own heap (a JS engine does not tell
// the size of one object). It adds up Redis's structures (object header,
// sds strings, dict entries and buckets, listpacks, skip-list nodes, stream
// nodes) in the encoding the value has (OBJECT ENCODING), rounds every
// allocation up to jemalloc's size classes, and, like Redis, sizes only
// `samples` elements of a big collection and scales their mean to the
// whole. Small strings come out as Redis reports them; containers come
// close, not byte for byte (quicklist node fill, dict growth, stream radix
// trees are modelled, not replayed).

import { Deque } from './deque.js';
import type { EncodingLimits } from './encoding-limits.js';
import { HashValue } from './hash.js';
import { LISTPACK_OVERHEAD, stringBytes } from './listpack-size.js';
import { SetValue } from './set.js';
import { SortedSet } from './sorted-set.js';
import type { StringEncoding } from './string-encoding.js';
import { StreamValue } from './stream.js';

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
const ZSET = 16;
const ZSKIPLIST = 32;
const ZSKIPLIST_NODE = 24;
const ZSKIPLIST_LEVEL = 16;
const ZSKIPLIST_MAXLEVEL = 32;
const STREAM = 80;
const STREAM_CG = 40;
const STREAM_CONSUMER = 24;
const STREAM_NACK = 24;
/** Redis's estimate per radix-tree node (streamRadixTreeMemoryUsage): a node header and ~30 pointers. */
const RAX_NODE = 4 + 8 * 30;
/** A stream ID stored as a radix-tree key. */
const STREAM_ID = 16;

/** The jemalloc size class an allocation of n bytes gets (8, 16, 32, 48, ..., 4 classes per doubling). */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const spacing = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / spacing) * spacing;
}

/** An sds string of len bytes: header by length (sdsReqType), text, terminator. */
function sdsSize(len: number): number {
  const header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
  return mallocSize(header + len + 1);
}

/** The buckets of a dict holding n entries: the next power of two, at least 4. */
function dictBuckets(n: number): number {
  let slots = 4;
  while (slots < n) slots *= 2;
  return slots * 8;
}

/** How many elements to size: Redis's SAMPLES (0: all of them). */
function sampleCount(samples: number, size: number): number {
  return samples === 0 ? size : Math.min(samples, size);
}

/** Mean of `per` over the first `count` items, scaled to `size`. */
function scaled<T>(items: Iterable<T>, count: number, size: number, per: (item: T) => number): number {
  if (count === 0) return 0;
  let total = 0;
  let seen = 0;
  for (const item of items) {
    if (seen === count) break;
    total += per(item);
    seen++;
  }
  return seen === 0 ? 0 : Math.floor((total / seen) * size);
}

/** How far into an unindexed collection the samples may be spread: bounded work, as Redis's sampling is. */
const SPREAD_WINDOW = 1000;

/**
 * `count` items spread evenly over the first count × SPREAD_WINDOW of a
 * collection without random access (a hash): Redis's samples come from a
 * hash table's bucket order, which is no order, so the first few inserted
 * would be a biased sample.
 */
function spreadPicks<T>(items: Iterable<T>, size: number, count: number): T[] {
  const window = Math.min(size, count * SPREAD_WINDOW);
  const picks: T[] = [];
  let i = 0;
  for (const item of items) {
    if (i >= window || picks.length === count) break;
    if (Math.floor((picks.length * window) / count) === i) picks.push(item);
    i++;
  }
  return picks;
}

function stringValueSize(s: string, encoding: StringEncoding): number {
  if (encoding === 'int') return ROBJ;
  if (encoding === 'embstr') return mallocSize(ROBJ + 3 + s.length + 1);
  return ROBJ + sdsSize(s.length);
}

/**
 * A list as a quicklist: its elements are packed into listpack nodes of at
 * most list-max-listpack-size bytes (negative: 4 KB << (-n - 1)) or entries
 * (positive); the node size comes from the sampled elements' mean.
 */
function listSize(list: Deque<string>, samples: number, limits: Readonly<EncodingLimits>): number {
  const n = list.length;
  const count = sampleCount(samples === 0 ? 0 : samples * 32, n);
  const meanEntry = count === 0 ? 0 : scaled(list, count, 1, (e) => stringBytes(e)) || 1;
  const fill = limits.listMaxListpackSize;
  const perNode = fill > 0 ? fill : Math.max(1, Math.floor(((4096 << Math.min(-fill - 1, 4)) - LISTPACK_OVERHEAD) / Math.max(meanEntry, 1)));
  const nodes = Math.ceil(n / perNode);
  const lastEntries = n - (nodes - 1) * perNode;
  const full = QUICKLIST_NODE + mallocSize(LISTPACK_OVERHEAD + perNode * meanEntry);
  const last = QUICKLIST_NODE + mallocSize(LISTPACK_OVERHEAD + lastEntries * meanEntry);
  return ROBJ + QUICKLIST + (nodes === 0 ? 0 : (nodes - 1) * full + last);
}

function hashSize(h: HashValue, samples: number): number {
  if (h.listpack) {
    let bytes = LISTPACK_OVERHEAD;
    for (const [f, v] of h) bytes += stringBytes(f) + stringBytes(v);
    return ROBJ + mallocSize(bytes);
  }
  const per = ([f, v]: [string, string]) => sdsSize(f.length) + sdsSize(v.length) + DICT_ENTRY;
  return ROBJ + DICT + dictBuckets(h.size) + scaled(spreadPicks(h, h.size, sampleCount(samples, h.size)), Infinity, h.size, per);
}

function setSize(set: SetValue, samples: number): number {
  if (set.encoding === 'intset') {
    let width = 2;
    for (const m of set.members()) {
      const v = Number(m);
      if (v < -2147483648 || v > 2147483647) width = 8;
      else if (width < 4 && (v < -32768 || v > 32767)) width = 4;
    }
    return ROBJ + mallocSize(8 + width * set.size);
  }
  const per = (m: string) => sdsSize(m.length) + DICT_ENTRY;
  // As for hashes (spreadPicks), but a set has random access: spread over all of it.
  const count = sampleCount(samples, set.size);
  const picks = Array.from({ length: count }, (_, i) => set.at(Math.floor((i * set.size) / count)) as string);
  return ROBJ + DICT + dictBuckets(set.size) + scaled(picks, count, set.size, per);
}

function zsetSize(z: SortedSet, samples: number, formatScore: (d: number) => string): number {
  if (z.listpack) {
    let bytes = LISTPACK_OVERHEAD;
    for (const node of z) bytes += stringBytes(node.member) + stringBytes(formatScore(node.score));
    return ROBJ + mallocSize(bytes);
  }
  const header = mallocSize(ZSKIPLIST_NODE + ZSKIPLIST_LEVEL * ZSKIPLIST_MAXLEVEL);
  const fixed = ROBJ + ZSET + ZSKIPLIST + DICT + dictBuckets(z.size) + header;
  const per = (node: { member: string }) => sdsSize(node.member.length) + DICT_ENTRY + SKIPLIST_NODE_EXPECTED;
  return fixed + scaled(z, sampleCount(samples, z.size), z.size, per);
}

/**
 * A skip-list node's expected allocation: its level is random (each level
 * with probability 1/4 of the one below) in Redis as here, so the estimate
 * uses the mean over levels rather than this process's draws.
 */
const SKIPLIST_NODE_EXPECTED = (() => {
  let mean = 0;
  for (let level = 1; level <= ZSKIPLIST_MAXLEVEL; level++) {
    const p = level === ZSKIPLIST_MAXLEVEL ? 0.25 ** (level - 1) : 0.75 * 0.25 ** (level - 1);
    mean += p * mallocSize(ZSKIPLIST_NODE + ZSKIPLIST_LEVEL * level);
  }
  return Math.round(mean);
})();

/** A radix tree of `keys` stream IDs, as streamRadixTreeMemoryUsage counts it (about one node per key). */
function raxSize(keys: number, nodes = keys): number {
  return keys * STREAM_ID + nodes * RAX_NODE;
}

function streamSize(s: StreamValue, samples: number): number {
  let size = ROBJ + STREAM + raxSize(s.nodeCount, s.radixTreeNodes());
  size += scaled(s.nodeBytes(), sampleCount(samples, s.nodeCount), s.nodeCount, (bytes) => mallocSize(bytes));
  for (const g of s.groupList()) {
    size += STREAM_CG + raxSize(g.pel.size) + g.pel.size * STREAM_NACK;
    for (const c of g.consumers()) size += STREAM_CONSUMER + sdsSize(c.name.length) + raxSize(c.pel.size);
  }
  return size;
}

export interface UsageInput {
  key: string;
  value: string | Deque<string> | HashValue | SetValue | SortedSet | StreamValue;
  /** The string's encoding (OBJECT ENCODING), for string values. */
  stringEncoding: StringEncoding;
  /** MEMORY USAGE's SAMPLES: how many elements of a collection to size (0: all). */
  samples: number;
  limits: Readonly<EncodingLimits>;
  /** How a score is written into a listpack (Redis's %.17g). */
  formatScore: (d: number) => string;
}

/** The estimate MEMORY USAGE replies: the key's sds and dict entry, plus its value. */
export function estimateUsage(input: UsageInput): number {
  const { value, samples } = input;
  let size = sdsSize(input.key.length) + DICT_ENTRY;
  if (typeof value === 'string') size += stringValueSize(value, input.stringEncoding);
  else if (value instanceof Deque) size += listSize(value, samples, input.limits);
  else if (value instanceof HashValue) size += hashSize(value, samples);
  else if (value instanceof SetValue) size += setSize(value, samples);
  else if (value instanceof SortedSet) size += zsetSize(value, samples, input.formatScore);
  else size += streamSize(value, samples);
  return size;
}
