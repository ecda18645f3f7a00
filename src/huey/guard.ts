/**
 * guardStorage(): turns a storage failure into the Python-Huey exception that
 * names the operation (QueueWriteException for enqueue, DataStoreGetException
 * for a read, ...), keeping the original as `cause`. Shared by the user's API
 * and the consumer so both report storage trouble the same way.
 */
import { QueueException, describeError } from './exceptions.js';

/** Awaits `op`; a non-queue error becomes `new Exc("<what>: <reason>")`. */
export async function guardStorage<T>(
  Exc: new (message: string, options?: { cause?: unknown }) => QueueException,
  what: string,
  op: Promise<T>,
): Promise<T> {
  try {
    return await op;
  } catch (err) {
    if (err instanceof QueueException) throw err;
    throw new Exc(`${what}: ${describeError(err)}`, { cause: err });
  }
}

/** A time given as a Date or ms since the epoch, in ms. */
export function toMs(now: Date | number): number {
  return typeof now === 'number' ? now : now.getTime();
}
