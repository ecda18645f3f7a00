// Persistence settings: what the CLI, ServerOptions and CONFIG SET accept,
// with Redis's defaults, value syntax and error texts.

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** One `save <seconds> <changes>` rule: snapshot when both are reached. */
export interface SaveRule {
  seconds: number;
  changes: number;
}

export interface PersistenceSettings {
  /** Directory for the snapshot and the AOF. */
  dir: string;
  dbfilename: string;
  appendfilename: string;
  appendonly: boolean;
  appendfsync: FsyncPolicy;
  save: SaveRule[];
  /** Rewrite the AOF when it grew by this many percent over its size after the last rewrite (0: never). */
  autoAofRewritePercentage: number;
  /** ...and is at least this many bytes. */
  autoAofRewriteMinSize: number;
  /** Start with a warning when the AOF's last command is torn (else refuse to start). */
  aofLoadTruncated: boolean;
  /** Redis's rdb-key-save-delay: microseconds to sleep per key in BGSAVE and BGREWRITEAOF (tests use it to keep a job running). */
  keySaveDelayUs: number;
}

/** Redis's defaults, except the snapshot file's name: ours is not an RDB file. */
export const DEFAULT_DBFILENAME = 'dump.sdb';
export const DEFAULT_APPENDFILENAME = 'appendonly.aof';
/** Redis's default save rules (what redis-server uses without a config file). */
export const REDIS_DEFAULT_SAVE = '3600 1 300 100 60 10000';

export const FSYNC_POLICIES: readonly FsyncPolicy[] = ['everysec', 'always', 'no'];

export function parseFsyncPolicy(s: string): FsyncPolicy {
  const p = s.toLowerCase();
  if (p === 'always' || p === 'everysec' || p === 'no') return p;
  throw new Error('argument(s) must be one of the following: everysec, always, no');
}

/**
 * Parses "<seconds> <changes> ..." as Redis's CONFIG SET save does: pairs
 * separated by single spaces, seconds >= 1, changes >= 0; "" means no rules.
 */
export function parseSaveRules(s: string): SaveRule[] {
  if (s === '') return [];
  const parts = s.split(' ');
  const invalid = () => new Error('Invalid save parameters');
  if (parts.length % 2 !== 0) throw invalid();
  const rules: SaveRule[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const seconds = strtoll(parts[i]);
    const changes = strtoll(parts[i + 1]);
    if (seconds === null || changes === null || seconds < 1 || changes < 0) throw invalid();
    rules.push({ seconds, changes });
  }
  return rules;
}

export function formatSaveRules(rules: readonly SaveRule[]): string {
  return rules.map((r) => `${r.seconds} ${r.changes}`).join(' ');
}

/** strtoll with the whole string consumed (leading blanks and a sign allowed), as Redis validates. */
function strtoll(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  return m ? Number(m[1]) : null;
}

/** Redis's memtoull: "64mb", "1gb", "1k" (1000), "1kb" (1024), plain bytes. */
export function parseMemory(s: string): number {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) throw new Error('argument must be a memory value');
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1]) * mul[unit];
}
