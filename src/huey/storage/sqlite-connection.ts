/**
 * One SQLite connection as SqliteStorage uses it: opened in WAL mode with a
 * busy timeout, the schema checked or created, statements prepared once,
 * short write transactions (BEGIN IMMEDIATE, so that a transaction never
 * has to upgrade a read lock and fail), and driver errors turned into
 * errors that say what happened to which file.
 */
import { existsSync } from 'node:fs';
import { ConfigurationError, QueueException } from '../exceptions.js';
import { loadSqliteDriver, type SqlDatabase, type SqliteDriverClass, type SqliteDriverName, type SqlStatement } from './sqlite-driver.js';
import { ADDED_COLUMNS, INDEXES, META_TABLE, SCHEMA, SCHEMA_VERSION, SQL, type StatementName } from './sqlite-sql.js';

export interface SqliteConnectionOptions {
  /** The database file (created if missing), or ':memory:' (one connection, no sharing). */
  filename: string;
  /** Milliseconds a statement waits for another connection's write lock before it fails (default 5000). */
  busyTimeout?: number;
  /** Which driver (default 'auto'), or a driver class. */
  driver?: SqliteDriverName | SqliteDriverClass;
}

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return e.code;
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (/database is locked|SQLITE_BUSY/i.test(msg)) return 'SQLITE_BUSY';
  if (/readonly|read-only/i.test(msg)) return 'SQLITE_READONLY';
  if (/not a database|SQLITE_NOTADB/i.test(msg)) return 'SQLITE_NOTADB';
  return typeof e?.code === 'string' ? e.code : '';
}

export class SqliteConnection {
  readonly filename: string;
  readonly driverName: string;
  readonly busyTimeout: number;
  private readonly db: SqlDatabase;
  private readonly statements = new Map<StatementName, SqlStatement>();
  private closed = false;

  constructor(options: SqliteConnectionOptions) {
    this.filename = options.filename;
    this.busyTimeout = options.busyTimeout ?? 5000;
    const { name, Driver } = loadSqliteDriver(options.driver);
    this.driverName = name;
    const existed = this.filename === ':memory:' || existsSync(this.filename);
    try {
      this.db = new Driver(this.filename);
    } catch (err) {
      throw new ConfigurationError(`cannot open SQLite database "${this.filename}": ${(err as Error).message}`);
    }
    try {
      // The busy timeout first: the schema check below may already wait on a writer.
      this.db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(this.busyTimeout))}`);
      this.checkIsHueyDatabase(existed);
      this.db.exec('PRAGMA journal_mode = WAL');
      // NORMAL is durable across a process crash in WAL mode (only an OS crash may lose the last commits).
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.transaction(() => {
        this.db.exec(SCHEMA);
        this.addMissingColumns();
        this.db.exec(INDEXES);
        this.stmt('metaPut').run('schema_version', String(SCHEMA_VERSION));
      });
      const version = (this.stmt('metaGet').get('schema_version') as { value?: string } | undefined)?.value;
      if (version !== String(SCHEMA_VERSION)) {
        throw new ConfigurationError(
          `"${this.filename}" is a huey database of schema version ${version}, this huey-ts reads version ${SCHEMA_VERSION}: use a new file`,
        );
      }
    } catch (err) {
      this.db.close();
      if (err instanceof QueueException) throw err;
      throw this.explain(err, 'open');
    }
  }

  /** Refuses a file that is not SQLite, or a SQLite database of something else (its tables are left alone). */
  private checkIsHueyDatabase(existed: boolean): void {
    if (!existed) return;
    const tables = (this.db.prepare(SQL.tables).all() as { name: string }[]).map((t) => t.name);
    if (tables.length > 0 && !tables.includes(META_TABLE)) {
      throw new ConfigurationError(
        `"${this.filename}" is not a huey database: it has tables (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}) ` +
          `but no ${META_TABLE}. Nothing was changed; give SqliteHuey a file of its own.`,
      );
    }
  }

  /** Gives a file made before a column existed that column (see ADDED_COLUMNS). */
  private addMissingColumns(): void {
    for (const { table, column, add } of ADDED_COLUMNS) {
      const columns = (this.stmt('columns').all(table) as { name: string }[]).map((c) => c.name);
      if (!columns.includes(column)) this.db.exec(add);
    }
  }

  /** The prepared statement `name` of SQL. */
  stmt(name: StatementName): SqlStatement {
    let s = this.statements.get(name);
    if (!s) {
      if (this.closed) throw new QueueException(`SQLite storage on "${this.filename}" is closed`);
      s = this.db.prepare(SQL[name]);
      this.statements.set(name, s);
    }
    return s;
  }

  /**
   * Runs `fn` (synchronous statements) as one write transaction. BEGIN
   * IMMEDIATE takes the write lock first (waiting up to the busy timeout),
   * so no statement inside can fail for lack of it.
   */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite (e.g. after SQLITE_FULL).
      }
      throw err;
    }
  }

  /**
   * Runs `fn`, turning a driver error into one that names the file and the
   * cause. Every call is one statement or one transaction, so a failed one
   * changed nothing.
   */
  run<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.explain(err, what);
    }
  }

  /** run() for the Storage methods: the outcome as a promise, a failure as a rejection (never a throw). */
  call<T>(what: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.run(what, fn));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private explain(err: unknown, what: string): Error {
    if (err instanceof QueueException) return err;
    const message = (err as Error)?.message ?? String(err);
    const where = `SQLite database "${this.filename}"`;
    switch (codeOf(err)) {
      case 'SQLITE_BUSY':
        return new QueueException(
          `${what}: ${where} stayed locked by another connection for longer than the busy timeout (${this.busyTimeout} ms); nothing was changed. ` +
            'A long transaction elsewhere holds it, or raise busyTimeout.',
        );
      case 'SQLITE_READONLY':
        return new ConfigurationError(`${what}: ${where} is read-only (file or folder permissions, or a read-only mount); nothing was changed`);
      case 'SQLITE_NOTADB':
        return new ConfigurationError(`${where} is not a SQLite database (nothing was changed): give SqliteHuey a file of its own`);
      case 'SQLITE_CANTOPEN':
        return new ConfigurationError(`cannot open ${where}: does its folder exist and may it be written? (${message})`);
      default:
        return new QueueException(`${what} on ${where} failed: ${message}`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}
