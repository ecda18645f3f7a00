/**
 * Unknown option keys are errors: in plain JavaScript a misspelt or Python
 * name (`revoke({ revokeOnce: true })`, `task(fn, { retry_delay: 5 })`)
 * would otherwise be ignored without a word, and the call would quietly do
 * something else. Every options object of the user's API goes through
 * `checkOptions` with the keys of its type, listed once with `optionKeys`.
 */

/**
 * Names people bring from Huey (or guess) that are spelt differently here.
 * snake_case spellings of our own names are found without being listed.
 */
const RENAMES: Readonly<Record<string, string>> = {
  revokeOnce: 'once',
  revoke_once: 'once',
  revokeUntil: 'until',
  revoke_until: 'until',
  results: 'resultStore',
  result_store: 'resultStore',
  immediate: 'alwaysEager',
  context: 'includeTask',
  retriesAsArg: 'retriesAsArgument',
  worker_type: 'workerType',
  workers_type: 'workerType',
  max_delay: 'maxDelay',
};

/**
 * The keys of an options type, from a record TypeScript checks for
 * completeness (a key added to the type but not here is a compile error).
 * @example const KEYS = optionKeys<RevokeOptions>({ until: true, once: true });
 */
export function optionKeys<T extends object>(keys: { [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function suggestion(key: string, allowed: readonly string[]): string | undefined {
  const renamed = RENAMES[key];
  if (renamed !== undefined && allowed.includes(renamed)) return renamed;
  const lower = camel(key).toLowerCase();
  return allowed.find((k) => k.toLowerCase() === lower);
}

/**
 * Throws a TypeError naming the first key of `options` that `allowed` does
 * not list, and the right name where there is one. `where` names the call,
 * e.g. `revoke()`. Undefined and null options pass (the defaults apply).
 * @example checkOptions('revoke()', { revokeOnce: true }, ['until', 'once']);
 * // TypeError: revoke(): unknown option "revokeOnce" (did you mean "once"?)
 */
export function checkOptions(where: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const right = suggestion(key, allowed);
    const hint = right !== undefined ? `did you mean "${right}"?` : `known options: ${allowed.join(', ')}`;
    throw new TypeError(`${where}: unknown option "${key}" (${hint})`);
  }
}
