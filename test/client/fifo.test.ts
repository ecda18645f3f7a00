// The FIFO behind the command queues: order, compaction, transfer.
import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/client/fifo.js';

describe('Fifo', () => {
  it('keeps order across many pushes and shifts (with compaction)', () => {
    const q = new Fifo<number>();
    let next = 0;
    for (let i = 0; i < 20_000; i++) {
      q.push(i);
      if (i % 3 === 0) expect(q.shift()).toBe(next++);
    }
    expect(q.length).toBe(20_000 - next);
    expect(q.peek()).toBe(next);
    expect(q.at(1)).toBe(next + 1);
    expect(q.drain()).toEqual(Array.from({ length: 20_000 - next }, (_, k) => k + next));
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
  });

  it('transferTo appends in order to empty and non-empty targets', () => {
    const a = new Fifo<string>();
    const b = new Fifo<string>();
    a.push('x');
    a.push('y');
    a.shift();
    a.push('z');
    a.transferTo(b);
    expect(a.length).toBe(0);
    expect(b.drain()).toEqual(['y', 'z']);
    b.push('1');
    a.push('2');
    a.push('3');
    a.transferTo(b);
    expect(b.drain()).toEqual(['1', '2', '3']);
    a.push('again');
    expect(a.drain()).toEqual(['again']);
  });
});
