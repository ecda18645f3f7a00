/**
 * The ReliableDelivery capability (storage.ts, docs/reliability.md) for
 * MemoryStorage: in-flight lists (oldest first), their owners, heartbeats
 * that expire by the storage's clock, and recovery counts. Messages come
 * from and go back to the storage's queue through MemoryInFlightHost.
 */
import type { ReliableDelivery } from './storage.js';

/** What the in-flight lists need of their MemoryStorage's queue and error list. */
export interface MemoryInFlightHost {
  readonly name: string;
  /** take() waits up to the read timeout for a message. */
  readonly blocking: boolean;
  readonly clock: () => number;
  isClosed(): boolean;
  /** The next queued message (highest level first), if any. */
  shift(): string | undefined;
  /** Up to `count` of the next queued messages, at once. */
  shiftUpTo(count: number): string[];
  /** Waits for the next enqueue, which hands its item to `onItem` before anyone else sees it; null on timeout or wake(). */
  waitForItem(onItem: (item: string) => void): Promise<string | null>;
  /** Puts a message back at the front of the plain queue (or straight into a waiting dequeue). */
  toFront(item: string): void;
  putError(metadata: string): Promise<void>;
}

export class MemoryInFlight implements ReliableDelivery {
  private readonly inFlight = new Map<string, string[]>();
  private readonly owners = new Map<string, string>();
  private readonly beats = new Map<string, { info: string; expiresAt: number }>();
  private readonly recovered = new Map<string, number>();

  constructor(private readonly host: MemoryInFlightHost) {}

  private list(name: string): string[] {
    let l = this.inFlight.get(name);
    if (!l) this.inFlight.set(name, (l = []));
    return l;
  }

  async takeMany(list: string, count: number): Promise<string[]> {
    const taken = this.host.shiftUpTo(count);
    if (taken.length) this.list(list).push(...taken);
    return taken;
  }

  async take(list: string): Promise<string | null> {
    const item = this.host.shift();
    if (item !== undefined) {
      this.list(list).push(item);
      return item;
    }
    if (this.host.isClosed()) throw new Error(`memory storage "${this.host.name}" is closed`);
    if (!this.host.blocking) return null;
    return this.host.waitForItem((item) => this.list(list).push(item));
  }

  async ack(list: string, data: string): Promise<boolean> {
    return this.removeOne(list, data);
  }

  private removeOne(list: string, data: string): boolean {
    const l = this.inFlight.get(list);
    const i = l ? l.indexOf(data) : -1;
    if (!l || i < 0) return false;
    l.splice(i, 1);
    if (l.length === 0) this.inFlight.delete(list);
    return true;
  }

  async inFlightItems(list?: string): Promise<string[]> {
    const names = list === undefined ? [...this.owners.keys()] : [list];
    return names.flatMap((n) => [...(this.inFlight.get(n) ?? [])]);
  }

  async requeueNewest(list: string): Promise<string | null> {
    const l = this.inFlight.get(list);
    const item = l?.pop();
    if (item === undefined) return null;
    if (l?.length === 0) this.inFlight.delete(list);
    this.host.toFront(item);
    return item;
  }

  async requeueInFlight(list: string, data: string): Promise<boolean> {
    if (!this.removeOne(list, data)) return false;
    this.host.toFront(data);
    return true;
  }

  async peekNewest(list: string): Promise<string | null> {
    const l = this.inFlight.get(list);
    return l && l.length ? (l[l.length - 1] as string) : null;
  }

  async discardInFlight(list: string, data: string, metadata: string): Promise<boolean> {
    if (!this.removeOne(list, data)) return false;
    await this.host.putError(metadata);
    return true;
  }

  async claimInFlight(from: string, to: string): Promise<'claimed' | 'empty' | 'busy'> {
    const source = this.inFlight.get(from);
    if (!source || source.length === 0) return 'empty';
    if ((this.inFlight.get(to)?.length ?? 0) > 0) return 'busy';
    this.inFlight.delete(from);
    this.inFlight.set(to, source);
    return 'claimed';
  }

  async registerInFlight(consumer: string, lists: string[]): Promise<void> {
    for (const l of lists) this.owners.set(l, consumer);
  }

  async unregisterInFlight(lists: string[]): Promise<void> {
    for (const l of lists) this.owners.delete(l);
  }

  async inFlightOwners(): Promise<Record<string, string>> {
    return Object.fromEntries(this.owners);
  }

  async heartbeat(consumer: string, ttlMs: number, info: string): Promise<void> {
    this.beats.set(consumer, { info, expiresAt: this.host.clock() + ttlMs });
  }

  async dropHeartbeat(consumer: string): Promise<void> {
    this.beats.delete(consumer);
  }

  async heartbeats(consumers: string[]): Promise<(string | null)[]> {
    const now = this.host.clock();
    return consumers.map((c) => {
      const beat = this.beats.get(c);
      return beat && beat.expiresAt > now ? beat.info : null;
    });
  }

  async countRecovery(id: string): Promise<number> {
    const n = (this.recovered.get(id) ?? 0) + 1;
    this.recovered.set(id, n);
    return n;
  }

  async forgetRecovery(id: string): Promise<void> {
    this.recovered.delete(id);
  }

  /** What flushAll removes: the in-flight lists and the recovery counts (owners and heartbeats stay, as their consumers do). */
  clear(): void {
    this.inFlight.clear();
    this.recovered.clear();
  }
}
