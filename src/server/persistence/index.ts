// simpledb's durability, wired into the server:
//
//   aof-writer        appends every write (RESP), fsync policy, replies wait for the log
//   command-buffer    the reused byte buffer commands are encoded into
//   aof-loader        replays the AOF at startup; torn tail cut off, corruption refused
//   replay            runs logged commands through the handlers, with expiry stopped
//   dataset-view      point-in-time copy of the keyspace for background jobs
//   snapshot-*        our snapshot format (docs/snapshot-format.md): writer, reader
//   aof-rewrite-*     the dataset as the shortest command log (BGREWRITEAOF)
//   file-writer       temp file + fsync + rename; slice-at-a-time background writes
//   byte-sink, crc32  chunked encoder output with a running checksum
//   settings, config-params, info   options, CONFIG GET/SET, INFO persistence
//   host              what the server gives persistence, and its options
//
// This class owns the state Redis keeps in server.c for them: the one
// background job at a time (BGSAVE or BGREWRITEAOF, as Redis allows one
// child), save rules and auto-rewrite checked from a 100 ms cron, LASTSAVE,
// and what SHUTDOWN must do before the process exits.

import * as fs from 'node:fs';
import { join } from 'node:path';
import { loadAof } from './aof-loader.js';
import { aofRewriteProducer, type RewriteOptions } from './aof-rewrite-producer.js';
import { AofWriter, type ReplyHolder } from './aof-writer.js';
import type { ByteProducer } from './byte-sink.js';
import { registerPersistenceConfig } from './config-params.js';
import { captureDataset } from './dataset-view.js';
import { CancelledError, TempFile, type JobControl } from './file-writer.js';
import {
  DEFAULT_APPENDFILENAME,
  DEFAULT_DBFILENAME,
  parseSaveRules,
  type FsyncPolicy,
  type PersistenceSettings,
  type SaveRule,
} from './settings.js';
import { snapshotProducer } from './snapshot-writer.js';
import { loadSnapshot } from './snapshot-reader.js';
import type { PersistenceHost, PersistenceOptions } from './host.js';

export { AofCorruptError } from './aof-loader.js';
export { SnapshotError } from './snapshot-reader.js';
export type { FsyncPolicy, SaveRule } from './settings.js';
export type { PersistenceHost, PersistenceOptions } from './host.js';

const CRON_MS = 100;
/** Redis's CONFIG_BGSAVE_RETRY_DELAY: wait this long after a failed BGSAVE before the rules try again. */
const RETRY_DELAY_MS = 5000;
/** A rewrite appends the commands logged meanwhile asynchronously until fewer than this many bytes are left. */
const CATCH_UP_BYTES = 1024 * 1024;

type JobKind = 'save' | 'rewrite';

interface Job {
  kind: JobKind;
  control: JobControl;
  startedAt: number;
  file: TempFile | null;
}

export class Persistence {
  readonly settings: PersistenceSettings;
  readonly aof: AofWriter;
  /** Whether startup reads files: an embedded server without persistence options starts empty. */
  private readonly filesAtStartup: boolean;
  private job: Job | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  private lastFsyncAt = 0;
  private tempCounter = 0;
  private shutdownDone = false;
  loaded = false;

  // Redis's INFO persistence counters.
  lastSave = Math.floor(Date.now() / 1000);
  lastBgsaveOk = true;
  lastBgsaveTryAt = 0;
  lastBgsaveSeconds = -1;
  rdbSaves = 0;
  keysLoaded = 0;
  keysExpiredAtLoad = 0;
  rewriteScheduled = false;
  bgsaveScheduled = false;
  lastRewriteOk = true;
  lastRewriteTryAt = 0;
  lastRewriteSeconds = -1;
  aofRewrites = 0;
  rewriteFailuresInARow = 0;

  constructor(
    private readonly server: PersistenceHost,
    options: PersistenceOptions,
  ) {
    this.filesAtStartup =
      options.dir !== undefined ||
      options.appendonly !== undefined ||
      options.dbfilename !== undefined ||
      options.appendfilename !== undefined ||
      options.save !== undefined;
    this.settings = {
      dir: options.dir ?? process.cwd(),
      dbfilename: options.dbfilename ?? DEFAULT_DBFILENAME,
      appendfilename: options.appendfilename ?? DEFAULT_APPENDFILENAME,
      appendonly: options.appendonly ?? false,
      appendfsync: options.appendfsync ?? 'everysec',
      save: parseSaveRules(options.save ?? ''),
      autoAofRewritePercentage: 100,
      autoAofRewriteMinSize: 64 * 1024 * 1024,
      aofLoadTruncated: true,
      keySaveDelayUs: 0,
    };
    this.aof = new AofWriter(server.log);
    this.aof.policy = this.settings.appendfsync;
    registerPersistenceConfig(server.configTable, this);
  }

  get snapshotPath(): string {
    return join(this.settings.dir, this.settings.dbfilename);
  }

  get aofPath(): string {
    return join(this.settings.dir, this.settings.appendfilename);
  }

  get jobKind(): JobKind | null {
    return this.job?.kind ?? null;
  }

  get jobStartedAt(): number {
    return this.job?.startedAt ?? 0;
  }

  /**
   * Loads the data at startup, before the server accepts connections: the
   * AOF when it is on and exists, else the snapshot. With the AOF on and no
   * AOF file yet, one is written from the loaded data at once, so the next
   * start finds everything in it.
   */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    if (this.filesAtStartup) {
      const { dir } = this.settings;
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new Error(`Can't chdir to '${dir}': No such file or directory`);
      }
      const start = Date.now();
      if (this.settings.appendonly && fs.existsSync(this.aofPath)) {
        const r = loadAof(this.aofPath, this.server.databases, (argv) => this.server.lookupCommand(argv), {
          truncatedOk: this.settings.aofLoadTruncated,
          log: this.server.log,
        });
        this.keysLoaded = r.keys;
        this.server.log.info(`DB loaded from append only file: ${((Date.now() - start) / 1000).toFixed(3)} seconds (${r.commands} commands, ${r.keys} keys)`);
        this.aof.open(this.aofPath);
      } else {
        if (fs.existsSync(this.snapshotPath)) {
          const r = loadSnapshot(fs.readFileSync(this.snapshotPath), this.snapshotPath, this.server.databases, this.server.now());
          this.keysLoaded = r.keysLoaded;
          this.keysExpiredAtLoad = r.keysExpired;
          this.server.log.info(
            `DB loaded from disk: ${((Date.now() - start) / 1000).toFixed(3)} seconds (${r.keysLoaded} keys, ${r.keysExpired} expired keys skipped)`,
          );
        }
        if (this.settings.appendonly) this.createAofNow();
      }
    } else if (this.settings.appendonly) {
      this.createAofNow();
    }
    this.server.shared.dirty = 0;
    this.updateHooks();
    this.cronTimer = setInterval(() => this.cron(), CRON_MS);
    this.cronTimer.unref();
  }

  /** Writes the current data as a fresh AOF and starts appending to it (startup only: it blocks). */
  private createAofNow(): void {
    const view = captureDataset(this.server.databases, this.server.now());
    const file = new TempFile(this.tempPath('temp-rewriteaof', 'aof'));
    try {
      file.pumpSync(aofRewriteProducer(view, this.rewriteOptions()));
      file.commit(this.aofPath);
    } catch (e) {
      file.discard();
      throw e;
    }
    this.aof.open(this.aofPath);
  }

  /** Points the server's hooks at the AOF only while there is something to feed, so no AOF costs nothing. */
  private updateHooks(): void {
    const s = this.server;
    s.onWrite = this.aof.feeding ? this.onWrite : null;
    s.beforeReply = this.aof.isOpen ? this.beforeReply : null;
  }

  private readonly beforeReply = (c: ReplyHolder): boolean => this.aof.holdReplies(c);

  /** Server.onWrite: every command that changed data (and a DEL per expired key, from Database). */
  private readonly onWrite = (db: number, commands: string[][]): void => this.aof.feed(db, commands);

  // ---- snapshots ----

  /** SAVE: a synchronous snapshot. Returns false (and logs why) on failure. */
  saveNow(): boolean {
    const dirtyAtStart = this.server.shared.dirty;
    const view = captureDataset(this.server.databases, this.server.now());
    const file = this.openTemp('save');
    if (file === null) return false;
    try {
      file.pumpSync(snapshotProducer(view, Date.now()));
      file.commit(this.snapshotPath);
    } catch (e) {
      file.discard();
      this.server.log.warn(`Failed saving the DB: ${(e as Error).message}`);
      return false;
    }
    this.saved(dirtyAtStart);
    this.server.log.info('DB saved on disk');
    return true;
  }

  private saved(dirtyAtStart: number): void {
    this.server.shared.dirty -= dirtyAtStart;
    this.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    this.rdbSaves++;
  }

  /** BGSAVE: starts a background snapshot. The caller checks that no job runs. */
  startBgsave(): void {
    const dirtyAtStart = this.server.shared.dirty;
    const view = captureDataset(this.server.databases, this.server.now());
    const job = this.startJob('save');
    this.lastBgsaveTryAt = job.startedAt;
    this.bgsaveScheduled = false;
    this.server.log.info(`Background saving started (${view.keyCount} keys)`);
    void this.runJob(job, snapshotProducer(view, Date.now()), 'save', (file) => {
      file.commit(this.snapshotPath);
      this.saved(dirtyAtStart);
      this.lastBgsaveSeconds = Math.round((Date.now() - job.startedAt) / 1000);
      this.server.log.info('Background saving terminated with success');
    });
  }

  // ---- AOF rewrite ----

  /** BGREWRITEAOF (or turning the AOF on): writes the data as a new AOF in the background. */
  startRewrite(): void {
    const view = captureDataset(this.server.databases, this.server.now());
    this.aof.startRewriteBuffer();
    this.updateHooks();
    const job = this.startJob('rewrite');
    this.lastRewriteTryAt = job.startedAt;
    this.rewriteScheduled = false;
    this.server.log.info(`Background append only file rewriting started (${view.keyCount} keys)`);
    void this.runJob(job, aofRewriteProducer(view, this.rewriteOptions()), 'rewrite', async (file) => {
      // Catch up with what was logged meanwhile, asynchronously while it is large...
      while (this.aof.rewriteBufferLength > CATCH_UP_BYTES) {
        if (job.control.cancelled) throw new CancelledError();
        await file.write([this.aof.takeRewriteBuffer()]);
      }
      if (job.control.cancelled) throw new CancelledError();
      // ...then the rest, the rename and the switch in one synchronous step: no command runs in between.
      file.writeSync([this.aof.takeRewriteBuffer()]);
      if (this.settings.appendonly) {
        this.aof.flushPending();
        file.commit(this.aofPath);
        this.aof.switchToRewritten(this.aofPath);
      } else {
        file.commit(this.aofPath);
        this.aof.dropRewriteBuffer();
      }
      this.aofRewrites++;
      this.lastRewriteOk = true;
      this.rewriteFailuresInARow = 0;
      this.lastRewriteSeconds = Math.round((Date.now() - job.startedAt) / 1000);
      this.server.log.info(`Background AOF rewrite finished successfully (${this.aof.size} bytes)`);
    });
  }

  private rewriteOptions(): RewriteOptions {
    return { xsetid: this.server.hasCommand('xsetid') };
  }

  private startJob(kind: JobKind): Job {
    const job: Job = { kind, control: { cancelled: false }, startedAt: Date.now(), file: null };
    this.job = job;
    return job;
  }

  private openTemp(kind: JobKind): TempFile | null {
    const path = kind === 'save' ? this.tempPath('temp', 'sdb') : this.tempPath('temp-rewriteaof-bg', 'aof');
    try {
      return new TempFile(path);
    } catch (e) {
      this.server.log.warn(`Failed opening the temp file ${path} for saving: ${(e as Error).message}`);
      return null;
    }
  }

  private tempPath(prefix: string, ext: string): string {
    return join(this.settings.dir, `${prefix}-${process.pid}-${++this.tempCounter}.${ext}`);
  }

  /** Runs a background job: stream the producer into a temp file, then `finish` (commit) it. */
  private async runJob(
    job: Job,
    producer: ByteProducer,
    kind: JobKind,
    finish: (file: TempFile) => void | Promise<void>,
  ): Promise<void> {
    const file = this.openTemp(kind);
    job.file = file;
    try {
      if (file === null) throw new Error('cannot create the temp file');
      await file.pump(producer, job.control, this.settings.keySaveDelayUs / 1000);
      if (job.control.cancelled) throw new CancelledError();
      await finish(file);
    } catch (e) {
      file?.discard();
      // A cancelled job's buffer was dropped by cancelJob; a newer rewrite may own the buffer by now.
      if (kind === 'rewrite' && !job.control.cancelled) this.aof.dropRewriteBuffer();
      if (e instanceof CancelledError || job.control.cancelled) {
        this.server.log.info(`Background ${kind === 'save' ? 'saving' : 'AOF rewrite'} cancelled`);
      } else if (kind === 'save') {
        this.lastBgsaveOk = false;
        this.server.log.warn(`Background saving error: ${(e as Error).message}`);
      } else {
        this.lastRewriteOk = false;
        this.rewriteFailuresInARow++;
        this.server.log.warn(`Background AOF rewrite error: ${(e as Error).message}`);
      }
    } finally {
      if (this.job === job) this.job = null;
      this.updateHooks();
    }
  }

  private cancelJob(): void {
    if (this.job === null) return;
    this.job.control.cancelled = true;
    // Remove the temp file now: the process may exit before the job notices.
    this.job.file?.discard();
    if (this.job.kind === 'rewrite') this.aof.dropRewriteBuffer();
    this.job = null;
    this.updateHooks();
  }

  // ---- settings changed at runtime (CONFIG SET) ----

  setAppendonly(on: boolean): void {
    if (on === this.settings.appendonly) return;
    this.settings.appendonly = on;
    if (on) {
      // As Redis's startAppendOnly: the AOF starts as a rewrite of the current data.
      if (this.job === null) this.startRewrite();
      else if (this.job.kind === 'save') this.rewriteScheduled = true;
    } else {
      if (this.job?.kind === 'rewrite') this.cancelJob();
      this.aof.close();
      this.updateHooks();
    }
  }

  setAppendfsync(policy: FsyncPolicy): void {
    this.settings.appendfsync = policy;
    this.aof.policy = policy;
  }

  setSaveRules(rules: SaveRule[]): void {
    this.settings.save = rules;
  }

  // ---- cron ----

  private cron(): void {
    const now = Date.now();
    const s = this.settings;
    if (this.aof.isOpen && s.appendfsync === 'everysec' && now - this.lastFsyncAt >= 1000) {
      this.lastFsyncAt = now;
      this.aof.backgroundFsync();
    }
    if (this.job !== null) return;
    if (s.appendonly && !this.aof.isOpen && now - this.lastRewriteTryAt >= RETRY_DELAY_MS) this.rewriteScheduled = true;
    if (this.rewriteScheduled) return this.startRewrite();
    if (this.bgsaveScheduled) return this.startBgsave();
    const dirty = this.server.shared.dirty;
    const sinceSave = now / 1000 - this.lastSave;
    for (const rule of s.save) {
      if (dirty >= rule.changes && sinceSave > rule.seconds && (this.lastBgsaveOk || now - this.lastBgsaveTryAt > RETRY_DELAY_MS)) {
        this.server.log.info(`${rule.changes} changes in ${rule.seconds} seconds. Saving...`);
        return this.startBgsave();
      }
    }
    if (this.aof.isOpen && s.autoAofRewritePercentage > 0 && this.aof.size > s.autoAofRewriteMinSize) {
      const base = this.aof.baseSize || 1;
      const growth = Math.floor(((this.aof.size - base) * 100) / base);
      if (growth >= s.autoAofRewritePercentage && (this.lastRewriteOk || now - this.lastRewriteTryAt > RETRY_DELAY_MS)) {
        this.server.log.info(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  // ---- shutdown ----

  /**
   * What SHUTDOWN (and SIGTERM/SIGINT) does before exiting, as Redis's
   * prepareForShutdown: stop the background job, flush and fsync the AOF,
   * and save a snapshot when asked (SAVE) or when save rules are configured
   * (unless NOSAVE). Returns false when the snapshot failed and `force` is
   * not set: the server must then keep running.
   */
  prepareShutdown(save: boolean | null, force: boolean): boolean {
    if (this.shutdownDone) return true;
    this.cancelJob();
    if (this.aof.isOpen) {
      this.server.log.info('Calling fsync() on the AOF file.');
      this.aof.sync();
    }
    if (save === true || (save === null && this.settings.save.length !== 0)) {
      this.server.log.info('Saving the final snapshot before exiting.');
      if (!this.saveNow() && !force) {
        this.server.log.warn("Error trying to save the DB, can't exit.");
        return false;
      }
    }
    this.shutdownDone = true;
    return true;
  }

  /** Stops timers and the background job, and closes the AOF (Server.close). */
  close(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.cancelJob();
    this.aof.close();
    this.updateHooks();
  }
}
