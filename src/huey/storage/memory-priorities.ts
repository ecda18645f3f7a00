/**
 * Priority levels (the PriorityQueues capability, storage.ts) for
 * MemoryStorage: the plain queue (level 0) and one FIFO per other level in
 * use, taken highest level first. While no level other than 0 has been
 * used, every call is the plain queue's alone, as without priorities.
 */
import { Fifo } from './memory-fifo.js';

export class MemoryLevels {
  /** Level 0: enqueue(), and where requeued and resumed messages go back to (at its front). */
  readonly plain = new Fifo();
  // Priority levels other than 0, and every level in the order they are taken.
  private readonly levels = new Map<number, Fifo>();
  private takeOrder: Fifo[] = [];

  /** Adds a message at the back of level `priority`. */
  push(item: string, priority: number): void {
    if (priority === 0) return this.plain.push(item);
    let level = this.levels.get(priority);
    if (!level) {
      this.levels.set(priority, (level = new Fifo()));
      const sorted = [...this.levels.keys(), 0].sort((a, b) => b - a);
      this.takeOrder = sorted.map((p) => (p === 0 ? this.plain : (this.levels.get(p) as Fifo)));
    }
    level.push(item);
  }

  /** The next message of the highest non-empty level. */
  shift(): string | undefined {
    if (this.levels.size === 0) return this.plain.shift();
    for (const level of this.takeOrder) {
      const item = level.shift();
      if (item !== undefined) return item;
    }
    return undefined;
  }

  /** The plain queue and every priority level, in the order they are taken. */
  all(): Fifo[] {
    return this.levels.size === 0 ? [this.plain] : this.takeOrder;
  }

  clear(): void {
    this.plain.clear();
    this.levels.clear();
    this.takeOrder = [];
  }
}
