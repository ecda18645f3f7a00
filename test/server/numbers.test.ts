// Redis's number parsing (string2ll, string2d, strtod, getIntFromObject) and
// its "%.17g" double formatting. Expected values come from redis-server 7.0
// and from C's printf.
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../src/server/errors.js';
import {
  formatDouble,
  parseDouble,
  parseFloatArg,
  parseInt64,
  parseIntArg,
  parseInteger,
  parseRangeInt,
  parseStrtod,
} from '../../src/server/numbers.js';

describe('parseInt64 (string2ll)', () => {
  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['9223372036854775807', 2n ** 63n - 1n],
    ['-9223372036854775808', -(2n ** 63n)],
    ['123', 123n],
  ])('accepts %j', (s, n) => {
    expect(parseInt64(s)).toBe(n);
  });

  it.each(['', ' 1', '1 ', '+1', '-0', '01', '00', '1.0', '1e3', '0x10', '9223372036854775808', '-9223372036854775809', '-', 'abc', '99999999999999999999', '1_000'])(
    'refuses %j',
    (s) => {
      expect(parseInt64(s)).toBeNull();
    },
  );
});

describe('parseInteger', () => {
  it('parses like parseInt64 and throws Redis\'s error otherwise', () => {
    expect(parseInteger('42')).toBe(42);
    expect(parseInteger('-7')).toBe(-7);
    expect(parseInteger('9223372036854775807')).toBe(Number(2n ** 63n - 1n));
    expect(() => parseInteger('x')).toThrow('ERR value is not an integer or out of range');
    expect(() => parseInteger('1.5', 'ERR custom')).toThrow('ERR custom');
  });
});

describe('parseRangeInt / parseIntArg (getIntFromObjectOrReply)', () => {
  it('gives the out-of-range text with the bounds', () => {
    expect(parseIntArg('15')).toBe(15);
    expect(parseIntArg('-2147483648')).toBe(-2147483648);
    expect(() => parseIntArg('2147483648')).toThrow('ERR value is out of range, value must between -2147483648 and 2147483647');
    expect(() => parseIntArg('abc')).toThrow('ERR value is not an integer or out of range');
    expect(() => parseRangeInt('11', 0, 10)).toThrow('ERR value is out of range, value must between 0 and 10');
  });

  it('uses the caller\'s message for both failures when given', () => {
    expect(() => parseIntArg('x', 'ERR invalid first DB index')).toThrow('ERR invalid first DB index');
    expect(() => parseIntArg('99999999999', 'ERR invalid first DB index')).toThrow('ERR invalid first DB index');
    expect(() => parseIntArg('x')).toThrow(CommandError);
  });
});

describe('parseDouble (string2d)', () => {
  it.each([
    ['1.5', 1.5],
    ['-2', -2],
    ['+1', 1],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E+03', 1000],
    ['0x10', 16],
    ['0x.8', 0.5],
    ['0x1p-3', 0.125],
    ['0X1.8P1', 3],
    ['inf', Infinity],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['INF', Infinity],
    ['0e999', 0],
    ['4e-320', 4e-320], // subnormal: no error
    ['0x1p-1074', 5e-324],
    ['1.7976931348623157e308', 1.7976931348623157e308],
  ])('accepts %j', (s, d) => {
    expect(parseDouble(s)).toBe(d);
  });

  it.each(['', ' 1', '1 ', 'nan', 'NaN', '-nan', '1e', '1e+', '.', '-', '0x', '0x1p', '1_0', '1,5', 'infinit', '1e400', '-1e400', '1e-400', '0x1p1024', '0x1p-1076', 'abc'])(
    'refuses %j',
    (s) => {
      expect(parseDouble(s)).toBeNull();
    },
  );

  it('parseFloatArg throws "value is not a valid float"', () => {
    expect(parseFloatArg('2.5')).toBe(2.5);
    expect(() => parseFloatArg('x')).toThrow('ERR value is not a valid float');
    expect(() => parseFloatArg('x', 'ERR min or max is not a float')).toThrow('ERR min or max is not a float');
  });
});

describe('parseStrtod (ZRANGEBYSCORE-style bounds)', () => {
  it('skips leading space, reads "" as 0, and saturates instead of failing', () => {
    expect(parseStrtod(' 1')).toBe(1);
    expect(parseStrtod('\t-2.5')).toBe(-2.5);
    expect(parseStrtod('')).toBe(0);
    expect(parseStrtod('   ')).toBe(0);
    expect(parseStrtod('1e400')).toBe(Infinity);
    expect(parseStrtod('-1e400')).toBe(-Infinity);
    expect(parseStrtod('1e-400')).toBe(0);
    expect(parseStrtod('0x10')).toBe(16);
  });

  it('still refuses trailing junk and NaN', () => {
    expect(parseStrtod('1 ')).toBeNull();
    expect(parseStrtod('nan')).toBeNull();
    expect(parseStrtod('1x')).toBeNull();
    expect(parseStrtod('(1')).toBeNull();
  });
});

describe('formatDouble (%.17g)', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [1.5, '1.5'],
    [-2.5, '-2.5'],
    [0.1, '0.10000000000000001'],
    [1 / 3, '0.33333333333333331'],
    [1e-7, '9.9999999999999995e-08'],
    [0.0001, '0.0001'],
    [-0.0001, '-0.0001'],
    [1e16, '10000000000000000'],
    [1e17, '1e+17'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [12345678901234568, '12345678901234568'],
    [4e-320, '3.999955468730732e-320'],
    [5e-324, '4.9406564584124654e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    // Exact ties at the 17th digit go to even, as printf does (JS would round up).
    [1000000000000000.25, '1000000000000000.2'],
    [1000000000000000.75, '1000000000000000.8'],
    [-1000000000000000.25, '-1000000000000000.2'],
    [0.000003814697265625, '3.814697265625e-06'],
  ])('formats %s as %j', (d, s) => {
    expect(formatDouble(d)).toBe(s);
  });

  it('round-trips: the 17 digits always give the same double back', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const d = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      expect(Number(formatDouble(d))).toBe(d);
    }
  });
});
