// Reads the append-only file at startup and replays it (replay.ts).
//
// What a crash can leave is a *prefix* of a well-formed command at the end
// of the file: that torn tail is cut off (the file is truncated to the last
// complete command) with a warning, as Redis does with aof-load-truncated.
// A transaction whose EXEC never reached the file is cut off the same way,
// so none of its writes are applied. Anything else that does not parse (a
// wrong byte, a bad length, an unknown command) is corruption: loading
// stops with an error naming the file and the byte offset, and the server
// refuses to start rather than run on a guess.

import * as fs from 'node:fs';
import type { Database } from '../database.js';
import type { Logger } from '../logger.js';
import { Replayer, ReplayError, type LookupCommand } from './replay.js';

export class AofCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    what: string,
  ) {
    super(`Bad file format reading the append only file ${path} at offset ${offset}: ${what}. Make a backup of the file, then truncate or repair it by hand.`);
    this.name = 'AofCorruptError';
  }
}

export interface AofLoadResult {
  commands: number;
  keys: number;
  /** Set when a torn tail was cut off: the file's new length. */
  truncatedTo?: number;
}

/** The file ended inside a command: [offset of that command]. */
class Torn {
  constructor(readonly at: number) {}
}

const CR = 13;
const LF = 10;

/**
 * Parses one command starting at `pos`. Returns the arguments and the offset
 * after them, a Torn when the file ends inside it, or throws for bad bytes.
 */
function parseCommand(buf: Buffer, pos: number, corrupt: (at: number, what: string) => Error): { argv: string[]; end: number } | Torn {
  const start = pos;
  const len = buf.length;
  const readNumber = (prefix: number, what: string): number | Torn => {
    if (pos >= len) return new Torn(start);
    if (buf[pos] !== prefix) throw corrupt(pos, `expected '${String.fromCharCode(prefix)}' (${what}), found byte 0x${buf[pos].toString(16).padStart(2, '0')}`);
    let i = pos + 1;
    let n = 0;
    while (i < len && buf[i] >= 48 && buf[i] <= 57) {
      n = n * 10 + (buf[i] - 48);
      i++;
    }
    if (i === len || (i === len - 1 && buf[i] === CR)) return new Torn(start);
    if (i === pos + 1 || buf[i] !== CR || buf[i + 1] !== LF || n > 0x7fffffff) throw corrupt(pos, `bad ${what}`);
    pos = i + 2;
    return n;
  };
  const argc = readNumber(42 /* * */, 'argument count');
  if (argc instanceof Torn) return argc;
  if (argc < 1) throw corrupt(start, 'empty command');
  const argv: string[] = new Array<string>(argc);
  for (let k = 0; k < argc; k++) {
    const n = readNumber(36 /* $ */, 'bulk length');
    if (n instanceof Torn) return n;
    if (pos + n + 2 > len) {
      // The argument runs past the end: torn, if what is there is a valid prefix.
      if (pos + n < len && buf[pos + n] !== CR) throw corrupt(pos + n, 'bulk string not followed by CRLF');
      return new Torn(start);
    }
    if (buf[pos + n] !== CR || buf[pos + n + 1] !== LF) throw corrupt(pos + n, 'bulk string not followed by CRLF');
    argv[k] = buf.toString('latin1', pos, pos + n);
    pos += n + 2;
  }
  return { argv, end: pos };
}

/** Loads `path` into `databases` (which must be empty). */
export function loadAof(
  path: string,
  databases: readonly Database[],
  lookup: LookupCommand,
  options: { truncatedOk: boolean; log: Logger },
): AofLoadResult {
  const buf = fs.readFileSync(path);
  const corrupt = (at: number, what: string) => new AofCorruptError(path, at, what);
  const replayer = new Replayer(databases.length, lookup, databases[0]?.limits);
  let pos = 0;
  let commands = 0;
  /** Offset of the MULTI of the transaction being read, if any. */
  let multiAt = -1;
  let cutAt = -1;
  let why = '';
  while (pos < buf.length) {
    // Redis writes "#..." annotation lines (aof-timestamp-enabled); skip them.
    if (buf[pos] === 35 /* # */) {
      const nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        cutAt = pos;
        why = 'short read';
        break;
      }
      pos = nl + 1;
      continue;
    }
    const parsed = parseCommand(buf, pos, corrupt);
    if (parsed instanceof Torn) {
      cutAt = parsed.at;
      why = 'short read';
      break;
    }
    if (parsed.argv[0].toLowerCase() === 'multi') multiAt = pos;
    try {
      replayer.run(parsed.argv);
    } catch (e) {
      if (e instanceof ReplayError) throw corrupt(pos, e.message);
      throw e;
    }
    if (!replayer.inTransaction) multiAt = -1;
    commands++;
    pos = parsed.end;
  }
  if (replayer.inTransaction) {
    // EXEC never reached the file: none of the transaction's writes count.
    cutAt = multiAt;
    why = why ? `${why} inside a MULTI/EXEC transaction` : 'MULTI without EXEC';
    replayer.discardTransaction();
  }
  let truncatedTo: number | undefined;
  if (cutAt >= 0) {
    if (!options.truncatedOk) {
      throw corrupt(cutAt, `${why}: the last command is incomplete (set aof-load-truncated yes to cut it off and start)`);
    }
    options.log.warn(`!!! Warning: ${why} while loading the AOF file ${path}!!!`);
    options.log.warn(`!!! Truncating the AOF ${path} at offset ${cutAt} (dropping ${buf.length - cutAt} bytes) !!!`);
    fs.truncateSync(path, cutAt);
    options.log.warn(`AOF ${path} loaded anyway because aof-load-truncated is enabled`);
    truncatedTo = cutAt;
  }
  if (replayer.commandErrors !== 0) {
    options.log.warn(`${replayer.commandErrors} commands from the AOF file ${path} returned errors while loading (ignored, as Redis does)`);
  }
  const keys = replayer.moveInto(databases);
  return { commands, keys, truncatedTo };
}
