// Encoder output bytes, binary safety, argument validation, and a round trip through the decoder.
import { describe, expect, it } from 'vitest';
import { RespDecoder } from '../../src/resp/decoder.js';
import { encodeCommand, encodeNamedCommand, type EncodedCommand } from '../../src/resp/encoder.js';

function bytes(e: EncodedCommand): Buffer {
  if (typeof e === 'string') return Buffer.from(e, 'utf8');
  return Buffer.concat(e.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

describe('encodeCommand', () => {
  it('encodes strings and numbers as one string', () => {
    const e = encodeCommand(['SET', 'k', 12]);
    expect(typeof e).toBe('string');
    expect(e).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n');
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(encodeCommand(['ECHO', 'é€😀'])).toBe('*2\r\n$4\r\nECHO\r\n$9\r\né€😀\r\n');
  });

  it('encodes empty strings, floats, infinities and bigints', () => {
    expect(encodeCommand(['X', '', 1.5, -Infinity, Infinity, 12345678901234567890n])).toBe(
      '*6\r\n$1\r\nX\r\n$0\r\n\r\n$3\r\n1.5\r\n$4\r\n-inf\r\n$3\r\ninf\r\n$20\r\n12345678901234567890\r\n',
    );
  });

  it('keeps Buffers as raw bytes', () => {
    const bin = Buffer.from([0, 13, 10, 255, 128]);
    const e = encodeCommand(['SET', bin, 'v', new Uint8Array([1, 2])]);
    expect(Array.isArray(e)).toBe(true);
    expect(bytes(e)).toEqual(
      Buffer.concat([
        Buffer.from('*4\r\n$3\r\nSET\r\n$5\r\n'),
        bin,
        Buffer.from('\r\n$1\r\nv\r\n$2\r\n'),
        Buffer.from([1, 2]),
        Buffer.from('\r\n'),
      ]),
    );
  });

  it('encodeNamedCommand equals encodeCommand with the name first', () => {
    expect(encodeNamedCommand('HSET', ['h', 'f', 1])).toBe(encodeCommand(['HSET', 'h', 'f', 1]));
    expect(bytes(encodeNamedCommand('SET', [Buffer.from('k'), 'v']))).toEqual(bytes(encodeCommand(['SET', Buffer.from('k'), 'v'])));
  });

  it.each([
    ['undefined', undefined, /Argument 2 of SET is undefined/],
    ['null', null, /Argument 2 of SET is null/],
    ['object', { a: 1 }, /is an object/],
    ['array', ['a'], /is an array/],
    ['boolean', true, /is a boolean/],
    ['symbol', Symbol('s'), /is a symbol/],
    ['NaN', NaN, /is NaN/],
  ])('throws TypeError for %s', (_label, bad, message) => {
    expect(() => encodeNamedCommand('set', ['k', bad])).toThrow(TypeError);
    expect(() => encodeNamedCommand('set', ['k', bad])).toThrow(message);
  });

  it('throws for an empty command or a bad name', () => {
    expect(() => encodeCommand([])).toThrow(TypeError);
    expect(() => encodeNamedCommand(undefined as unknown as string, [])).toThrow(/Command name is undefined/);
  });

  it('round-trips through the decoder as an array of bulk strings', () => {
    const args = ['LPUSH', 'q', 'a\r\nb', 'é', '', 42];
    const out: unknown[] = [];
    const d = new RespDecoder({ onReply: (v) => out.push(v) });
    d.feed(bytes(encodeCommand(args)));
    expect(out).toEqual([args.map(String)]);
  });
});
