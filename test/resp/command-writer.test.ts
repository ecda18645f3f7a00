// CommandWriter: the same bytes as encodeCommand, batching across arenas, and
// validation that leaves the batch untouched.
import { describe, expect, it } from 'vitest';
import { CommandWriter, checkedSize } from '../../src/resp/command-writer.js';
import { encodeCommand, type CommandArgument, type EncodedCommand } from '../../src/resp/encoder.js';

function bytes(e: EncodedCommand): Buffer {
  if (typeof e === 'string') return Buffer.from(e, 'utf8');
  return Buffer.concat(e.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

function taken(writer: CommandWriter): Buffer {
  const out = writer.take();
  if (out === null) return Buffer.alloc(0);
  return Array.isArray(out) ? Buffer.concat(out) : out;
}

const samples: CommandArgument[][] = [
  ['PING'],
  ['SET', 'k', 'v'],
  ['SET', '', ''],
  ['ECHO', 'é€😀'],
  ['ECHO', 'x'.repeat(63) + 'é'],
  ['ECHO', 'a'.repeat(64)],
  ['ECHO', 'ü'.repeat(500)],
  ['ZADD', 'z', 1.5, 'a', -0, 'b', 1e21, 'c', -Infinity, 'd', Infinity, 'e', 12345678901234567890n, 'f'],
  ['SET', Buffer.from([0, 13, 10, 255]), new Uint8Array([1, 2, 3])],
  ['HSET', 'h', ...Array.from({ length: 30 }, (_, i) => `f${i}`)],
  ['SET', 'big', 'y'.repeat(100_000)],
];

describe('CommandWriter', () => {
  it.each(samples.map((s) => [s[0], s] as const))('writes the same bytes as encodeCommand: %s', (_name, args) => {
    const writer = new CommandWriter();
    writer.write(args[0] as string, args.slice(1));
    expect(taken(writer)).toEqual(bytes(encodeCommand(args)));
  });

  it('batches many commands across arenas in order', () => {
    const writer = new CommandWriter();
    const expected: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) {
      const args: CommandArgument[] = ['LPUSH', `list:${i % 7}`, i % 5 === 0 ? Buffer.from([i & 255]) : `v${i}`];
      writer.write(args[0] as string, args.slice(1));
      expected.push(bytes(encodeCommand(args)));
    }
    const out = writer.take();
    expect(Array.isArray(out)).toBe(true);
    // Compared as latin1 strings (byte for byte): toEqual walks a 750 kB Buffer element by element, tens of seconds on a busy machine.
    expect(taken({ take: () => out } as CommandWriter).toString('latin1')).toBe(Buffer.concat(expected).toString('latin1'));
    expect(writer.take()).toBeNull();
    expect(writer.pending).toBe(false);
  });

  it('take() hands out only what was written since the previous take', () => {
    const writer = new CommandWriter();
    writer.write('GET', ['a']);
    const first = taken(writer);
    writer.write('GET', ['b']);
    const second = taken(writer);
    expect(first.toString()).toBe('*2\r\n$3\r\nGET\r\n$1\r\na\r\n');
    expect(second.toString()).toBe('*2\r\n$3\r\nGET\r\n$1\r\nb\r\n');
    // Bytes already handed out are not overwritten by later commands.
    writer.write('GET', ['c']);
    expect(first.toString()).toBe('*2\r\n$3\r\nGET\r\n$1\r\na\r\n');
  });

  it('a bad argument throws TypeError and leaves the batch as it was', () => {
    const writer = new CommandWriter();
    writer.write('SET', ['k', 'v']);
    for (const bad of [undefined, null, {}, false, NaN, Symbol('x')]) {
      expect(() => writer.write('SET', ['k2', bad])).toThrow(TypeError);
    }
    expect(() => writer.write(42 as unknown as string, [])).toThrow(/Command name/);
    expect(taken(writer).toString()).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
  });

  it('discard() drops the current batch only', () => {
    const writer = new CommandWriter();
    writer.write('PING', []);
    const kept = taken(writer);
    writer.write('GET', ['x']);
    writer.discard();
    expect(writer.pending).toBe(false);
    writer.write('GET', ['y']);
    expect(taken(writer).toString()).toBe('*2\r\n$3\r\nGET\r\n$1\r\ny\r\n');
    expect(kept.toString()).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('checkedSize bounds the encoded size', () => {
    for (const args of samples) {
      expect(checkedSize(args[0], args.slice(1))).toBeGreaterThanOrEqual(bytes(encodeCommand(args)).length);
    }
    expect(() => checkedSize('SET', ['k', undefined])).toThrow(/Argument 2 of SET is undefined/);
  });
});
