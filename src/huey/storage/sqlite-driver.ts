/**
 * The SQLite driver SqliteStorage runs on, found only when a SqliteStorage is
 * created: the package depends on no SQLite module. Any driver with the
 * better-sqlite3 API will do, as long as it has the few calls used here
 * (prepare + run/get/all, exec, close): better-sqlite3, libsql (the same API,
 * installed prebuilt), or Node's own node:sqlite (Node >= 22.5).
 *
 * The drivers are CommonJS modules with a synchronous API, so they are
 * loaded with require() from the constructor: a missing driver, a file that
 * is not a database or a read-only file fails `new SqliteHuey(...)` itself,
 * not some later call.
 */
import { createRequire } from 'node:module';
import { ConfigurationError } from '../exceptions.js';

/** A prepared statement: the subset of the better-sqlite3 API SqliteStorage uses. */
export interface SqlStatement {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A database connection: the subset of the better-sqlite3 API SqliteStorage uses. */
export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  exec(sql: string): unknown;
  close(): unknown;
}

/** Which driver to use; 'auto' tries better-sqlite3, then libsql, then node:sqlite. */
export type SqliteDriverName = 'auto' | 'better-sqlite3' | 'libsql' | 'node:sqlite';

/** A driver given directly: a constructor of connections, `new Driver(filename)`. */
export type SqliteDriverClass = new (filename: string) => SqlDatabase;

// better-sqlite3 comes first: someone who installed it chose it (it is the
// API's reference and the most used); libsql is the drop-in that installs
// prebuilt (this project's tests run on it); node:sqlite, still
// experimental, only when neither is there.
const AUTO_ORDER = ['better-sqlite3', 'libsql', 'node:sqlite'] as const;

const requireHere = createRequire(import.meta.url);

function isMissing(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ERR_UNKNOWN_BUILTIN_MODULE') return true;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

function load(name: Exclude<SqliteDriverName, 'auto'>): SqliteDriverClass | null {
  try {
    const mod = requireHere(name) as { DatabaseSync?: SqliteDriverClass; default?: SqliteDriverClass } | SqliteDriverClass;
    if (name === 'node:sqlite') return (mod as { DatabaseSync: SqliteDriverClass }).DatabaseSync;
    return typeof mod === 'function' ? mod : (mod.default as SqliteDriverClass);
  } catch (err) {
    if (isMissing(err, name)) return null;
    throw err;
  }
}

/** The driver class for `choice`, or a ConfigurationError that says what to install. */
export function loadSqliteDriver(choice: SqliteDriverName | SqliteDriverClass = 'auto'): { name: string; Driver: SqliteDriverClass } {
  if (typeof choice === 'function') return { name: choice.name || 'custom', Driver: choice };
  const names = choice === 'auto' ? AUTO_ORDER : [choice];
  for (const name of names) {
    const Driver = load(name);
    if (Driver) return { name, Driver };
  }
  const what = choice === 'auto' ? 'a SQLite driver' : `the SQLite driver "${choice}"`;
  throw new ConfigurationError(
    `SqliteHuey needs ${what}, which is not installed. Install one: \`npm install libsql\` (prebuilt, installs in seconds) ` +
      'or `npm install better-sqlite3` (compiles where no prebuilt binary can be downloaded); on Node >= 22.5 node:sqlite is used when neither is installed.',
  );
}
