/**
 * Whether this thread or process is a worker of a thread/process consumer.
 * Such a worker imports the module holding the huey; if that module also
 * starts a thread/process consumer when imported, every worker would start
 * more workers. The mark lets createConsumer() refuse that with a clear
 * error. A global symbol, so two copies of this package see the same mark.
 */
const MARK = Symbol.for('huey-ts.pool-worker');

/** Marks this thread (or process) as a pool worker. */
export function markWorker(): void {
  (globalThis as Record<symbol, unknown>)[MARK] = true;
}

/** Whether this thread (or process) is a pool worker. */
export function isPoolWorker(): boolean {
  return (globalThis as Record<symbol, unknown>)[MARK] === true;
}
