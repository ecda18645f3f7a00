// The stream value (Redis's OBJ_STREAM): entries with increasing IDs, each a
// list of field/value pairs, grouped in nodes the way Redis 7.0 groups them.
//
// Redis stores a stream as a radix tree of listpacks ("nodes"). The grouping
// shows through in two places users see: approximate trimming (MAXLEN ~ and
// MINID ~) removes whole nodes only, and deleted entries stay behind in
// their node as tombstones until the whole node goes. So this class keeps
// the same nodes: a node is closed when it holds stream-node-max-entries
// (100 by default) entries, live or deleted, or when its listpack would reach
// stream-node-max-bytes (4096 by default); the listpack's size is tracked byte for byte
// with listpack.c's encoding rules, so node boundaries fall where Redis's do.
//
// IDs are two unsigned 64-bit numbers, held as bigints (data/stream-id.ts).

import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './encoding-limits.js';
import { intBytes, stringBytes } from './listpack-size.js';
import { raxNodeCount } from './rax-size.js';
import { compareIds, incrId, MAX_ID, MIN_ID, type StreamId } from './stream-id.js';
import { ConsumerGroup, byName } from './stream-groups.js';

export interface StreamEntry {
  readonly id: StreamId;
  /** field, value, field, value... */
  readonly fields: readonly string[];
  /** A tombstone (XDEL, exact trimming inside a node): skipped by every read. */
  deleted: boolean;
}

/** The most bytes a node's listpack may reach (STREAM_LISTPACK_MAX_SIZE), and the bound of stream-node-max-bytes 0. */
const LISTPACK_MAX_BYTES = 2 ** 30;

/** An unsigned 64-bit difference as the signed long long Redis stores. */
function delta(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a - b);
}

const FLAG_SAMEFIELDS = 2;

/** One listpack of Redis's radix tree. */
class StreamNode {
  readonly entries: StreamEntry[] = [];
  /** Live entries (the listpack's "count"). */
  live = 0;
  /** Tombstones (the listpack's "deleted"). */
  dead = 0;
  /** The listpack's total size in bytes. */
  bytes: number;

  constructor(
    /** The ID of the node's first entry: the radix tree key. */
    readonly master: StreamId,
    /** The first entry's field names, which later entries may share. */
    readonly masterFields: readonly string[],
  ) {
    // Header and end byte, count (1, the entry being added), deleted (0),
    // the number of master fields, the fields, and the master terminator (0).
    let bytes = 7 + intBytes(1) + intBytes(0) + intBytes(masterFields.length) + intBytes(0);
    for (const f of masterFields) bytes += stringBytes(f);
    this.bytes = bytes;
  }

  get last(): StreamEntry {
    return this.entries[this.entries.length - 1];
  }

  /** Adds an entry at the end, as streamAppendItem encodes it. */
  push(entry: StreamEntry): void {
    const fields = entry.fields;
    const n = fields.length >> 1;
    let same = this.entries.length === 0;
    if (!same && n === this.masterFields.length) {
      same = true;
      for (let i = 0; i < n; i++) {
        if (fields[2 * i] !== this.masterFields[i]) {
          same = false;
          break;
        }
      }
    }
    if (this.entries.length !== 0) this.setCounts(this.live + 1, this.dead);
    let bytes = intBytes(same ? FLAG_SAMEFIELDS : 0);
    bytes += intBytes(delta(entry.id.ms, this.master.ms)) + intBytes(delta(entry.id.seq, this.master.seq));
    if (!same) bytes += intBytes(n);
    for (let i = 0; i < fields.length; i += 2) {
      if (!same) bytes += stringBytes(fields[i]);
      bytes += stringBytes(fields[i + 1]);
    }
    bytes += intBytes(same ? n + 3 : 2 * n + 4); // lp-count: elements after the flags, to walk back
    this.bytes += bytes;
    this.entries.push(entry);
    if (this.entries.length === 1) this.live = 1;
  }

  /** Flags an entry as deleted (the flag stays one byte) and updates the counters. */
  kill(entry: StreamEntry): void {
    entry.deleted = true;
    this.setCounts(this.live - 1, this.dead + 1);
  }

  /** Rewrites the count and deleted fields, whose encoded size may change. */
  setCounts(live: number, dead: number): void {
    this.bytes += intBytes(live) - intBytes(this.live) + intBytes(dead) - intBytes(this.dead);
    this.live = live;
    this.dead = dead;
  }

  /** Index of the first entry with id >= target, or with id > target when `after` (entries.length when none). */
  bound(target: StreamId, after = false): number {
    const limit = after ? 0 : -1;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.entries[mid].id, target) <= limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** How XADD/XTRIM trim: by length or by minimum ID, exactly or by whole nodes, with a work limit (0: none). */
export interface TrimSpec {
  strategy: 'maxlen' | 'minid';
  maxlen: number;
  minid: StreamId;
  approx: boolean;
  limit: number;
}

export class StreamValue {
  readonly kind = 'stream' as const;
  private nodes: StreamNode[] = [];
  /** Live entries. */
  length = 0;
  /** The greatest ID ever added (it stays when that entry is deleted): new IDs must be above it. */
  lastId: StreamId = MIN_ID;
  /** Entries ever added (Redis's entries_added): with a group's read counter it gives the group's lag. */
  entriesAdded = 0;
  /** The greatest ID XDEL removed (0-0: none), which tells whether a group's read counter is still exact. */
  maxDeletedId: StreamId = MIN_ID;
  /** Consumer groups by name; null until the first XGROUP CREATE. */
  groups: Map<string, ConsumerGroup> | null = null;

  group(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** Groups in name order (bytewise), as Redis lists them. */
  groupList(): ConsumerGroup[] {
    return this.groups === null ? [] : [...this.groups.values()].sort((a, b) => byName(a.name, b.name));
  }

  /** The ID of the first live entry, or 0-0 when there is none (Redis's first_id). */
  firstLiveId(): StreamId {
    for (const e of this.range(MIN_ID, MAX_ID)) return e.id;
    return MIN_ID;
  }

  /** How many listpacks hold the entries (XINFO STREAM's radix-tree-keys). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Each node's listpack size in bytes, oldest first (MEMORY USAGE samples them). */
  *nodeBytes(): IterableIterator<number> {
    for (const n of this.nodes) yield n.bytes;
  }

  /** XINFO STREAM's radix-tree-nodes: the nodes of Redis's tree over the listpacks. */
  radixTreeNodes(): number {
    return raxNodeCount(this.nodes.map((n) => n.master));
  }

  /** Whether the live entry exists. */
  has(id: StreamId): boolean {
    return this.locate(id) !== null;
  }

  /** The live entry with this ID. */
  entry(id: StreamId): StreamEntry | undefined {
    const at = this.locate(id);
    return at === null ? undefined : this.nodes[at[0]].entries[at[1]];
  }

  /** The ID XADD * generates at time nowMs, or null when the stream is exhausted. */
  nextAutoId(nowMs: number): StreamId | null {
    const ms = BigInt(Math.floor(nowMs));
    if (ms > this.lastId.ms) return { ms, seq: 0n };
    return incrId(this.lastId);
  }

  /**
   * Appends an entry; id must be greater than lastId. A new node starts when
   * the tail would reach stream-node-max-bytes (0: the listpack limit) or
   * holds stream-node-max-entries (0: no limit), as streamAppendItem.
   */
  append(id: StreamId, fields: readonly string[], limits: Readonly<EncodingLimits> = DEFAULT_ENCODING_LIMITS): void {
    let tail = this.nodes.length === 0 ? undefined : this.nodes[this.nodes.length - 1];
    if (tail !== undefined) {
      let size = 0;
      for (const f of fields) size += f.length;
      const maxBytes = limits.streamNodeMaxBytes === 0 || limits.streamNodeMaxBytes > LISTPACK_MAX_BYTES ? LISTPACK_MAX_BYTES : limits.streamNodeMaxBytes;
      const maxEntries = limits.streamNodeMaxEntries;
      if (tail.bytes + size >= maxBytes || (maxEntries !== 0 && tail.live + tail.dead >= maxEntries)) tail = undefined;
    }
    if (tail === undefined) {
      const names: string[] = [];
      for (let i = 0; i < fields.length; i += 2) names.push(fields[i]);
      tail = new StreamNode(id, names);
      this.nodes.push(tail);
    }
    tail.push({ id, fields, deleted: false });
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
  }

  /** Deletes the live entry with this ID; false when there is none. */
  delete(id: StreamId): boolean {
    const at = this.locate(id);
    if (at === null) return false;
    const [n, i] = at;
    const node = this.nodes[n];
    if (node.live === 1) this.nodes.splice(n, 1);
    else node.kill(node.entries[i]);
    this.length--;
    if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
    return true;
  }

  /** [node index, entry index] of the live entry with this ID. */
  private locate(id: StreamId): [number, number] | null {
    const n = this.nodeFor(id);
    if (n < 0) return null;
    const node = this.nodes[n];
    const i = node.bound(id);
    const e = node.entries[i];
    if (e === undefined || e.deleted || compareIds(e.id, id) !== 0) return null;
    return [n, i];
  }

  /** Index of the last node whose first ID is <= id, or -1. */
  private nodeFor(id: StreamId): number {
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.nodes[mid].master, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Live entries with start <= id <= end, ascending, or descending when rev. */
  *range(start: StreamId, end: StreamId, rev = false): Generator<StreamEntry> {
    if (compareIds(start, end) > 0) return;
    const nodes = this.nodes;
    if (!rev) {
      let n = Math.max(this.nodeFor(start), 0);
      let i = n < nodes.length ? nodes[n].bound(start) : 0;
      for (; n < nodes.length; n++) {
        const entries = nodes[n].entries;
        for (; i < entries.length; i++) {
          const e = entries[i];
          if (e.deleted) continue;
          if (compareIds(e.id, end) > 0) return;
          yield e;
        }
        i = 0;
      }
    } else {
      let n = this.nodeFor(end);
      if (n < 0) return;
      let i = nodes[n].bound(end, true);
      for (; n >= 0; n--) {
        const entries = nodes[n].entries;
        if (i < 0) i = entries.length;
        while (--i >= 0) {
          const e = entries[i];
          if (e.deleted) continue;
          if (compareIds(e.id, start) < 0) return;
          yield e;
        }
      }
    }
  }

  /** The ID of the last live entry, or null when there is none. */
  lastLiveId(): StreamId | null {
    for (const e of this.range(MIN_ID, MAX_ID, true)) return e.id;
    return null;
  }

  /** The first ID in the stream counting tombstones (Redis's streamGetEdgeID without skipping), MAX_ID when none. */
  firstEdgeId(): StreamId {
    return this.nodes.length === 0 ? MAX_ID : this.nodes[0].entries[0].id;
  }

  /** Trims from the oldest entries as Redis's streamTrim does; returns how many entries went. */
  trim(spec: TrimSpec): number {
    const byLength = spec.strategy === 'maxlen';
    let deleted = 0;
    let removeNodes = 0;
    for (const node of this.nodes) {
      if (byLength && this.length <= spec.maxlen) break;
      const entries = node.live;
      if (spec.limit !== 0 && deleted + entries > spec.limit) break;
      const wholeNode = byLength ? this.length - entries >= spec.maxlen : compareIds(node.last.id, spec.minid) < 0;
      if (wholeNode) {
        removeNodes++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (spec.approx) break;
      // Exact trimming inside the node: tombstones, as Redis flags them.
      let killed = 0;
      for (const e of node.entries) {
        if (byLength ? this.length <= spec.maxlen : compareIds(e.id, spec.minid) >= 0) break;
        if (e.deleted) continue;
        e.deleted = true;
        killed++;
        this.length--;
      }
      node.setCounts(node.live - killed, node.dead + killed);
      deleted += killed;
      break;
    }
    if (removeNodes !== 0) this.nodes.splice(0, removeNodes);
    return deleted;
  }

  /** A deep copy with the same nodes (COPY). */
  clone(): StreamValue {
    const copy = new StreamValue();
    for (const node of this.nodes) {
      const n = new StreamNode(node.master, node.masterFields);
      for (const e of node.entries) n.entries.push({ id: e.id, fields: e.fields, deleted: e.deleted });
      n.live = node.live;
      n.dead = node.dead;
      n.bytes = node.bytes;
      copy.nodes.push(n);
    }
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.entriesAdded = this.entriesAdded;
    copy.maxDeletedId = this.maxDeletedId;
    if (this.groups !== null) copy.groups = new Map([...this.groups].map(([name, g]) => [name, g.clone()]));
    return copy;
  }
}
