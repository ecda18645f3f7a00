/**
 * Named hook lists (pre-execute, post-execute, startup). Hooks run in the
 * order they were registered; registering a name again replaces that hook in
 * place, as Python's OrderedDict does.
 */

/** An ordered set of named callbacks. */
export class HookList<F extends (...args: never[]) => unknown> {
  private readonly hooks = new Map<string, F>();

  register(name: string, fn: F): void {
    if (typeof fn !== 'function') throw new TypeError(`hook "${name}" must be a function`);
    this.hooks.set(name, fn);
  }

  /** Removes a hook; returns whether it existed. */
  unregister(name: string): boolean {
    return this.hooks.delete(name);
  }

  get size(): number {
    return this.hooks.size;
  }

  entries(): [string, F][] {
    return [...this.hooks.entries()];
  }
}

/** Picks the hook name for the short forms `preExecute(fn)` / `preExecute(name, fn)`. */
export function hookArgs<F extends (...args: never[]) => unknown>(nameOrFn: string | F, maybeFn?: F): [string, F] {
  if (typeof nameOrFn === 'function') {
    if (!nameOrFn.name) throw new TypeError('an anonymous hook needs a name: hook(name, fn)');
    return [nameOrFn.name, nameOrFn];
  }
  if (typeof maybeFn !== 'function') throw new TypeError(`hook "${nameOrFn}" needs a function`);
  return [nameOrFn, maybeFn];
}
