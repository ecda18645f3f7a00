// Incremental RESP2/RESP3 reply decoder: socket chunks in, one callback per
// top-level value out.
//
// Why it is shaped this way: replies arrive split at arbitrary byte offsets and
// a pipelined client can receive megabytes per read. The decoder therefore keeps
// its place between chunks (a stack of open aggregates, a partial header line,
// or the missing tail of one bulk string) instead of buffering everything and
// reparsing from byte 0. Only the pieces of one incomplete frame are ever joined.
import { ProtocolError } from './protocol-error.js';
import { RespErrorReply, type RespValue } from './types.js';

const CR = 13;
const LF = 10;

// Aggregate kinds on the open-frame stack.
const ARRAY = 0;
const MAP = 1;
const SET = 2;
const PUSH = 3;
const ATTRIBUTE = 4;

// Body-carrying types (bytes after the length header).
const BULK = 0x24; // '$'
const VERBATIM = 0x3d; // '='
const BLOB_ERROR = 0x21; // '!'

interface OpenAggregate {
  kind: number;
  remaining: number;
  items: unknown[];
}

/** Options for {@link RespDecoder}. */
export interface RespDecoderOptions<E> {
  /** Called once per complete top-level reply, in wire order. */
  onReply: (value: RespValue<E>) => void;
  /** Called for RESP3 push frames (`>`); defaults to `onReply`. */
  onPush?: (value: RespValue<E>[]) => void;
  /** Builds the value of an error reply (`-` or `!`); defaults to {@link RespErrorReply}. */
  makeError?: (message: string) => E;
  /** Largest accepted bulk string, in bytes (default 512 MiB, Redis's proto-max-bulk-len). */
  maxBulkLength?: number;
  /** Largest accepted header/simple line, in bytes (default 1 MiB). */
  maxLineLength?: number;
}

/**
 * Decodes a stream of RESP2 and RESP3 replies fed chunk by chunk.
 *
 * Bulk strings come out as UTF-8 strings, or as Buffers (copies, never views
 * of a socket chunk) while {@link RespDecoder.returnBuffers} is true; the flag
 * may be changed from inside `onReply` and applies from the next bulk string on.
 * RESP3 attributes (`|`) are read and discarded. Malformed input throws a
 * {@link ProtocolError}, after which the decoder refuses further input.
 *
 * @example
 * const decoder = new RespDecoder({ onReply: (v) => console.log(v) });
 * decoder.feed(Buffer.from('+OK\r\n$5\r\nhel'));  // logs 'OK'
 * decoder.feed(Buffer.from('lo\r\n'));           // logs 'hello'
 */
export class RespDecoder<E = RespErrorReply> {
  /** Bulk strings as Buffers (true) or UTF-8 strings (false). */
  returnBuffers = false;

  private readonly onReply: (value: RespValue<E>) => void;
  private readonly onPush: (value: RespValue<E>[]) => void;
  private readonly makeError: (message: string) => E;
  private readonly maxBulkLength: number;
  private readonly maxLineLength: number;

  private stack: OpenAggregate[] = [];
  // A header line split across chunks: its pieces so far.
  private lineParts: Buffer[] | null = null;
  private lineLength = 0;
  // A bulk body split across chunks: its pieces so far and the bytes still missing (CRLF included).
  private bulkParts: Buffer[] = [];
  private bulkNeed = 0;
  private bulkLength = 0;
  private bulkType = 0;
  private failure: ProtocolError | null = null;

  constructor(options: RespDecoderOptions<E>) {
    this.onReply = options.onReply;
    this.onPush = options.onPush ?? (options.onReply as (value: RespValue<E>[]) => void);
    this.makeError = options.makeError ?? ((message: string) => new RespErrorReply(message) as E);
    this.maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.maxLineLength = options.maxLineLength ?? 1024 * 1024;
  }

  /** True while a reply has started but not finished. */
  get pending(): boolean {
    return this.stack.length > 0 || this.lineParts !== null || this.bulkNeed > 0;
  }

  /** Forgets any partial reply and any earlier protocol error (for a fresh connection). */
  reset(): void {
    this.stack = [];
    this.lineParts = null;
    this.lineLength = 0;
    this.bulkParts = [];
    this.bulkNeed = 0;
    this.failure = null;
  }

  /** Consumes one chunk, calling `onReply`/`onPush` for every reply it completes. */
  feed(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    try {
      this.consume(chunk);
    } catch (err) {
      if (err instanceof ProtocolError) this.failure = err;
      throw err;
    }
  }

  private consume(chunk: Buffer): void {
    const len = chunk.length;
    let pos = 0;
    if (this.bulkNeed > 0) {
      pos = this.continueBulk(chunk);
      if (this.bulkNeed > 0) return;
    } else if (this.lineParts !== null) {
      pos = this.continueLine(chunk);
      if (pos < 0) return;
    }
    while (pos < len) {
      const cr = chunk.indexOf(CR, pos + 1);
      if (cr === -1 || cr + 1 === len) {
        this.startPartialLine(chunk, pos);
        return;
      }
      if (chunk[cr + 1] !== LF) throw new ProtocolError('expected CRLF after a reply line');
      pos = this.line(chunk, pos, cr);
    }
  }

  private startPartialLine(chunk: Buffer, pos: number): void {
    const piece = chunk.subarray(pos);
    this.lineParts = [piece];
    this.lineLength = piece.length;
    if (this.lineLength > this.maxLineLength) throw new ProtocolError('reply line too long');
  }

  /** Completes a line split across chunks; returns where the rest of `chunk` starts, or -1. */
  private continueLine(chunk: Buffer): number {
    const parts = this.lineParts as Buffer[];
    const lf = chunk.indexOf(LF);
    if (lf === -1) {
      parts.push(chunk);
      this.lineLength += chunk.length;
      if (this.lineLength > this.maxLineLength) throw new ProtocolError('reply line too long');
      return -1;
    }
    parts.push(chunk.subarray(0, lf + 1));
    const line = Buffer.concat(parts, this.lineLength + lf + 1);
    this.lineParts = null;
    this.lineLength = 0;
    const cr = line.length - 2;
    if (cr < 1 || line.indexOf(CR, 1) !== cr) throw new ProtocolError('expected CRLF after a reply line');
    // A bulk header parsed here finds its body missing from `line` and waits for it in `chunk`.
    this.line(line, 0, cr);
    if (this.bulkNeed > 0) return this.continueBulk(chunk.subarray(lf + 1)) + lf + 1;
    return lf + 1;
  }

  /** Handles the line buf[start..cr) (type byte first); returns the offset after everything it consumed. */
  private line(buf: Buffer, start: number, cr: number): number {
    const next = cr + 2;
    switch (buf[start]) {
      case 0x2b: // '+' simple string
        this.value(buf.toString('utf8', start + 1, cr));
        return next;
      case 0x2d: // '-' error
        this.value(this.makeError(buf.toString('utf8', start + 1, cr)));
        return next;
      case 0x3a: // ':' integer
        this.value(parseInteger(buf, start + 1, cr));
        return next;
      case BULK:
      case VERBATIM:
      case BLOB_ERROR:
        return this.bulkHeader(buf, start, cr);
      case 0x2a: // '*'
        return this.aggregate(buf, start, cr, ARRAY);
      case 0x25: // '%'
        return this.aggregate(buf, start, cr, MAP);
      case 0x7e: // '~'
        return this.aggregate(buf, start, cr, SET);
      case 0x3e: // '>'
        return this.aggregate(buf, start, cr, PUSH);
      case 0x7c: // '|'
        return this.aggregate(buf, start, cr, ATTRIBUTE);
      case 0x5f: // '_' null
        if (cr !== start + 1) throw new ProtocolError('unexpected bytes in a null reply');
        this.value(null);
        return next;
      case 0x23: // '#' boolean
        if (cr === start + 2 && buf[start + 1] === 0x74) this.value(true);
        else if (cr === start + 2 && buf[start + 1] === 0x66) this.value(false);
        else throw new ProtocolError('invalid boolean reply');
        return next;
      case 0x2c: // ',' double
        this.value(parseDouble(buf.toString('latin1', start + 1, cr)));
        return next;
      case 0x28: // '(' big number
        this.value(parseBigNumber(buf.toString('latin1', start + 1, cr)));
        return next;
      default:
        throw new ProtocolError(`unknown reply type byte 0x${(buf[start] as number).toString(16).padStart(2, '0')}`);
    }
  }

  private bulkHeader(buf: Buffer, start: number, cr: number): number {
    const type = buf[start] as number;
    if (buf[start + 1] === 0x3f) throw new ProtocolError('streamed strings are not supported');
    const n = parseLength(buf, start + 1, cr);
    if (n === -1 && type === BULK) {
      this.value(null);
      return cr + 2;
    }
    if (n < 0) throw new ProtocolError('invalid bulk length');
    if (n > this.maxBulkLength) throw new ProtocolError('bulk length exceeds the limit');
    const bodyStart = cr + 2;
    const end = bodyStart + n;
    if (end + 2 <= buf.length) {
      if (buf[end] !== CR || buf[end + 1] !== LF) throw new ProtocolError('bulk string not terminated by CRLF');
      this.bulkValue(type, buf, bodyStart, end, false);
      return end + 2;
    }
    this.bulkType = type;
    this.bulkLength = n;
    this.bulkNeed = n + 2 - (buf.length - bodyStart);
    this.bulkParts = bodyStart < buf.length ? [buf.subarray(bodyStart)] : [];
    return buf.length;
  }

  /** Adds the next piece of a split bulk body; returns the offset in `chunk` after it. */
  private continueBulk(chunk: Buffer): number {
    const take = Math.min(this.bulkNeed, chunk.length);
    if (take > 0) this.bulkParts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.bulkNeed -= take;
    if (this.bulkNeed > 0) return take;
    const n = this.bulkLength;
    const body = Buffer.concat(this.bulkParts, n + 2);
    this.bulkParts = [];
    if (body[n] !== CR || body[n + 1] !== LF) throw new ProtocolError('bulk string not terminated by CRLF');
    this.bulkValue(this.bulkType, body, 0, n, true);
    return take;
  }

  /** `owned`: `buf` was allocated for this value alone, so a Buffer result needs no copy. */
  private bulkValue(type: number, buf: Buffer, start: number, end: number, owned: boolean): void {
    if (type === BULK) {
      if (!this.returnBuffers) this.value(buf.toString('utf8', start, end));
      else if (owned) this.value(buf.subarray(start, end));
      else this.value(copyBytes(buf, start, end));
    } else if (type === VERBATIM) {
      // "fmt:" prefix (three letters and a colon) names the format; callers want the text.
      if (end - start < 4 || buf[start + 3] !== 0x3a) throw new ProtocolError('invalid verbatim string');
      if (!this.returnBuffers) this.value(buf.toString('utf8', start + 4, end));
      else if (owned) this.value(buf.subarray(start + 4, end));
      else this.value(copyBytes(buf, start + 4, end));
    } else {
      this.value(this.makeError(buf.toString('utf8', start, end)));
    }
  }

  private aggregate(buf: Buffer, start: number, cr: number, kind: number): number {
    if (buf[start + 1] === 0x3f) throw new ProtocolError('streamed aggregates are not supported');
    const n = parseLength(buf, start + 1, cr);
    if (n === -1 && kind === ARRAY) {
      this.value(null);
      return cr + 2;
    }
    if (n < 0) throw new ProtocolError('invalid aggregate length');
    if (n === 0) {
      if (kind === ATTRIBUTE) return cr + 2;
      if (kind === PUSH && this.stack.length === 0) this.onPush([]);
      else this.value(kind === MAP ? new Map() : kind === SET ? new Set() : []);
      return cr + 2;
    }
    const remaining = kind === MAP || kind === ATTRIBUTE ? n * 2 : n;
    this.stack.push({ kind, remaining, items: [] });
    return cr + 2;
  }

  /** Places a finished value in its enclosing aggregate, closing aggregates that fill up. */
  private value(v: unknown): void {
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as OpenAggregate;
      top.items.push(v);
      if (--top.remaining > 0) return;
      stack.pop();
      switch (top.kind) {
        case ARRAY:
          v = top.items;
          break;
        case MAP:
          v = pairsToMap(top.items);
          break;
        case SET:
          v = new Set(top.items);
          break;
        case ATTRIBUTE:
          // Metadata about the value that follows; that value takes the slot instead.
          return;
        default: // PUSH
          if (stack.length === 0) {
            this.onPush(top.items as RespValue<E>[]);
            return;
          }
          v = top.items;
      }
    }
    this.onReply(v as RespValue<E>);
  }
}

function copyBytes(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  buf.copy(out, 0, start, end);
  return out;
}

function pairsToMap(items: unknown[]): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
  return map;
}

/** Parses an aggregate/bulk length: digits, or exactly "-1". Returns -2 for other negatives. */
function parseLength(buf: Buffer, from: number, to: number): number {
  if (from === to) throw new ProtocolError('empty length');
  if (buf[from] === 0x2d) {
    if (to === from + 2 && buf[from + 1] === 0x31) return -1;
    parseDigits(buf, from + 1, to);
    return -2;
  }
  return parseDigits(buf, from, to);
}

function parseDigits(buf: Buffer, from: number, to: number): number {
  if (from === to || to - from > 15) throw new ProtocolError('invalid length or integer');
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) throw new ProtocolError('invalid length or integer');
    n = n * 10 + d;
  }
  return n;
}

/** Integer replies are signed 64-bit; beyond 2^53 they lose precision as JS numbers. */
function parseInteger(buf: Buffer, from: number, to: number): number {
  let negative = false;
  if (buf[from] === 0x2d || buf[from] === 0x2b) {
    negative = buf[from] === 0x2d;
    from++;
  }
  if (to - from > 15) {
    const text = buf.toString('latin1', from, to);
    if (!/^[0-9]+$/.test(text)) throw new ProtocolError('invalid integer reply');
    return negative ? -Number(text) : Number(text);
  }
  const n = parseDigits(buf, from, to);
  return negative ? -n : n;
}

function parseDouble(text: string): number {
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  const n = text.length > 0 && !/\s/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new ProtocolError('invalid double reply');
  return n;
}

function parseBigNumber(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new ProtocolError('invalid big number reply');
  return BigInt(text);
}
