// A connection's transaction state and its WATCHed keys, after Redis's
// multi.c: the helpers MULTI, EXEC, DISCARD, WATCH, UNWATCH, RESET and the
// dispatcher share. Which keys a write touches is Database's side
// (Database.touchWatched marks every watcher's dirtyCas); this module keeps
// the client's side of the same bookkeeping in step with it.

import type { Database, Watcher } from './database.js';

/** A command queued by MULTI, already resolved, for EXEC to run. */
export interface QueuedCommand<E> {
  /** The dispatcher's table entry: a container command's is its subcommand's (CLIENT SETNAME). */
  entry: E;
  argv: string[];
}

export interface WatchedKey {
  db: Database;
  key: string;
}

/** The fields of a client this module reads and writes. */
export interface TransactionState<E> extends Watcher {
  inMulti: boolean;
  multiQueue: QueuedCommand<E>[];
  /** An error while queueing: EXEC will abort. */
  multiError: boolean;
  /** Set (by Database) when a WATCHed key is written: EXEC will fail. */
  dirtyCas: boolean;
  readonly watched: WatchedKey[];
  readonly db: Database;
}

/** Enters MULTI with an empty queue (MULTI). */
export function beginTransaction<E>(c: TransactionState<E>): void {
  c.inMulti = true;
  c.multiQueue = [];
  c.multiError = false;
}

/** Leaves MULTI, dropping queued commands (DISCARD, EXEC, RESET). */
export function discardTransaction<E>(c: TransactionState<E>): void {
  c.inMulti = false;
  c.multiQueue = [];
  c.multiError = false;
}

/** Starts watching key in the client's database; a key already watched there is not added twice. */
export function watchKey<E>(c: TransactionState<E>, key: string): void {
  const db = c.db;
  for (const w of c.watched) if (w.db === db && w.key === key) return;
  c.watched.push({ db, key });
  let set = db.watchers.get(key);
  if (!set) db.watchers.set(key, (set = new Set()));
  set.add(c);
}

/** Forgets every WATCHed key (UNWATCH, EXEC, DISCARD, RESET, disconnect). */
export function unwatchAll<E>(c: TransactionState<E>): void {
  for (const { db, key } of c.watched) {
    const set = db.watchers.get(key);
    if (set) {
      set.delete(c);
      if (set.size === 0) db.watchers.delete(key);
    }
  }
  c.watched.length = 0;
  c.dirtyCas = false;
}
