// The append-only file's writer: every write command, already rewritten by
// its handler into an absolute form (PEXPIREAT, SET ... PXAT, LPOP for a
// served BLPOP), is encoded in RESP and appended, with a SELECT whenever the
// database changes and MULTI ... EXEC around a transaction's writes.
//
// As in Redis's beforeSleep, replies wait for the log: a connection's
// pending replies are held while the AOF has bytes that are not yet written
// (everysec, no) or not yet fsynced (always). One commit per event-loop turn
// (setImmediate, after the turn's socket reads) writes what every client
// produced, fsyncs once for all of them under `always` (group commit), and
// then releases the held replies. So a write is acknowledged only after it
// is in the file (on disk with `always`), and a burst of commands from many
// clients costs one write(2) and at most one fsync.
//
// While a rewrite runs, the same commands also go to a rewrite buffer that
// is appended to the new file before it replaces the old one.

import * as fs from 'node:fs';
import type { Logger } from '../logger.js';
import { CommandBuffer } from './command-buffer.js';
import type { FsyncPolicy } from './settings.js';

/** What the writer needs of a connection whose replies it holds. */
export interface ReplyHolder {
  readonly closed: boolean;
  flush(): void;
}

const MULTI = ['MULTI'];
const EXEC = ['EXEC'];
/** Retry delay after a failed write or fsync, as Redis retries from its cron. */
const RETRY_MS = 1000;

/** A command stream (bytes not yet written) with its own idea of the selected database. */
class Stream {
  readonly buf = new CommandBuffer();
  selectedDb = -1;

  append(db: number, multi: boolean, commands: readonly string[][]): void {
    if (db !== this.selectedDb) {
      this.buf.command(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    if (multi) this.buf.command(MULTI);
    for (let i = 0; i < commands.length; i++) this.buf.command(commands[i]);
  }
}

export class AofWriter {
  private fd: number | null = null;
  path = '';
  /** Bytes in the file. */
  size = 0;
  /** Size right after the last rewrite (or at open): auto-rewrite compares against it. */
  baseSize = 0;
  policy: FsyncPolicy = 'everysec';
  lastWriteOk = true;
  /** Commands for the file, not yet written (a failed or short write leaves its rest here too). */
  private readonly main = new Stream();
  private unsynced = false;
  private fsyncInFlight = false;
  private closeAfterFsync: number | null = null;
  /** Commands since the current rewrite's snapshot. */
  private rewrite: Stream | null = null;
  private inExec = false;
  private multiEmitted = false;
  private readonly held = new Set<ReplyHolder>();
  private commitScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly log: Logger) {}

  /** Whether commands go to a file (AOF on) or at least to a rewrite buffer (AOF being turned on). */
  get feeding(): boolean {
    return this.fd !== null || this.rewrite !== null;
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Bytes waiting to be written (INFO aof_buffer_length). */
  get bufferLength(): number {
    return this.main.buf.length;
  }

  get fsyncPending(): boolean {
    return this.fsyncInFlight;
  }

  /**
   * Starts appending to `path` (created if missing); `selectedDb` is the
   * database its content leaves selected. Commands not yet written stay
   * pending and go to the new file.
   */
  open(path: string, selectedDb = -1): void {
    const fd = fs.openSync(path, 'a', 0o644);
    if (this.fd !== null) this.closeFd(this.fd);
    this.path = path;
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
    this.baseSize = this.size;
    this.main.selectedDb = selectedDb;
    this.unsynced = this.main.buf.length !== 0;
  }

  /** Logs a write command's effect (called from Server.onWrite). */
  feed(db: number, commands: readonly string[][]): void {
    if (commands.length === 0) return;
    let multi = false;
    if (this.inExec && !this.multiEmitted) {
      this.multiEmitted = true;
      multi = true;
    }
    if (this.fd !== null) {
      this.main.append(db, multi, commands);
      this.scheduleCommit();
    }
    if (this.rewrite !== null) this.rewrite.append(db, multi, commands);
  }

  /** EXEC starts: its writes, if any, are wrapped in MULTI ... EXEC. */
  beginExec(): void {
    this.inExec = true;
    this.multiEmitted = false;
  }

  endExec(): void {
    if (this.multiEmitted) {
      if (this.fd !== null) this.main.buf.command(EXEC);
      if (this.rewrite !== null) this.rewrite.buf.command(EXEC);
    }
    this.inExec = false;
    this.multiEmitted = false;
  }

  /**
   * Called before a connection's replies are written. Returns true when the
   * replies must wait for the log; the writer flushes the connection later.
   */
  holdReplies(c: ReplyHolder): boolean {
    if (this.fd === null) return false;
    if (this.policy === 'always') {
      if (this.main.buf.length === 0 && !this.unsynced) return false;
    } else if (this.main.buf.length === 0 || !this.lastWriteOk) {
      // Outside `always`, a failing disk does not stop acknowledgements (as in Redis); the data waits for the retry.
      return false;
    }
    this.held.add(c);
    this.scheduleCommit();
    return true;
  }

  private scheduleCommit(): void {
    if (this.commitScheduled || this.retryTimer !== null) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      this.commit();
    });
  }

  /** Writes pending commands (and fsyncs under `always`), then releases held replies. */
  commit(): void {
    if (this.fd !== null) {
      try {
        this.writeOut();
        if (this.policy === 'always' && this.unsynced) this.fsyncNow();
        if (!this.lastWriteOk) this.log.warn('AOF write error looks solved: writing to the AOF again.');
        this.lastWriteOk = true;
      } catch (e) {
        if (this.lastWriteOk) this.log.error(`Error writing to the AOF file ${this.path}: ${(e as Error).message}`);
        this.lastWriteOk = false;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.commit();
        }, RETRY_MS);
        this.retryTimer.unref();
        // Under `always` nothing is acknowledged until it is on disk: keep holding.
        if (this.policy === 'always') return;
      }
    }
    this.releaseHeld();
  }

  private releaseHeld(): void {
    if (this.held.size === 0) return;
    const clients = [...this.held];
    this.held.clear();
    for (const c of clients) if (!c.closed) c.flush();
  }

  /** Writes every pending byte; on an error the unwritten rest stays pending, in order. */
  private writeOut(): void {
    const fd = this.fd!;
    const buf = this.main.buf;
    while (buf.length !== 0) {
      const n = fs.writeSync(fd, buf.view());
      this.size += n;
      this.unsynced = true;
      buf.consume(n);
    }
  }

  private fsyncNow(): void {
    fs.fdatasyncSync(this.fd!);
    this.unsynced = false;
  }

  /** everysec: called once a second; fsyncs in the thread pool so the event loop goes on. */
  backgroundFsync(): void {
    if (this.fd === null || !this.unsynced || this.fsyncInFlight) return;
    const fd = this.fd;
    this.fsyncInFlight = true;
    this.unsynced = false;
    fs.fdatasync(fd, (err) => {
      this.fsyncInFlight = false;
      if (err) {
        this.unsynced = true;
        this.log.error(`Error syncing the AOF file ${this.path}: ${err.message}`);
      }
      if (this.closeAfterFsync === fd) {
        this.closeAfterFsync = null;
        fs.close(fd, () => {});
      }
    });
  }

  /** Starts collecting commands for a rewrite whose snapshot is taken now. */
  startRewriteBuffer(): void {
    this.rewrite = new Stream();
    // A rewrite started inside EXEC (BGREWRITEAOF in MULTI) gets the rest of the transaction framed too.
    if (this.multiEmitted) this.rewrite.buf.command(MULTI);
  }

  /** Takes what the rewrite buffer holds so far (to append it to the new file). */
  takeRewriteBuffer(): Buffer {
    return this.rewrite?.buf.take() ?? Buffer.alloc(0);
  }

  get rewriteBufferLength(): number {
    return this.rewrite?.buf.length ?? 0;
  }

  dropRewriteBuffer(): void {
    this.rewrite = null;
  }

  /**
   * The rewritten file (holding the snapshot and the whole rewrite buffer)
   * has been renamed over the AOF: append to it from now on. Called
   * synchronously right after the rename, so no command slips in between.
   */
  switchToRewritten(path: string): void {
    // The file ends with the rewrite buffer when it holds anything, so its SELECT state carries over;
    // otherwise -1 makes the next command start with a SELECT.
    const selectedDb = this.rewrite?.selectedDb ?? -1;
    this.rewrite = null;
    // Whatever is pending is already in the new file (it came through the rewrite buffer).
    this.main.buf.clear();
    this.open(path, selectedDb);
    this.unsynced = false;
    // The new file was fsynced before the rename: held replies can go.
    this.scheduleCommit();
  }

  /** Writes what is pending to the current file, before a rewrite replaces it. */
  flushPending(): void {
    if (this.fd === null) return;
    try {
      this.writeOut();
    } catch (e) {
      this.log.warn(`Error writing to the AOF file ${this.path} before switching files: ${(e as Error).message}`);
    }
  }

  /** Writes and fsyncs everything pending, keeping the file open (SHUTDOWN, before its final snapshot). */
  sync(): boolean {
    if (this.fd === null) return true;
    try {
      this.writeOut();
      this.fsyncNow();
      return true;
    } catch (e) {
      this.log.error(`Error flushing the AOF file ${this.path}: ${(e as Error).message}`);
      return false;
    }
  }

  /** Writes, fsyncs and closes the file (AOF turned off, shutdown, close). */
  close(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.rewrite = null;
    if (this.fd !== null) {
      try {
        this.writeOut();
        this.fsyncNow();
      } catch (e) {
        this.log.error(`Error flushing the AOF file ${this.path}: ${(e as Error).message}`);
      }
      this.closeFd(this.fd);
      this.fd = null;
    }
    this.releaseHeld();
  }

  private closeFd(fd: number): void {
    if (this.fsyncInFlight) this.closeAfterFsync = fd;
    else fs.closeSync(fd);
  }
}
