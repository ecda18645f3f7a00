/**
 * Every SQL statement SqliteStorage runs, in one place: the schema and one
 * named statement per storage operation. Each huey's rows carry its name, so
 * several hueys can share a file. A new capability adds its tables to
 * SCHEMA (and bumps SCHEMA_VERSION if existing tables change) and its
 * statements to SQL.
 *
 * Ordering relies on rowids: a table's INTEGER PRIMARY KEY grows with each
 * insert, so "oldest first" is ORDER BY id. A message put back at the front
 * of the queue gets an id below every other (min(id) - 1).
 */

/** The schema's version, stored in huey_meta; a file with another version is refused. */
export const SCHEMA_VERSION = 1;

/** Tables every huey database has; a database with other tables but not these is not a huey database. */
export const META_TABLE = 'huey_meta';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS huey_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_queue (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS huey_schedule (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ts INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS huey_schedule_due ON huey_schedule (name, ts, id);
CREATE TABLE IF NOT EXISTS huey_kv (name TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_revocation (name TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_error (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS huey_error_order ON huey_error (name, id);
CREATE TABLE IF NOT EXISTS huey_event (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS huey_event_order ON huey_event (name, id);
CREATE TABLE IF NOT EXISTS huey_inflight (id INTEGER PRIMARY KEY, name TEXT NOT NULL, list TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS huey_inflight_list ON huey_inflight (name, list, id);
CREATE TABLE IF NOT EXISTS huey_inflight_owner (name TEXT NOT NULL, list TEXT NOT NULL, consumer TEXT NOT NULL, PRIMARY KEY (name, list)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_heartbeat (name TEXT NOT NULL, consumer TEXT NOT NULL, info TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (name, consumer)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_recovery (name TEXT NOT NULL, task_id TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name, task_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_consumer (name TEXT NOT NULL, consumer TEXT NOT NULL, info TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (name, consumer)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_count (name TEXT NOT NULL, bucket TEXT NOT NULL, field TEXT NOT NULL, n INTEGER NOT NULL, expires_at INTEGER, PRIMARY KEY (name, bucket, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_chord (name TEXT NOT NULL, chord TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (name, chord, member)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_chord_expiry (name TEXT NOT NULL, chord TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (name, chord)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_rate (name TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_unique (name TEXT NOT NULL, key TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS huey_parked (id INTEGER PRIMARY KEY, name TEXT NOT NULL, task TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS huey_parked_order ON huey_parked (name, task, id);
`;

/**
 * Columns added to tables after their first release: a file made before
 * gets them when it is next opened (ADD COLUMN keeps every row, and the
 * default is what the rows meant), in the same transaction as SCHEMA.
 */
export const ADDED_COLUMNS = [
  // Priority levels (sqlite-priorities.ts): 0 is the plain queue, what every older row is.
  { table: 'huey_queue', column: 'priority', add: `ALTER TABLE huey_queue ADD COLUMN priority INTEGER NOT NULL DEFAULT 0` },
] as const;

/**
 * Indexes over added columns, made once ADDED_COLUMNS exist. The queue is
 * taken highest level first, oldest first within a level: one index walk.
 * It replaces the index on (name, id) that files made before levels have.
 */
export const INDEXES = `
DROP INDEX IF EXISTS huey_queue_order;
CREATE INDEX IF NOT EXISTS huey_queue_levels ON huey_queue (name, priority DESC, id);
`;

/** The statements, by operation. Parameters are positional; `name` (the huey's) always comes first. */
export const SQL = {
  metaGet: `SELECT value FROM huey_meta WHERE key = ?`,
  metaPut: `INSERT INTO huey_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
  tables: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
  columns: `SELECT name FROM pragma_table_info(?)`,

  // queue: every priority level in one table, taken highest level first, oldest first within one
  enqueue: `INSERT INTO huey_queue (name, data) VALUES (?, ?)`,
  enqueuePriority: `INSERT INTO huey_queue (name, data, priority) VALUES (?, ?, ?)`,
  // One statement takes the next message: two consumers can never get the same one.
  dequeue: `DELETE FROM huey_queue WHERE id = (SELECT id FROM huey_queue WHERE name = ? ORDER BY priority DESC, id LIMIT 1) RETURNING data`,
  dequeueMany: `DELETE FROM huey_queue WHERE id IN (SELECT id FROM huey_queue WHERE name = ? ORDER BY priority DESC, id LIMIT ?) RETURNING id, priority, data`,
  unqueue: `DELETE FROM huey_queue WHERE name = ? AND data = ?`,
  queueSize: `SELECT count(*) AS n FROM huey_queue WHERE name = ?`,
  queueItems: `SELECT data FROM huey_queue WHERE name = ? ORDER BY priority DESC, id LIMIT ?`,
  flushQueue: `DELETE FROM huey_queue WHERE name = ?`,
  // Ids are global to the table, so the front (of the plain queue, level 0) is below every huey's min(id).
  pushFront: `INSERT INTO huey_queue (id, name, data) VALUES ((SELECT coalesce(min(id), 1) - 1 FROM huey_queue), ?, ?)`,

  // schedule
  schedule: `INSERT INTO huey_schedule (name, ts, data) VALUES (?, ?, ?)`,
  readSchedule: `DELETE FROM huey_schedule WHERE name = ? AND ts <= ? RETURNING ts, id, data`,
  scheduleSize: `SELECT count(*) AS n FROM huey_schedule WHERE name = ?`,
  scheduleItems: `SELECT data FROM huey_schedule WHERE name = ? ORDER BY ts, id LIMIT ?`,
  flushSchedule: `DELETE FROM huey_schedule WHERE name = ?`,

  // key/value
  put: `INSERT INTO huey_kv (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value`,
  putIfEmpty: `INSERT INTO huey_kv (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO NOTHING`,
  peek: `SELECT value FROM huey_kv WHERE name = ? AND key = ?`,
  pop: `DELETE FROM huey_kv WHERE name = ? AND key = ? RETURNING value`,
  kvSize: `SELECT count(*) AS n FROM huey_kv WHERE name = ?`,
  kvItems: `SELECT key, value FROM huey_kv WHERE name = ?`,
  flushKv: `DELETE FROM huey_kv WHERE name = ?`,

  // revocations
  putRevocation: `INSERT INTO huey_revocation (name, key, value) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value`,
  peekRevocation: `SELECT value FROM huey_revocation WHERE name = ? AND key = ?`,
  popRevocation: `DELETE FROM huey_revocation WHERE name = ? AND key = ? RETURNING value`,
  anyRevocation: `SELECT 1 AS one FROM huey_revocation WHERE name = ? LIMIT 1`,
  flushRevocations: `DELETE FROM huey_revocation WHERE name = ?`,

  // errors, newest first; trimmed to `keep` newest when over the cap
  putError: `INSERT INTO huey_error (name, data) VALUES (?, ?)`,
  errorCount: `SELECT count(*) AS n FROM huey_error WHERE name = ?`,
  trimErrors: `DELETE FROM huey_error WHERE name = ? AND id < (SELECT id FROM huey_error WHERE name = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  errors: `SELECT data FROM huey_error WHERE name = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
  flushErrors: `DELETE FROM huey_error WHERE name = ?`,

  // events: a table readers poll, trimmed to the newest `keep`
  emit: `INSERT INTO huey_event (name, data) VALUES (?, ?)`,
  lastEvent: `SELECT coalesce(max(id), 0) AS id FROM huey_event WHERE name = ?`,
  eventsAfter: `SELECT id, data FROM huey_event WHERE name = ? AND id > ? ORDER BY id LIMIT 500`,
  trimEvents: `DELETE FROM huey_event WHERE name = ? AND id < (SELECT id FROM huey_event WHERE name = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,

  // in-flight lists (reliable delivery)
  takeInto: `INSERT INTO huey_inflight (name, list, data) VALUES (?, ?, ?)`,
  ack: `DELETE FROM huey_inflight WHERE id = (SELECT id FROM huey_inflight WHERE name = ? AND list = ? AND data = ? ORDER BY id LIMIT 1)`,
  inFlightList: `SELECT data FROM huey_inflight WHERE name = ? AND list = ? ORDER BY id`,
  inFlightRegistered: `SELECT i.data FROM huey_inflight i JOIN huey_inflight_owner o ON o.name = i.name AND o.list = i.list WHERE i.name = ? ORDER BY i.list, i.id`,
  popNewest: `DELETE FROM huey_inflight WHERE id = (SELECT id FROM huey_inflight WHERE name = ? AND list = ? ORDER BY id DESC LIMIT 1) RETURNING data`,
  peekNewest: `SELECT data FROM huey_inflight WHERE name = ? AND list = ? ORDER BY id DESC LIMIT 1`,
  listSize: `SELECT count(*) AS n FROM huey_inflight WHERE name = ? AND list = ?`,
  renameList: `UPDATE huey_inflight SET list = ? WHERE name = ? AND list = ?`,
  register: `INSERT INTO huey_inflight_owner (name, list, consumer) VALUES (?, ?, ?) ON CONFLICT (name, list) DO UPDATE SET consumer = excluded.consumer`,
  unregister: `DELETE FROM huey_inflight_owner WHERE name = ? AND list = ?`,
  owners: `SELECT list, consumer FROM huey_inflight_owner WHERE name = ?`,
  flushInFlight: `DELETE FROM huey_inflight WHERE name = ?`,
  heartbeat: `INSERT INTO huey_heartbeat (name, consumer, info, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, consumer) DO UPDATE SET info = excluded.info, expires_at = excluded.expires_at`,
  dropHeartbeat: `DELETE FROM huey_heartbeat WHERE name = ? AND consumer = ?`,
  readHeartbeat: `SELECT info FROM huey_heartbeat WHERE name = ? AND consumer = ? AND expires_at > ?`,
  countRecovery: `INSERT INTO huey_recovery (name, task_id, count) VALUES (?, ?, 1) ON CONFLICT (name, task_id) DO UPDATE SET count = count + 1 RETURNING count`,
  forgetRecovery: `DELETE FROM huey_recovery WHERE name = ? AND task_id = ?`,
  flushRecovery: `DELETE FROM huey_recovery WHERE name = ?`,

  // monitoring (sqlite-monitoring.ts): consumer records stay listed after expires_at (then dead)
  putConsumer: `INSERT INTO huey_consumer (name, consumer, info, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, consumer) DO UPDATE SET info = excluded.info, expires_at = excluded.expires_at`,
  dropConsumer: `DELETE FROM huey_consumer WHERE name = ? AND consumer = ?`,
  consumers: `SELECT consumer, info, expires_at FROM huey_consumer WHERE name = ? ORDER BY consumer`,
  // Counter buckets: a NULL expires_at never expires; expired rows are gone before a bucket is added to.
  dropExpiredChords: `DELETE FROM huey_chord WHERE name = ? AND chord IN (SELECT chord FROM huey_chord_expiry WHERE name = ? AND expires_at <= ?)`,
  dropChordExpiries: `DELETE FROM huey_chord_expiry WHERE name = ? AND expires_at <= ?`,
  markChordMember: `INSERT INTO huey_chord (name, chord, member) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
  chordSize: `SELECT count(*) AS n FROM huey_chord WHERE name = ? AND chord = ?`,
  expireChord: `INSERT INTO huey_chord_expiry (name, chord, expires_at) VALUES (?, ?, ?) ON CONFLICT (name, chord) DO UPDATE SET expires_at = excluded.expires_at`,
  dropExpiredCounts: `DELETE FROM huey_count WHERE name = ? AND expires_at <= ?`,
  addCount: `INSERT INTO huey_count (name, bucket, field, n, expires_at) VALUES (?, ?, ?, ?, NULL) ON CONFLICT (name, bucket, field) DO UPDATE SET n = n + excluded.n`,
  expireBucket: `UPDATE huey_count SET expires_at = ? WHERE name = ? AND bucket = ?`,
  readBucket: `SELECT field, n FROM huey_count WHERE name = ? AND bucket = ? AND (expires_at IS NULL OR expires_at > ?)`,
  removeError: `DELETE FROM huey_error WHERE id = (SELECT id FROM huey_error WHERE name = ? AND data = ? ORDER BY id LIMIT 1)`,
  unschedule: `DELETE FROM huey_schedule WHERE id = (SELECT id FROM huey_schedule WHERE name = ? AND data = ? ORDER BY id LIMIT 1)`,

  // rate limits (sqlite-rate-limits.ts): a counter lives from its first start until expires_at
  dropExpiredRates: `DELETE FROM huey_rate WHERE name = ? AND expires_at <= ?`,
  countStart: `INSERT INTO huey_rate (name, key, n, expires_at) VALUES (?, ?, 1, ?) ON CONFLICT (name, key) DO UPDATE SET n = n + 1 RETURNING n`,
  flushRates: `DELETE FROM huey_rate WHERE name = ?`,

  // unique keys (sqlite-unique.ts)
  claimUnique: `INSERT INTO huey_unique (name, key, task_id) VALUES (?, ?, ?) ON CONFLICT (name, key) DO NOTHING`,
  uniqueHolder: `SELECT task_id FROM huey_unique WHERE name = ? AND key = ?`,
  releaseUnique: `DELETE FROM huey_unique WHERE name = ? AND key = ? AND task_id = ?`,
  flushUnique: `DELETE FROM huey_unique WHERE name = ?`,

  // paused tasks' messages (sqlite-paused.ts), oldest first per task
  park: `INSERT INTO huey_parked (name, task, data) VALUES (?, ?, ?)`,
  parkedItems: `SELECT data FROM huey_parked WHERE name = ? AND task = ? ORDER BY id`,
  unpark: `DELETE FROM huey_parked WHERE name = ? AND task = ? RETURNING id, data`,
  flushParked: `DELETE FROM huey_parked WHERE name = ?`,
} as const;

export type StatementName = keyof typeof SQL;
