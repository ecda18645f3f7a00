// Encodes commands as RESP multibulks straight into byte arenas, for clients
// that pipeline: a whole event-loop turn of commands becomes one Buffer (or a
// few) with no per-command strings left for the garbage collector.
//
// Why arenas: building one JS string per command and joining them costs more in
// GC than the encoding itself once tens of thousands of commands are in flight.
// Bytes handed out by take() are never written again (the cursor only moves
// forward), so the socket may keep them as long as it needs.
import { invalidArgument, numberArgument } from './argument-error.js';

const MIN_ARENA = 16 * 1024;
const MAX_ARENA = 1024 * 1024;
// Strings shorter than this are copied by a JS loop (cheaper than a native call).
const SHORT_STRING = 64;
// Room for '$' + up to 20 length digits + CRLF, and the CRLF after the body.
const BULK_OVERHEAD = 25;
// Longest String(number) (e.g. '-1.7976931348623157e+308') is 24 characters.
const NUMBER_MAX = 24;

/**
 * Accumulates encoded commands until {@link CommandWriter.take} hands them out.
 *
 * @example
 * const writer = new CommandWriter();
 * writer.write('SET', ['k', 1]);
 * writer.write('GET', ['k']);
 * socket.write(writer.take() as Buffer); // both commands, one write
 */
export class CommandWriter {
  private arena: Buffer = Buffer.allocUnsafeSlow(MIN_ARENA);
  private start = 0;
  private pos = 0;
  // Completed arenas' parts of the current batch, oldest first.
  private segments: Buffer[] = [];

  /** True when bytes are waiting to be taken. */
  get pending(): boolean {
    return this.pos > this.start || this.segments.length > 0;
  }

  /**
   * Appends one command (`name` then `args`). Throws a TypeError, leaving the
   * batch untouched, for an argument that is not a string, number, bigint or
   * Uint8Array/Buffer (or a NaN).
   */
  write(name: string, args: readonly unknown[]): void {
    const size = checkedSize(name, args);
    if (this.arena.length - this.pos < size) this.grow(size);
    const buf = this.arena;
    let p = this.pos;
    buf[p++] = 0x2a; // '*'
    p = writeUint(buf, p, args.length + 1);
    buf[p++] = 13;
    buf[p++] = 10;
    p = writeString(buf, p, name);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg === 'string') p = writeString(buf, p, arg);
      else if (typeof arg === 'number') p = writeAscii(buf, p, numberArgument(arg, name, i + 1));
      else if (arg instanceof Uint8Array) p = writeBytes(buf, p, arg);
      else p = writeAscii(buf, p, (arg as bigint).toString());
    }
    this.pos = p;
  }

  /** Hands out everything written since the last take (or null if nothing). */
  take(): Buffer | Buffer[] | null {
    if (this.segments.length === 0) {
      if (this.pos === this.start) return null;
      const out = this.arena.subarray(this.start, this.pos);
      this.start = this.pos;
      return out;
    }
    const out = this.segments;
    if (this.pos > this.start) out.push(this.arena.subarray(this.start, this.pos));
    this.segments = [];
    this.start = this.pos;
    return out;
  }

  /** Forgets everything written since the last take. */
  discard(): void {
    this.segments = [];
    this.pos = this.start;
  }

  private grow(size: number): void {
    const filledMidBatch = this.pos > this.start;
    if (filledMidBatch) this.segments.push(this.arena.subarray(this.start, this.pos));
    // A batch that outgrows its arena is likely a burst: double the next one (within bounds).
    const next = filledMidBatch ? Math.min(this.arena.length * 2, MAX_ARENA) : MIN_ARENA;
    this.arena = Buffer.allocUnsafeSlow(Math.max(next, size));
    this.start = 0;
    this.pos = 0;
  }
}

/**
 * Validates a command without encoding it: throws the same TypeError
 * {@link CommandWriter.write} would. Returns an upper bound of its encoded size.
 */
export function checkedSize(name: unknown, args: readonly unknown[]): number {
  if (typeof name !== 'string') throw invalidArgument(name, 0, name);
  let size = BULK_OVERHEAD + stringBound(name);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'string') size += BULK_OVERHEAD + stringBound(arg);
    else if (typeof arg === 'number') {
      if (arg !== arg) throw invalidArgument(name, i + 1, arg);
      size += BULK_OVERHEAD + NUMBER_MAX;
    } else if (arg instanceof Uint8Array) size += BULK_OVERHEAD + arg.length;
    else if (typeof arg === 'bigint') size += BULK_OVERHEAD + arg.toString().length;
    else throw invalidArgument(name, i + 1, arg);
  }
  return size;
}

function stringBound(s: string): number {
  // A UTF-16 unit never takes more than 3 UTF-8 bytes; measure long strings exactly.
  return s.length < SHORT_STRING ? s.length * 3 : Buffer.byteLength(s, 'utf8');
}

function writeUint(buf: Buffer, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  const digits = n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : String(n).length;
  let q = p + digits;
  while (n > 0) {
    buf[--q] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return p + digits;
}

/** Writes a bulk string ($len CRLF body CRLF). */
function writeString(buf: Buffer, p: number, s: string): number {
  const len = s.length;
  if (len < SHORT_STRING) {
    // Optimistically ASCII: then the byte length is the string length.
    const start = p;
    buf[p++] = 0x24;
    p = writeUint(buf, p, len);
    buf[p++] = 13;
    buf[p++] = 10;
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p++] = c;
    }
    if (i === len) {
      buf[p] = 13;
      buf[p + 1] = 10;
      return p + 2;
    }
    p = start;
  }
  const bytes = Buffer.byteLength(s, 'utf8');
  buf[p++] = 0x24;
  p = writeUint(buf, p, bytes);
  buf[p++] = 13;
  buf[p++] = 10;
  p += buf.write(s, p, bytes, 'utf8');
  buf[p] = 13;
  buf[p + 1] = 10;
  return p + 2;
}

function writeAscii(buf: Buffer, p: number, s: string): number {
  buf[p++] = 0x24;
  p = writeUint(buf, p, s.length);
  buf[p++] = 13;
  buf[p++] = 10;
  for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  buf[p] = 13;
  buf[p + 1] = 10;
  return p + 2;
}

function writeBytes(buf: Buffer, p: number, bytes: Uint8Array): number {
  buf[p++] = 0x24;
  p = writeUint(buf, p, bytes.length);
  buf[p++] = 13;
  buf[p++] = 10;
  buf.set(bytes, p);
  p += bytes.length;
  buf[p] = 13;
  buf[p + 1] = 10;
  return p + 2;
}
