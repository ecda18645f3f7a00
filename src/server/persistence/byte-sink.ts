// A byte accumulator for the snapshot and AOF-rewrite encoders: fills
// fixed-size chunks (so a large dataset never needs one huge contiguous
// Buffer), optionally keeping a running CRC-32 of everything it emitted.

import { crc32 } from './crc32.js';

const DEFAULT_CHUNK = 256 * 1024;

export class ByteSink {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  /** Bytes added and not yet taken. */
  pending = 0;
  /** Bytes added since creation. */
  total = 0;
  private crc = 0;

  constructor(
    private readonly withCrc = false,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.seal();
    this.buf[this.pos++] = b;
    this.added(1);
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first. */
  varint(n: number): void {
    if (this.buf.length - this.pos < 10) this.seal();
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
      this.added(1);
    }
    this.buf[this.pos++] = n;
    this.added(1);
  }

  f64(d: number): void {
    if (this.buf.length - this.pos < 8) this.seal();
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
    this.added(8);
  }

  i64(v: bigint): void {
    if (this.buf.length - this.pos < 8) this.seal();
    this.buf.writeBigInt64LE(v, this.pos);
    this.pos += 8;
    this.added(8);
  }

  u64(v: bigint): void {
    if (this.buf.length - this.pos < 8) this.seal();
    this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
    this.added(8);
  }

  u32(v: number): void {
    if (this.buf.length - this.pos < 4) this.seal();
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    this.added(4);
  }

  /** The raw bytes of a binary string (one char per byte). */
  latin1(s: string): void {
    const n = s.length;
    if (n > this.buf.length - this.pos) {
      if (n > this.chunkSize / 4) {
        // Big values go out as their own chunk rather than being copied piecewise.
        this.seal();
        this.push(Buffer.from(s, 'latin1'));
        this.added(n);
        return;
      }
      this.seal();
    }
    if (n < 16) {
      for (let i = 0; i < n; i++) this.buf[this.pos + i] = s.charCodeAt(i);
    } else {
      this.buf.write(s, this.pos, n, 'latin1');
    }
    this.pos += n;
    this.added(n);
  }

  /** A length-prefixed string: varint byte count, then the bytes. */
  str(s: string): void {
    this.varint(s.length);
    this.latin1(s);
  }

  /** Everything added so far, as chunks; the sink starts empty again. */
  take(): Buffer[] {
    this.seal();
    const out = this.chunks;
    this.chunks = [];
    this.pending = 0;
    return out;
  }

  /** The CRC-32 of every byte added so far (withCrc sinks only). */
  checksum(): number {
    this.seal();
    return this.crc;
  }

  private added(n: number): void {
    this.pending += n;
    this.total += n;
  }

  /** Closes the current chunk (if it holds anything) and starts a new one. */
  private seal(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.push(chunk);
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }

  private push(chunk: Buffer): void {
    if (this.withCrc) this.crc = crc32(chunk, this.crc);
    this.chunks.push(chunk);
  }
}

/** An encoder that emits its output into a sink a slice at a time. */
export interface ByteProducer {
  /** Adds at least `budget` bytes to the sink unless it finishes first; returns true once finished. */
  fill(sink: ByteSink, budget: number): boolean;
  /** Whether the sink must keep a CRC (the snapshot ends with one). */
  readonly wantsCrc: boolean;
}

/** A producer driven by a generator that yields whenever it is safe to pause (between keys, inside big values). */
export class GeneratorProducer implements ByteProducer {
  private gen: Generator<void, void, void> | null = null;

  constructor(
    private readonly walk: (sink: ByteSink) => Generator<void, void, void>,
    readonly wantsCrc: boolean,
  ) {}

  fill(sink: ByteSink, budget: number): boolean {
    if (this.gen === null) this.gen = this.walk(sink);
    const target = sink.pending + budget;
    while (sink.pending < target) if (this.gen.next().done) return true;
    return false;
  }
}
