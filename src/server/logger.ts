// simpledb's log: Redis-like lines to stderr or a file, with levels the CLI's
// -d (debug) and -e (errors only) choose. A broken stderr (EPIPE) stops
// console logging, once and quietly: it must not take the server down or spin.
import { appendFileSync } from 'node:fs';
import { writeConsole } from '../shared/console-stream.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

export class Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly file?: string,
  ) {}

  debug(msg: string): void {
    this.write('debug', '.', msg);
  }
  info(msg: string): void {
    this.write('info', '*', msg);
  }
  warn(msg: string): void {
    this.write('warn', '#', msg);
  }
  error(msg: string): void {
    this.write('error', '#', msg);
  }

  private write(level: LogLevel, mark: string, msg: string): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const line = `${process.pid}:M ${new Date().toISOString()} ${mark} ${msg}\n`;
    if (this.file) appendFileSync(this.file, line);
    else writeConsole(process.stderr, line);
  }
}
