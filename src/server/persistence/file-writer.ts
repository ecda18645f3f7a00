// Writing a file so that a crash never leaves a half-written one in place:
// everything goes to a temp file in the same directory, which is fsynced and
// then renamed over the target (rename is atomic), and the directory is
// fsynced so the rename itself survives a power loss.
//
// Background jobs drive a ByteProducer a slice at a time: encode about
// SLICE_BYTES, then await the write, which hands the event loop back to
// client commands until the disk has taken the slice.

import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { ByteSink, type ByteProducer } from './byte-sink.js';

const SLICE_BYTES = 1024 * 1024;

/** Lets the owner stop a background write (SHUTDOWN, CONFIG SET appendonly no). */
export interface JobControl {
  cancelled: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class TempFile {
  private fd: number | null;
  size = 0;
  /** An async write is in the thread pool: closing the fd now could let it land in a file opened next. */
  private writing = false;
  private closeWhenIdle = false;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w', 0o644);
  }

  private get handle(): number {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    return this.fd;
  }

  writeSync(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(this.handle, chunk, off, chunk.length - off);
      this.size += chunk.length;
    }
  }

  async write(chunks: readonly Buffer[]): Promise<void> {
    this.writing = true;
    try {
      for (const chunk of chunks) {
        let off = 0;
        while (off < chunk.length) off += await writeAsync(this.handle, chunk, off);
        this.size += chunk.length;
      }
    } finally {
      this.writing = false;
      if (this.closeWhenIdle) this.closeFd();
    }
  }

  /** Encodes and writes everything at once (SAVE, shutdown, startup). */
  pumpSync(producer: ByteProducer): void {
    const sink = new ByteSink(producer.wantsCrc);
    for (;;) {
      const done = producer.fill(sink, SLICE_BYTES);
      this.writeSync(sink.take());
      if (done) return;
    }
  }

  /**
   * Encodes and writes a slice at a time, yielding to the event loop between
   * slices. keyDelayMs > 0 (Redis's rdb-key-save-delay, a testing knob)
   * instead writes about one key per slice and sleeps that long after each.
   */
  async pump(producer: ByteProducer, job: JobControl, keyDelayMs = 0): Promise<void> {
    const sink = new ByteSink(producer.wantsCrc);
    for (;;) {
      if (job.cancelled) throw new CancelledError();
      const done = producer.fill(sink, keyDelayMs > 0 ? 1 : SLICE_BYTES);
      await this.write(sink.take());
      if (done) return;
      if (keyDelayMs > 0) await new Promise((r) => setTimeout(r, keyDelayMs));
    }
  }

  /** fsync, close, rename over `target`, fsync the directory. */
  commit(target: string): void {
    fs.fsyncSync(this.handle);
    fs.closeSync(this.handle);
    this.fd = null;
    fs.renameSync(this.path, target);
    fsyncDir(dirname(target));
  }

  /** Deletes the temp file and closes it (at once, or when the write in flight returns). */
  discard(): void {
    try {
      fs.unlinkSync(this.path);
    } catch {
      // never created or already gone
    }
    if (this.writing) this.closeWhenIdle = true;
    else this.closeFd();
  }

  private closeFd(): void {
    this.closeWhenIdle = false;
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = null;
  }
}

function writeAsync(fd: number, buf: Buffer, off: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.write(fd, buf, off, buf.length - off, null, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** Makes a rename or a file creation in `dir` durable. Some platforms cannot fsync a directory; that is not an error there. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL on platforms without directory fsync
  } finally {
    fs.closeSync(fd);
  }
}
