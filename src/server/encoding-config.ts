// CONFIG GET/SET of the encoding thresholds (data/encoding-limits.ts), with
// Redis 7.0's names, old *-ziplist-* aliases, bounds and parsing: integer
// settings take what string2ll takes, "memory" settings also take a unit
// (1k, 1kb, 1m, 1mb, 1g, 1gb) as memtoull does, and each reports its own
// error text.

import type { ConfigTable } from './config.js';
import type { EncodingLimits } from './data/encoding-limits.js';

type LimitName = { [K in keyof EncodingLimits]: EncodingLimits[K] extends number ? K : never }[keyof EncodingLimits];

interface Setting {
  name: string;
  alias?: string;
  field: LimitName;
  min: bigint;
  max: bigint;
  memory: boolean;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX = 2n ** 63n - 1n;

const SETTINGS: readonly Setting[] = [
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', field: 'hashMaxListpackEntries', min: 0n, max: LONG_MAX, memory: false },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', field: 'hashMaxListpackValue', min: 0n, max: LONG_MAX, memory: true },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', field: 'zsetMaxListpackEntries', min: 0n, max: LONG_MAX, memory: false },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', field: 'zsetMaxListpackValue', min: 0n, max: LONG_MAX, memory: true },
  { name: 'set-max-intset-entries', field: 'setMaxIntsetEntries', min: 0n, max: LONG_MAX, memory: false },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', field: 'listMaxListpackSize', min: INT_MIN, max: INT_MAX, memory: false },
  { name: 'list-compress-depth', field: 'listCompressDepth', min: 0n, max: INT_MAX, memory: false },
  { name: 'stream-node-max-bytes', field: 'streamNodeMaxBytes', min: 0n, max: LONG_MAX, memory: true },
  { name: 'stream-node-max-entries', field: 'streamNodeMaxEntries', min: 0n, max: LONG_MAX, memory: false },
];

const CANONICAL_INT = /^(?:0|-?[1-9][0-9]*)$/;
const UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n };
const ULLONG = 2n ** 64n;

/**
 * memtoull: digits then an optional unit; the product wraps at 64 bits, and
 * a number past 64 bits saturates (strtoull), as in Redis. null: not a memory value.
 */
function parseMemory(s: string): bigint | null {
  const m = /^([0-9]*)([a-zA-Z]*)$/.exec(s);
  if (m === null || m[1].length >= 128) return null;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  let n = m[1] === '' ? 0n : BigInt(m[1]);
  if (n >= ULLONG) n = ULLONG - 1n;
  // The unsigned result is then read as a long long.
  return BigInt.asIntN(64, n * unit);
}

/** The value a setting would take from s, or the reason Redis gives for refusing it. */
function parseSetting(setting: Setting, s: string): bigint {
  let n: bigint | null = setting.memory ? parseMemory(s) : null;
  if (n === null) {
    if (setting.memory) throw new Error('argument must be a memory value');
    if (s.length > 20 || !CANONICAL_INT.test(s) || BigInt(s) > LONG_MAX || BigInt(s) < -LONG_MAX - 1n) {
      throw new Error("argument couldn't be parsed into an integer");
    }
    n = BigInt(s);
  }
  if (n < setting.min || n > setting.max) throw new Error(`argument must be between ${setting.min} and ${setting.max} inclusive`);
  return n;
}

/** Registers every threshold (and its alias) as a CONFIG parameter changing `limits` in place. */
export function registerEncodingConfig(table: ConfigTable, limits: EncodingLimits): void {
  for (const setting of SETTINGS) {
    // Numbers past 2^53 are held rounded; CONFIG GET still shows what was set.
    let exact: bigint | null = null;
    const param = {
      get: () => (exact !== null && Number(exact) === limits[setting.field] ? String(exact) : String(limits[setting.field])),
      set: (v: string) => {
        exact = parseSetting(setting, v);
        limits[setting.field] = Number(exact);
      },
    };
    table.register({ name: setting.name, ...param });
    if (setting.alias !== undefined) table.register({ name: setting.alias, ...param });
  }
}
