// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...): a FIFO of waiters per
// key, woken when a write lands on the key. Keys become "ready" during a
// command (Database.modified) and are served right after that command, or
// after EXEC as a whole, in arrival order, as Redis does.

import { performance } from 'node:perf_hooks';
import type { BlockSpec, CommandContext } from './command.js';
import { CommandError } from './errors.js';
import type { Database } from './database.js';

/** Why and since when a client waits (Client.blocked). */
export interface BlockState {
  spec: BlockSpec;
  /** spec.keys without duplicates. */
  keys: string[];
  argv: string[];
  db: Database;
  timer: NodeJS.Timeout | null;
}

/** What blocking reads and writes on a client (the server's Client class). */
export interface Blockable extends CommandContext {
  blocked: BlockState | null;
  argv: string[];
  propagated: string[][] | null;
  /** Writes what the client was sent outside its own commands. */
  flushOutOfBand(): void;
  /** Goes on with the commands the client pipelined while it waited. */
  processInput(): void;
  readonly addr: string;
  readonly name: string;
  /** How long the call that blocked took, in µs. */
  readonly callMicros: number;
}

/** What blocking uses of the server. */
export interface BlockingHost {
  readonly stats: { blockedClients: number };
  readonly shared: { readonly dirty: number };
  readonly onWrite: ((dbIndex: number, commands: string[][]) => void) | null;
  /** The slow log and latency monitor, told of each served command. */
  readonly timing: { readonly floor: number; served(c: Blockable, argv: readonly string[], callMicros: number, serveMicros: number): void };
}

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class BlockingManager {
  private readonly queues = new Map<Database, Map<string, Blockable[]>>();
  private ready: { db: Database; key: string }[] = [];

  constructor(private readonly host: BlockingHost) {}

  get hasReadyKeys(): boolean {
    return this.ready.length !== 0;
  }

  /** Called by Database.modified for a key that has waiters. */
  keyReady(db: Database, key: string): void {
    for (const r of this.ready) if (r.db === db && r.key === key) return;
    this.ready.push({ db, key });
  }

  block(c: Blockable, spec: BlockSpec): void {
    const db = c.db;
    let byKey = this.queues.get(db);
    if (!byKey) this.queues.set(db, (byKey = new Map()));
    const keys = [...new Set(spec.keys)];
    for (const key of keys) {
      const q = byKey.get(key);
      if (q) q.push(c);
      else byKey.set(key, [c]);
      db.blockedOn.set(key, (db.blockedOn.get(key) ?? 0) + 1);
    }
    // Node fires a timer longer than 2^31-1 ms at once, so long waits are armed in steps.
    const deadline = Date.now() + spec.timeoutMs;
    const onTimer = (): void => {
      const b = c.blocked;
      if (b?.spec !== spec) return;
      const left = deadline - Date.now();
      if (left > 0) {
        b.timer = setTimeout(onTimer, Math.min(left, MAX_TIMER_MS));
        return;
      }
      if (spec.onTimeout) spec.onTimeout(c.reply);
      else c.reply.nullArray();
      this.unblock(c);
      this.resume(c);
    };
    const timer = spec.timeoutMs > 0 ? setTimeout(onTimer, Math.min(spec.timeoutMs, MAX_TIMER_MS)) : null;
    c.blocked = { spec, keys, argv: c.argv, db, timer };
    this.host.stats.blockedClients++;
  }

  /** Removes c from every queue it waits in (served, timed out, disconnected, CLIENT UNBLOCK). */
  unblock(c: Blockable): void {
    const b = c.blocked;
    if (!b) return;
    if (b.timer) clearTimeout(b.timer);
    const byKey = this.queues.get(b.db);
    for (const key of b.keys) {
      const q = byKey?.get(key);
      if (q) {
        const i = q.indexOf(c);
        if (i >= 0) q.splice(i, 1);
        if (q.length === 0) byKey!.delete(key);
      }
      const n = (b.db.blockedOn.get(key) ?? 1) - 1;
      if (n <= 0) b.db.blockedOn.delete(key);
      else b.db.blockedOn.set(key, n);
    }
    c.blocked = null;
    this.host.stats.blockedClients--;
  }

  /** Serves waiters of every ready key, including keys made ready while serving (BLMOVE chains). */
  handleReadyKeys(): void {
    while (this.ready.length !== 0) {
      const batch = this.ready;
      this.ready = [];
      for (const { db, key } of batch) {
        const q = this.queues.get(db)?.get(key);
        if (!q) continue;
        for (const c of [...q]) {
          if (!c.blocked) continue;
          if (!c.blocked.spec.servesGoneKeys && !db.has(key)) continue;
          if (this.serve(c, key)) this.resume(c);
        }
      }
    }
  }

  private serve(c: Blockable, key: string): boolean {
    const b = c.blocked!;
    const server = this.host;
    const dirtyBefore = server.shared.dirty;
    c.argv = b.argv;
    c.propagated = null;
    let served: boolean;
    const start = this.host.timing.floor !== Infinity ? performance.now() : 0;
    try {
      served = b.spec.tryServe(c, key);
    } catch (err) {
      c.reply.error(err instanceof CommandError ? err.message : `ERR ${(err as Error).message}`);
      served = true;
    }
    if (!served) return false;
    if (start !== 0) server.timing.served(c, b.argv, c.callMicros, (performance.now() - start) * 1000);
    this.unblock(c);
    if (server.shared.dirty !== dirtyBefore && server.onWrite !== null) {
      server.onWrite(b.db.index, c.propagated ?? [b.argv]);
    }
    return true;
  }

  /** Sends the unblocked client's reply and goes on with the commands it pipelined meanwhile. */
  private resume(c: Blockable): void {
    c.flushOutOfBand();
    setImmediate(() => c.processInput());
  }
}
