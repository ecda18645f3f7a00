/**
 * The list MemoryStorage keeps its queues in (the plain queue, each priority
 * level): push and shift in O(1), and the rare whole-list operations
 * (listing, removal of a message) in O(n).
 */

/** A FIFO of strings with O(1) push and shift. */
export class Fifo {
  private items: string[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(item: string): void {
    this.items.push(item);
  }
  /** Puts an item back at the front (it is the next shift()). */
  unshift(item: string): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    // Compact now and then so the consumed prefix does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  toArray(): string[] {
    return this.items.slice(this.head);
  }
  removeAll(item: string): number {
    const live = this.toArray();
    const kept = live.filter((x) => x !== item);
    this.items = kept;
    this.head = 0;
    return live.length - kept.length;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
