// The reply writer: handlers describe replies (a bulk, an array of n, a map of
// n, a double...) and it encodes them for the connection's protocol, RESP2 or
// RESP3 (after HELLO 3). Output accumulates as a latin1 string and is written
// once per batch of commands by the connection, so pipelined replies leave in
// one socket write.
//
// All payload strings are "binary strings": one char per byte (latin1), which
// is how simpledb holds keys and values, so `s.length` is the byte length.

import { formatDouble } from './numbers.js';

export type Protocol = 2 | 3;

// Number-to-string conversion dominates small replies (LRANGE, GET, counts):
// headers for small lengths and small integers are built once.
const SMALL = 1024;
const BULK_HEADERS = Array.from({ length: SMALL }, (_, n) => '$' + n + '\r\n');
const ARRAY_HEADERS = Array.from({ length: SMALL }, (_, n) => '*' + n + '\r\n');
const INTEGERS = Array.from({ length: SMALL }, (_, n) => ':' + n + '\r\n');
const bulkHeader = (n: number): string => (n < SMALL ? BULK_HEADERS[n] : '$' + n + '\r\n');

export class ReplyWriter {
  /** Pending output, one char per byte. */
  out = '';
  protocol: Protocol = 2;
  /** Told of every error reply (INFO errorstats). */
  onError: ((message: string) => void) | null = null;
  /**
   * CLIENT REPLY OFF or SKIP: replies are dropped as they are written, except
   * pushes (pub/sub), which Redis delivers anyway. Pushes are flat, so a
   * push of n lets the n writes after its header through.
   */
  muted = false;
  private passing = 0;

  /** Whether a write must be dropped (only asked while muted). */
  private dropped(): boolean {
    if (this.passing === 0) return true;
    this.passing--;
    return false;
  }

  ok(): void {
    if (this.muted && this.dropped()) return;
    this.out += '+OK\r\n';
  }

  /** A simple string (+...). Must not contain CR or LF. */
  simple(s: string): void {
    if (this.muted && this.dropped()) return;
    this.out += '+' + s + '\r\n';
  }

  /** An error reply; `message` is the full text, e.g. "ERR syntax error". Newlines become spaces as in Redis. */
  error(message: string): void {
    if (this.muted && this.dropped()) return;
    if (message.includes('\r') || message.includes('\n')) message = message.replace(/[\r\n]/g, ' ');
    if (this.onError !== null) this.onError(message);
    this.out += '-' + message + '\r\n';
  }

  integer(n: number | bigint): void {
    if (this.muted && this.dropped()) return;
    this.out += typeof n === 'number' && n >= 0 && n < SMALL && Number.isInteger(n) ? INTEGERS[n] : ':' + n + '\r\n';
  }

  bulk(s: string): void {
    if (this.muted && this.dropped()) return;
    this.out += bulkHeader(s.length) + s + '\r\n';
  }

  /** A bulk that may be missing: nil when undefined or null. */
  bulkOrNull(s: string | undefined | null): void {
    if (this.muted && this.dropped()) return;
    if (s === undefined || s === null) this.out += this.protocol === 2 ? '$-1\r\n' : '_\r\n';
    else this.out += bulkHeader(s.length) + s + '\r\n';
  }

  /** The nil bulk string ($-1 in RESP2, _ in RESP3): GET of a missing key. */
  nullBulk(): void {
    if (this.muted && this.dropped()) return;
    this.out += this.protocol === 2 ? '$-1\r\n' : '_\r\n';
  }

  /** The nil array (*-1 in RESP2, _ in RESP3): BLPOP timeout, EXEC after WATCH failure. */
  nullArray(): void {
    if (this.muted && this.dropped()) return;
    this.out += this.protocol === 2 ? '*-1\r\n' : '_\r\n';
  }

  arrayLen(n: number): void {
    if (this.muted && this.dropped()) return;
    this.out += n < SMALL && n >= 0 ? ARRAY_HEADERS[n] : '*' + n + '\r\n';
  }

  /** A map of n pairs: RESP3 %n, flattened to an array of 2n in RESP2. */
  mapLen(n: number): void {
    if (this.muted && this.dropped()) return;
    this.out += this.protocol === 2 ? '*' + 2 * n + '\r\n' : '%' + n + '\r\n';
  }

  /** A set of n members: RESP3 ~n, an array in RESP2. */
  setLen(n: number): void {
    if (this.muted && this.dropped()) return;
    this.out += this.protocol === 2 ? '*' + n + '\r\n' : '~' + n + '\r\n';
  }

  /** An out-of-band push (pub/sub messages): RESP3 >n, an array in RESP2. */
  pushLen(n: number): void {
    if (this.muted) this.passing = n;
    this.out += this.protocol === 2 ? '*' + n + '\r\n' : '>' + n + '\r\n';
  }

  /** A double: RESP3 ,d; a bulk string in RESP2 formatted as Redis does (%.17g). */
  double(d: number): void {
    if (this.muted && this.dropped()) return;
    const s = formatDouble(d);
    this.out += this.protocol === 2 ? '$' + s.length + '\r\n' + s + '\r\n' : ',' + s + '\r\n';
  }

  bool(b: boolean): void {
    if (this.muted && this.dropped()) return;
    this.out += this.protocol === 2 ? (b ? ':1\r\n' : ':0\r\n') : b ? '#t\r\n' : '#f\r\n';
  }

  /** Verbatim text (INFO, CLIENT LIST): RESP3 =len txt:..., a bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.muted && this.dropped()) return;
    if (this.protocol === 2) this.out += bulkHeader(s.length) + s + '\r\n';
    else this.out += '=' + (s.length + 4) + '\r\n' + format + ':' + s + '\r\n';
  }

  bulkArray(items: readonly string[]): void {
    if (this.muted && this.dropped()) return;
    let out = items.length < SMALL ? ARRAY_HEADERS[items.length] : '*' + items.length + '\r\n';
    for (const s of items) out += bulkHeader(s.length) + s + '\r\n';
    this.out += out;
  }

  /** Output already encoded for this connection (MONITOR's lines). */
  raw(s: string): void {
    if (this.muted && this.dropped()) return;
    this.out += s;
  }

  /** Takes the pending output, leaving the writer empty. */
  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }
}
