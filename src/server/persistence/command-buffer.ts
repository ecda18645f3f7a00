// A growable byte buffer of RESP-encoded commands: what the AOF writer keeps
// between a command and the write(2) that logs it. Encoding straight into
// bytes (instead of concatenating strings and converting them later) keeps
// the per-command cost to a few byte stores, and the buffer is reused from
// one event-loop turn to the next, so logging allocates almost nothing.

const INITIAL = 64 * 1024;
/** After a burst, a buffer larger than this shrinks back once drained. */
const KEEP = 1024 * 1024;
const CR = 13;
const LF = 10;

export class CommandBuffer {
  private buf = Buffer.allocUnsafe(INITIAL);
  /** First byte not yet written out. */
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** Appends one command as a RESP multibulk of bulk strings (arguments are binary strings). */
  command(argv: readonly string[]): void {
    let need = 16;
    for (let i = 0; i < argv.length; i++) need += argv[i].length + 16;
    this.ensure(need);
    const b = this.buf;
    let p = this.end;
    b[p++] = 42; // '*'
    p = writeUint(b, p, argv.length);
    b[p++] = CR;
    b[p++] = LF;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const n = a.length;
      b[p++] = 36; // '$'
      p = writeUint(b, p, n);
      b[p++] = CR;
      b[p++] = LF;
      if (n < 48) {
        for (let j = 0; j < n; j++) b[p + j] = a.charCodeAt(j);
        p += n;
      } else {
        p += b.write(a, p, n, 'latin1');
      }
      b[p++] = CR;
      b[p++] = LF;
    }
    this.end = p;
  }

  /** Appends raw bytes (another buffer's content). */
  bytes(src: Buffer): void {
    this.ensure(src.length);
    src.copy(this.buf, this.end);
    this.end += src.length;
  }

  /** The pending bytes (a view, valid until the next change). */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  /** Marks n pending bytes as written. */
  consume(n: number): void {
    this.start += n;
    if (this.start === this.end) this.clear();
  }

  /** A copy of the pending bytes; the buffer is left empty. */
  take(): Buffer {
    const out = Buffer.from(this.view());
    this.clear();
    return out;
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
    if (this.buf.length > KEEP) this.buf = Buffer.allocUnsafe(INITIAL);
  }

  private ensure(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const pending = this.end - this.start;
    let size = this.buf.length;
    while (size < pending + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.end);
    this.buf = next;
    this.start = 0;
    this.end = pending;
  }
}

/** Writes a non-negative integer's decimal digits at p; returns the position after them. */
function writeUint(b: Buffer, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  if (n < 100) {
    b[p] = 48 + ((n / 10) | 0);
    b[p + 1] = 48 + (n % 10);
    return p + 2;
  }
  const s = String(n);
  for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i);
  return p + s.length;
}
