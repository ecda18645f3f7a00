// The TypeError both command encoders raise for an argument they cannot send.

/** Builds the TypeError for argument `position` (0 = the command name) of command `name`. */
export function invalidArgument(name: unknown, position: number, value: unknown): TypeError {
  const where =
    position === 0
      ? 'Command name'
      : `Argument ${position} of ${typeof name === 'string' ? name.toUpperCase() : 'the command'}`;
  const what = typeof value === 'number' ? 'NaN' : describe(value);
  return new TypeError(`${where} is ${what}; expected a string, number, bigint or Buffer`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  if (t === 'object') return 'an object';
  if (t === 'undefined') return 'undefined';
  return `a ${t}`;
}

/** The text Redis gets for a numeric argument; ±Infinity become inf/-inf, NaN is refused. */
export function numberArgument(n: number, name: unknown, position: number): string {
  if (Number.isFinite(n)) return String(n);
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  throw invalidArgument(name, position, n);
}
