// Sorted set: a member -> node map for O(1) score lookup, plus a skip list
// with spans (an order-statistics list) for O(log n) insert, remove, rank and
// seek by rank, score or lex bound. Elements are ordered by score, then by
// member byte order, as in Redis; members are binary strings (one char per
// byte), so JS string comparison is byte comparison.
//
// Nodes are exposed read-only so that range commands can walk them with
// `next`/`prev` after one O(log n) seek, without copying the set.

import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './encoding-limits.js';

const MAX_LEVEL = 32;
/** Probability that a node reaches the next level (Redis uses 1/4 too). */
const P = 0.25;

/** One element; `next`/`prev` walk the set in order. Do not mutate. */
export class ZNode {
  /** forward[i]: the next node at level i; span[i]: how many level-0 steps that link jumps. */
  readonly forward: (ZNode | null)[];
  readonly span: number[];
  prev: ZNode | null = null;

  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    this.forward = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }

  get next(): ZNode | null {
    return this.forward[0];
  }
}

/** A score interval; `minex`/`maxex` make an end exclusive ("(" in Redis syntax). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** The lex bounds "-" and "+": below and above every string. */
export const LEX_MIN: unique symbol = Symbol('lex-min');
export const LEX_MAX: unique symbol = Symbol('lex-max');
export type LexEdge = string | typeof LEX_MIN | typeof LEX_MAX;

/** A member interval, as ZRANGEBYLEX's "[a" "(b" "-" "+". */
export interface LexRange {
  min: LexEdge;
  max: LexEdge;
  minex: boolean;
  maxex: boolean;
}

/** Compares like Redis's sdscmplex: the sentinels sort before/after every string. */
export function compareLex(a: LexEdge, b: LexEdge): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : 1;
}

export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

export function lexGteMin(member: string, r: LexRange): boolean {
  const c = compareLex(member, r.min);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(member: string, r: LexRange): boolean {
  const c = compareLex(member, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no score can satisfy the range (min > max, or an empty open interval). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexRangeEmpty(r: LexRange): boolean {
  const c = compareLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < P) level++;
  return level;
}

export class SortedSet {
  readonly kind = 'zset' as const;
  /**
   * Redis 7.0 keeps a sorted set as a listpack until a new member makes it
   * longer than zset-max-listpack-entries or is longer than
   * zset-max-listpack-value bytes; then it is a skip list for good, except
   * that a STORE command builds its result afresh (recomputeEncoding).
   */
  listpack = true;
  private readonly nodes = new Map<string, ZNode>();
  /** Sentinel before the first node; its forward links start every search. */
  private readonly header = new ZNode('', -Infinity, MAX_LEVEL);
  private tail: ZNode | null = null;
  private level = 1;
  /** Scratch arrays for searches, reused to keep the hot path allocation-free. */
  private readonly update: ZNode[] = new Array<ZNode>(MAX_LEVEL);
  private readonly rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

  get size(): number {
    return this.nodes.size;
  }

  /** The member's score, or undefined when it is not in the set. */
  score(member: string): number | undefined {
    return this.nodes.get(member)?.score;
  }

  has(member: string): boolean {
    return this.nodes.has(member);
  }

  /** Redis's OBJECT ENCODING for this sorted set. */
  get encoding(): 'listpack' | 'skiplist' {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /** Before a new member is added (zsetAdd's check, O(1)): one too many, or too long, converts the set. */
  checkAdding(limits: Readonly<EncodingLimits>, member: string): void {
    if (this.listpack && (this.size + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) this.listpack = false;
  }

  /**
   * The encoding a set built afresh gets (zsetConvertToListpackIfNeeded:
   * STORE results, a snapshot load). Build such a set with `listpack`
   * false, as Redis builds a skip list, so -0 scores survive where it keeps them.
   */
  recomputeEncoding(limits: Readonly<EncodingLimits> = DEFAULT_ENCODING_LIMITS): void {
    let fits = this.size <= limits.zsetMaxListpackEntries;
    if (fits) for (const member of this.nodes.keys()) if (member.length > limits.zsetMaxListpackValue) fits = false;
    this.listpack = fits;
    // A listpack writes scores as text, where -0 becomes 0.
    if (fits) for (const node of this.nodes.values()) if (node.score === 0) node.score = 0;
  }

  /** The lowest element, or null when empty. */
  get first(): ZNode | null {
    return this.header.forward[0];
  }

  /** The highest element, or null when empty. */
  get last(): ZNode | null {
    return this.tail;
  }

  /**
   * Sets member's score, inserting it when new. Returns true when the member
   * was added. The score must not be NaN. A listpack stores -0 as 0; a skip
   * list keeps it, as Redis's do.
   */
  set(member: string, score: number): boolean {
    if (score === 0 && this.listpack) score = 0;
    const node = this.nodes.get(member);
    if (node === undefined) {
      this.nodes.set(member, this.insert(member, score));
      return true;
    }
    if (node.score !== score) this.updateScore(node, score);
    return false;
  }

  /** Removes member; returns whether it was there. */
  delete(member: string): boolean {
    const node = this.nodes.get(member);
    if (node === undefined) return false;
    this.unlink(node);
    this.nodes.delete(member);
    return true;
  }

  /** 0-based rank of member (from the lowest, or the highest when reverse); -1 when missing. */
  rank(member: string, reverse = false): number {
    const node = this.nodes.get(member);
    if (node === undefined) return -1;
    const r = this.rankOf(node);
    return reverse ? this.nodes.size - 1 - r : r;
  }

  /** The element at 0-based rank, or null when out of range. */
  byRank(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.nodes.size) return null;
    if (rank === 0) return this.header.forward[0];
    if (rank === this.nodes.size - 1) return this.tail;
    // Skip-list ranks are 1-based: the header is rank 0.
    const target = rank + 1;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && traversed + x.span[i] <= target) {
        traversed += x.span[i];
        x = f;
        f = x.forward[i];
      }
      if (traversed === target) return x;
    }
    return null;
  }

  /** The first element whose score is within the range, or null. */
  firstInScoreRange(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r) || this.tail === null || !scoreGteMin(this.tail.score, r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && !scoreGteMin(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0];
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** The last element whose score is within the range, or null. */
  lastInScoreRange(r: ScoreRange): ZNode | null {
    const head = this.header.forward[0];
    if (scoreRangeEmpty(r) || head === null || !scoreLteMax(head.score, r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && scoreLteMax(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  /** The first element whose member is within the lex range, or null. */
  firstInLexRange(r: LexRange): ZNode | null {
    if (lexRangeEmpty(r) || this.tail === null || !lexGteMin(this.tail.member, r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && !lexGteMin(f.member, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0];
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  /** The last element whose member is within the lex range, or null. */
  lastInLexRange(r: LexRange): ZNode | null {
    const head = this.header.forward[0];
    if (lexRangeEmpty(r) || head === null || !lexLteMax(head.member, r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && lexLteMax(f.member, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && lexGteMin(x.member, r) ? x : null;
  }

  /** How many elements have a score in the range: two seeks and two ranks, O(log n). */
  countInScoreRange(r: ScoreRange): number {
    const first = this.firstInScoreRange(r);
    if (first === null) return 0;
    const last = this.lastInScoreRange(r);
    return last === null ? 0 : this.rankOf(last) - this.rankOf(first) + 1;
  }

  countInLexRange(r: LexRange): number {
    const first = this.firstInLexRange(r);
    if (first === null) return 0;
    const last = this.lastInLexRange(r);
    return last === null ? 0 : this.rankOf(last) - this.rankOf(first) + 1;
  }

  /** Removes the elements with 0-based ranks start..end (inclusive, already clamped); returns how many. */
  deleteRangeByRank(start: number, end: number): number {
    const first = this.byRank(start);
    if (first === null || end < start) return 0;
    return this.deleteFrom(first, end - start + 1, () => true);
  }

  deleteRangeByScore(r: ScoreRange): number {
    const first = this.firstInScoreRange(r);
    return first === null ? 0 : this.deleteFrom(first, Infinity, (n) => scoreLteMax(n.score, r));
  }

  deleteRangeByLex(r: LexRange): number {
    const first = this.firstInLexRange(r);
    return first === null ? 0 : this.deleteFrom(first, Infinity, (n) => lexLteMax(n.member, r));
  }

  /**
   * The members in no particular order, as a live iterator that sees later
   * inserts and skips removed members (what ZSCAN's cursors walk).
   */
  members(): IterableIterator<string> {
    return this.nodes.keys();
  }

  /** Elements in order (lowest first). */
  *[Symbol.iterator](): IterableIterator<ZNode> {
    for (let n = this.header.forward[0]; n !== null; n = n.forward[0]) yield n;
  }

  /** Deletes up to `max` consecutive nodes from `node` while `keep` holds. */
  private deleteFrom(node: ZNode, max: number, inRange: (n: ZNode) => boolean): number {
    let deleted = 0;
    let n: ZNode | null = node;
    while (n !== null && deleted < max && inRange(n)) {
      const next: ZNode | null = n.forward[0];
      this.unlink(n);
      this.nodes.delete(n.member);
      deleted++;
      n = next;
    }
    return deleted;
  }

  /** 0-based rank of a node known to be in the list. */
  private rankOf(node: ZNode): number {
    const { score, member } = node;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && (f.score < score || (f.score === score && f.member <= member))) {
        rank += x.span[i];
        x = f;
        f = x.forward[i];
      }
      if (x === node) return rank - 1;
    }
    return rank - 1;
  }

  private insert(member: string, score: number): ZNode {
    const update = this.update;
    const rankAt = this.rankAt;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1];
      let f = x.forward[i];
      while (f !== null && (f.score < score || (f.score === score && f.member < member))) {
        rankAt[i] += x.span[i];
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.nodes.size;
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      node.forward[i] = u.forward[i];
      u.forward[i] = node;
      node.span[i] = u.span[i] - (rankAt[0] - rankAt[i]);
      u.span[i] = rankAt[0] - rankAt[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.prev = update[0] === this.header ? null : update[0];
    const after = node.forward[0];
    if (after !== null) after.prev = node;
    else this.tail = node;
    return node;
  }

  /** Removes a node from the list (not from the map). */
  private unlink(node: ZNode): void {
    const update = this.update;
    const { score, member } = node;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && f !== node && (f.score < score || (f.score === score && f.member < member))) {
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.forward[i] === node) {
        u.span[i] += node.span[i] - 1;
        u.forward[i] = node.forward[i];
      } else {
        u.span[i]--;
      }
    }
    const after = node.forward[0];
    if (after !== null) after.prev = node.prev;
    else this.tail = node.prev;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
  }

  private updateScore(node: ZNode, score: number): void {
    // Stays in place when the neighbours still bracket it: no relinking needed.
    const before = node.prev;
    const after = node.forward[0];
    if ((before === null || before.score < score) && (after === null || after.score > score)) {
      node.score = score;
      return;
    }
    this.unlink(node);
    this.nodes.set(node.member, this.insert(node.member, score));
  }
}
