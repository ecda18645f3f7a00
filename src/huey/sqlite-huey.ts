/**
 * SqliteHuey: Huey on SqliteStorage. Queue, schedule, results, revocations,
 * locks and the error list live in one SQLite file that several producer
 * and consumer processes can share (docs/sqlite.md). The SQLite driver
 * (better-sqlite3, libsql or node:sqlite) is loaded only when one is created.
 */
import { Huey, type HueyOptions } from './api.js';
import { SqliteStorage, type SqliteStorageOptions } from './storage/sqlite.js';

/** Options of SqliteHuey: Huey's, plus the file and how to wait on it. */
export interface SqliteHueyOptions<RS extends boolean = boolean>
  extends Omit<HueyOptions<RS>, 'storage'>,
    Pick<SqliteStorageOptions, 'busyTimeout' | 'driver' | 'pollInterval' | 'maxEvents'> {
  /** The database file (default 'huey.db'); created with its tables if missing. */
  filename?: string;
}

/**
 * Huey in a SQLite file.
 * @example const huey = new SqliteHuey('my-app', { filename: 'huey.db' });
 */
export class SqliteHuey<RS extends boolean = true> extends Huey<RS> {
  /** A SqliteStorage, with every capability (reliable delivery included). */
  declare readonly storage: SqliteStorage;

  constructor(name = 'huey', options: SqliteHueyOptions<RS> = {}) {
    const storage = new SqliteStorage(name, {
      filename: options.filename ?? 'huey.db',
      busyTimeout: options.busyTimeout,
      driver: options.driver,
      pollInterval: options.pollInterval,
      maxEvents: options.maxEvents,
      blocking: options.blocking ?? true,
      readTimeout: options.readTimeout,
      maxErrors: options.maxErrors,
    });
    super(name, { ...options, storage });
  }
}
