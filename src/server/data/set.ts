// The set value (Redis's OBJ_SET) and the order in which it shows its members.
//
// Redis 7.0 keeps a set as an "intset" while every member is an integer in
// canonical form (what string2ll accepts) and there are at most
// set-max-intset-entries (512 by default) of them; an intset is a sorted array, so
// SMEMBERS, SSCAN, SUNION... list such a set in ascending numeric order.
// Any other member, or one member too many, converts the set to a hash
// table for good (removing members never converts it back), and a hash
// table's order depends on a per-process random seed: no client can rely on
// it, so ours is simply the order of an array.
//
// Members live in an array plus a member -> index map: O(1) add, remove
// (the last member moves into the hole) and uniform random pick, which
// SPOP and SRANDMEMBER need.

import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './encoding-limits.js';

const INT_RE = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** True when Redis can store s in an intset: an int64 written exactly as Redis would print it. */
export function isIntsetMember(s: string): boolean {
  if (s.length > 20 || !INT_RE.test(s)) return false;
  // Up to 18 characters every such integer fits in 64 bits.
  if (s.length <= 18) return true;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Numeric order of two canonical int64 strings. */
function compareIntStrings(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) return Number(a) - Number(b);
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class SetValue implements Iterable<string> {
  readonly kind = 'set' as const;
  /** Members in storage order; see members() for the order replies use. */
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();
  private intset = true;
  /** members() of an intset, sorted; null when it must be recomputed. */
  private sortedCache: string[] | null = null;

  /** `limits`: the server's settings, read at each add as Redis reads its config. */
  constructor(private readonly limits: Readonly<EncodingLimits> = DEFAULT_ENCODING_LIMITS) {}

  get size(): number {
    return this.items.length;
  }

  /** Redis's OBJECT ENCODING for this set. */
  get encoding(): 'intset' | 'hashtable' {
    return this.intset ? 'intset' : 'hashtable';
  }

  has(member: string): boolean {
    return this.index.has(member);
  }

  /** Adds a member; false when it was already there. */
  add(member: string): boolean {
    if (this.index.has(member)) return false;
    this.index.set(member, this.items.length);
    this.items.push(member);
    if (this.intset) {
      this.sortedCache = null;
      if (this.items.length > this.limits.setMaxIntsetEntries || !isIntsetMember(member)) this.intset = false;
    }
    return true;
  }

  /** Removes a member; false when it was not there. */
  delete(member: string): boolean {
    const i = this.index.get(member);
    if (i === undefined) return false;
    this.index.delete(member);
    const last = this.items.pop() as string;
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last, i);
    }
    this.sortedCache = null;
    return true;
  }

  /**
   * Every member in the order Redis lists this set: ascending numbers for an
   * intset, storage order otherwise. The array must not be modified, and it
   * is only valid until the set changes.
   */
  members(): readonly string[] {
    if (!this.intset) return this.items;
    if (this.sortedCache === null) this.sortedCache = [...this.items].sort(compareIntStrings);
    return this.sortedCache;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.members()[Symbol.iterator]();
  }

  /** A uniformly random member; undefined when empty. */
  random(): string | undefined {
    return this.items[Math.floor(Math.random() * this.items.length)];
  }

  /** The member at a storage position (SSCAN's cursor walks these). */
  at(position: number): string | undefined {
    return this.items[position];
  }

  /** A copy with the same encoding (COPY keeps an intset an intset, as Redis's setTypeDup). */
  clone(): SetValue {
    const copy = new SetValue(this.limits);
    for (const m of this.items) copy.add(m);
    copy.intset = this.intset;
    return copy;
  }
}
