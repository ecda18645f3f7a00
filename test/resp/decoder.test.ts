// Decoder fixtures fed whole, byte by byte, split at every offset and in random pieces.
import { describe, expect, it, vi } from 'vitest';
import { RespDecoder } from '../../src/resp/decoder.js';
import { ProtocolError } from '../../src/resp/protocol-error.js';
import { fixtures, malformed } from './fixtures.js';

function decodeChunks(chunks: Buffer[], buffers = false): unknown[] {
  const out: unknown[] = [];
  const decoder = new RespDecoder({ onReply: (v) => out.push(v), onPush: (v) => out.push({ push: v }) });
  decoder.returnBuffers = buffers;
  for (const c of chunks) decoder.feed(c);
  expect(decoder.pending).toBe(false);
  return out;
}

function bytesOf(wire: string | Buffer): Buffer {
  return typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire;
}

function byteByByte(buf: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) chunks.push(buf.subarray(i, i + 1));
  return chunks;
}

// Small deterministic PRNG so random splits are reproducible.
function randomSplits(buf: Buffer, seed: number): Buffer[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const chunks: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const n = 1 + Math.floor(rnd() * 9);
    chunks.push(buf.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}

describe('RespDecoder fixtures', () => {
  for (const f of fixtures) {
    const buf = bytesOf(f.wire);
    it(`${f.name}: whole`, () => {
      expect(decodeChunks([buf], f.buffers)).toEqual(f.expected);
    });
    it(`${f.name}: byte by byte`, () => {
      expect(decodeChunks(byteByByte(buf), f.buffers)).toEqual(f.expected);
    });
    it(`${f.name}: random pieces`, () => {
      for (let seed = 1; seed <= 5; seed++) expect(decodeChunks(randomSplits(buf, seed), f.buffers)).toEqual(f.expected);
    });
    if (buf.length < 200) {
      it(`${f.name}: split at every offset`, () => {
        for (let i = 1; i < buf.length; i++) {
          expect(decodeChunks([buf.subarray(0, i), buf.subarray(i)], f.buffers)).toEqual(f.expected);
        }
      });
    }
  }

  it('all fixtures back to back in one stream', () => {
    const plain = fixtures.filter((f) => !f.buffers);
    const buf = Buffer.concat(plain.map((f) => bytesOf(f.wire)));
    const expected = plain.flatMap((f) => f.expected);
    expect(decodeChunks([buf])).toEqual(expected);
    expect(decodeChunks(byteByByte(buf))).toEqual(expected);
  });
});

describe('RespDecoder modes and state', () => {
  it('switching returnBuffers inside onReply applies to the next reply', () => {
    const out: unknown[] = [];
    const decoder = new RespDecoder({
      onReply: (v) => {
        out.push(v);
        decoder.returnBuffers = !decoder.returnBuffers;
      },
    });
    decoder.feed(Buffer.from('$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n'));
    expect(out).toEqual(['a', Buffer.from('b'), 'c']);
  });

  it('Buffers returned are copies, not views of the fed chunk', () => {
    const out: Buffer[] = [];
    const decoder = new RespDecoder({ onReply: (v) => out.push(v as Buffer) });
    decoder.returnBuffers = true;
    const chunk = Buffer.from('$3\r\nabc\r\n');
    decoder.feed(chunk);
    chunk.fill(0);
    expect(out[0]?.toString()).toBe('abc');
  });

  it('uses the error factory for top-level and nested errors', () => {
    class MyError extends Error {}
    const out: unknown[] = [];
    const decoder = new RespDecoder<MyError>({ onReply: (v) => out.push(v), makeError: (m) => new MyError(m) });
    decoder.feed(Buffer.from('-ERR x\r\n*1\r\n!3\r\nbad\r\n'));
    expect(out[0]).toBeInstanceOf(MyError);
    expect((out[0] as MyError).message).toBe('ERR x');
    expect((out[1] as MyError[])[0]).toBeInstanceOf(MyError);
    expect((out[1] as MyError[])[0]?.message).toBe('bad');
  });

  it('pushes go to onReply when no onPush is given', () => {
    const out: unknown[] = [];
    const decoder = new RespDecoder({ onReply: (v) => out.push(v) });
    decoder.feed(Buffer.from('>2\r\n+a\r\n+b\r\n'));
    expect(out).toEqual([['a', 'b']]);
  });

  it('reports a reply in progress through pending', () => {
    const decoder = new RespDecoder({ onReply: () => {} });
    decoder.feed(Buffer.from('*2\r\n:1\r\n'));
    expect(decoder.pending).toBe(true);
    decoder.feed(Buffer.from(':2\r\n'));
    expect(decoder.pending).toBe(false);
  });

  it('joins only the pieces of the incomplete frame, never earlier input', () => {
    const body = Buffer.alloc(1_000_000, 'y');
    const wire = Buffer.concat([Buffer.from('+first\r\n$1000000\r\n'), body, Buffer.from('\r\n:5\r\n')]);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const out: unknown[] = [];
      const decoder = new RespDecoder({ onReply: (v) => out.push(v) });
      for (let pos = 0; pos < wire.length; pos += 1000) decoder.feed(wire.subarray(pos, pos + 1000));
      expect(out).toHaveLength(3);
      expect((out[1] as string).length).toBe(1_000_000);
      const joined = concat.mock.calls.reduce((n, call) => n + (call[1] ?? 0), 0);
      // One join for the bulk body (+CRLF) and small ones for split header lines.
      expect(joined).toBeLessThan(1_000_002 + 100);
      expect(concat.mock.calls.every((call) => typeof call[1] === 'number')).toBe(true);
    } finally {
      concat.mockRestore();
    }
  });
});

describe('RespDecoder malformed input', () => {
  for (const m of malformed) {
    it(`${m.name}: throws ProtocolError whole`, () => {
      expect(() => decodeChunks([Buffer.from(m.wire, 'latin1')])).toThrow(ProtocolError);
    });
    it(`${m.name}: throws ProtocolError byte by byte`, () => {
      expect(() => decodeChunks(byteByByte(Buffer.from(m.wire, 'latin1')))).toThrow(ProtocolError);
    });
  }

  it('refuses input after a protocol error', () => {
    const decoder = new RespDecoder({ onReply: () => {} });
    expect(() => decoder.feed(Buffer.from('?\r\n'))).toThrow(ProtocolError);
    expect(() => decoder.feed(Buffer.from('+OK\r\n'))).toThrow(ProtocolError);
    decoder.reset();
    const out: unknown[] = [];
    const fresh = new RespDecoder({ onReply: (v) => out.push(v) });
    fresh.feed(Buffer.from('+OK\r\n'));
    expect(out).toEqual(['OK']);
  });

  it('rejects bulk strings beyond the configured limit', () => {
    const decoder = new RespDecoder({ onReply: () => {}, maxBulkLength: 10 });
    expect(() => decoder.feed(Buffer.from('$11\r\n'))).toThrow(/bulk length exceeds/);
  });

  it('rejects an endless line', () => {
    const decoder = new RespDecoder({ onReply: () => {}, maxLineLength: 100 });
    decoder.feed(Buffer.from('+' + 'a'.repeat(50)));
    expect(() => decoder.feed(Buffer.from('a'.repeat(60)))).toThrow(/too long/);
  });
});
