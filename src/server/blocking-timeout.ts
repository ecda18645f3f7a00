// The timeout argument of blocking commands (BLPOP, BLMOVE, BZPOPMIN...):
// seconds as a float, read the way Redis 7.0 does: strtold into an 80-bit
// long double, then (long long) ceill(seconds * 1000.0). Emulating that
// exactly matters for what a client can see:
// - hex floats ("0x10") are valid, and "1e400" is a valid long double whose
//   cast overflows to LLONG_MIN: "timeout is negative", like "inf";
// - "-0.001" is a little above -0.001 as a long double, so the product
//   rounds up to -0 and the client waits forever, while "-0.002" is negative;
// - a tiny positive value waits 1 ms.

import { CommandError } from './errors.js';
import { parseLongDouble } from './long-double.js';

export const TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
export const TIMEOUT_NEGATIVE = 'ERR timeout is negative';

const MANT_BITS = 64;
const LLONG_LIMIT = 2n ** 63n;

/**
 * Parses a blocking command's timeout (in seconds) and returns it in ms;
 * 0 means "wait forever". Throws Redis's errors for bad or negative values.
 */
export function parseBlockingTimeout(arg: string): number {
  const seconds = parseLongDouble(arg);
  if (seconds === null) throw new CommandError(TIMEOUT_NOT_FLOAT);
  if (seconds.inf) throw new CommandError(TIMEOUT_NEGATIVE);
  if (seconds.mant === 0n) return 0;
  // seconds * 1000, rounded to a 64-bit mantissa as the x87 multiply does (ties to even).
  let mant = seconds.mant * 1000n;
  let exp = seconds.exp;
  const extra = mant.toString(2).length - MANT_BITS;
  if (extra > 0) {
    const shift = BigInt(extra);
    const rest = mant & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    mant >>= shift;
    exp += extra;
    if (rest > half || (rest === half && (mant & 1n) === 1n)) mant += 1n;
  }
  // ceil, then the cast: out of range gives LLONG_MIN, which is negative too.
  let ms: bigint;
  if (exp >= 0) ms = mant << BigInt(exp);
  else if (seconds.neg) ms = mant >> BigInt(-exp);
  else ms = (mant + (1n << BigInt(-exp)) - 1n) >> BigInt(-exp);
  if (seconds.neg) {
    if (ms === 0n) return 0; // ceil gave -0: wait forever
    throw new CommandError(TIMEOUT_NEGATIVE);
  }
  if (ms >= LLONG_LIMIT) throw new CommandError(TIMEOUT_NEGATIVE);
  return Number(ms);
}
