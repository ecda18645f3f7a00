/**
 * What the CLI drives, whatever the worker kind: the async runner (the
 * in-process Consumer) and the pool master (worker threads or child
 * processes) both start, stop gracefully, restart their workers on SIGHUP,
 * and can be abandoned at once on SIGTERM.
 */
export interface Runner {
  /** Brings up the workers and the scheduler. */
  start(): Promise<void>;
  /** Graceful stop: no new tasks; running tasks finish and store their results; then connections close. */
  stop(): Promise<void>;
  /** Graceful restart of the workers (running tasks finish first); the scheduler keeps going. */
  restart(): Promise<void>;
  /** Stops at once, interrupting running tasks (the process exits right after). */
  kill(): void;
}
