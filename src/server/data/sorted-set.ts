// Sorted set: member -> score map plus an order-statistics structure
// (skip list) for O(log n) insert, remove and rank. Placeholder shape; the
// full implementation lives here.

export class SortedSet {
  readonly kind = 'zset' as const;
  readonly scores = new Map<string, number>();

  get size(): number {
    return this.scores.size;
  }
}
