// Encodes a DatasetView in the snapshot format (snapshot-format.ts,
// docs/snapshot-format.md), as a producer that file-writer.ts drives a slice
// at a time. It yields between keys and every few hundred elements of a big
// value, so one huge list does not stall the server either.

import { GeneratorProducer, type ByteProducer, type ByteSink } from './byte-sink.js';
import { expiryIndex, type DatasetView } from './dataset-view.js';
import {
  MAGIC,
  OP_EOF,
  OP_EXPIRE_MS,
  OP_HASH,
  OP_LIST,
  OP_SELECT_DB,
  OP_SET,
  OP_STREAM_V2,
  OP_STRING,
  OP_ZSET,
  SNAPSHOT_VERSION,
} from './snapshot-format.js';

const ELEMENTS_PER_STEP = 512;

export function snapshotProducer(view: DatasetView, createdAt: number): ByteProducer {
  return new GeneratorProducer((sink) => walk(sink, view, createdAt), true);
}

function* walk(sink: ByteSink, view: DatasetView, createdAt: number): Generator<void, void, void> {
  header(sink, createdAt);
  for (const db of view.dbs) {
    const expiry = yield* expiryIndex(db, view.at);
    if (db.keys.length === expiry.expired) continue;
    sink.byte(OP_SELECT_DB);
    sink.varint(db.index);
    sink.varint(db.keys.length - expiry.expired);
    for (let k = 0; k < db.keys.length; k++) {
      const at = expiry.at.size === 0 ? undefined : expiry.at.get(db.keys[k]);
      if (at !== undefined) {
        if (at <= view.at) continue;
        sink.byte(OP_EXPIRE_MS);
        sink.i64(BigInt(at));
      }
      const v = db.values[k];
      if (typeof v === 'string') {
        sink.byte(OP_STRING);
        sink.str(db.keys[k]);
        sink.str(v);
      } else if (v.type === 'list') {
        sink.byte(OP_LIST);
        sink.str(db.keys[k]);
        sink.varint(v.items.length);
        for (let i = 0; i < v.items.length; i++) {
          sink.str(v.items[i]);
          if (i % ELEMENTS_PER_STEP === ELEMENTS_PER_STEP - 1) yield;
        }
      } else if (v.type === 'hash') {
        sink.byte(OP_HASH);
        sink.str(db.keys[k]);
        sink.varint(v.pairs.length / 2);
        for (let i = 0; i < v.pairs.length; i++) {
          sink.str(v.pairs[i]);
          if (i % ELEMENTS_PER_STEP === ELEMENTS_PER_STEP - 1) yield;
        }
      } else if (v.type === 'set') {
        sink.byte(OP_SET);
        sink.str(db.keys[k]);
        sink.varint(v.members.length);
        for (let i = 0; i < v.members.length; i++) {
          sink.str(v.members[i]);
          if (i % ELEMENTS_PER_STEP === ELEMENTS_PER_STEP - 1) yield;
        }
      } else if (v.type === 'stream') {
        sink.byte(OP_STREAM_V2);
        sink.str(db.keys[k]);
        sink.u64(v.lastId.ms);
        sink.u64(v.lastId.seq);
        sink.varint(v.entries.length);
        for (let i = 0; i < v.entries.length; i++) {
          const e = v.entries[i];
          sink.u64(e.id.ms);
          sink.u64(e.id.seq);
          sink.varint(e.fields.length / 2);
          for (const f of e.fields) sink.str(f);
          if (i % ELEMENTS_PER_STEP === ELEMENTS_PER_STEP - 1) yield;
        }
        sink.varint(v.entriesAdded);
        sink.u64(v.maxDeletedId.ms);
        sink.u64(v.maxDeletedId.seq);
        sink.varint(v.groups.length);
        for (const g of v.groups) {
          sink.str(g.name);
          sink.u64(g.lastId.ms);
          sink.u64(g.lastId.seq);
          sink.i64(BigInt(g.entriesRead));
          sink.varint(g.consumers.length);
          for (const c of g.consumers) {
            sink.str(c.name);
            sink.i64(BigInt(c.seenTime));
            sink.varint(c.pending.length);
            for (const p of c.pending) {
              sink.u64(p.id.ms);
              sink.u64(p.id.seq);
              sink.i64(BigInt(p.deliveryTime));
              sink.varint(p.deliveryCount);
            }
          }
          yield;
        }
      } else {
        sink.byte(OP_ZSET);
        sink.str(db.keys[k]);
        sink.varint(v.members.length);
        for (let i = 0; i < v.members.length; i++) {
          sink.str(v.members[i]);
          sink.f64(v.scores[i]);
          if (i % ELEMENTS_PER_STEP === ELEMENTS_PER_STEP - 1) yield;
        }
      }
      yield;
    }
  }
  sink.byte(OP_EOF);
  sink.u32(sink.checksum());
}

function header(sink: ByteSink, createdAt: number): void {
  for (const b of MAGIC) sink.byte(b);
  sink.byte(SNAPSHOT_VERSION & 0xff);
  sink.byte(SNAPSHOT_VERSION >> 8);
  sink.byte(0); // flags, reserved
  sink.byte(0);
  sink.i64(BigInt(createdAt));
}
