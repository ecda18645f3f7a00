// Redis's glob-style matching (KEYS, SCAN MATCH, HSCAN MATCH, PSUBSCRIBE,
// CONFIG GET): * ? [abc] [^a-z] and backslash escapes, on binary strings.
//
// The result is Redis's stringmatchlen, quirks included:
// - a class that is never closed ("[ab") runs to the end of the pattern;
// - in "[a-]" the ']' is the end of a range, so the class stays open;
// - range ends compare as C's signed char (bytes >= 0x80 sort below 0x00);
// - an empty string matches only the empty pattern: not even "*" matches it
//   (PSUBSCRIBE * misses channel ""). KEYS, SCAN and HSCAN skip matching
//   altogether for a lone "*", so there the empty key is listed.
// Every token but '*' consumes exactly one byte, so a single backtracking
// point (the last '*') is enough: matching is O(pattern * string) with no
// recursion, where Redis recurses once per '*' and prunes.

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const BACKSLASH = 0x5c;
const DASH = 0x2d;

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'class'; negate: boolean; items: ClassItem[] };

/** A class member: a byte (escaped bytes never fold case) or a range of signed bytes. */
type ClassItem = { code: number; escaped: boolean } | { lo: number; hi: number };

/** True when `str` matches the glob `pattern`, as Redis's stringmatchlen. */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  if (str.length === 0) return pattern.length === 0;
  if (pattern === '*') return true;
  return matchTokens(compileGlob(pattern), str, nocase);
}

/**
 * globMatch with the pattern compiled once, for matching many strings (KEYS, SCAN).
 * @example keys.filter(globMatcher('user:[0-9]*'))
 */
export function globMatcher(pattern: string, nocase = false): (str: string) => boolean {
  if (pattern === '*') return (str) => str.length !== 0;
  const tokens = compileGlob(pattern);
  const empty = pattern.length === 0;
  return (str) => (str.length === 0 ? empty : matchTokens(tokens, str, nocase));
}

/** Splits a pattern into one token per byte it consumes ('*' consumes any number). */
function compileGlob(p: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p.charCodeAt(i);
    if (c === STAR) {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === QUESTION) {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === OPEN) {
      i++;
      const negate = p.charCodeAt(i) === CARET;
      if (negate) i++;
      const items: ClassItem[] = [];
      while (i < p.length && p.charCodeAt(i) !== CLOSE) {
        const left = p.length - i;
        if (p.charCodeAt(i) === BACKSLASH && left >= 2) {
          items.push({ code: p.charCodeAt(i + 1), escaped: true });
          i += 2;
        } else if (left >= 3 && p.charCodeAt(i + 1) === DASH) {
          const a = signed(p.charCodeAt(i));
          const b = signed(p.charCodeAt(i + 2));
          items.push(a <= b ? { lo: a, hi: b } : { lo: b, hi: a });
          i += 3;
        } else {
          items.push({ code: p.charCodeAt(i), escaped: false });
          i++;
        }
      }
      if (i < p.length) i++; // the closing ']'
      tokens.push({ kind: 'class', negate, items });
    } else if (c === BACKSLASH && i + 1 < p.length) {
      tokens.push({ kind: 'char', code: p.charCodeAt(i + 1) });
      i += 2;
    } else {
      tokens.push({ kind: 'char', code: c });
      i++;
    }
  }
  return tokens;
}

function matchTokens(tokens: readonly Token[], s: string, nocase: boolean): boolean {
  let ti = 0;
  let si = 0;
  let starAt = -1; // token index just after the last '*' seen
  let starFrom = 0; // where in s that '*' match currently ends
  while (si < s.length) {
    const t = tokens[ti];
    if (t !== undefined && t.kind === 'star') {
      ti++;
      starAt = ti;
      starFrom = si;
      continue;
    }
    if (t !== undefined && matchOne(t, s.charCodeAt(si), nocase)) {
      ti++;
      si++;
      continue;
    }
    if (starAt < 0) return false;
    // Let the last '*' swallow one more byte and retry the rest from there.
    starFrom++;
    si = starFrom;
    ti = starAt;
  }
  while (ti < tokens.length && tokens[ti].kind === 'star') ti++;
  return ti === tokens.length;
}

function matchOne(t: Token, c: number, nocase: boolean): boolean {
  switch (t.kind) {
    case 'any':
      return true;
    case 'char':
      return nocase ? lower(t.code) === lower(c) : t.code === c;
    case 'class': {
      let matched = false;
      for (const item of t.items) {
        if ('lo' in item) {
          let lo = item.lo;
          let hi = item.hi;
          let x = signed(c);
          if (nocase) {
            lo = lower(lo);
            hi = lower(hi);
            x = lower(x);
          }
          if (x >= lo && x <= hi) matched = true;
        } else if (nocase && !item.escaped ? lower(item.code) === lower(c) : item.code === c) {
          matched = true;
        }
        if (matched) break;
      }
      return t.negate ? !matched : matched;
    }
    default:
      return false;
  }
}

/** C's (int) of a char on x86: bytes >= 0x80 are negative. */
function signed(code: number): number {
  return code >= 0x80 ? code - 0x100 : code;
}

/** tolower() in the C locale: only A-Z change. */
function lower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 32 : code;
}
