/** The UniqueKeys capability (storage.ts) for MemoryStorage: unique key -> id of the task holding it. */
import type { UniqueKeys } from './storage.js';

export class MemoryUniqueKeys implements UniqueKeys {
  private readonly holders = new Map<string, string>();

  async claimUnique(key: string, id: string): Promise<string | null> {
    const holder = this.holders.get(key);
    if (holder !== undefined) return holder;
    this.holders.set(key, id);
    return null;
  }

  async releaseUnique(key: string, id: string): Promise<void> {
    if (this.holders.get(key) === id) this.holders.delete(key);
  }

  clear(): void {
    this.holders.clear();
  }
}
