// Redis's strict number parsing and its reply formatting of doubles.
// Redis rejects what JavaScript's Number() accepts ("", " 1", "0x10", "1_0"),
// so every numeric argument goes through these.

import { CommandError, NOT_FLOAT, NOT_INTEGER } from './errors.js';

const INT_RE = /^-?(0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses a signed 64-bit integer the way Redis's string2ll does; null when invalid. */
export function parseInt64(s: string): bigint | null {
  if (s.length === 0 || s.length > 20 || !INT_RE.test(s) || s === '-0') return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/**
 * Parses an integer argument that must fit a JS safe integer (indexes, counts,
 * timeouts). Values that are valid int64 but beyond 2^53 are clamped, which is
 * what they mean for a range or a count.
 */
export function parseInteger(s: string, message: string = NOT_INTEGER): number {
  // Fast path for the common short case.
  if (s.length > 0 && s.length < 16 && INT_RE.test(s) && s !== '-0') return Number(s);
  const n = parseInt64(s);
  if (n === null) throw new CommandError(message);
  return Number(n);
}

const FLOAT_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^[+-]?inf(?:inity)?$/i;

/** Parses a double as Redis's strtod-based helpers do: no spaces, no NaN; "inf", "-inf", "+inf" allowed. Null when invalid. */
export function parseDouble(s: string): number | null {
  if (FLOAT_RE.test(s)) {
    const d = Number(s);
    return Number.isNaN(d) ? null : d;
  }
  if (INF_RE.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  return null;
}

export function parseFloatArg(s: string, message: string = NOT_FLOAT): number {
  const d = parseDouble(s);
  if (d === null) throw new CommandError(message);
  return d;
}

/** C's printf("%.17g", d): what Redis 7.0 uses for double replies (scores). */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // toExponential gives the decimal exponent after rounding to 17 significant digits,
  // which is what %g uses to choose between fixed and exponent notation.
  const expStr = d.toExponential(16);
  const at = expStr.indexOf('e');
  const e = Number(expStr.slice(at + 1));
  if (e < -4 || e >= 17) {
    const mant = trimZeros(expStr.slice(0, at));
    const digits = String(Math.abs(e)).padStart(2, '0');
    return `${mant}e${e < 0 ? '-' : '+'}${digits}`;
  }
  return trimZeros(d.toFixed(16 - e));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
