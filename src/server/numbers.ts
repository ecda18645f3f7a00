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

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^[+-]?inf(?:inity)?$/i;
/** What C's isspace() accepts: strtod skips these, Redis's string2d refuses them up front. */
const SPACE_RE = /^[ \t\n\v\f\r]+/;

/**
 * Redis's string2d (scores, HINCRBYFLOAT's sibling checks, ...): strtod over
 * the whole string, no leading space, no NaN, and refused when the value
 * overflows to infinity or underflows to zero. Accepts what strtod accepts:
 * "1.", ".5", "+1", "1E3", hex floats ("0x1p-3"), "inf", "-Infinity".
 * Null when Redis would reply "value is not a valid float".
 */
export function parseDouble(s: string): number | null {
  const r = strtod(s);
  return r === null || r.range ? null : r.value;
}

/**
 * Plain strtod over the whole string, as Redis uses it for ZRANGEBYSCORE-style
 * ranges: leading whitespace is skipped, the empty string is 0, overflow gives
 * +-inf and underflow 0 (no error); NaN is refused. Null when invalid.
 */
export function parseStrtod(s: string): number | null {
  const sp = SPACE_RE.exec(s);
  if (sp !== null) s = s.slice(sp[0].length);
  if (s.length === 0) return 0;
  const r = strtod(s);
  return r === null ? null : r.value;
}

/**
 * A SORT weight, as sort.c reads one with strtod: leading whitespace is
 * skipped and the empty string is 0, but unlike parseStrtod an overflow or
 * underflow (ERANGE) and NaN are refused. Null when invalid.
 */
export function parseSortWeight(s: string): number | null {
  const sp = SPACE_RE.exec(s);
  if (sp !== null) s = s.slice(sp[0].length);
  if (s.length === 0) return 0;
  return parseDouble(s);
}

/** strtod over all of s (no whitespace handling); range is true when it set ERANGE with 0 or inf. */
function strtod(s: string): { value: number; range: boolean } | null {
  // Scores and timeouts are mostly short plain integers: exact, no regex needed.
  const small = smallInteger(s);
  if (small !== null) return { value: small, range: false };
  if (DEC_RE.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) return { value, range: true };
    // A zero from non-zero digits is an underflow; "0e999" is a plain zero.
    if (value === 0) return { value, range: /[1-9]/.test(s.replace(/[eE].*$/, '')) };
    return { value, range: false };
  }
  if (INF_RE.test(s)) return { value: s[0] === '-' ? -Infinity : Infinity, range: false };
  const m = HEX_RE.exec(s);
  if (m === null) return null;
  const frac = m[3] ?? m[4] ?? '';
  const mant = BigInt('0x' + ((m[2] ?? '') + frac || '0'));
  // Exponents far out of range saturate (the result is 0 or inf either way).
  const e2 = Math.max(-100000, Math.min(100000, Number(m[5] ?? '0'))) - 4 * frac.length;
  const magnitude = hexToDouble(mant, e2);
  const value = m[1] === '-' ? -magnitude : magnitude;
  return { value, range: mant !== 0n && (magnitude === 0 || magnitude === Infinity) };
}

/** s as a number when it is an optional '-' and 1 to 15 decimal digits (exactly representable); else null. */
function smallInteger(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = s.charCodeAt(0) === 45 /* '-' */ ? 1 : 0;
  if (i === n || n - i > 15) return null;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** mant * 2^e2 rounded to the nearest double (ties to even), with subnormals. */
function hexToDouble(mant: bigint, e2: number): number {
  if (mant === 0n) return 0;
  let bits = mant.toString(2).length;
  // Keep 53 significant bits, or fewer when the result is subnormal (quantum 2^-1074).
  const keep = Math.min(53, bits + e2 + 1074);
  if (keep <= 0) {
    // At most 2^-1074 (the smallest subnormal): above half of it rounds up, half itself to even (0).
    return keep === 0 && mant > 1n << BigInt(bits - 1) ? 2 ** -1074 : 0;
  }
  if (bits > keep) {
    const shift = BigInt(bits - keep);
    let q = mant >> shift;
    const rem = mant - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    mant = q;
    e2 += bits - keep;
    bits = mant.toString(2).length;
  }
  if (e2 + bits > 1024) return Infinity;
  // mant has at most 53 bits: both factors and the product are exact (2^e2 may need two steps).
  return e2 < -1022 ? Number(mant) * 2 ** (e2 + 53) * 2 ** -53 : Number(mant) * 2 ** e2;
}

export function parseFloatArg(s: string, message: string = NOT_FLOAT): number {
  const d = parseDouble(s);
  if (d === null) throw new CommandError(message);
  return d;
}

/**
 * Redis's getRangeLongFromObjectOrReply: an int64 within [min, max]. Errors:
 * `message` when given (for both failures), else the standard texts.
 * @example parseRangeInt(argv[2], -2147483648, 2147483647) // getIntFromObjectOrReply
 */
export function parseRangeInt(s: string, min: number, max: number, message?: string): number {
  const n = parseInt64(s);
  if (n === null) throw new CommandError(message ?? NOT_INTEGER);
  if (n < BigInt(min) || n > BigInt(max)) {
    throw new CommandError(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
  }
  return Number(n);
}

/** getIntFromObjectOrReply: a C int (DB indexes and the like). */
export function parseIntArg(s: string, message?: string): number {
  return parseRangeInt(s, -2147483648, 2147483647, message);
}

/** C's printf("%.17g", d): what Redis 7.0 uses for double replies (scores). */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // toExponential gives the decimal exponent after rounding to 17 significant digits,
  // which is what %g uses to choose between fixed and exponent notation.
  const expStr = toExponential17(d);
  const at = expStr.indexOf('e');
  const e = Number(expStr.slice(at + 1));
  if (e < -4 || e >= 17) {
    const mant = trimZeros(expStr.slice(0, at));
    const digits = String(Math.abs(e)).padStart(2, '0');
    return `${mant}e${e < 0 ? '-' : '+'}${digits}`;
  }
  // Fixed notation from the same 17 digits (toFixed would round ties upwards too).
  const neg = expStr[0] === '-';
  const digits = expStr.slice(neg ? 1 : 0, at).replace('.', '');
  const fixed = e >= 0 ? digits.slice(0, e + 1) + '.' + digits.slice(e + 1) : '0.' + '0'.repeat(-e - 1) + digits;
  return (neg ? '-' : '') + trimZeros(fixed);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * d.toExponential(16), but with C's rounding: JS breaks an exact tie at the
 * 17th digit upwards, printf to even (1000000000000000.25 -> ...0.2, not .3).
 * A tie means the exact value has 18 significant digits ending in 5, which
 * the 18-digit form then shows exactly; only that case needs exact arithmetic.
 */
function toExponential17(d: number): string {
  const rounded = d.toExponential(16);
  const long = d.toExponential(17);
  const at = long.indexOf('e');
  if (long[at - 1] !== '5' || !isExactly(d, long)) return rounded;
  // An exact tie: keep the 17th digit when it is even, else JS's round-up is right.
  const kept = long.charCodeAt(at - 2) & 1;
  return kept === 0 ? long.slice(0, at - 1) + long.slice(at) : rounded;
}

/** True when the decimal in exponent form `dec` is exactly the double d. */
function isExactly(d: number, dec: string): boolean {
  const at = dec.indexOf('e');
  const mantissa = dec.slice(0, at).replace('-', '').replace('.', '');
  const e10 = Number(dec.slice(at + 1)) - (mantissa.length - 1);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const raw = view.getBigUint64(0);
  const biased = Number(raw >> 52n);
  const frac = raw & ((1n << 52n) - 1n);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e2 = biased === 0 ? -1074 : biased - 1075;
  // Compare D * 10^e10 with m * 2^e2 by moving negative powers across.
  let left = BigInt(mantissa);
  let right = m;
  if (e10 >= 0) left *= 10n ** BigInt(e10);
  else right *= 10n ** BigInt(-e10);
  if (e2 >= 0) right <<= BigInt(e2);
  else left <<= BigInt(-e2);
  return left === right;
}
