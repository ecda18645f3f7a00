// The timeout argument of blocking commands (BLPOP, BLMOVE, BZPOPMIN...):
// seconds as a float, parsed the way Redis 7.0 does it, which is strtold
// (80-bit long double) followed by ceil(seconds * 1000) cast to a 64-bit
// integer. That is why, unlike other float arguments, hex floats ("0x10")
// are accepted, "1e400" is a valid but hugely large value (reported as
// "timeout is negative", as the overflowing cast yields LLONG_MIN), a tiny
// positive value means 1 ms, and a tiny negative one rounds to 0: forever.

import { CommandError } from './errors.js';

export const TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
export const TIMEOUT_NEGATIVE = 'ERR timeout is negative';

/** Redis's buffer for long double text: longer arguments are rejected. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** 2^63 ms: at or beyond it the cast to long long overflows. */
const LLONG_LIMIT = 9223372036854775808;

const DEC_RE = /^[+-]?(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^[+-]?0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;

// Long double limits as powers of ten / two: LDBL_MAX ~ 1.19e4932, and the
// smallest denormal ~ 3.65e-4951 (2^-16445); anything that rounds to zero
// below half of it is an underflow strtold reports with ERANGE.
const LD_MAX_DEC = [4932, 1.18973149535723176502];
const LD_MIN_DEC = [-4951, 1.8225997659412373012];
const LD_MAX_BIN = 16384;
const LD_MIN_BIN = -16446;

/**
 * Parses a blocking command's timeout (in seconds) and returns it in ms;
 * 0 means "wait forever". Throws Redis's errors for bad or negative values.
 */
export function parseBlockingTimeout(arg: string): number {
  const seconds = parseLongDouble(arg);
  if (seconds === null) throw new CommandError(TIMEOUT_NOT_FLOAT);
  let ms = seconds.tiny !== 0 ? (seconds.tiny > 0 ? 1 : 0) : Math.ceil(seconds.value * 1000);
  // Near 2^63 ms a double cannot tell whether the cast overflows: decide exactly.
  if (ms >= 9.2e18 && ms <= 9.3e18 && DEC_RE.test(arg)) ms = exactCeilMs(arg) < 2n ** 63n ? 9.2e18 : Infinity;
  if (!(ms > -LLONG_LIMIT && ms < LLONG_LIMIT) || ms < 0) throw new CommandError(TIMEOUT_NEGATIVE);
  return ms === 0 ? 0 : ms; // folds -0
}

interface LongDouble {
  /** The value as a JS double (may be ±Infinity where a long double is finite). */
  value: number;
  /** Sign of a nonzero value too small for a double (it is 0 in `value`); 0 otherwise. */
  tiny: number;
}

/** What strtold accepts as a whole string, with Redis's extra checks; null when rejected. */
function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const sign = s[0] === '-' ? -1 : 1;
  if (INF_RE.test(s)) return { value: sign * Infinity, tiny: 0 };
  let m = DEC_RE.exec(s);
  if (m) {
    const digits = (m[1] ?? '') + (m[2] ?? m[3] ?? '');
    const intLen = m[1] !== undefined ? m[1].length : 0;
    const first = digits.search(/[1-9]/);
    if (first < 0) return { value: sign * 0, tiny: 0 };
    // Decimal exponent of the leading digit and the leading digits as a number in [1, 10).
    const exp = clampExp(m[4]) + intLen - first - 1;
    const lead = Number(digits[first] + '.' + digits.slice(first + 1, first + 20));
    if (exp > LD_MAX_DEC[0] || (exp === LD_MAX_DEC[0] && lead > LD_MAX_DEC[1])) return null;
    if (exp < LD_MIN_DEC[0] || (exp === LD_MIN_DEC[0] && lead < LD_MIN_DEC[1])) return null;
    const value = Number(s);
    return { value, tiny: value === 0 ? sign : 0 };
  }
  m = HEX_RE.exec(s);
  if (m) {
    const intDigits = m[1] ?? '';
    const fracDigits = m[2] ?? m[3] ?? '';
    const mant = BigInt('0x0' + intDigits + fracDigits);
    if (mant === 0n) return { value: sign * 0, tiny: 0 };
    const exp2 = clampExp(m[4]) - 4 * fracDigits.length;
    const topBit = mant.toString(2).length - 1 + exp2; // floor(log2(value))
    // Below half the smallest denormal it rounds to zero; exactly half rounds to even (zero).
    if (topBit >= LD_MAX_BIN || topBit < LD_MIN_BIN || (topBit === LD_MIN_BIN && (mant & (mant - 1n)) === 0n)) return null;
    if (topBit >= 1024) return { value: sign * Infinity, tiny: 0 };
    if (topBit < -1074) return { value: sign * 0, tiny: sign };
    // Scale in steps so neither factor overflows or underflows on the way.
    const shift = mant.toString(2).length - 53;
    let value = shift > 0 ? Number(mant >> BigInt(shift)) : Number(mant);
    let e = exp2 + Math.max(shift, 0);
    while (e > 0) {
      const step = Math.min(e, 1000);
      value *= 2 ** step;
      e -= step;
    }
    while (e < 0) {
      const step = Math.max(e, -1000);
      value *= 2 ** step;
      e -= step;
    }
    return { value: sign * value, tiny: value === 0 ? sign : 0 };
  }
  return null;
}

/** ceil(seconds * 1000) computed exactly from a positive decimal string. */
function exactCeilMs(s: string): bigint {
  const m = DEC_RE.exec(s) as RegExpExecArray;
  const frac = m[2] ?? m[3] ?? '';
  const digits = BigInt((m[1] ?? '') + frac || '0');
  const exp = clampExp(m[4]) - frac.length + 3;
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const den = 10n ** BigInt(-exp);
  return (digits + den - 1n) / den;
}

/** An exponent's text as a number, kept in a range where arithmetic stays exact. */
function clampExp(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  return Math.max(-1e9, Math.min(1e9, n));
}
