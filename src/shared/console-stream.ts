/**
 * Writing log lines to stdout/stderr without ever being taken down by them.
 *
 * When the reader of a pipe goes away (`consumer | head -2`, a closed tmux or
 * ssh session), every write fails with EPIPE. Unhandled, the first failure
 * is an uncaught exception; a process that logs its uncaught exceptions then
 * writes again, fails again, and spins. Here the first error marks the
 * stream broken (once, with its reason) and later lines are dropped, so
 * the process keeps working and its signals keep being handled.
 *
 * A leaf module: both simpledb's logger and huey's consumer log use it.
 */

/** A guarded console stream. */
interface Guard {
  broken: Error | null;
  readonly onBroken: Set<(err: Error) => void>;
}

const guards = new WeakMap<NodeJS.WritableStream, Guard>();

function markBroken(guard: Guard, err: unknown): void {
  if (guard.broken) return;
  guard.broken = err instanceof Error ? err : new Error(String(err));
  for (const listener of guard.onBroken) listener(guard.broken);
}

function guardOf(stream: NodeJS.WritableStream): Guard {
  let guard = guards.get(stream);
  if (guard) return guard;
  const created: Guard = { broken: null, onBroken: new Set() };
  stream.on('error', (err: Error) => markBroken(created, err));
  guards.set(stream, created);
  return created;
}

/**
 * Starts watching `stream` for write errors (idempotent). `onBroken` is told
 * once, on the first one; after it, `writeConsole` drops lines for this stream.
 * @example guardConsole(process.stdout); guardConsole(process.stderr, (err) => log.warn(err.message));
 */
export function guardConsole(stream: NodeJS.WritableStream, onBroken?: (err: Error) => void): void {
  const guard = guardOf(stream);
  if (onBroken) guard.onBroken.add(onBroken);
}

/** Whether a write to `stream` has failed (EPIPE and the like). */
export function consoleBroken(stream: NodeJS.WritableStream): boolean {
  return guards.get(stream)?.broken != null;
}

/**
 * Writes `text` unless the stream is known to be broken; returns whether it tried.
 * @example writeConsole(process.stderr, 'ready\n');
 */
export function writeConsole(stream: NodeJS.WritableStream, text: string): boolean {
  const guard = guardOf(stream);
  if (guard.broken) return false;
  try {
    stream.write(text);
    return true;
  } catch (err) {
    // A synchronous failure (stream already destroyed) counts the same as the error event.
    markBroken(guard, err);
    return false;
  }
}
