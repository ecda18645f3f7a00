/**
 * A minimal logger interface so that the consumer, the CLI and tests can
 * decide where huey's messages go. The default writes warnings and errors to
 * stderr and drops the rest.
 */

/** Log levels, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What huey logs to. Any console-like object fits. */
export interface Logger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * A logger writing `[huey] LEVEL message` lines at or above `level` to the given console.
 * @example const logger = createConsoleLogger('info');
 */
export function createConsoleLogger(level: LogLevel = 'warn', sink: Pick<Console, 'error'> = console): Logger {
  const min = ORDER[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, ...extra: unknown[]) => {
    if (ORDER[lvl] < min) return;
    sink.error(`[huey] ${lvl.toUpperCase()} ${message}`, ...extra);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createConsoleLogger('silent');
