// A first-in first-out queue with O(1) push and shift, for commands awaiting a
// write or a reply. Array.prototype.shift is O(n), which hurts with 100k in flight.

/** FIFO queue over a growable array with a moving head. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  /** The item `i` places behind the head. */
  at(i: number): T | undefined {
    return this.items[this.head + i];
  }

  shift(): T | undefined {
    const items = this.items;
    if (this.head >= items.length) return undefined;
    const item = items[this.head];
    items[this.head++] = undefined;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Moves every item to the end of `target`, oldest first (O(1) when `target` is empty). */
  transferTo(target: Fifo<T>): void {
    if (target.length === 0) {
      const items = target.items;
      target.items = this.items;
      target.head = this.head;
      items.length = 0;
      this.items = items;
      this.head = 0;
      return;
    }
    for (let i = this.head; i < this.items.length; i++) target.items.push(this.items[i]);
    this.items.length = 0;
    this.head = 0;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}
