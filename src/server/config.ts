// CONFIG GET/SET parameters: one table of named settings, each with how to
// read it, how to validate and apply a new value, or that it is immutable.
// Persistence and other features register their own parameters here.

import { CommandError } from './errors.js';

export interface ConfigParam {
  name: string;
  get(): string;
  /** Validates and applies; throws an Error whose message is Redis's reason text. Absent: immutable. */
  set?(value: string): void;
}

export class ConfigTable {
  private readonly params = new Map<string, ConfigParam>();

  register(param: ConfigParam): void {
    this.params.set(param.name, param);
  }

  /** A read-only setting reported to tools (e.g. maxmemory 0). */
  constant(name: string, value: string): void {
    this.register({ name, get: () => value });
  }

  integer(name: string, get: () => number, apply?: (n: number) => void, min = 0, max = Number.MAX_SAFE_INTEGER): void {
    this.register({
      name,
      get: () => String(get()),
      set: apply
        ? (v) => {
            if (!/^-?\d+$/.test(v)) throw new Error("argument couldn't be parsed into an integer");
            const n = Number(v);
            if (n < min || n > max) throw new Error(`argument must be between ${min} and ${max} inclusive`);
            apply(n);
          }
        : undefined,
    });
  }

  string(name: string, get: () => string, apply?: (s: string) => void): void {
    this.register({ name, get, set: apply });
  }

  /** yes/no settings. */
  bool(name: string, get: () => boolean, apply?: (b: boolean) => void): void {
    this.register({
      name,
      get: () => (get() ? 'yes' : 'no'),
      set: apply
        ? (v) => {
            const s = v.toLowerCase();
            if (s !== 'yes' && s !== 'no') throw new Error('argument must be \'yes\' or \'no\'');
            apply(s === 'yes');
          }
        : undefined,
    });
  }

  /**
   * Matching parameters as [name, value] pairs, for CONFIG GET. As Redis: a
   * name without * ? [ is looked up and answered under the spelling asked
   * for; a pattern answers under each parameter's own name.
   */
  match(patterns: readonly string[], glob: (p: string, s: string) => boolean): [string, string][] {
    const out = new Map<string, [string, string]>();
    for (const p of patterns) {
      const lower = p.toLowerCase();
      if (!/[*?[]/.test(p)) {
        const param = this.params.get(lower);
        if (param && !out.has(param.name)) out.set(param.name, [p, param.get()]);
        continue;
      }
      for (const param of this.params.values()) {
        if (!out.has(param.name) && glob(lower, param.name)) out.set(param.name, [param.name, param.get()]);
      }
    }
    return [...out.values()];
  }

  get(name: string): string | undefined {
    return this.params.get(name.toLowerCase())?.get();
  }

  /** Applies name/value pairs all or nothing, with Redis's CONFIG SET errors. */
  setMany(pairs: [string, string][]): void {
    const seen = new Set<string>();
    const resolved: [ConfigParam, string][] = [];
    for (const [rawName, value] of pairs) {
      const name = rawName.toLowerCase();
      const param = this.params.get(name);
      if (!param) throw new CommandError(`ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`);
      if (seen.has(name)) throw failed(rawName, 'duplicate parameter');
      seen.add(name);
      if (!param.set) throw failed(rawName, "can't set immutable config");
      resolved.push([param, value]);
    }
    const previous = resolved.map(([p]) => p.get());
    for (let i = 0; i < resolved.length; i++) {
      const [param, value] = resolved[i];
      try {
        param.set!(value);
      } catch (e) {
        // Roll back what was applied, so CONFIG SET is atomic.
        for (let j = 0; j < i; j++) resolved[j][0].set!(previous[j]);
        throw failed(pairs[i][0], (e as Error).message);
      }
    }
  }
}

function failed(name: string, reason: string): CommandError {
  return new CommandError(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
}
