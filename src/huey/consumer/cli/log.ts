/**
 * The consumer's log: one line per message,
 * `[2024-05-01 12:00:00,123] INFO:huey.consumer:Worker-1: executing add: 1f2e...`,
 * written to stderr and, with -l, also appended to a file (as Huey's
 * consumer does). Every thread and process of one consumer opens its own
 * logger on the same destination; files are opened in append mode and
 * written with one write() per line, so lines from different workers do not
 * interleave. A broken stderr (EPIPE: the reading end of a pipe or a
 * terminal went away) is noted once in the file and then left alone: it
 * must never stop the consumer.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { inspect } from 'node:util';
import { guardConsole, writeConsole } from '../../../shared/console-stream.js';
import type { Logger, LogLevel } from '../../logger.js';

/** Where and what to log. */
export interface CliLogOptions {
  level: Exclude<LogLevel, 'silent'>;
  /** Also append to this file. */
  logfile: string | null;
  /** Who is logging: 'Master', 'Worker-2', 'MainThread'. */
  name: string;
}

/** A Logger that can also release its file. */
export interface CliLogger extends Logger {
  close(): void;
}

const ORDER = { debug: 10, info: 20, warn: 30, error: 40 } as const;
const LABEL = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' } as const;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time as `YYYY-MM-DD HH:MM:SS,mmm`, the way Python's logging prints it. */
export function logTimestamp(d: Date = new Date()): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

/**
 * Opens the log. Throws (before anything starts) when the file cannot be opened.
 * @example const log = createCliLogger({ level: 'info', logfile: null, name: 'Master' });
 */
export function createCliLogger(options: CliLogOptions): CliLogger {
  const fd = options.logfile === null ? null : openSync(options.logfile, 'a');
  const min = ORDER[options.level];
  let closed = false;
  const line = (level: keyof typeof ORDER, text: string) => `[${logTimestamp()}] ${LABEL[level]}:huey.consumer:${options.name}: ${text}\n`;
  const toFile = (text: string) => {
    if (fd !== null && !closed) writeSync(fd, text);
  };
  // Tasks print to stdout too (console.log); a broken stdout must not surface as an uncaught exception either.
  guardConsole(process.stdout);
  guardConsole(process.stderr, (err) => {
    toFile(line('warn', `stderr is broken (${(err as NodeJS.ErrnoException).code ?? err.message}); logging to the console stopped`));
  });
  const write = (level: keyof typeof ORDER) => (message: string, ...extra: unknown[]) => {
    if (ORDER[level] < min) return;
    const text = line(level, [message, ...extra.map((e) => (typeof e === 'string' ? e : inspect(e)))].join(' '));
    // The file first: whoever reads the console may look in the file as soon as a line shows there.
    toFile(text);
    writeConsole(process.stderr, text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    close() {
      if (closed || fd === null) return;
      closed = true;
      closeSync(fd);
    },
  };
}
