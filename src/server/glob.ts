// Redis's glob-style matching (KEYS, SCAN MATCH, HSCAN MATCH, PSUBSCRIBE,
// CONFIG GET): * ? [abc] [^a-z] and backslash escapes, on binary strings.

/** True when `str` matches the glob `pattern`, as Redis's stringmatchlen. */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  if (pattern === '*') return true;
  return matchFrom(pattern, 0, str, 0, nocase);
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchFrom(p, pi + 1, s, k, nocase)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      pi++;
      const not = p[pi] === '^';
      if (not) pi++;
      let matched = false;
      const ch = fold(s[si], nocase);
      while (pi < p.length && p[pi] !== ']') {
        if (p[pi] === '\\' && pi + 1 < p.length) {
          pi++;
          if (fold(p[pi], nocase) === ch) matched = true;
          pi++;
        } else if (p[pi + 1] === '-' && pi + 2 < p.length && p[pi + 2] !== undefined) {
          let lo = fold(p[pi], nocase);
          let hi = fold(p[pi + 2], nocase);
          if (lo > hi) [lo, hi] = [hi, lo];
          if (ch >= lo && ch <= hi) matched = true;
          pi += 3;
        } else {
          if (fold(p[pi], nocase) === ch) matched = true;
          pi++;
        }
      }
      // An unterminated class ends the pattern, as in Redis.
      if (pi < p.length) pi++;
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
      continue;
    }
    let lit = c;
    if (c === '\\' && pi + 1 < p.length) lit = p[++pi];
    if (fold(lit, nocase) !== fold(s[si], nocase)) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function fold(c: string, nocase: boolean): string {
  return nocase ? c.toLowerCase() : c;
}
