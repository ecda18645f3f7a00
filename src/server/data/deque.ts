// A growable ring buffer: O(1) push and pop at both ends and O(1) index,
// which is what Redis's quicklist gives lists (LPUSH/RPOP queues, LINDEX).

export class Deque<T> {
  readonly kind = 'list' as const;
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;

  constructor(capacity = 8) {
    this.buf = new Array(capacity);
  }

  get length(): number {
    return this.len;
  }

  pushBack(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = v;
    this.len++;
  }

  pushFront(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = v;
    this.len++;
  }

  popFront(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    return v;
  }

  popBack(): T | undefined {
    if (this.len === 0) return undefined;
    const i = (this.head + this.len - 1) % this.buf.length;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    return v;
  }

  /** Element at 0-based index from the front; undefined when out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) % this.buf.length];
  }

  set(i: number, v: T): void {
    if (i < 0 || i >= this.len) throw new RangeError('index out of range');
    this.buf[(this.head + i) % this.buf.length] = v;
  }

  /** Elements [start, end) in order. */
  slice(start = 0, end = this.len): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.len); i++) out.push(this.buf[(this.head + i) % this.buf.length] as T);
    return out;
  }

  /** Replaces the whole content (used by O(n) operations such as LREM, LINSERT, LTRIM). */
  replaceAll(items: T[]): void {
    let cap = 8;
    while (cap < items.length) cap *= 2;
    this.buf = new Array(cap);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
    this.len = items.length;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
