// Consumer groups of a stream (Redis's streamCG): a last-delivered ID, a
// read counter, the pending entries list (PEL: delivered, not yet
// acknowledged) and the consumers, each owning part of the PEL.
//
// Redis keeps these in radix trees, which iterate in key order: groups and
// consumers by name bytewise, PEL entries by ID. Sorted arrays give the same
// orders here; PELs are small next to the streams they index.

import { compareIds, type StreamId } from './stream-id.js';

/** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
export const INVALID_ENTRIES_READ = -1;

/** A pending entry: delivered to a consumer, not yet acknowledged. */
export interface PendingEntry {
  readonly id: StreamId;
  /** Null only for a moment, while XCLAIM FORCE creates it. */
  consumer: Consumer | null;
  /** When it was last delivered (ms, the server clock). */
  deliveryTime: number;
  deliveryCount: number;
}

/** Entries kept ordered by stream ID. */
export class IdMap<V> {
  readonly ids: StreamId[] = [];
  readonly values: V[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Index of the first ID >= id. */
  lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.ids[mid], id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: StreamId): V | undefined {
    const i = this.lowerBound(id);
    return i < this.ids.length && compareIds(this.ids[i], id) === 0 ? this.values[i] : undefined;
  }

  /** Inserts or replaces. */
  set(id: StreamId, v: V): void {
    const i = this.lowerBound(id);
    if (i < this.ids.length && compareIds(this.ids[i], id) === 0) {
      this.values[i] = v;
      return;
    }
    this.ids.splice(i, 0, id);
    this.values.splice(i, 0, v);
  }

  delete(id: StreamId): boolean {
    const i = this.lowerBound(id);
    if (i >= this.ids.length || compareIds(this.ids[i], id) !== 0) return false;
    this.ids.splice(i, 1);
    this.values.splice(i, 1);
    return true;
  }
}

export class Consumer {
  readonly pel = new IdMap<PendingEntry>();
  constructor(
    readonly name: string,
    /** Last time it was seen by a command that names it (XINFO CONSUMERS idle). */
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new IdMap<PendingEntry>();
  private readonly consumersByName = new Map<string, Consumer>();

  constructor(
    readonly name: string,
    public lastId: StreamId,
    /** Entries delivered to the group in stream order (-1: unknown), for XINFO's lag. */
    public entriesRead: number,
  ) {}

  consumer(name: string): Consumer | undefined {
    return this.consumersByName.get(name);
  }

  /** Creates the consumer; undefined when it exists. */
  createConsumer(name: string, now: number): Consumer | undefined {
    if (this.consumersByName.has(name)) return undefined;
    const c = new Consumer(name, now);
    this.consumersByName.set(name, c);
    return c;
  }

  /** Removes the consumer and its pending entries from the group's PEL. */
  deleteConsumer(c: Consumer): void {
    for (const id of c.pel.ids) this.pel.delete(id);
    this.consumersByName.delete(c.name);
  }

  /** Consumers in name order (bytewise, as Redis's radix tree). */
  consumers(): Consumer[] {
    return [...this.consumersByName.values()].sort((a, b) => byName(a.name, b.name));
  }

  get consumerCount(): number {
    return this.consumersByName.size;
  }

  /** Removes a pending entry from the group and its owner. */
  acknowledge(id: StreamId): boolean {
    const p = this.pel.get(id);
    if (p === undefined) return false;
    this.pel.delete(id);
    p.consumer?.pel.delete(id);
    return true;
  }

  /** Gives a pending entry to `to` (no-op when it already owns it). */
  transfer(p: PendingEntry, to: Consumer): void {
    if (p.consumer === to) return;
    p.consumer?.pel.delete(p.id);
    to.pel.set(p.id, p);
    p.consumer = to;
  }

  /** A deep copy (COPY, snapshots). */
  clone(): ConsumerGroup {
    const g = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    for (const c of this.consumersByName.values()) {
      const copy = g.createConsumer(c.name, c.seenTime) as Consumer;
      for (const p of c.pel.values) {
        const q: PendingEntry = { id: p.id, consumer: copy, deliveryTime: p.deliveryTime, deliveryCount: p.deliveryCount };
        copy.pel.set(q.id, q);
        g.pel.set(q.id, q);
      }
    }
    return g;
  }
}

/** Bytewise order of binary (latin1) strings. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
