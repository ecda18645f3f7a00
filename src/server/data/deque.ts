// A growable ring buffer: O(1) push and pop at both ends and O(1) index,
// which is what Redis's quicklist gives lists (LPUSH/RPOP queues, LINDEX).
//
// The capacity is always a power of two so that wrapping an index is a mask,
// not a division; this sits on the LPUSH/RPOP hot path. The buffer shrinks
// when a drained list leaves it mostly empty, so a queue that once held a
// million items does not keep a million slots forever. Vacated slots are
// cleared so popped values can be collected.

const MIN_CAPACITY = 8;

export class Deque<T> {
  readonly kind = 'list' as const;
  private buf: (T | undefined)[];
  private mask: number;
  private head = 0;
  private len = 0;

  constructor(capacity = MIN_CAPACITY) {
    const cap = roundUpPow2(capacity);
    this.buf = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  /** A deque holding items in order. */
  static from<T>(items: Iterable<T>): Deque<T> {
    const d = new Deque<T>();
    for (const v of items) d.pushBack(v);
    return d;
  }

  get length(): number {
    return this.len;
  }

  /** Current number of slots; exposed for tests of growth and shrinking. */
  get capacity(): number {
    return this.buf.length;
  }

  pushBack(v: T): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = v;
    this.len++;
  }

  pushFront(v: T): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.len++;
  }

  popFront(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.maybeShrink();
    return v;
  }

  popBack(): T | undefined {
    if (this.len === 0) return undefined;
    const i = (this.head + this.len - 1) & this.mask;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    this.maybeShrink();
    return v;
  }

  peekFront(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  peekBack(): T | undefined {
    return this.len === 0 ? undefined : this.buf[(this.head + this.len - 1) & this.mask];
  }

  /** Element at 0-based index from the front; undefined when out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  set(i: number, v: T): void {
    if (i < 0 || i >= this.len) throw new RangeError('index out of range');
    this.buf[(this.head + i) & this.mask] = v;
  }

  /** Inserts v so that it ends up at index i (0..length); shifts the shorter side. */
  insert(i: number, v: T): void {
    if (i < 0 || i > this.len) throw new RangeError('index out of range');
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    const { buf, mask } = this;
    if (i < this.len - i) {
      // Move the first i items one slot towards the front.
      this.head = (this.head - 1) & mask;
      for (let k = 0; k < i; k++) buf[(this.head + k) & mask] = buf[(this.head + k + 1) & mask];
    } else {
      // Move the items after i one slot towards the back.
      for (let k = this.len; k > i; k--) buf[(this.head + k) & mask] = buf[(this.head + k - 1) & mask];
    }
    buf[(this.head + i) & mask] = v;
    this.len++;
  }

  /** Removes and returns the item at index i; shifts the shorter side. */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    const { buf, mask } = this;
    const v = buf[(this.head + i) & mask];
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) buf[(this.head + k) & mask] = buf[(this.head + k - 1) & mask];
      buf[this.head] = undefined;
      this.head = (this.head + 1) & mask;
    } else {
      for (let k = i; k < this.len - 1; k++) buf[(this.head + k) & mask] = buf[(this.head + k + 1) & mask];
      buf[(this.head + this.len - 1) & mask] = undefined;
    }
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Drops n items from the front (all when n >= length). */
  dropFront(n: number): void {
    n = Math.min(n, this.len);
    for (let k = 0; k < n; k++) {
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
    }
    this.len -= n;
    this.maybeShrink();
  }

  /** Drops n items from the back (all when n >= length). */
  dropBack(n: number): void {
    n = Math.min(n, this.len);
    for (let k = 0; k < n; k++) this.buf[(this.head + this.len - 1 - k) & this.mask] = undefined;
    this.len -= n;
    this.maybeShrink();
  }

  /**
   * Removes items equal to v (===): at most `limit` of them (0 = all),
   * scanning from the front, or from the back when fromBack. One compacting
   * pass, O(n). Returns how many were removed.
   */
  removeValue(v: T, limit: number, fromBack: boolean): number {
    const { buf, mask, head, len } = this;
    let removed = 0;
    if (!fromBack) {
      let w = 0;
      for (let r = 0; r < len; r++) {
        const x = buf[(head + r) & mask] as T;
        if (x === v && (limit === 0 || removed < limit)) removed++;
        else {
          if (w !== r) buf[(head + w) & mask] = x;
          w++;
        }
      }
      for (let k = w; k < len; k++) buf[(head + k) & mask] = undefined;
    } else {
      let w = len - 1;
      for (let r = len - 1; r >= 0; r--) {
        const x = buf[(head + r) & mask] as T;
        if (x === v && (limit === 0 || removed < limit)) removed++;
        else {
          if (w !== r) buf[(head + w) & mask] = x;
          w--;
        }
      }
      for (let k = 0; k <= w; k++) buf[(head + k) & mask] = undefined;
      this.head = (head + removed) & mask;
    }
    this.len = len - removed;
    this.maybeShrink();
    return removed;
  }

  /** Index of the first item === v scanning from the front, or -1. */
  indexOf(v: T): number {
    for (let i = 0; i < this.len; i++) if (this.buf[(this.head + i) & this.mask] === v) return i;
    return -1;
  }

  /** Elements [start, end) in order. */
  slice(start = 0, end = this.len): T[] {
    const from = Math.max(0, start);
    const to = Math.min(end, this.len);
    const out: T[] = [];
    for (let i = from; i < to; i++) out.push(this.buf[(this.head + i) & this.mask] as T);
    return out;
  }

  /** Replaces the whole content. */
  replaceAll(items: readonly T[]): void {
    const cap = roundUpPow2(items.length);
    this.buf = new Array<T | undefined>(cap);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.mask = cap - 1;
    this.head = 0;
    this.len = items.length;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) & this.mask] as T;
  }

  /** Halves the buffer once it is less than a quarter full: amortized O(1), no thrashing at the boundary. */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > 64 && this.len < cap >>> 2) this.resize(cap >>> 1);
  }

  private resize(cap: number): void {
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) & this.mask];
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}

function roundUpPow2(n: number): number {
  let cap = MIN_CAPACITY;
  while (cap < n) cap *= 2;
  return cap;
}
