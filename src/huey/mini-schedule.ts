/**
 * MiniHuey's schedule (see mini.ts): the calls given to `task.schedule()`,
 * kept in memory in the order they become due, and the check of the
 * `schedule()` arguments that turns `{ delay }` or `{ eta }` into a due time.
 */
import type { MiniScheduleOptions } from './mini-types.js';

interface Entry<T> {
  readonly due: number;
  readonly seq: number;
  readonly item: T;
}

// Earlier due time first; equal times in the order they were scheduled.
function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Items by due time (ms), soonest first: a binary min-heap, O(log n) per push and pop. */
export class DueQueue<T> {
  readonly #heap: Entry<T>[] = [];
  #seq = 0;

  /** Items not yet taken. */
  get size(): number {
    return this.#heap.length;
  }

  push(due: number, item: T): void {
    const heap = this.#heap;
    heap.push({ due, seq: this.#seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Removes and returns the soonest item if it is due at `now` (ms); undefined otherwise. */
  popDue(now: number): T | undefined {
    const heap = this.#heap;
    if (heap.length === 0 || heap[0]!.due > now) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top.item;
  }
}

/**
 * Checks the options of `<name>.schedule()` and returns the arguments and the
 * due time in ms; `now` is read only for a delay. Exactly one of `delay`
 * (seconds) and `eta` (a Date) must be given.
 */
export function resolveSchedule(
  name: string,
  opts: MiniScheduleOptions<unknown[]>,
  now: () => Date,
): { args: unknown[] | undefined; due: number } {
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError(`${name}.schedule: expected { args, delay } or { args, eta }`);
  }
  const { args, delay, eta } = opts;
  if (args !== undefined && !Array.isArray(args)) {
    throw new TypeError(`${name}.schedule: args must be an array`);
  }
  const hasDelay = delay !== undefined && delay !== null;
  const hasEta = eta !== undefined && eta !== null;
  if (hasDelay && hasEta) throw new Error(`${name}.schedule: give either a delay or an eta, not both`);
  if (hasDelay) {
    if (typeof delay !== 'number' || !Number.isFinite(delay)) {
      throw new TypeError(`${name}.schedule: delay must be a number of seconds, got ${String(delay)}`);
    }
    return { args, due: now().getTime() + delay * 1000 };
  }
  if (hasEta) {
    if (!(eta instanceof Date) || Number.isNaN(eta.getTime())) {
      throw new TypeError(`${name}.schedule: eta must be a valid Date, got ${String(eta)}`);
    }
    return { args, due: eta.getTime() };
  }
  throw new Error(`${name}.schedule: either a delay (in seconds) or an eta (a Date) must be given`);
}
