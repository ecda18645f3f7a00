// Encodes a DatasetView as the shortest command log that rebuilds it: the
// body of a rewritten AOF. Like Redis's rewriteAppendOnlyFileRio: one SELECT
// per database, SET / RPUSH / HSET / SADD / ZADD with at most 64 elements per
// command, XADD per stream entry, then PEXPIREAT for keys with a TTL. Scores
// use %.17g, which reads back to the same double.
//
// A stream's last ID can be above its last entry (the entry was deleted): it
// is restored with XSETID (with the entries-added and max-deleted-id
// counters) when the server has that command. An empty stream is created as
// Redis does it, with XADD MAXLEN 0 <last id>. Consumer groups follow as
// XGROUP CREATE ... ENTRIESREAD, XGROUP CREATECONSUMER, and one XCLAIM ...
// FORCE JUSTID per pending entry, with its delivery time and count.

import { formatId, type StreamId } from '../data/stream-id.js';
import { formatDouble } from '../numbers.js';
import { GeneratorProducer, type ByteProducer, type ByteSink } from './byte-sink.js';
import { expiryIndex, type DatasetView } from './dataset-view.js';

/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_COMMAND = 64;

export interface RewriteOptions {
  /** The server implements XSETID. */
  xsetid: boolean;
}

export function aofRewriteProducer(view: DatasetView, options: RewriteOptions): ByteProducer {
  return new GeneratorProducer((sink) => walk(sink, view, options), false);
}

function* walk(sink: ByteSink, view: DatasetView, options: RewriteOptions): Generator<void, void, void> {
  for (const db of view.dbs) {
    const expiry = yield* expiryIndex(db, view.at);
    if (db.keys.length === expiry.expired) continue;
    command(sink, ['SELECT', String(db.index)]);
    for (let k = 0; k < db.keys.length; k++) {
      const key = db.keys[k];
      const at = expiry.at.size === 0 ? undefined : expiry.at.get(key);
      if (at !== undefined && at <= view.at) continue;
      const v = db.values[k];
      if (typeof v === 'string') {
        command(sink, ['SET', key, v]);
      } else if (v.type === 'list') {
        yield* batches(sink, 'RPUSH', key, v.items, 1);
      } else if (v.type === 'hash') {
        yield* batches(sink, 'HSET', key, v.pairs, 2);
      } else if (v.type === 'set') {
        yield* batches(sink, 'SADD', key, v.members, 1);
      } else if (v.type === 'stream') {
        for (let i = 0; i < v.entries.length; i++) {
          const e = v.entries[i];
          header(sink, 3 + e.fields.length);
          arg(sink, 'XADD');
          arg(sink, key);
          arg(sink, formatId(e.id));
          for (const f of e.fields) arg(sink, f);
          if (i % ITEMS_PER_COMMAND === ITEMS_PER_COMMAND - 1) yield;
        }
        if (v.entries.length === 0) {
          const id: StreamId = v.lastId.ms === 0n && v.lastId.seq === 0n ? { ms: 0n, seq: 1n } : v.lastId;
          command(sink, ['XADD', key, 'MAXLEN', '0', formatId(id), 'x', 'y']);
        }
        if (options.xsetid) {
          // The counters that groups' lag is computed from, as Redis's rewrite keeps them.
          command(sink, ['XSETID', key, formatId(v.lastId), 'ENTRIESADDED', String(v.entriesAdded), 'MAXDELETEDID', formatId(v.maxDeletedId)]);
        }
        for (const g of v.groups) {
          command(sink, ['XGROUP', 'CREATE', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
          for (const c of g.consumers) {
            command(sink, ['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
            // As Redis's rewrite: a pending entry whose stream entry is gone is not kept (XCLAIM skips it).
            for (const p of c.pending) {
              command(sink, [
                'XCLAIM', key, g.name, c.name, '0', formatId(p.id),
                'TIME', String(p.deliveryTime), 'RETRYCOUNT', String(p.deliveryCount), 'JUSTID', 'FORCE',
              ]);
            }
          }
          yield;
        }
      } else {
        for (let i = 0; i < v.members.length; i += ITEMS_PER_COMMAND) {
          const n = Math.min(ITEMS_PER_COMMAND, v.members.length - i);
          header(sink, 2 + 2 * n);
          arg(sink, 'ZADD');
          arg(sink, key);
          for (let j = i; j < i + n; j++) {
            arg(sink, formatDouble(v.scores[j]));
            arg(sink, v.members[j]);
          }
          yield;
        }
      }
      if (at !== undefined) command(sink, ['PEXPIREAT', key, String(at)]);
      yield;
    }
  }
}

/**
 * `verb key` commands carrying `items` in order, at most ITEMS_PER_COMMAND
 * elements of `width` items each (a hash field and its value are one
 * element), yielding after each command.
 */
function* batches(sink: ByteSink, verb: string, key: string, items: readonly string[], width: number): Generator<void, void, void> {
  const step = ITEMS_PER_COMMAND * width;
  for (let i = 0; i < items.length; i += step) {
    const end = Math.min(items.length, i + step);
    header(sink, 2 + end - i);
    arg(sink, verb);
    arg(sink, key);
    for (let j = i; j < end; j++) arg(sink, items[j]);
    yield;
  }
}

function command(sink: ByteSink, argv: readonly string[]): void {
  header(sink, argv.length);
  for (const a of argv) arg(sink, a);
}

function header(sink: ByteSink, argc: number): void {
  sink.latin1('*' + argc + '\r\n');
}

function arg(sink: ByteSink, s: string): void {
  sink.latin1('$' + s.length + '\r\n');
  sink.latin1(s);
  sink.latin1('\r\n');
}
