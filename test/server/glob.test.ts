// globMatch against Redis's stringmatchlen. Every expectation in the table
// below was checked against redis-server 7.0 (KEYS pattern over one key).
import { describe, expect, it } from 'vitest';
import { globMatch, globMatcher } from '../../src/server/glob.js';

const cases: [pattern: string, str: string, matches: boolean][] = [
  ['h?llo', 'hello', true],
  ['h?llo', 'hllo', false],
  ['h*llo', 'heeeello', true],
  ['h*llo', 'hllo', true],
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hillo', false],
  ['h[^e]llo', 'hello', false],
  ['h[^e]llo', 'hallo', true],
  ['h[a-b]llo', 'hbllo', true],
  ['[z-a]', 'm', true], // reversed ranges are swapped
  ['[a-cx-z]', 'y', true],
  // In "[a-]" the ']' ends a range (']'..'a'), so the class never closes.
  ['[a-]', 'a', true],
  ['[a-]', ']', true],
  ['[a-]', '^', true],
  ['[a-]', '-', false],
  // An unclosed class runs to the end of the pattern.
  ['[abc', 'b', true],
  ['[abc', 'd', false],
  ['x[a-c', 'xb', true],
  ['x[a-c', 'xd', false],
  ['[', '[', false],
  ['[^', 'x', true],
  ['*[', 'a[', false],
  // "[]" is an empty class, not a literal ']'.
  ['[]a]', 'a]', false],
  ['[]a]', ']', false],
  ['[\\]]', ']', true],
  ['[\\', '\\', true],
  ['[\\a-c]', 'b', false],
  ['[--0]', '.', true],
  ['[a-c-e]', 'd', false],
  ['[a-c-e]', '-', true],
  ['[!a]', '!', true], // only '^' negates
  ['[^a-c]x', 'dx', true],
  // Escapes, and a trailing backslash that is literal.
  ['\\\\', '\\', true],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['a\\', 'a\\', true],
  ['a\\', 'a', false],
  // Stars.
  ['**', 'x', true],
  ['*', 'x', true],
  ['a*', 'a', true],
  ['*a', 'a', true],
  ['a**b', 'ab', true],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'aXbY', false],
  ['*?*?*', 'ab', true],
  ['*?*?*', 'a', false],
  // Bytes >= 0x80 are negative chars in range comparisons.
  ['[\x80-\xff]', '\x90', true],
  ['[a-\xff]', '\x00', true],
  ['[a-\xff]', 'b', false],
  ['[a-\xff]', '\xfe', false],
  ['[\x00-a]', '\xff', false],
  ['?', '\xff', true],
];

describe('globMatch', () => {
  it.each(cases)('%j against %j is %s', (pattern, str, matches) => {
    expect(globMatch(pattern, str)).toBe(matches);
    expect(globMatcher(pattern)(str)).toBe(matches);
  });

  it('matches the empty string only with the empty pattern, as stringmatchlen (even "*" does not)', () => {
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(false);
    expect(globMatch('**', '')).toBe(false);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatcher('**')('')).toBe(false);
    expect(globMatcher('*')('')).toBe(false);
    expect(globMatcher('*')('a')).toBe(true);
    expect(globMatcher('')('')).toBe(true);
  });

  it('folds ASCII case only when asked, and never for escaped class members', () => {
    expect(globMatch('HELLO', 'hello')).toBe(false);
    expect(globMatch('HELLO', 'hello', true)).toBe(true);
    expect(globMatch('h[A-Z]llo', 'hello', true)).toBe(true);
    expect(globMatch('h[E]llo', 'hello', true)).toBe(true);
    expect(globMatch('h[\\E]llo', 'hello', true)).toBe(false);
    expect(globMatch('\xc9', '\xe9', true)).toBe(false); // tolower() in the C locale is ASCII only
  });

  it('handles patterns that make naive backtracking exponential', () => {
    const str = 'a'.repeat(5000);
    expect(globMatch('*a'.repeat(40) + 'b', str)).toBe(false);
    expect(globMatch('*a'.repeat(40), str)).toBe(true);
    // Thousands of stars do not overflow the stack.
    expect(globMatch('*x'.repeat(20000), 'x'.repeat(20000))).toBe(true);
  });
});
