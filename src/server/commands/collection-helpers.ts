// Pieces shared by the hash and sorted-set commands: HSCAN/ZSCAN cursor and
// option parsing (Redis's scanGenericCommand), and the count handling and
// random picking of HRANDFIELD/ZRANDMEMBER.

import type { CommandContext } from '../command.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { globMatch } from '../glob.js';
import { parseInt64 } from '../numbers.js';

const ULONG_MAX = 2n ** 64n - 1n;

/** Validates a SCAN cursor as Redis's strtoul-based parser does ("ERR invalid cursor"). */
export function parseScanCursor(s: string): void {
  // strtoul: optional sign then digits; the empty string is cursor 0; no leading space.
  const m = /^[+-]?(\d*)$/.exec(s);
  if (m === null || (m[1] === '' && s !== '') || (m[1] !== '' && BigInt(m[1]) > ULONG_MAX)) {
    throw new CommandError('ERR invalid cursor');
  }
}

/**
 * Parses [MATCH pattern] [COUNT count] from argv[from]; returns the match
 * test, or null when every element matches. COUNT is validated only: small
 * collections are returned whole, as Redis does for compact encodings.
 */
export function parseScanOptions(argv: readonly string[], from: number): ((s: string) => boolean) | null {
  let pattern: string | null = null;
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    const left = argv.length - i;
    if (opt === 'count' && left >= 2) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 1n) throw syntaxError();
    } else if (opt === 'match' && left >= 2) {
      pattern = argv[i + 1];
    } else {
      throw syntaxError();
    }
  }
  if (pattern === null || pattern === '*') return null;
  const p = pattern;
  return (s) => globMatch(p, s);
}

/** The SCAN reply: cursor 0 (iteration done) and the flat list of items. */
export function replyScan(ctx: CommandContext, items: readonly string[]): void {
  const reply = ctx.reply;
  reply.arrayLen(2);
  reply.bulk('0');
  reply.bulkArray(items);
}

/** The most elements a random-pick reply may have; beyond it the reply could not be built in memory. */
const MAX_PICKS = 1 << 24;

/**
 * Parses "count [WITHVALUES|WITHSCORES]" of HRANDFIELD/ZRANDMEMBER (argv[2..]):
 * count is an integer in [-LONG_MAX, LONG_MAX]; with the pair keyword its
 * magnitude must not pass LONG_MAX/2.
 */
export function parseRandomArgs(argv: readonly string[], pairKeyword: string): { count: number; withPairs: boolean } {
  const n = parseInt64(argv[2]);
  if (n === null) throw new CommandError(NOT_INTEGER);
  if (n === -(2n ** 63n)) {
    throw new CommandError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  if (argv.length > 4 || (argv.length === 4 && argv[3].toLowerCase() !== pairKeyword)) throw syntaxError();
  const withPairs = argv.length === 4;
  const half = (2n ** 63n - 1n) / 2n;
  if (withPairs && (n < -half || n > half)) throw new CommandError('ERR value is out of range');
  // Redis would stream such a reply for ever; refuse rather than exhaust memory.
  if (n < -BigInt(MAX_PICKS)) throw new CommandError('ERR value is out of range');
  return { count: Number(n), withPairs };
}

/** `count` independent uniform picks (repetitions allowed). */
export function randomPicks<T>(items: readonly T[], count: number): T[] {
  const out = new Array<T>(count);
  for (let i = 0; i < count; i++) out[i] = items[Math.floor(Math.random() * items.length)];
  return out;
}

/** `count` distinct items (count < items.length), in their original order. */
export function randomSample<T>(items: readonly T[], count: number): T[] {
  // Selection sampling (Knuth's algorithm S): one pass, keeps order.
  const out: T[] = [];
  let needed = count;
  for (let i = 0; i < items.length && needed > 0; i++) {
    if (Math.random() * (items.length - i) < needed) {
      out.push(items[i]);
      needed--;
    }
  }
  return out;
}
