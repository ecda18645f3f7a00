// Unit tests of the long double emulation behind HINCRBYFLOAT. Expected texts
// are what Redis 7.0 (x86-64, 80-bit long double) replies to
// HSET h f <a>; HINCRBYFLOAT h f <b>; the differential suite checks the same
// against a live redis-server.
import { describe, expect, it } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../../src/server/long-double.js';

function incr(a: string, b: string): string {
  const x = parseLongDouble(a);
  const y = parseLongDouble(b);
  if (x === null || y === null) throw new Error(`unparsable: ${a} ${b}`);
  const sum = addLongDouble(x, y);
  if (sum === null) throw new Error('NaN');
  return formatLongDoubleHuman(sum);
}

describe('long double arithmetic as Redis prints it', () => {
  it.each([
    ['1', '0.1', '1.1'],
    ['10.5', '0.1', '10.6'],
    ['0', '3.0e3', '3000'],
    ['5.0e3', '2.0e2', '5200'],
    ['0.1', '0.2', '0.3'],
    ['1e20', '1', '100000000000000000000'],
    ['-1', '1', '0'],
    ['1.23456789012345678', '0', '1.23456789012345678'],
    ['3', '-3.5', '-0.5'],
    ['0x10', '1', '17'],
    ['100', '-0.0000001', '99.9999999'],
    ['1.5', '1e-17', '1.50000000000000001'],
    ['0.3', '-0.1', '0.2'],
    ['12345678.9', '0.123456789', '12345679.02345678899928316'],
  ])('%s + %s = %s', (a, b, expected) => {
    expect(incr(a, b)).toBe(expected);
  });

  it('prints large values in full, without exponent', () => {
    expect(incr('1e300', '1')).toMatch(/^1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144$/);
  });

  it('writes tiny negative results as 0, not -0', () => {
    expect(incr('-5', '4.99999999999999999999999')).toBe('0');
    expect(incr('-0', '0')).toBe('0');
  });

  it('parses what strtold accepts and Redis keeps', () => {
    for (const ok of ['1', '-1.5', '+2', '.5', '5.', '1e3', '1E-3', '0x1p4', 'inf', '-Infinity', '1e4000']) {
      expect(parseLongDouble(ok), ok).not.toBeNull();
    }
    expect(parseLongDouble('inf')?.inf).toBe(true);
  });

  it('refuses what Redis refuses', () => {
    for (const bad of ['', ' 1', '1 ', 'abc', 'nan', '1e5000', '1e-5000', '.', 'e3', '0x', '1.2.3', 'x'.repeat(6000)]) {
      expect(parseLongDouble(bad), JSON.stringify(bad.slice(0, 10))).toBeNull();
    }
  });

  it('overflow past the long double range is infinity; inf + -inf is NaN', () => {
    const big = parseLongDouble('1.18e4932');
    const more = parseLongDouble('1e4932');
    expect(big && more && addLongDouble(big, more)?.inf).toBe(true);
    const inf = parseLongDouble('inf');
    const negInf = parseLongDouble('-inf');
    expect(inf && negInf && addLongDouble(inf, negInf)).toBeNull();
  });
});
