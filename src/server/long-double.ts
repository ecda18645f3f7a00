// Emulation of the x87 80-bit `long double` arithmetic Redis uses for
// HINCRBYFLOAT (and INCRBYFLOAT): parse with strtold, add, round to a 64-bit
// mantissa, print with "%.17Lf" and strip trailing zeros. Doing this with JS
// doubles gives different text (1 + 0.1 would print 1.10000000000000009
// instead of 1.1), so values are kept exactly as BigInt mantissa * 2^exp and
// rounded the way the hardware and glibc do (to nearest, ties to even).

/** A finite long double: (-1)^neg * mant * 2^exp, with 2^63 <= mant < 2^64, or mant = 0. */
export interface LongDouble {
  readonly neg: boolean;
  readonly mant: bigint;
  readonly exp: number;
  /** True for +-infinity (mant and exp are then meaningless). */
  readonly inf: boolean;
}

const MANT_BITS = 64;
/** Largest binary exponent of a normal value: values at or beyond 2^16384 overflow. */
const MAX_EXP2 = 16384;
/** Smallest normal value is 2^-16382; anything that rounds below the subnormal range is 0. */
const MIN_EXP2 = -16445;
/** Redis refuses strings this long (MAX_LONG_DOUBLE_CHARS). */
const MAX_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };
const infinity = (neg: boolean): LongDouble => ({ neg, mant: 0n, exp: 0, inf: true });

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds num/den * 2^e2 (num, den > 0) to a 64-bit mantissa, ties to even. */
function round(neg: boolean, num: bigint, den: bigint, e2: number): LongDouble {
  if (num === 0n) return { ...ZERO, neg };
  // Pick s so that q = floor(num * 2^s / den) has 65 bits: 64 kept plus a guard bit.
  let s = MANT_BITS + 1 - (bitLength(num) - bitLength(den));
  let q: bigint;
  let r: bigint;
  for (;;) {
    const n = s >= 0 ? num << BigInt(s) : num;
    const d = s >= 0 ? den : den << BigInt(-s);
    q = n / d;
    r = n % d;
    const bl = bitLength(q);
    if (bl === MANT_BITS + 1) break;
    s += MANT_BITS + 1 - bl;
  }
  let mant = q >> 1n;
  const guard = (q & 1n) === 1n;
  if (guard && (r !== 0n || (mant & 1n) === 1n)) mant += 1n;
  let exp = e2 - s + 1;
  if (mant >> BigInt(MANT_BITS) !== 0n) {
    mant >>= 1n;
    exp += 1;
  }
  if (exp + MANT_BITS > MAX_EXP2) return infinity(neg);
  if (exp + MANT_BITS <= MIN_EXP2) return { ...ZERO, neg };
  return { neg, mant, exp, inf: false };
}

const DEC_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses like Redis's string2ld: strtold over the whole string, no leading
 * space, no NaN, and an error when the value overflows or underflows to 0.
 * Returns null when Redis would reject the string.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_CHARS) return null;
  let m = DEC_RE.exec(s);
  if (m) {
    const neg = m[1] === '-';
    const intPart = m[2] ?? '';
    const frac = m[3] ?? m[4] ?? '';
    const digits = (intPart + frac).replace(/^0+/, '');
    if (digits === '') return { ...ZERO, neg };
    // Exponents far outside the range saturate; BigInt would otherwise build huge numbers.
    const e10 = Math.max(-100000, Math.min(100000, Number(m[5] ?? '0'))) - frac.length;
    if (e10 + digits.length > 4940) return null;
    if (e10 + digits.length < -4960) return null;
    const num = BigInt(digits);
    const v = e10 >= 0 ? round(neg, num * 10n ** BigInt(e10), 1n, 0) : round(neg, num, 10n ** BigInt(-e10), 0);
    return v.inf || v.mant === 0n ? null : v;
  }
  m = HEX_RE.exec(s);
  if (m) {
    const neg = m[1] === '-';
    const intPart = m[2] ?? '';
    const frac = m[3] ?? m[4] ?? '';
    const num = BigInt('0x' + (intPart + frac || '0'));
    if (num === 0n) return { ...ZERO, neg };
    const e2 = Math.max(-100000, Math.min(100000, Number(m[5] ?? '0'))) - 4 * frac.length;
    const v = round(neg, num, 1n, e2);
    return v.inf || v.mant === 0n ? null : v;
  }
  m = INF_RE.exec(s);
  if (m) return infinity(m[1] === '-');
  return null;
}

/** a + b, rounded to long double precision; null when the result is NaN (inf + -inf). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return a.inf ? a : b;
  }
  if (a.mant === 0n) return b.mant === 0n ? { ...ZERO, neg: a.neg && b.neg } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = sa + sb;
  if (sum === 0n) return ZERO;
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/**
 * Redis's ld2string(..., LD_STR_HUMAN): "%.17Lf" with trailing zeros (and a
 * trailing point) removed, and "-0" written as "0".
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  const scale = 10n ** 17n;
  let scaled: bigint;
  if (v.exp >= 0) {
    scaled = (v.mant << BigInt(v.exp)) * scale;
  } else {
    const num = v.mant * scale;
    const sh = BigInt(-v.exp);
    scaled = num >> sh;
    const rem = num - (scaled << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  let digits = scaled.toString().padStart(18, '0');
  const point = digits.length - 17;
  digits = (digits.slice(0, point) + '.' + digits.slice(point)).replace(/0+$/, '').replace(/\.$/, '');
  if (v.neg && digits !== '0') return '-' + digits;
  return digits;
}
