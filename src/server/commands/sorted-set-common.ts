// What the sorted-set command files share (sorted-sets.ts,
// sorted-set-ranges.ts, sorted-set-pops.ts...): score and range parsers with
// Redis's errors (zslParseRange, zslParseLexRange) and the member/score
// reply in its RESP2 and RESP3 shapes.

import type { CommandContext } from '../command.js';
import { LEX_MAX, LEX_MIN, type LexEdge, type LexRange, type ScoreRange, type ZNode } from '../data/sorted-set.js';
import { CommandError, NOT_FLOAT } from '../errors.js';
import { parseDouble, parseStrtod } from '../numbers.js';

/** A score argument of ZADD/ZINCRBY (Redis's string2d: no leading space, no NaN, no overflow). */
export function parseScore(s: string): number {
  const d = parseDouble(s);
  if (d === null) throw new CommandError(NOT_FLOAT);
  return d;
}

const SCORE_RANGE_ERROR = 'ERR min or max is not a float';
const LEX_RANGE_ERROR = 'ERR min or max not valid string range item';

/** One end of a score range: "(" makes it exclusive; the rest is plain strtod (spaces, "", hex allowed). */
export function parseScoreBound(s: string): { value: number; ex: boolean } {
  const ex = s[0] === '(';
  const value = parseStrtod(ex ? s.slice(1) : s);
  if (value === null) throw new CommandError(SCORE_RANGE_ERROR);
  return { value, ex };
}

/** "1.5", "(1.5", "-inf", "+inf" pairs (Redis's zslParseRange). */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  return { min: lo.value, max: hi.value, minex: lo.ex, maxex: hi.ex };
}

export function parseLexBound(s: string): { value: LexEdge; ex: boolean } {
  switch (s[0]) {
    case '+':
      if (s.length === 1) return { value: LEX_MAX, ex: true };
      break;
    case '-':
      if (s.length === 1) return { value: LEX_MIN, ex: true };
      break;
    case '(':
      return { value: s.slice(1), ex: true };
    case '[':
      return { value: s.slice(1), ex: false };
  }
  throw new CommandError(LEX_RANGE_ERROR);
}

/** "[a", "(a", "-", "+" pairs (Redis's zslParseLexRange). */
export function parseLexRange(min: string, max: string): LexRange {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  return { min: lo.value, max: hi.value, minex: lo.ex, maxex: hi.ex };
}

/** Members, or member-score pairs: flat in RESP2, [member, score] arrays in RESP3. */
export function replyNodes(ctx: CommandContext, nodes: readonly ZNode[], withScores: boolean): void {
  const reply = ctx.reply;
  if (!withScores) {
    reply.arrayLen(nodes.length);
    for (const n of nodes) reply.bulk(n.member);
    return;
  }
  const nested = reply.protocol === 3;
  reply.arrayLen(nested ? nodes.length : nodes.length * 2);
  for (const n of nodes) {
    if (nested) reply.arrayLen(2);
    reply.bulk(n.member);
    reply.double(n.score);
  }
}
