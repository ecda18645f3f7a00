// Pieces shared by the collection commands: HSCAN/SSCAN/ZSCAN option
// parsing and paging (Redis's scanGenericCommand), the count handling and
// random picking of HRANDFIELD/ZRANDMEMBER, and the arguments of the
// multi-key pops (LMPOP, BLMPOP, ZMPOP, BZMPOP).

import type { CommandContext } from '../command.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { globMatch } from '../glob.js';
import { parseInt64 } from '../numbers.js';
import { isOpen, parseCursor, scanPage } from '../scan-cursors.js';

export interface ScanOptions {
  /** The MATCH test, or null when every element matches. */
  match: ((s: string) => boolean) | null;
  /** COUNT: how many entries to look at per call (default 10). */
  count: number;
}

/** Parses [MATCH pattern] [COUNT count] from argv[from]. */
export function parseScanOptions(argv: readonly string[], from: number): ScanOptions {
  let pattern: string | null = null;
  let count = 10;
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i].toLowerCase();
    const left = argv.length - i;
    if (opt === 'count' && left >= 2) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 1n) throw syntaxError();
      count = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    } else if (opt === 'match' && left >= 2) {
      pattern = argv[i + 1];
    } else {
      throw syntaxError();
    }
  }
  if (pattern === null || pattern === '*') return { match: null, count };
  const p = pattern;
  return { match: (s) => globMatch(p, s), count };
}

/** The SCAN reply: the cursor to go on with ("0": iteration done) and the flat list of items. */
export function replyScan(ctx: CommandContext, items: readonly string[], cursor = '0'): void {
  const reply = ctx.reply;
  reply.arrayLen(2);
  reply.bulk(cursor);
  reply.bulkArray(items);
}

/**
 * HSCAN and ZSCAN of an existing collection (argv: key cursor [MATCH] [COUNT]).
 * A listpack-encoded one (`listpack`) is returned whole with cursor 0, as
 * Redis does. A hash table or skip list comes a page at a time
 * (scan-cursors.ts), COUNT entries looked at per call, as Redis walks a hash
 * table, so that scanning a big collection never builds one huge reply.
 * `names` starts a live iteration over the field or member names, and
 * `whole` lists them in the order a listpack keeps; `valueOf` gives a name's
 * current value or score, undefined once it is gone.
 */
export function scanCollection(
  ctx: CommandContext,
  owner: object,
  listpack: boolean,
  names: () => Iterator<string>,
  whole: () => Iterable<string>,
  valueOf: (name: string) => string | undefined,
): void {
  const cursor = parseCursor(ctx.argv[2]);
  const { match, count } = parseScanOptions(ctx.argv, 3);
  const items: string[] = [];
  const visit = (name: string): void => {
    if (match !== null && !match(name)) return;
    const value = valueOf(name);
    if (value !== undefined) items.push(name, value);
  };
  if (listpack && !isOpen(owner, cursor)) {
    for (const name of whole()) visit(name);
    replyScan(ctx, items);
    return;
  }
  replyScan(ctx, items, scanPage(owner, cursor, names, count, visit));
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

/** Parses a long that must be >= min; `message` is the error for both bad syntax and range. */
export function parseLongAtLeast(s: string, min: number, message: string): number {
  const n = parseInt64(s);
  if (n === null || n < BigInt(min)) throw new CommandError(message);
  return Number(n);
}

/**
 * The multi-key pops' arguments from numkeysIdx on: numkeys key...
 * <end> [COUNT count], where <end> is firstEnd or secondEnd (any case):
 * `first` is true for firstEnd. Redis's errors and order of checks.
 */
export function parseMultiPop(
  argv: readonly string[],
  numkeysIdx: number,
  firstEnd: string,
  secondEnd: string,
): { keys: string[]; first: boolean; count: number } {
  const numkeys = parseLongAtLeast(argv[numkeysIdx], 1, 'ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw syntaxError();
  const where = argv[whereIdx].toLowerCase();
  if (where !== firstEnd && where !== secondEnd) throw syntaxError();
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && j < argv.length - 1 && argv[j].toLowerCase() === 'count') {
      count = parseLongAtLeast(argv[++j], 1, 'ERR count should be greater than 0');
    } else {
      throw syntaxError();
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), first: where === firstEnd, count: count === -1 ? 1 : count };
}
