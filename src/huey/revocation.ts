/**
 * Revocation: the record format and the logic of revoke / restore / "is it
 * revoked". Records live in a store of their own (Storage.putRevocation and
 * friends; `huey.{name}.revoked` on Redis), apart from results, under
 * `r:<task id>` for one task instance and `rt:<task name>` for every
 * instance of a task. The value is
 * `{"v":1,"value":{"until":<ms or null>,"once":<bool>}}`.
 *
 * A record means "revoked" until `until` passes (then it is removed when the
 * consumer next looks), or, with `once`, for exactly one run the consumer
 * skips (then it is removed).
 */
import { DataStoreGetException, DataStorePutException } from './exceptions.js';
import { guardStorage } from './guard.js';
import { MESSAGE_VERSION } from './message.js';
import type { Storage } from './storage/storage.js';
import type { QueueTask } from './task.js';

/** Options for revoke calls. */
export interface RevokeOptions {
  /** Revoked until this time; then runs normally again. Omit for "until restored". */
  until?: Date | number | null;
  /** Skip only the next run. */
  once?: boolean;
}

/** A parsed revocation record. */
export interface RevocationRecord {
  until: number | null;
  once: boolean;
}

/** Key for one task instance. */
export function instanceKey(taskId: string): string {
  return `r:${taskId}`;
}

/** Key for every instance of a task. */
export function classKey(taskName: string): string {
  return `rt:${taskName}`;
}

/** The stored form of a revocation. */
export function encodeRevocation(options: RevokeOptions = {}): string {
  const until = options.until === undefined || options.until === null ? null : new Date(options.until).getTime();
  if (until !== null && Number.isNaN(until)) throw new TypeError('revoke(): "until" is not a valid date');
  return JSON.stringify({ v: MESSAGE_VERSION, value: { until, once: options.once === true } });
}

/** Parses a stored revocation; an unreadable record counts as revoked indefinitely (the safe side). */
export function decodeRevocation(raw: string): RevocationRecord {
  try {
    const o = JSON.parse(raw) as { value?: { until?: unknown; once?: unknown } };
    const until = typeof o.value?.until === 'number' ? o.value.until : null;
    return { until, once: o.value?.once === true };
  } catch {
    return { until: null, once: false };
  }
}

/**
 * Evaluates a record at time `now` (ms). `consume` is true when the consumer
 * is about to skip a run: then a `once` record should be removed.
 * Returns whether the task is revoked and whether the record should be removed.
 */
export function evaluateRevocation(
  raw: string | null,
  now: number,
  consume: boolean,
): { revoked: boolean; remove: boolean } {
  if (raw === null) return { revoked: false, remove: false };
  const rec = decodeRevocation(raw);
  if (rec.once) return { revoked: true, remove: consume };
  if (rec.until !== null && rec.until <= now) return { revoked: false, remove: true };
  return { revoked: true, remove: false };
}

/** Stores a revocation under `key` (instanceKey or classKey). */
export async function revokeKey(storage: Storage, key: string, options?: RevokeOptions): Promise<void> {
  await guardStorage(DataStorePutException, 'revoke', storage.putRevocation(key, encodeRevocation(options)));
}

/** Removes the revocation under `key`; resolves to whether there was one. */
export async function restoreKey(storage: Storage, key: string): Promise<boolean> {
  return (await guardStorage(DataStoreGetException, 'restore', storage.popRevocation(key))) !== null;
}

/** Whether the record under `key` revokes at `now`; an expired record is removed on the way. */
export async function isKeyRevoked(storage: Storage, key: string, now: number): Promise<boolean> {
  const [raw] = await guardStorage(DataStoreGetException, 'is revoked', storage.peekRevocations([key]));
  const { revoked, remove } = evaluateRevocation(raw ?? null, now, false);
  if (remove) await storage.popRevocation(key);
  return revoked;
}

/**
 * Key of a paused task (Huey.pause). Pause records share the revocations'
 * store, so the consumer's one "any records at all?" question covers them,
 * and a huey that pauses nothing pays nothing for pause.
 */
export function pauseKey(taskName: string): string {
  return `p:${taskName}`;
}

/**
 * The consumer's check before a run: reads the instance's and the task's
 * revocation records and the task's pause record in one call, and consumes
 * "once" records (the run they skip is this one). A revoked task is
 * 'revoked' (dropped); a paused one 'paused' (set aside until resumed).
 */
export async function checkBeforeRun(storage: Storage, task: QueueTask, now: number): Promise<'revoked' | 'paused' | null> {
  const iKey = instanceKey(task.id);
  const cKey = classKey(task.name);
  const [iRaw, cRaw, pRaw] = await storage.peekRevocations([iKey, cKey, pauseKey(task.name)]);
  const inst = evaluateRevocation(iRaw ?? null, now, true);
  if (inst.remove) await storage.popRevocation(iKey);
  if (inst.revoked) return 'revoked';
  const cls = evaluateRevocation(cRaw ?? null, now, true);
  if (cls.remove) await storage.popRevocation(cKey);
  if (cls.revoked) return 'revoked';
  return pRaw === null || pRaw === undefined ? null : 'paused';
}
