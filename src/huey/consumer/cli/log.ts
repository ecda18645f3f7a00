/**
 * The consumer's log: one line per message,
 * `[2024-05-01 12:00:00,123] INFO:huey.consumer:Worker-1: executing add: 1f2e...`,
 * written to stderr or, with -l, appended to a file. Every thread and process
 * of one consumer opens its own logger on the same destination; files are
 * opened in append mode and written with one write() per line, so lines
 * from different workers do not interleave.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { inspect } from 'node:util';
import type { Logger, LogLevel } from '../../logger.js';

/** Where and what to log. */
export interface CliLogOptions {
  level: Exclude<LogLevel, 'silent'>;
  /** Append to this file instead of writing to stderr. */
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
  const out = (line: string) => {
    // After close() (shutdown), late lines still go somewhere visible.
    if (fd === null || closed) process.stderr.write(line);
    else writeSync(fd, line);
  };
  const write = (level: keyof typeof ORDER) => (message: string, ...extra: unknown[]) => {
    if (ORDER[level] < min) return;
    const text = [message, ...extra.map((e) => (typeof e === 'string' ? e : inspect(e)))].join(' ');
    out(`[${logTimestamp()}] ${LABEL[level]}:huey.consumer:${options.name}: ${text}\n`);
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
