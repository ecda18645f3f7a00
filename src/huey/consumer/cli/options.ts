/**
 * huey-consumer options: the value parsers commander calls for each option
 * (each throws InvalidArgumentError with the reason, so a bad value stops
 * the CLI before anything starts) and `settingsFrom()`, which turns the
 * parsed flags into the settings the runners use (greenlet becomes async,
 * -o becomes utc=false, -v/-q become a log level).
 */
import { InvalidArgumentError } from 'commander';
import type { LogLevel } from '../../logger.js';

/** Worker kinds accepted by -k; 'greenlet' is an alias of 'async'. */
export const WORKER_TYPES = ['async', 'greenlet', 'thread', 'process'] as const;
export type WorkerType = (typeof WORKER_TYPES)[number];
/** What actually runs: greenlet is async. */
export type WorkerKind = 'async' | 'thread' | 'process';

/** simpledb's usual port, the default of --simpledb. */
export const DEFAULT_SIMPLEDB_PORT = 31337;

/** The flags as commander hands them over. */
export interface ConsumerFlags {
  logfile?: string;
  verbose?: boolean;
  quiet?: boolean;
  workers: number;
  workerType: WorkerType;
  /** false with -n/--no-periodic. */
  periodic: boolean;
  delay: number;
  maxDelay: number;
  backoff: number;
  healthCheckInterval: number;
  disableHealthCheck?: boolean;
  flushLocks?: boolean;
  schedulerInterval: number;
  utc?: boolean;
  localtime?: boolean;
  simpledb?: number;
}

/** What the runners need, decided once. */
export interface ConsumerSettings {
  workers: number;
  kind: WorkerKind;
  /** As typed (greenlet shows as greenlet in the banner). */
  workerType: WorkerType;
  periodic: boolean;
  initialDelay: number;
  maxDelay: number;
  backoff: number;
  healthCheck: boolean;
  healthCheckInterval: number;
  /** -f: remove stale locks before starting. */
  flushLocks: boolean;
  schedulerInterval: number;
  utc: boolean;
  logLevel: Exclude<LogLevel, 'silent'>;
  logfile: string | null;
  verbose: boolean;
  simpledbPort: number | null;
}

function number(text: string): number {
  // Number('') is 0 and Number(' 1') is 1; neither is what a person meant.
  return /^\s*$/.test(text) || /\s/.test(text) ? NaN : Number(text);
}

/** A whole number of at least 1 (for -w). */
export function parseWorkers(text: string): number {
  const n = number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('workers must be a whole number of at least 1.');
  return n;
}

/** A positive number of seconds (for -d, -m, -c). */
export function parseSeconds(what: string): (text: string) => number {
  return (text) => {
    const n = number(text);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number of seconds.`);
    return n;
  };
}

/** The polling backoff factor: greater than 1, or the delay would never grow. */
export function parseBackoff(text: string): number {
  const n = number(text);
  if (!Number.isFinite(n) || n <= 1) throw new InvalidArgumentError('backoff must be a number greater than 1.');
  return n;
}

/** The scheduler interval: whole seconds from 1 to 60, as the seed allows. */
export function parseSchedulerInterval(text: string): number {
  const n = number(text);
  if (!Number.isInteger(n) || n < 1 || n > 60) {
    throw new InvalidArgumentError('scheduler interval must be a whole number of seconds from 1 to 60.');
  }
  return n;
}

/** A TCP port for --simpledb (0 is refused: the task module could not know where to connect). */
export function portParser(flag: string): (text: string) => number {
  // The flag's port is optional, so commander takes a module path written after it as the port.
  return (text) => {
    const n = number(text);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new InvalidArgumentError(`port must be a whole number from 1 to 65535 (to use the default port, put ${flag} after the module path).`);
    }
    return n;
  };
}

/** Turns the parsed flags into settings. */
export function settingsFrom(flags: ConsumerFlags): ConsumerSettings {
  const kind: WorkerKind = flags.workerType === 'greenlet' ? 'async' : flags.workerType;
  return {
    workers: flags.workers,
    kind,
    workerType: flags.workerType,
    periodic: flags.periodic,
    initialDelay: flags.delay,
    maxDelay: flags.maxDelay,
    backoff: flags.backoff,
    healthCheck: !flags.disableHealthCheck,
    healthCheckInterval: flags.healthCheckInterval,
    flushLocks: flags.flushLocks === true,
    schedulerInterval: flags.schedulerInterval,
    utc: !flags.localtime,
    logLevel: flags.verbose ? 'debug' : flags.quiet ? 'error' : 'info',
    logfile: flags.logfile ?? null,
    verbose: flags.verbose === true,
    simpledbPort: flags.simpledb ?? null,
  };
}
