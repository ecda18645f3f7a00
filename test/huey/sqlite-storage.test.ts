// What is particular to SqliteStorage: the driver choice and its error, the
// files it refuses (not SQLite, another application's database, a newer
// schema, read-only), a lock held past the busy timeout (a clear error, and
// nothing lost), and events seen across storages on one file.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, QueueException, SqliteHuey, SqliteStorage } from '../../src/huey/index.js';
import type { SqlDatabase, SqliteDriverClass } from '../../src/huey/storage/sqlite-driver.js';

const Libsql = createRequire(import.meta.url)('libsql') as new (file: string, options?: { readonly?: boolean }) => SqlDatabase;

describe('SqliteStorage', () => {
  let dir: string;
  let file: string;
  const open: { close(): unknown }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'huey-sqlite-'));
    file = join(dir, 'huey.db');
  });
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const storage = (options: Partial<ConstructorParameters<typeof SqliteStorage>[1]> = {}, name = 'app') => {
    const s = new SqliteStorage(name, { filename: file, driver: 'libsql', readTimeout: 0.05, ...options });
    open.push(s);
    return s;
  };

  it('finds a driver by itself, and says which', async () => {
    const s = storage({ driver: undefined });
    expect(['better-sqlite3', 'libsql', 'node:sqlite']).toContain(s.driver);
    await s.enqueue('m');
    expect(await s.dequeue()).toBe('m');
  });

  it('a driver that is not installed: the error says what to install', () => {
    expect(() => storage({ driver: 'better-sqlite3' })).toThrow(ConfigurationError);
    expect(() => storage({ driver: 'better-sqlite3' })).toThrow(/"better-sqlite3", which is not installed.*npm install libsql/);
  });

  it('refuses a file that is not SQLite, and leaves it as it was', () => {
    writeFileSync(file, 'my notes, not a database\n'.repeat(50));
    expect(() => storage()).toThrow(/is not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('my notes, not a database\n'.repeat(50));
  });

  it("refuses another application's database, and leaves its tables alone", () => {
    const other = new Libsql(file);
    other.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a@b.c')");
    other.close();
    expect(() => storage()).toThrow(/is not a huey database: it has tables \(users\).*Nothing was changed/);
    const check = new Libsql(file);
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    check.close();
    expect(tables.map((t) => t.name)).toEqual(['users']);
  });

  it('refuses a huey database of another schema version', () => {
    storage();
    const db = new Libsql(file);
    db.exec("UPDATE huey_meta SET value = '99' WHERE key = 'schema_version'");
    db.close();
    expect(() => storage()).toThrow(/schema version 99/);
  });

  it('a read-only database: a clear error when it is opened, and nothing changes', async () => {
    const writer = storage();
    await writer.enqueue('kept');
    // A connection SQLite itself opens read-only (libsql ignores the readonly option; a URI does it).
    class ReadOnly {
      constructor(filename: string) {
        return new Libsql(`file:${filename}?mode=ro`);
      }
    }
    // Opening checks the schema in a write transaction, so a read-only file fails at once, with the reason.
    expect(() => storage({ driver: ReadOnly as unknown as SqliteDriverClass })).toThrow(ConfigurationError);
    expect(() => storage({ driver: ReadOnly as unknown as SqliteDriverClass })).toThrow(/huey.db" is read-only.*nothing was changed/);
    expect(await writer.enqueuedItems()).toEqual(['kept']);
  });

  it('a database locked past the busy timeout: the call fails with a clear error and loses nothing', async () => {
    const s = storage({ busyTimeout: 100 });
    await s.enqueue('first');
    const locker = new Libsql(file);
    open.push(locker);
    locker.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(s.enqueue('second')).rejects.toThrow(QueueException);
    await expect(s.dequeue()).rejects.toThrow(/locked by another connection for longer than the busy timeout \(100 ms\); nothing was changed/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    locker.exec('COMMIT');
    await s.enqueue('second');
    expect(await s.dequeueMany(5)).toEqual(['first', 'second']);
  });

  it('two hueys share a file by name: each sees only its own queue', async () => {
    const a = storage({}, 'a');
    const b = storage({}, 'b');
    await a.enqueue('for a');
    await b.enqueue('for b');
    expect(await a.enqueuedItems()).toEqual(['for a']);
    expect(await b.dequeueMany(5)).toEqual(['for b']);
    expect(await a.queueSize()).toBe(1);
  });

  it('events: a listener sees what another storage on the file emits (the events table)', async () => {
    const listenerSide = storage({ pollInterval: 10 });
    const emitterSide = storage();
    await emitterSide.emit('before');
    const sub = listenerSide.listener();
    await sub.ready;
    await emitterSide.emit('one');
    await emitterSide.emit('two');
    const got: string[] = [];
    for await (const e of sub) {
      got.push(e);
      if (got.length === 2) break;
    }
    expect(got).toEqual(['one', 'two']);
  });

  it('the events table keeps only the newest maxEvents', async () => {
    const s = storage({ maxEvents: 10 });
    for (let i = 0; i < 250; i++) await s.emit(String(i));
    const db = new Libsql(file);
    const left = (db.prepare('SELECT count(*) AS n FROM huey_event').get() as { n: number }).n;
    db.close();
    expect(left).toBeGreaterThanOrEqual(10);
    expect(left).toBeLessThan(10 + 100);
  });

  it('SqliteHuey: the default file is huey.db in the current folder; a missing folder is a clear error', () => {
    expect(() => new SqliteHuey('x', { filename: join(dir, 'no', 'such', 'folder', 'huey.db'), driver: 'libsql' })).toThrow(/cannot open SQLite database/);
  });
});
