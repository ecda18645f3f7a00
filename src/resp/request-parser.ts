// The server side of RESP: turns a client's byte stream into commands.
//
// Accepts multibulk requests (what clients send) and inline commands (what a
// person types into telnet), with Redis's limits and error texts. Pull-based:
// feed() appends bytes, next() yields one command at a time, so a client that
// blocks (BLPOP) simply stops being pulled from. Keeps its place between
// chunks; only the unread tail of one incomplete request is ever copied, and a
// large bulk body is copied once, straight into a buffer of its announced size.
//
// The parser borrows each chunk it is fed until release(): the server reads
// every connection into one shared buffer (see server/connection-reader.ts),
// so what must outlive the read is copied then, and only then.

/** A request the server must answer with `-ERR Protocol error: ...` and then close the connection. */
export class RequestProtocolError extends Error {
  constructor(reason: string) {
    super(`Protocol error: ${reason}`);
    this.name = 'RequestProtocolError';
  }
}

const INLINE_MAX = 64 * 1024; // Redis's PROTO_INLINE_MAX_SIZE
const MULTIBULK_MAX = 2 ** 31 - 1; // INT_MAX
const UNAUTH_MULTIBULK_MAX = 10;
const UNAUTH_BULK_MAX = 16384;
const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);

export interface RequestParserOptions {
  /** proto-max-bulk-len; Redis's default is 512 MB. */
  maxBulkLength?: number;
}

export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Bulks still to read in the current multibulk request; 0 between requests. */
  private remaining = 0;
  private argv: string[] = [];
  /** Arguments read so far into argv. */
  private argc = 0;
  /**
   * The previous request's first four arguments: command name, usually the
   * key, often a field or member. Pipelines repeat them (LPUSH q ...,
   * HSET h f v, ZADD z score member),
   * and reusing the same string object when the bytes match skips both
   * building a string and V8 hashing it again for the command-table,
   * keyspace and field lookups. A mismatch usually costs a length compare.
   */
  private readonly recent: string[] = ['', '', '', ''];
  /** Length of the bulk being read, or -1 while its $ header is still to come. */
  private bulkLen = -1;
  /** The body (and CRLF) of a bulk too large to wait for in the read buffer, filled as bytes arrive. */
  private big: Buffer | null = null;
  private bigBytes = 0;
  /** Whether buf is a chunk as fed (not ours to keep past release()). */
  private borrowed = false;
  private readonly maxBulk: number;
  /** Unauthenticated clients get tighter limits, as in Redis. */
  authenticated = true;

  constructor(options: RequestParserOptions = {}) {
    this.maxBulk = options.maxBulkLength ?? 512 * 1024 * 1024;
  }

  /** Bytes received but not yet parsed into a command. */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + this.bigBytes;
  }

  /** Appends bytes; the parser may read chunk until release() and keeps no reference past it. */
  feed(chunk: Buffer): void {
    let from = 0;
    if (this.big !== null) {
      from = Math.min(chunk.length, this.big.length - this.bigBytes);
      chunk.copy(this.big, this.bigBytes, 0, from);
      this.bigBytes += from;
      // Still filling: nothing else can be parsed yet. Once full, the rest of the chunk follows it.
      if (this.bigBytes < this.big.length) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = from;
      this.borrowed = true;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(from)]);
      this.pos = 0;
      this.borrowed = false;
    }
  }

  /** The caller is done with the chunks fed so far: copy the unparsed rest of a borrowed one. */
  release(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    this.buf = this.pos < this.buf.length ? Buffer.from(this.buf.subarray(this.pos)) : EMPTY;
    this.pos = 0;
  }

  /**
   * The next complete command as argv (binary strings, one char per byte),
   * or null when more bytes are needed. Throws RequestProtocolError.
   */
  next(): string[] | null {
    for (;;) {
      if (this.big !== null && this.bigBytes < this.big.length) return null;
      if (this.remaining === 0) {
        if (this.pos >= this.buf.length) return this.reset();
        if (this.buf[this.pos] !== 0x2a /* '*' */) {
          const inline = this.inline();
          if (inline === null) return null;
          if (inline.length === 0) continue;
          return inline;
        }
        if (!this.multibulkHeader()) return null;
        if (this.remaining === 0) continue; // *0 or *-1: nothing to run
      }
      if (!this.bulks()) return null;
      const argv = this.argv;
      this.argv = [];
      return argv;
    }
  }

  /**
   * The header line or inline command has no end yet. Redis finds line ends
   * with strchr, which stops at a NUL byte, so a NUL before the end counts as
   * "no end yet" too: the request waits until it passes the size limit.
   */
  private noLineEnd(reason: string): null {
    if (this.buf.length - this.pos > INLINE_MAX) throw new RequestProtocolError(reason);
    return null;
  }

  private reset(): null {
    // Drop the consumed buffer so a long-lived connection does not pin it.
    this.buf = EMPTY;
    this.pos = 0;
    this.borrowed = false;
    return null;
  }

  private inline(): string[] | null {
    const nl = this.buf.indexOf(LF, this.pos);
    if (nl < 0) return this.noLineEnd('too big inline request');
    let end = nl;
    if (end > this.pos && this.buf[end - 1] === CR) end--;
    const line = latin1(this.buf, this.pos, end);
    // Redis looks for the newline with strchr, which stops at a NUL byte.
    if (line.indexOf('\0') >= 0) return this.noLineEnd('too big inline request');
    this.pos = nl + 1;
    const shape = inlineShape(line);
    const args = shape === ONE_WORD ? [line] : shape === PLAIN ? plainSplit(line) : splitArgs(line);
    if (args === null) throw new RequestProtocolError('unbalanced quotes in request');
    // As for multibulk requests: the same command name again reuses the string V8 already hashed.
    if (args.length !== 0) {
      if (args[0] === this.recent[0]) args[0] = this.recent[0];
      else this.recent[0] = args[0];
    }
    return args;
  }

  /** Reads "*<count>\r\n"; false when incomplete. */
  private multibulkHeader(): boolean {
    const cr = this.buf.indexOf(CR, this.pos);
    if (cr < 0) return this.noLineEnd('too big mbulk count string') ?? false;
    const n = parseLength(this.buf, this.pos + 1, cr);
    if (n === null && hasNul(this.buf, this.pos, cr)) return this.noLineEnd('too big mbulk count string') ?? false;
    if (cr + 1 >= this.buf.length) return false; // the LF after CR is not here yet
    if (n === null || n > MULTIBULK_MAX) throw new RequestProtocolError('invalid multibulk length');
    if (n > UNAUTH_MULTIBULK_MAX && !this.authenticated) throw new RequestProtocolError('unauthenticated multibulk length');
    this.pos = cr + 2;
    this.remaining = n > 0 ? n : 0;
    // Sized up front (as Redis does, up to a bound a client cannot abuse): no growth per argument.
    this.argv = n > 0 && n <= 1024 ? new Array<string>(n) : [];
    this.argc = 0;
    this.bulkLen = -1;
    return true;
  }

  /**
   * The common case of a bulk header, "$<digits>\r\n" complete and within
   * limits, read in one pass without a native indexOf. Anything else (an
   * incomplete header, a malformed or oversized one) returns false and takes
   * the general path, which knows every error.
   */
  private plainBulkHeader(buf: Buffer): boolean {
    let j = this.pos;
    if (buf[j] !== 0x24 /* '$' */) return false;
    j++;
    let d = buf[j] - 0x30;
    if (!(d >= 0 && d <= 9)) return false;
    let n = d;
    j++;
    if (n !== 0) {
      const end = Math.min(buf.length, j + 9);
      while (j < end && (d = buf[j] - 0x30) >= 0 && d <= 9) {
        n = n * 10 + d;
        j++;
      }
    }
    if (buf[j] !== CR || j + 1 >= buf.length) return false;
    if (n > this.maxBulk || (n > UNAUTH_BULK_MAX && !this.authenticated)) return false;
    this.pos = j + 2;
    this.bulkLen = n;
    return true;
  }

  /** Reads the remaining bulks of the current request; false when incomplete. */
  private bulks(): boolean {
    const buf = this.buf;
    while (this.remaining > 0) {
      if (this.big !== null) {
        // A large bulk, complete (next() checked): it becomes the argument.
        this.store(this.big.toString('latin1', 0, this.bulkLen));
        this.big = null;
        this.bigBytes = 0;
        continue;
      }
      if (this.bulkLen < 0 && !this.plainBulkHeader(buf)) {
        if (this.pos >= buf.length) return false;
        const cr = buf.indexOf(CR, this.pos);
        if (cr < 0) return this.noLineEnd('too big bulk count string') ?? false;
        const n = buf[this.pos] === 0x24 /* '$' */ ? parseLength(buf, this.pos + 1, cr) : null;
        if (n === null && hasNul(buf, this.pos, cr)) return this.noLineEnd('too big bulk count string') ?? false;
        if (cr + 1 >= buf.length) return false;
        if (buf[this.pos] !== 0x24 /* '$' */) {
          throw new RequestProtocolError(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
        }
        if (n === null || n < 0 || n > this.maxBulk) throw new RequestProtocolError('invalid bulk length');
        if (n > UNAUTH_BULK_MAX && !this.authenticated) throw new RequestProtocolError('unauthenticated bulk length');
        this.pos = cr + 2;
        this.bulkLen = n;
      }
      const need = this.bulkLen + 2;
      if (buf.length - this.pos < need) {
        // Large body: copy what arrives straight into its own buffer (as Redis
        // sizes its query buffer for a big argument) instead of re-joining the
        // read buffer on every read.
        if (need > INLINE_MAX) {
          this.big = Buffer.allocUnsafe(need);
          this.bigBytes = buf.copy(this.big, 0, this.pos);
          this.buf = EMPTY;
          this.pos = 0;
          this.borrowed = false;
        }
        return false;
      }
      const index = this.argc;
      if (index < 4) {
        const prev = this.recent[index];
        const arg =
          prev.length === this.bulkLen && sameBytes(buf, this.pos, prev) ? prev : latin1(buf, this.pos, this.pos + this.bulkLen);
        this.recent[index] = arg;
        this.store(arg);
      } else {
        this.store(latin1(buf, this.pos, this.pos + this.bulkLen));
      }
      this.pos += need; // Redis does not check the trailing CRLF either
    }
    return true;
  }

  /** The current bulk's value is read: the next argument. */
  private store(arg: string): void {
    this.argv[this.argc++] = arg;
    this.bulkLen = -1;
    this.remaining--;
  }
}

const chr = String.fromCharCode;

/** Whether buf holds the bytes of the binary string s at start (s.length bytes are known to be there). */
function sameBytes(buf: Buffer, start: number, s: string): boolean {
  if (s.length > 64) return false;
  for (let i = 0; i < s.length; i++) if (buf[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * buf[start, end) as a binary string. Most arguments are short (names, keys,
 * small values): one String.fromCharCode call per up to 8 bytes is about 3x
 * faster than the native slice's call overhead. Long ones take the native path.
 */
function latin1(b: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n <= 8) return upTo8(b, start, n);
  if (n <= 16) return upTo8(b, start, 8) + upTo8(b, start + 8, n - 8);
  return b.toString('latin1', start, end);
}

function upTo8(b: Buffer, s: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return chr(b[s]);
    case 2:
      return chr(b[s], b[s + 1]);
    case 3:
      return chr(b[s], b[s + 1], b[s + 2]);
    case 4:
      return chr(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return chr(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return chr(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return chr(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    default:
      return chr(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
  }
}

/** string2ll over buf[start, end): strict decimal, optional '-', no leading zeros. */
function parseLength(buf: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d /* '-' */) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 0x30 /* '0' */ && (end - i > 1 || neg)) return null;
  let n = 0;
  for (let j = i; j < end; j++) {
    const d = buf[j] - 0x30;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  // 19+ digits: n is inexact, so check the long long range exactly as string2ll
  // does (a count below LLONG_MIN is an error, not an empty request).
  if (end - i >= 19) {
    const v = BigInt(buf.toString('latin1', i, end));
    if (v > (neg ? 2n ** 63n : 2n ** 63n - 1n)) return null;
  }
  return neg ? -n : n;
}

/** Whether buf[start, end) holds a NUL byte (only asked on error paths). */
function hasNul(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === 0) return true;
  return false;
}

const ONE_WORD = 0;
const PLAIN = 1;
const QUOTED = 2;
const BLANKS = /[ \t\r\n]+/;

/**
 * One pass over an inline line: a single word (the common "PING"), plain
 * words that plainSplit separates exactly as splitArgs would, or anything
 * with quotes, \v or \f, which needs splitArgs.
 */
function inlineShape(line: string): number {
  let shape = line.length === 0 ? PLAIN : ONE_WORD;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22 /* " */ || c === 0x27 /* ' */ || c === 0x0b || c === 0x0c) return QUOTED;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) shape = PLAIN;
  }
  return shape;
}

function plainSplit(line: string): string[] {
  const parts = line.split(BLANKS);
  if (parts[0] === '') parts.shift();
  if (parts.length !== 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * Splits an inline command line like a shell: quotes, and in double quotes the
 * escapes \n \r \t \b \a \xHH. Returns null on unbalanced quotes or a closing
 * quote not followed by a space (Redis's sdssplitargs rules).
 */
export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && isSpace(line[i])) i++;
    if (i >= line.length) return args;
    let cur = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      if (inDouble) {
        if (i >= line.length) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === 'x' && HEX.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < line.length) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur += c;
        }
        i++;
      } else if (inSingle) {
        if (i >= line.length) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur += c;
        }
        i++;
      } else {
        if (i >= line.length) break;
        const c = line[i];
        // Blanks between arguments are isspace(), but only these end an unquoted one.
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t') break;
        if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else cur += c;
        i++;
      }
    }
    args.push(cur);
  }
}
