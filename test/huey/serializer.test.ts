// The value serializer and the message format, without any storage.
import { describe, expect, it } from 'vitest';
import {
  QueueException,
  QueueTask,
  SerializationError,
  TaggedSerializer,
  decodeMessage,
  defaultSerializer,
  encodeMessage,
  type CustomType,
} from '../../src/huey/index.js';

const roundTrip = (v: unknown, s = defaultSerializer) => s.decode(JSON.parse(JSON.stringify(s.encode(v))));

describe('TaggedSerializer', () => {
  it('writes plain JSON unchanged, so other languages can send plain JSON', () => {
    const plain = { a: 1, b: 'two', c: [true, null, { d: 1.5 }], e: {} };
    expect(defaultSerializer.encode(plain)).toEqual(plain);
    expect(defaultSerializer.decode(plain)).toEqual(plain);
  });

  it('round-trips the types JSON cannot hold', () => {
    const values: unknown[] = [
      undefined,
      NaN,
      Infinity,
      -Infinity,
      -0,
      10n ** 30n,
      -5n,
      new Date('2001-02-03T04:05:06.007Z'),
      Buffer.from('héllo'),
      new Map<unknown, unknown>([[{ k: 1 }, new Date(0)], ['x', undefined]]),
      new Set([1, 'a', new Set([2])]),
      /a+b/gi,
      [undefined, , 3],
    ];
    for (const v of values) expect(roundTrip(v)).toEqual(v);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN((roundTrip(new Date(NaN)) as Date).getTime())).toBe(true);
    expect(Buffer.isBuffer(roundTrip(new Uint8Array([1, 2])))).toBe(true);
  });

  it('escapes objects that have a "$t" key', () => {
    const tricky = { $t: 'date', v: 'not a date' };
    expect(defaultSerializer.encode(tricky)).toEqual({ $t: 'object', v: tricky });
    expect(roundTrip(tricky)).toEqual(tricky);
  });

  it('uses toJSON for class instances that have one', () => {
    class Money {
      constructor(readonly cents: number) {}
      toJSON() {
        return { cents: this.cents };
      }
    }
    expect(roundTrip(new Money(5))).toEqual({ cents: 5 });
  });

  it('refuses what it cannot carry, naming the path', () => {
    class Opaque {}
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    const cases: [unknown, RegExp][] = [
      [() => 1, /^x: cannot serialize a function$/],
      [{ a: [1, Symbol('s')] }, /^x\.a\[1\]: cannot serialize a symbol$/],
      [{ o: new Opaque() }, /^x\.o: cannot serialize an instance of Opaque/],
      [cyclic, /^x\[0\]: cannot serialize a circular reference$/],
      [new Map([['k', () => 1]]), /map value 0/],
    ];
    for (const [v, msg] of cases) {
      const err = (() => {
        try {
          defaultSerializer.encode(v, 'x');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(SerializationError);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('the same object twice (not a cycle) is fine', () => {
    const shared = { n: 1 };
    expect(roundTrip([shared, shared])).toEqual([{ n: 1 }, { n: 1 }]);
  });

  it('rejects unknown or malformed tags when decoding', () => {
    expect(() => defaultSerializer.decode({ $t: 'alien', v: 1 })).toThrow(/unknown type tag "alien"/);
    expect(() => defaultSerializer.decode({ $t: 'bigint', v: '1.5' })).toThrow(SerializationError);
    expect(() => defaultSerializer.decode({ $t: 'map', v: [[1]] })).toThrow(/bad map entry/);
  });

  it('keeps a "__proto__" key as data', () => {
    const decoded = defaultSerializer.decode(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts custom types', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const pointType: CustomType<Point> = {
      tag: 'point',
      test: (v): v is Point => v instanceof Point,
      encode: (p) => [p.x, p.y],
      decode: (v) => {
        const [x, y] = v as [number, number];
        return new Point(x, y);
      },
    };
    const s = new TaggedSerializer({ types: [pointType] });
    const back = roundTrip({ at: new Point(1, 2) }, s) as { at: Point };
    expect(back.at).toBeInstanceOf(Point);
    expect(back.at).toEqual(new Point(1, 2));
    expect(() => new TaggedSerializer({ types: [{ ...pointType, tag: 'date' }] })).toThrow(/clashes/);
  });
});

describe('message format v1', () => {
  it('encodes a task with its pipeline and decodes it back', () => {
    const t = new QueueTask({ name: 'add', args: [1, new Date(5)], eta: new Date(1000), retries: 2, retryDelay: 3 });
    t.onComplete = new QueueTask({ name: 'mul', args: [4] });
    const raw = encodeMessage(t, defaultSerializer);
    expect(JSON.parse(raw)).toEqual({
      v: 1,
      id: t.id,
      name: 'add',
      args: [1, { $t: 'date', v: '1970-01-01T00:00:00.005Z' }],
      eta: 1000,
      retries: 2,
      retryDelay: 3,
      onComplete: { v: 1, id: t.onComplete.id, name: 'mul', args: [4], eta: null, retries: 0, retryDelay: 0, onComplete: null },
    });
    const back = decodeMessage(raw, defaultSerializer);
    expect(back).toEqual(t);
  });

  it('fills defaults for optional fields', () => {
    const t = decodeMessage('{"v":1,"id":"a","name":"n"}', defaultSerializer);
    expect(t).toMatchObject({ id: 'a', name: 'n', args: [], eta: null, retries: 0, retryDelay: 0, onComplete: null });
  });

  it('says what is wrong with a bad message', () => {
    const bad: [string, RegExp][] = [
      ['{', /not JSON/],
      ['null', /not a JSON object/],
      ['{"v":"1","id":"a","name":"n"}', /unknown version "1"/],
      ['{"v":1,"id":"","name":"n"}', /"id" must be a non-empty string/],
      ['{"v":1,"id":"a"}', /"name" must be a non-empty string/],
      ['{"v":1,"id":"a","name":"n","args":{}}', /"args" must be an array/],
      ['{"v":1,"id":"a","name":"n","eta":"soon"}', /"eta" must be null or milliseconds/],
      ['{"v":1,"id":"a","name":"n","retries":-1}', /"retries" must be a non-negative integer/],
      ['{"v":1,"id":"a","name":"n","retryDelay":"x"}', /"retryDelay"/],
      ['{"v":1,"id":"a","name":"n","args":[{"$t":"nope"}]}', /unknown type tag/],
      ['{"v":1,"id":"a","name":"n","onComplete":{"v":9}}', /unknown version 9/],
    ];
    for (const [raw, msg] of bad) {
      expect(() => decodeMessage(raw, defaultSerializer)).toThrow(QueueException);
      expect(() => decodeMessage(raw, defaultSerializer)).toThrow(msg);
    }
  });

  it('QueueTask.then appends to the end of the pipeline and extendData follows the seed', () => {
    const a = new QueueTask({ name: 'a' });
    const add = { s: (...args: unknown[]) => new QueueTask({ name: 'add', args }) };
    const head = a.then(add, 1).then(add, 2);
    expect(head).toBe(a);
    expect(a.chain().map((t) => t.args)).toEqual([[], [1], [2]]);
    const t = new QueueTask({ name: 'x', args: [9] });
    t.extendData(null);
    t.extendData([]);
    expect(t.args).toEqual([9]);
    t.extendData([1, 2]);
    expect(t.args).toEqual([9, 1, 2]);
    t.extendData({ k: 1 });
    expect(t.args).toEqual([9, 1, 2, { k: 1 }]);
  });

  it('a QueueTask is not mistaken for a promise: awaiting it fails with a clear error', async () => {
    const t: unknown = new QueueTask({ name: 'x' });
    await expect(Promise.resolve(t)).rejects.toThrow(/cannot be awaited/);
  });
});
