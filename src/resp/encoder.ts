// Encodes a command as a RESP multibulk (an array of bulk strings), the form
// Redis expects from clients.
//
// Why a string: the common case (only strings and numbers) becomes one JS
// string, which a client can append to its write batch and hand to
// socket.write without intermediate Buffers. Binary arguments switch the result
// to a list of pieces so that Buffers are written as they are (binary-safe).
// The client's hot path uses CommandWriter (same bytes, written into buffers).
import { invalidArgument, numberArgument } from './argument-error.js';

/** What a command argument may be. Numbers must not be NaN; ±Infinity become `inf`/`-inf`. */
export type CommandArgument = string | number | bigint | Uint8Array;

/** An encoded command: one string, or pieces (strings and raw bytes) to write in order. */
export type EncodedCommand = string | (string | Uint8Array)[];

/**
 * Encodes `args` (command name first) as a RESP multibulk.
 * Throws a TypeError, before producing anything, for an argument that is not a
 * string, number, bigint or Uint8Array/Buffer, or for an empty command.
 *
 * @example
 * encodeCommand(['SET', 'k', 1]); // '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n'
 */
export function encodeCommand(args: readonly CommandArgument[]): EncodedCommand {
  if (args.length === 0) throw new TypeError('Cannot encode an empty command');
  return encode(args[0], args, 1);
}

/**
 * Like {@link encodeCommand} with the name passed apart from its arguments,
 * which spares callers building a new array per command.
 */
export function encodeNamedCommand(name: string, args: readonly unknown[]): EncodedCommand {
  return encode(name, args, 0);
}

function encode(first: unknown, rest: readonly unknown[], from: number): EncodedCommand {
  let out = '*' + (rest.length - from + 1) + '\r\n';
  let pieces: (string | Uint8Array)[] | null = null;
  let arg = first;
  let i = from - 1;
  for (;;) {
    if (typeof arg === 'string') {
      out += '$' + Buffer.byteLength(arg, 'utf8') + '\r\n' + arg + '\r\n';
    } else if (typeof arg === 'number') {
      const text = numberArgument(arg, first, i - from + 1);
      out += '$' + text.length + '\r\n' + text + '\r\n';
    } else if (arg instanceof Uint8Array) {
      pieces ??= [];
      pieces.push(out + '$' + arg.length + '\r\n', arg);
      out = '\r\n';
    } else if (typeof arg === 'bigint') {
      const text = arg.toString();
      out += '$' + text.length + '\r\n' + text + '\r\n';
    } else {
      throw invalidArgument(first, i - from + 1, arg);
    }
    if (++i >= rest.length) break;
    arg = rest[i];
  }
  if (pieces === null) return out;
  pieces.push(out);
  return pieces;
}
