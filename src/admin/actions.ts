/**
 * What the `huey` command and the dashboard can do to a huey: retry failed
 * tasks from the error list, revoke/restore, pause/resume a task name,
 * promote scheduled tasks, delete one task, flush a whole list. Each
 * resolves to what it did (ids, counts) so the caller can report it, and
 * throws ActionError with a clear reason when it cannot be done.
 */
import type { Huey } from '../huey/api.js';
import { ConfigurationError } from '../huey/exceptions.js';
import { encodeMessage, decodeMessage, decodeStored } from '../huey/message.js';
import { hasMonitoring, type MonitoredStorage } from '../huey/storage/monitoring.js';
import type { Storage } from '../huey/storage/storage.js';
import type { QueueTask } from '../huey/task.js';
import { consumers } from './inspect.js';

/** An action that cannot be done as asked (bad input, missing capability). */
export class ActionError extends Error {
  override name = 'ActionError';
}

/** Select one task by id, or many (all, optionally of one task name). */
export interface Selection {
  id?: string;
  all?: boolean;
  task?: string;
}

function checkSelection(sel: Selection, what: string): void {
  if (!sel.id && !sel.all && !sel.task) throw new ActionError(`${what}: give a task id, --all or --task NAME`);
  if (sel.id && (sel.all || sel.task)) throw new ActionError(`${what}: give either a task id or --all/--task, not both`);
}

function selects(sel: Selection, t: { id: string | null; name?: string | null; task?: string | null }): boolean {
  if (sel.id) return t.id === sel.id;
  const name = t.name ?? t.task ?? null;
  return sel.task === undefined || name === sel.task;
}

function monitored(storage: Storage, what: string): MonitoredStorage {
  if (!hasMonitoring(storage)) throw new ActionError(`${what} needs a storage with the Monitoring capability (RedisStorage, MemoryStorage)`);
  return storage;
}

function decode(huey: Huey<boolean>, raw: string): QueueTask | null {
  try {
    return decodeMessage(raw, huey.serializer);
  } catch {
    return null;
  }
}

function isStoredError(huey: Huey<boolean>, raw: string): boolean {
  try {
    return decodeStored(raw, huey.serializer).kind === 'error';
  } catch {
    return false;
  }
}

/**
 * Re-enqueues failed tasks from the error list with their original
 * arguments, the same id (so their result lands where people look) and a
 * fresh retry count (the task's own, when the app is loaded; else the
 * message's). Their error-list entries and stored error are removed.
 */
export async function retry(huey: Huey<boolean>, sel: Selection): Promise<string[]> {
  checkSelection(sel, 'retry');
  const storage = monitored(huey.storage, 'retry');
  const raws = await storage.getErrors();
  const chosen = new Map<string, QueueTask>();
  const entries = new Map<string, string[]>();
  for (const raw of raws) {
    let meta: { id?: string | null; task?: string | null; message?: string };
    try {
      meta = JSON.parse(raw) as typeof meta;
    } catch {
      continue;
    }
    if (!meta.id || !selects(sel, { id: meta.id, task: meta.task ?? null })) continue;
    entries.set(meta.id, [...(entries.get(meta.id) ?? []), raw]);
    const task = meta.message && !chosen.has(meta.id) ? decode(huey, meta.message) : null;
    if (task) chosen.set(meta.id, task);
  }
  if (sel.id && !entries.has(sel.id)) throw new ActionError(`retry: no task ${sel.id} in the error list`);
  if (sel.id && !chosen.has(sel.id)) throw new ActionError(`retry: the error list has no message for task ${sel.id} (it failed before messages were kept)`);
  const done: string[] = [];
  for (const [id, task] of chosen) {
    const def = huey.registry.find(task.name);
    if (def) task.retries = def.retries;
    task.eta = null;
    // The old error result would otherwise be read as the outcome until the new run ends.
    const stored = await storage.peekData(id);
    if (stored !== null && isStoredError(huey, stored)) await storage.popData(id);
    await storage.enqueue(encodeMessage(task, huey.serializer));
    for (const raw of entries.get(id) ?? []) await storage.removeError(raw);
    done.push(id);
  }
  return done;
}

export interface RevokeSelection {
  id?: string;
  task?: string;
  /** ISO time or Date: revoked until then. */
  until?: Date;
  once?: boolean;
}

function checkIdOrTask(sel: { id?: string; task?: string }, what: string): void {
  if (!sel.id === !sel.task) throw new ActionError(`${what}: give either a task id or --task NAME`);
}

export async function revoke(huey: Huey<boolean>, sel: RevokeSelection): Promise<void> {
  checkIdOrTask(sel, 'revoke');
  const opts = { ...(sel.until ? { until: sel.until } : {}), ...(sel.once ? { once: true } : {}) };
  if (sel.id) await huey.revokeById(sel.id, opts);
  else await huey.revokeAll(sel.task as string, opts);
}

/** Resolves to whether a revocation was there to remove. */
export async function restore(huey: Huey<boolean>, sel: { id?: string; task?: string }): Promise<boolean> {
  checkIdOrTask(sel, 'restore');
  return sel.id ? huey.restoreById(sel.id) : huey.restoreAll(sel.task as string);
}

/** Pauses a task name on every consumer (huey.pause): its messages are set aside, unrun, until resume. */
export async function pause(huey: Huey<boolean>, task: string): Promise<void> {
  if (!task) throw new ActionError('pause: give --task NAME');
  await withCapability(() => huey.pause(task));
}

/** Resumes a paused task name (huey.resume): what was set aside goes back to the queue. Resolves to whether it was paused. */
export async function resume(huey: Huey<boolean>, task: string): Promise<boolean> {
  if (!task) throw new ActionError('resume: give --task NAME');
  return withCapability(() => huey.resume(task));
}

/** A storage lacking a job-control capability is a reason the action cannot be done, told as such. */
async function withCapability<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConfigurationError) throw new ActionError(err.message);
    throw err;
  }
}

/** Moves scheduled tasks to the queue now; resolves to their ids. */
export async function promote(huey: Huey<boolean>, sel: Selection): Promise<string[]> {
  checkSelection(sel, 'promote');
  const storage = monitored(huey.storage, 'promote');
  const done: string[] = [];
  for (const raw of await storage.scheduledItems()) {
    const task = decode(huey, raw);
    if (!task || !selects(sel, task)) continue;
    // Only the one who removed it enqueues it, so a consumer's scheduler cannot run it twice.
    if (!(await storage.unschedule(raw))) continue;
    task.eta = null;
    await storage.enqueue(encodeMessage(task, huey.serializer));
    done.push(task.id);
  }
  if (sel.id && done.length === 0) throw new ActionError(`promote: no scheduled task ${sel.id}`);
  return done;
}

export type DeleteFrom = 'pending' | 'scheduled' | 'errors' | 'results';

/** Deletes task `id` from one list; resolves to how many entries went. */
export async function remove(huey: Huey<boolean>, from: DeleteFrom, id: string): Promise<number> {
  const storage = huey.storage;
  if (from === 'results') return (await storage.popData(id)) === null ? 0 : 1;
  let n = 0;
  if (from === 'pending') {
    for (const raw of await storage.enqueuedItems()) if (decode(huey, raw)?.id === id) n += await storage.unqueue(raw);
  } else if (from === 'scheduled') {
    const m = monitored(storage, 'delete');
    for (const raw of await m.scheduledItems()) if (decode(huey, raw)?.id === id && (await m.unschedule(raw))) n++;
  } else {
    const m = monitored(storage, 'delete');
    for (const raw of await m.getErrors()) {
      let meta: { id?: unknown } = {};
      try {
        meta = JSON.parse(raw) as typeof meta;
      } catch {
        // not ours to judge
      }
      if (meta.id === id && (await m.removeError(raw))) n++;
    }
  }
  return n;
}

export const FLUSH_TARGETS = ['queue', 'schedule', 'results', 'errors', 'locks', 'consumers'] as const;
export type FlushTarget = (typeof FLUSH_TARGETS)[number];

/**
 * Empties one list; resolves to how many entries it held (before). `results`
 * also removes revocations (they live beside them); `consumers` forgets
 * dead consumers' records only.
 */
export async function flush(huey: Huey<boolean>, target: FlushTarget): Promise<number> {
  const s = huey.storage;
  switch (target) {
    case 'queue': {
      const n = await s.queueSize();
      await s.flushQueue();
      return n;
    }
    case 'schedule': {
      const n = await s.scheduleSize();
      await s.flushSchedule();
      return n;
    }
    case 'results': {
      const n = await s.resultStoreSize();
      await s.flushResults();
      return n;
    }
    case 'errors': {
      const n = (await s.getErrors()).length;
      await s.flushErrors();
      return n;
    }
    case 'locks': {
      const prefix = `${huey.name}.lock.`;
      let n = 0;
      for (const key of Object.keys(await s.resultItems())) if (key.startsWith(prefix) && (await s.popData(key)) !== null) n++;
      return n;
    }
    case 'consumers': {
      const m = monitored(s, 'flush consumers');
      const dead = (await consumers(huey)).filter((c) => !c.alive);
      for (const c of dead) await m.dropConsumer(c.id);
      return dead.length;
    }
  }
}
