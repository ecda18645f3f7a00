/**
 * The PausedTasks capability (storage.ts) for MemoryStorage: a paused task's
 * messages, oldest first, until unpark() hands them back to the storage's
 * queue front (or straight to a waiting dequeue).
 */
import type { PausedTasks } from './storage.js';

export class MemoryPausedTasks implements PausedTasks {
  private readonly parked = new Map<string, string[]>();

  constructor(
    /** Puts a message back at the front of the plain queue (MemoryStorage's toFront). */
    private readonly toFront: (item: string) => void,
  ) {}

  async park(name: string, data: string): Promise<void> {
    let l = this.parked.get(name);
    if (!l) this.parked.set(name, (l = []));
    l.push(data);
  }

  async unpark(name: string): Promise<number> {
    const l = this.parked.get(name) ?? [];
    this.parked.delete(name);
    // Newest first to the front, so the oldest is taken next.
    for (let i = l.length - 1; i >= 0; i--) this.toFront(l[i] as string);
    return l.length;
  }

  async parkedItems(name: string): Promise<string[]> {
    return [...(this.parked.get(name) ?? [])];
  }

  clear(): void {
    this.parked.clear();
  }
}
