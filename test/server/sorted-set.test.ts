// Unit tests of the sorted set (skip list with spans): ordering, ranks,
// range seeks and range deletes, and a seeded random comparison against a
// naive sorted array.
import { describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../helpers/seeded-random.js';
import {
  LEX_MAX,
  LEX_MIN,
  SortedSet,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
} from '../../src/server/data/sorted-set.js';

type Entry = [member: string, score: number];

const byScoreThenMember = (a: Entry, b: Entry) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function contents(z: SortedSet): Entry[] {
  return [...z].map((n) => [n.member, n.score]);
}

function backwards(z: SortedSet): Entry[] {
  const out: Entry[] = [];
  for (let n = z.last; n !== null; n = n.prev) out.push([n.member, n.score]);
  return out;
}

describe('SortedSet', () => {
  it('orders by score, then by member bytes', () => {
    const z = new SortedSet();
    expect(z.set('b', 1)).toBe(true);
    expect(z.set('a', 1)).toBe(true);
    expect(z.set('\xff', 0)).toBe(true);
    expect(z.set('c', -Infinity)).toBe(true);
    expect(z.set('aa', 1)).toBe(true);
    expect(z.set('z', Infinity)).toBe(true);
    expect(contents(z)).toEqual([
      ['c', -Infinity],
      ['\xff', 0],
      ['a', 1],
      ['aa', 1],
      ['b', 1],
      ['z', Infinity],
    ]);
    expect(backwards(z)).toEqual(contents(z).reverse());
    expect(z.size).toBe(6);
    expect(z.kind).toBe('zset');
  });

  it('updates scores in place and by moving', () => {
    const z = new SortedSet();
    for (const [m, s] of [['a', 1], ['b', 2], ['c', 3]] as Entry[]) z.set(m, s);
    expect(z.set('b', 2.5)).toBe(false); // stays between a and c
    expect(contents(z)).toEqual([['a', 1], ['b', 2.5], ['c', 3]]);
    expect(z.set('a', 10)).toBe(false); // moves to the end
    expect(contents(z)).toEqual([['b', 2.5], ['c', 3], ['a', 10]]);
    expect(z.score('a')).toBe(10);
    expect(z.rank('a')).toBe(2);
    expect(z.rank('a', true)).toBe(0);
    expect(backwards(z)).toEqual([['a', 10], ['c', 3], ['b', 2.5]]);
  });

  it('deletes, and reports missing members', () => {
    const z = new SortedSet();
    z.set('a', 1);
    z.set('b', 2);
    expect(z.delete('x')).toBe(false);
    expect(z.delete('a')).toBe(true);
    expect(z.has('a')).toBe(false);
    expect(z.score('a')).toBeUndefined();
    expect(z.rank('a')).toBe(-1);
    expect(z.first?.member).toBe('b');
    expect(z.delete('b')).toBe(true);
    expect(z.size).toBe(0);
    expect(z.first).toBeNull();
    expect(z.last).toBeNull();
  });

  it('seeks score ranges with open and closed ends', () => {
    const z = new SortedSet();
    for (let i = 0; i < 10; i++) z.set('m' + i, i);
    const r = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
    expect(z.firstInScoreRange(r(3, 5))?.member).toBe('m3');
    expect(z.lastInScoreRange(r(3, 5))?.member).toBe('m5');
    expect(z.firstInScoreRange(r(3, 5, true))?.member).toBe('m4');
    expect(z.lastInScoreRange(r(3, 5, false, true))?.member).toBe('m4');
    expect(z.countInScoreRange(r(-Infinity, Infinity))).toBe(10);
    expect(z.countInScoreRange(r(3, 3, true))).toBe(0);
    expect(z.countInScoreRange(r(5, 3))).toBe(0);
    expect(z.firstInScoreRange(r(3.5, 3.7))).toBeNull();
    expect(z.lastInScoreRange(r(10, 20))).toBeNull();
  });

  it('seeks lex ranges with sentinels', () => {
    const z = new SortedSet();
    for (const m of ['a', 'b', 'c', 'd']) z.set(m, 0);
    const r = (min: LexRange['min'], max: LexRange['max'], minex = false, maxex = false): LexRange => ({ min, max, minex, maxex });
    expect(z.countInLexRange(r(LEX_MIN, LEX_MAX, true, true))).toBe(4);
    expect(z.firstInLexRange(r('b', LEX_MAX, true, true))?.member).toBe('c');
    expect(z.lastInLexRange(r(LEX_MIN, 'c', true, true))?.member).toBe('b');
    expect(z.countInLexRange(r(LEX_MAX, LEX_MIN, true, true))).toBe(0);
    expect(z.countInLexRange(r('bb', 'bc'))).toBe(0);
  });

  it('deletes ranges by rank, score and lex', () => {
    const z = new SortedSet();
    for (let i = 0; i < 10; i++) z.set(String.fromCharCode(97 + i), i);
    expect(z.deleteRangeByRank(2, 4)).toBe(3);
    expect(contents(z).map((e) => e[0]).join('')).toBe('abfghij');
    expect(z.deleteRangeByScore({ min: 6, max: 8, minex: true, maxex: false })).toBe(2);
    expect(contents(z).map((e) => e[0]).join('')).toBe('abfgj');
    expect(z.deleteRangeByLex({ min: LEX_MIN, max: 'b', minex: true, maxex: false })).toBe(2);
    expect(contents(z).map((e) => e[0]).join('')).toBe('fgj');
    expect(backwards(z).map((e) => e[0]).join('')).toBe('jgf');
    expect(z.size).toBe(3);
  });

  it('matches a naive sorted array under random operations', () => {
    const next = rng(20240601);
    const z = new SortedSet();
    const naive = new Map<string, number>();
    const members = Array.from({ length: 300 }, (_, i) => 'k' + (i * 7919) % 1000);
    const scoreOf = () => (next() < 0.3 ? Math.floor(next() * 5) : Math.round(next() * 2000 - 1000) / 8);
    for (let step = 0; step < 20000; step++) {
      const op = next();
      const m = members[Math.floor(next() * members.length)];
      if (op < 0.5) {
        const s = scoreOf();
        expect(z.set(m, s)).toBe(!naive.has(m));
        naive.set(m, s);
      } else if (op < 0.75) {
        expect(z.delete(m)).toBe(naive.delete(m));
      } else if (op < 0.8) {
        const sorted = [...naive].sort(byScoreThenMember);
        const a = Math.floor(next() * (sorted.length + 2)) - 1;
        const b = a + Math.floor(next() * 10);
        const lo = Math.max(a, 0);
        const hi = Math.min(b, sorted.length - 1);
        const expected = lo <= hi ? hi - lo + 1 : 0;
        expect(z.deleteRangeByRank(lo, hi)).toBe(expected);
        for (const [k] of sorted.slice(lo, hi + 1)) naive.delete(k);
      } else if (op < 0.85) {
        const r: ScoreRange = { min: scoreOf(), max: scoreOf(), minex: next() < 0.5, maxex: next() < 0.5 };
        const doomed = [...naive].filter(([, s]) => scoreGteMin(s, r) && scoreLteMax(s, r));
        expect(z.deleteRangeByScore(r)).toBe(doomed.length);
        for (const [k] of doomed) naive.delete(k);
      } else {
        // Queries: rank, by-rank, range seeks and counts.
        const sorted = [...naive].sort(byScoreThenMember);
        const idx = sorted.findIndex(([k]) => k === m);
        expect(z.rank(m)).toBe(idx);
        if (idx >= 0) expect(z.rank(m, true)).toBe(sorted.length - 1 - idx);
        const k = Math.floor(next() * (sorted.length + 1));
        expect(z.byRank(k)?.member ?? null).toBe(sorted[k]?.[0] ?? null);
        const r: ScoreRange = { min: scoreOf(), max: scoreOf(), minex: next() < 0.5, maxex: next() < 0.5 };
        const inRange = sorted.filter(([, s]) => scoreGteMin(s, r) && scoreLteMax(s, r));
        expect(z.countInScoreRange(r)).toBe(inRange.length);
        expect(z.firstInScoreRange(r)?.member ?? null).toBe(inRange[0]?.[0] ?? null);
        expect(z.lastInScoreRange(r)?.member ?? null).toBe(inRange[inRange.length - 1]?.[0] ?? null);
      }
      expect(z.size).toBe(naive.size);
    }
    expect(contents(z)).toEqual([...naive].sort(byScoreThenMember));
    expect(backwards(z)).toEqual([...naive].sort(byScoreThenMember).reverse());
  });

  it('keeps lex seeks right on a set with one score', () => {
    const next = rng(7);
    const z = new SortedSet();
    const naive = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const m = String.fromCharCode(97 + Math.floor(next() * 4), 97 + Math.floor(next() * 4), 97 + Math.floor(next() * 4)).slice(0, 1 + Math.floor(next() * 3));
      if (next() < 0.7) {
        z.set(m, 0);
        naive.add(m);
      } else {
        z.delete(m);
        naive.delete(m);
      }
      const edge = (): LexRange['min'] => {
        const x = next();
        return x < 0.1 ? LEX_MIN : x < 0.2 ? LEX_MAX : String.fromCharCode(97 + Math.floor(next() * 4));
      };
      const r: LexRange = { min: edge(), max: edge(), minex: next() < 0.5, maxex: next() < 0.5 };
      const sorted = [...naive].sort();
      const inRange = sorted.filter((mm) => lexGteMin(mm, r) && lexLteMax(mm, r));
      expect(z.countInLexRange(r)).toBe(inRange.length);
      expect(z.firstInLexRange(r)?.member ?? null).toBe(inRange[0] ?? null);
      expect(z.lastInLexRange(r)?.member ?? null).toBe(inRange[inRange.length - 1] ?? null);
      if (i % 97 === 0) {
        const removed = inRange.length;
        expect(z.deleteRangeByLex(r)).toBe(removed);
        for (const mm of inRange) naive.delete(mm);
      }
    }
    expect([...z].map((n) => n.member)).toEqual([...naive].sort());
  });
});
