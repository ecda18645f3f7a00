/**
 * What the consumer's master and its worker threads/processes tell each
 * other. A worker gets its WorkerInit at spawn time (workerData for a
 * thread, argv for a process), reports `ready` once it has imported the
 * user's module and connected, and is asked to `stop` (finish the running
 * task, then exit 0). Anything else, a crash included, shows as its exit.
 * A worker also reports the start and end of each task with a timeout, a
 * module it could not load (`failed`), and, for the API's consumer, its log
 * lines.
 */
import type { LogLevel } from '../../logger.js';

/** Everything a worker needs to set itself up. */
export interface WorkerInit {
  /** 1-based slot number, kept across restarts (Worker-1, Worker-2, ...). */
  index: number;
  /** The module path as typed, and the directory it is relative to. */
  modulePath: string;
  exportName: string;
  /** Task modules to import before the huey's module (found by discovery); absolute paths. */
  preload: string[];
  cwd: string;
  logLevel: Exclude<LogLevel, 'silent'>;
  logfile: string | null;
  verbose: boolean;
  /**
   * Reliable mode: the in-flight list this worker moves its tasks into,
   * registered (and kept alive by heartbeats) by the master; null otherwise.
   */
  inFlight: string | null;
  /** Reliable mode: the master's consumer id, whose heartbeat vouches for that list; null otherwise. */
  consumerId: string | null;
  /**
   * Send log lines to the master (`log` messages) instead of writing them
   * (the API's consumer: its logger gets every worker's lines).
   */
  forwardLogs: boolean;
  /** The name of the master's huey: a worker that loads a huey of another name refuses to run. */
  hueyName: string | null;
  /** Polling settings (non-blocking storages only). */
  initialDelay: number;
  backoff: number;
  maxDelay: number;
}

/** Master to worker. */
export type ToWorker = { type: 'stop' };

/**
 * Worker to master: `ready`; and around each task that has a timeout,
 * `task` (its message, and the timeout in ms) when it starts and `idle` when
 * it is done, so the master can replace a worker whose task overruns.
 */
export type FromWorker =
  | { type: 'ready'; pid: number; threadId: number; tasks: string[] }
  | { type: 'task'; message: string; timeoutMs: number }
  | { type: 'idle' }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; text: string }
  /** The worker cannot run (its module did not load); it exits next. */
  | { type: 'failed'; message: string };

const FROM_WORKER = new Set(['ready', 'task', 'idle', 'log', 'failed']);

/** Whether `m` is a message a worker sends. */
export function isFromWorker(m: unknown): m is FromWorker {
  const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return typeof type === 'string' && FROM_WORKER.has(type);
}

/** Whether `m` is a message the master sends. */
export function isToWorker(m: unknown): m is ToWorker {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'stop';
}
