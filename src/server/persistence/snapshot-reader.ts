// Reads a snapshot file (snapshot-format.ts, docs/snapshot-format.md) into
// the server's databases at startup. The checksum is verified before any
// record is read, so a damaged file is refused as a whole; keys whose expiry
// has passed are skipped, as Redis does when it loads an RDB file.

import { Deque } from '../data/deque.js';
import type { EncodingLimits } from '../data/encoding-limits.js';
import { HashValue } from '../data/hash.js';
import { SetValue } from '../data/set.js';
import { SortedSet } from '../data/sorted-set.js';
import { StreamValue } from '../data/stream.js';
import { compareIds, type StreamId } from '../data/stream-id.js';
import { ConsumerGroup, type PendingEntry } from '../data/stream-groups.js';
import type { Database, Value } from '../database.js';
import { crc32 } from './crc32.js';
import {
  HEADER_SIZE,
  MAGIC,
  OP_EOF,
  OP_EXPIRE_MS,
  OP_HASH,
  OP_LIST,
  OP_SELECT_DB,
  OP_SET,
  OP_STREAM,
  OP_STREAM_V2,
  OP_STRING,
  OP_ZSET,
  SNAPSHOT_VERSION,
} from './snapshot-format.js';

/** A snapshot that cannot be loaded; the message names the file and, where it applies, the offset. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotLoadResult {
  version: number;
  createdAt: number;
  keysLoaded: number;
  keysExpired: number;
}

/** Checks and loads `buf` (the whole file) into `databases`, which must be empty. */
export function loadSnapshot(buf: Buffer, path: string, databases: readonly Database[], now: number): SnapshotLoadResult {
  const fail = (what: string, offset?: number) =>
    new SnapshotError(`Bad snapshot file ${path}${offset === undefined ? '' : ` at offset ${offset}`}: ${what}`);
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw fail('not a simpledb snapshot (bad magic)');
  if (buf.length < HEADER_SIZE + 1 + 4) throw fail('file too short');
  const version = buf.readUInt16LE(MAGIC.length);
  if (version < 1 || version > SNAPSHOT_VERSION) {
    throw fail(`format version ${version} is not supported (this simpledb reads versions 1 to ${SNAPSHOT_VERSION})`);
  }
  const end = buf.length - 4;
  const stored = buf.readUInt32LE(end);
  const actual = crc32(buf.subarray(0, end));
  if (stored !== actual) throw fail(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  const createdAt = Number(buf.readBigInt64LE(MAGIC.length + 4));

  const r = new Reader(buf, HEADER_SIZE, end, fail);
  let keysLoaded = 0;
  let keysExpired = 0;
  let db: Database | null = null;
  for (;;) {
    const at = r.pos;
    const op = r.byte();
    if (op === OP_EOF) {
      if (r.pos !== end) throw fail('data after the end marker', r.pos);
      break;
    }
    if (op === OP_SELECT_DB) {
      const index = r.varint();
      r.varint(); // key count: a hint for readers that preallocate
      db = databases[index] ?? null;
      if (db === null) throw fail(`database ${index} does not exist (the server has ${databases.length})`, at);
      continue;
    }
    let expireAt: bigint | undefined;
    let type = op;
    if (op === OP_EXPIRE_MS) {
      expireAt = r.i64();
      type = r.byte();
    }
    if (db === null) throw fail('key before any database marker', at);
    const key = r.str();
    const value = readValue(r, type, at, db.limits);
    if (db.data.has(key)) throw fail(`duplicate key ${JSON.stringify(key)}`, at);
    if (expireAt !== undefined && expireAt <= BigInt(now)) {
      keysExpired++;
      continue;
    }
    db.add(key, value);
    if (expireAt !== undefined) db.setExpireExact(key, expireAt);
    keysLoaded++;
  }
  return { version, createdAt, keysLoaded, keysExpired };
}

/** One value, encoded as Redis encodes what it loads: afresh, under the server's thresholds. */
function readValue(r: Reader, type: number, at: number, limits: Readonly<EncodingLimits>): Value {
  switch (type) {
    case OP_STRING:
      return r.str();
    case OP_LIST: {
      const n = r.count();
      const list = new Deque<string>(n);
      for (let i = 0; i < n; i++) list.pushBack(r.str());
      return list;
    }
    case OP_HASH: {
      const n = r.count();
      const hash = new HashValue();
      for (let i = 0; i < n; i++) {
        const field = r.str();
        hash.set(field, r.str());
      }
      hash.recomputeEncoding(limits);
      return hash;
    }
    case OP_ZSET: {
      const n = r.count();
      const z = new SortedSet();
      z.listpack = false;
      for (let i = 0; i < n; i++) {
        const member = r.str();
        const score = r.f64();
        if (Number.isNaN(score)) throw r.fail('NaN score in a sorted set', r.pos - 8);
        z.set(member, score);
      }
      z.recomputeEncoding(limits);
      return z;
    }
    case OP_SET: {
      const n = r.count();
      const set = new SetValue(limits);
      for (let i = 0; i < n; i++) set.add(r.str());
      return set;
    }
    case OP_STREAM:
    case OP_STREAM_V2: {
      const lastId = r.id();
      const n = r.count();
      const stream = new StreamValue();
      for (let i = 0; i < n; i++) {
        const idAt = r.pos;
        const id = r.id();
        const pairs = r.count();
        const fields: string[] = new Array<string>(pairs * 2);
        for (let j = 0; j < pairs * 2; j++) fields[j] = r.str();
        if (compareIds(id, stream.lastId) <= 0) {
          throw r.fail('stream entry IDs out of order', idAt);
        }
        stream.append(id, fields, limits);
      }
      if (compareIds(lastId, stream.lastId) < 0) throw r.fail('stream last ID below its entries', at);
      stream.lastId = lastId;
      if (type === OP_STREAM_V2) readStreamExtras(r, stream);
      return stream;
    }
    default:
      throw r.fail(`unknown record type 0x${type.toString(16).padStart(2, '0')}`, at);
  }
}

/** A STREAM_V2 record's tail: the stream's counters and its consumer groups. */
function readStreamExtras(r: Reader, stream: StreamValue): void {
  const at = r.pos;
  const added = r.varint();
  if (added < stream.length) throw r.fail('stream entries-added below its length', at);
  stream.entriesAdded = added;
  stream.maxDeletedId = r.id();
  const groups = r.count();
  if (groups !== 0) stream.groups = new Map();
  for (let i = 0; i < groups; i++) {
    const groupAt = r.pos;
    const name = r.str();
    const lastId = r.id();
    const entriesRead = Number(r.i64());
    if (entriesRead < -1) throw r.fail('bad consumer group entries-read', groupAt);
    if (stream.groups!.has(name)) throw r.fail(`duplicate consumer group ${JSON.stringify(name)}`, groupAt);
    const g = new ConsumerGroup(name, lastId, entriesRead);
    stream.groups!.set(name, g);
    const consumers = r.count();
    for (let j = 0; j < consumers; j++) {
      const consumerAt = r.pos;
      const cname = r.str();
      const c = g.createConsumer(cname, Number(r.i64()));
      if (c === undefined) throw r.fail(`duplicate consumer ${JSON.stringify(cname)}`, consumerAt);
      const pending = r.count();
      for (let k = 0; k < pending; k++) {
        const pendingAt = r.pos;
        const id = r.id();
        const p: PendingEntry = { id, consumer: c, deliveryTime: Number(r.i64()), deliveryCount: r.varint() };
        if (g.pel.get(id) !== undefined) throw r.fail('a pending entry owned by two consumers', pendingAt);
        g.pel.set(id, p);
        c.pel.set(id, p);
      }
    }
  }
}

class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly end: number,
    readonly fail: (what: string, offset?: number) => SnapshotError,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.end) throw this.fail('unexpected end of data', this.pos);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  varint(): number {
    let n = 0;
    let mul = 1;
    const start = this.pos;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
      if (mul > 2 ** 56) throw this.fail('length too large', start);
    }
    return n;
  }

  /** An element count, checked against the bytes left so a corrupt count cannot ask for a huge allocation. */
  count(): number {
    const at = this.pos;
    const n = this.varint();
    if (n > this.end - this.pos) throw this.fail(`element count ${n} exceeds the data left`, at);
    return n;
  }

  str(): string {
    const n = this.varint();
    this.need(n);
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  f64(): number {
    this.need(8);
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  id(): StreamId {
    this.need(16);
    const ms = this.buf.readBigUInt64LE(this.pos);
    const seq = this.buf.readBigUInt64LE(this.pos + 8);
    this.pos += 16;
    return { ms, seq };
  }

  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
