// The list's ring buffer: every operation checked against a plain array
// model, including wrap-around, growth and shrinking.
import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/server/data/deque.js';
import { seededRandom as rng } from '../helpers/seeded-random.js';

describe('Deque', () => {
  it('pushes and pops at both ends in order', () => {
    const d = new Deque<string>();
    d.pushBack('b');
    d.pushBack('c');
    d.pushFront('a');
    expect([...d]).toEqual(['a', 'b', 'c']);
    expect(d.length).toBe(3);
    expect(d.peekFront()).toBe('a');
    expect(d.peekBack()).toBe('c');
    expect(d.popFront()).toBe('a');
    expect(d.popBack()).toBe('c');
    expect(d.popBack()).toBe('b');
    expect(d.popBack()).toBeUndefined();
    expect(d.popFront()).toBeUndefined();
    expect(d.peekFront()).toBeUndefined();
    expect(d.length).toBe(0);
  });

  it('indexes, slices and sets across the wrap point', () => {
    const d = new Deque<number>(8);
    for (let i = 0; i < 6; i++) d.pushBack(i);
    for (let i = 0; i < 4; i++) d.popFront();
    for (let i = 6; i < 12; i++) d.pushBack(i); // wraps around the 8 slots, then grows
    expect([...d]).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(d.at(0)).toBe(4);
    expect(d.at(7)).toBe(11);
    expect(d.at(8)).toBeUndefined();
    expect(d.at(-1)).toBeUndefined();
    expect(d.slice(2, 5)).toEqual([6, 7, 8]);
    expect(d.slice(-3, 100)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    d.set(3, 70);
    expect(d.at(3)).toBe(70);
    expect(() => d.set(8, 0)).toThrow(RangeError);
  });

  it('grows by doubling and shrinks once drained', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 10_000; i++) d.pushFront(i);
    expect(d.capacity).toBe(16384);
    for (let i = 0; i < 9_990; i++) d.popBack();
    expect(d.length).toBe(10);
    expect(d.capacity).toBeLessThanOrEqual(64 * 2);
    expect([...d]).toEqual([9999, 9998, 9997, 9996, 9995, 9994, 9993, 9992, 9991, 9990]);
  });

  it('inserts and removes in the middle, shifting the shorter side', () => {
    const d = Deque.from(['a', 'b', 'c', 'd', 'e']);
    d.insert(1, 'x'); // front side shorter
    d.insert(5, 'y'); // back side shorter
    d.insert(0, 'first');
    d.insert(d.length, 'last');
    expect([...d]).toEqual(['first', 'a', 'x', 'b', 'c', 'd', 'y', 'e', 'last']);
    expect(d.removeAt(2)).toBe('x');
    expect(d.removeAt(5)).toBe('y');
    expect(d.removeAt(99)).toBeUndefined();
    expect([...d]).toEqual(['first', 'a', 'b', 'c', 'd', 'e', 'last']);
    expect(() => d.insert(99, 'z')).toThrow(RangeError);
  });

  it('removes values from the front or the back with a limit', () => {
    const items = ['a', 'x', 'b', 'x', 'x', 'c', 'x'];
    const front = Deque.from(items);
    expect(front.removeValue('x', 2, false)).toBe(2);
    expect([...front]).toEqual(['a', 'b', 'x', 'c', 'x']);
    const back = Deque.from(items);
    expect(back.removeValue('x', 2, true)).toBe(2);
    expect([...back]).toEqual(['a', 'x', 'b', 'x', 'c']);
    const all = Deque.from(items);
    expect(all.removeValue('x', 0, true)).toBe(4);
    expect([...all]).toEqual(['a', 'b', 'c']);
    expect(all.removeValue('nope', 0, false)).toBe(0);
    expect(all.indexOf('b')).toBe(1);
    expect(all.indexOf('nope')).toBe(-1);
  });

  it('drops ranges from either end', () => {
    const d = Deque.from([1, 2, 3, 4, 5, 6]);
    d.dropFront(2);
    d.dropBack(1);
    expect([...d]).toEqual([3, 4, 5]);
    d.dropBack(10);
    expect(d.length).toBe(0);
    d.pushBack(9);
    expect([...d]).toEqual([9]);
  });

  it('matches an array model under a random operation stream', () => {
    // Mismatches are collected and compared once: 160k expect() calls cost seconds each on a busy machine.
    const mismatches: string[] = [];
    const same = (got: unknown, want: unknown, what: string) => {
      if (!Object.is(got, want)) mismatches.push(`${what}: got ${String(got)}, expected ${String(want)}`);
    };
    for (const seed of [1, 2, 3, 42]) {
      const rand = rng(seed);
      const d = new Deque<number>();
      const model: number[] = [];
      for (let step = 0; step < 20_000 && mismatches.length < 10; step++) {
        const op = Math.floor(rand() * 11);
        const v = step;
        const at = `seed ${seed} step ${step}`;
        // Bias towards pushes early and pops later so the buffer both grows and shrinks.
        const pushBias = step < 10_000 ? 0.65 : 0.3;
        if (op < 4) {
          if (rand() < pushBias) {
            d.pushBack(v);
            model.push(v);
          } else {
            same(d.popFront(), model.shift(), `${at} popFront`);
          }
        } else if (op < 8) {
          if (rand() < pushBias) {
            d.pushFront(v);
            model.unshift(v);
          } else {
            same(d.popBack(), model.pop(), `${at} popBack`);
          }
        } else if (op === 8) {
          const i = Math.floor(rand() * (model.length + 1));
          d.insert(i, v);
          model.splice(i, 0, v);
        } else if (op === 9 && model.length > 0) {
          const i = Math.floor(rand() * model.length);
          same(d.removeAt(i), model.splice(i, 1)[0], `${at} removeAt(${i})`);
        } else if (model.length > 0) {
          const i = Math.floor(rand() * model.length);
          same(d.at(i), model[i], `${at} at(${i})`);
        }
        same(d.length, model.length, `${at} length`);
      }
      expect(mismatches).toEqual([]);
      expect([...d]).toEqual(model);
    }
  });

  it('replaceAll resets the content', () => {
    const d = Deque.from([1, 2, 3]);
    d.replaceAll([7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect([...d]).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
    d.pushFront(6);
    expect(d.at(0)).toBe(6);
    expect(d.length).toBe(10);
  });
});
