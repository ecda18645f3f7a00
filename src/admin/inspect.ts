/**
 * Reading a huey's state for the `huey` command and the dashboard: counts,
 * consumers (live and dead), task lists, one task's whole story, periodic
 * tasks with their next runs. Everything goes through the Huey API and the
 * storage contract; what needs the Monitoring capability (consumers,
 * counters) is empty on a storage without it.
 */
import type { Huey } from '../huey/api.js';
import type { ConsumerInfo } from '../huey/consumer/presence.js';
import { nextMatches, type CrontabValidator } from '../huey/crontab.js';
import type { ErrorMetadata } from '../huey/exceptions.js';
import { decodeMessage, decodeStored } from '../huey/message.js';
import { instanceKey, classKey, decodeRevocation } from '../huey/revocation.js';
import { hasMonitoring } from '../huey/storage/monitoring.js';
import { hasReliableDelivery } from '../huey/storage/storage.js';
import type { QueueTask } from '../huey/task.js';
import { readThroughput, type Throughput } from './history.js';

/** A task as the lists show it. */
export interface TaskRow {
  id: string;
  task: string;
  args: unknown[];
  /** ISO time, or null. */
  eta: string | null;
  retries: number;
  /** In-flight rows: the consumer running it. */
  consumer?: string;
  /** In-flight rows: since when (ms), when known. */
  since?: number;
}

/** A consumer as status shows it. */
export interface ConsumerRow extends ConsumerInfo {
  alive: boolean;
}

export interface Status {
  name: string;
  pending: number;
  scheduled: number;
  inflight: number;
  results: number;
  errors: number;
  locks: number;
  consumers: ConsumerRow[];
  /** Runs per minute over the last minutes (oldest first); empty without Monitoring. */
  throughput: Throughput[];
  /** Whether consumers and counters could be read (the storage has Monitoring). */
  monitoring: boolean;
}

export interface ListOptions {
  limit?: number;
  task?: string;
}

export type ListKind = 'pending' | 'scheduled' | 'inflight' | 'errors' | 'results';
export const LIST_KINDS: readonly ListKind[] = ['pending', 'scheduled', 'inflight', 'errors', 'results'];

export function taskRow(t: QueueTask): TaskRow {
  return { id: t.id, task: t.name, args: t.args, eta: t.eta ? t.eta.toISOString() : null, retries: t.retries };
}

function lockPrefix(huey: Huey<boolean>): string {
  return `${huey.name}.lock.`;
}

export async function consumers(huey: Huey<boolean>): Promise<ConsumerRow[]> {
  const storage = huey.storage;
  if (!hasMonitoring(storage)) return [];
  const records = await storage.consumers();
  const rows: ConsumerRow[] = [];
  for (const r of records) {
    try {
      rows.push({ ...(JSON.parse(r.info) as ConsumerInfo), id: r.id, alive: r.alive });
    } catch {
      // A record we cannot read is skipped rather than breaking the whole listing.
    }
  }
  return rows.sort((a, b) => Number(b.alive) - Number(a.alive) || a.since - b.since);
}

/** Locks held: the result-store keys that are locks (this reads every key, so callers that repeat it cache it). */
export async function countLocks(huey: Huey<boolean>): Promise<number> {
  return Object.keys(await huey.storage.resultItems()).filter((k) => k.startsWith(lockPrefix(huey))).length;
}

/**
 * The counts, consumers and throughput. `history` and `locks` replace the
 * reads of the throughput and of the lock count (the dashboard caches them).
 */
export async function status(huey: Huey<boolean>, minutes = 10, cached: { history?: () => Promise<Throughput[]>; locks?: () => Promise<number> } = {}): Promise<Status> {
  const s = huey.storage;
  const [pending, scheduled, inflight, size, errors, locks, rows, throughput] = await Promise.all([
    s.queueSize(),
    s.scheduleSize(),
    inFlight(huey),
    s.resultStoreSize(),
    s.getErrors(),
    cached.locks ? cached.locks() : countLocks(huey),
    consumers(huey),
    cached.history ? cached.history() : readThroughput(huey, minutes),
  ]);
  return {
    name: huey.name,
    pending,
    scheduled,
    inflight: inflight.length,
    results: size - locks,
    errors: errors.length,
    locks,
    consumers: rows,
    throughput,
    monitoring: hasMonitoring(s),
  };
}

/** In-flight tasks: reliable consumers' in-flight lists, and what every consumer's record says it runs. */
export async function inFlight(huey: Huey<boolean>): Promise<TaskRow[]> {
  const s = huey.storage;
  const rows = new Map<string, TaskRow>();
  if (hasReliableDelivery(s)) {
    const owners = await s.inFlightOwners();
    const lists = Object.keys(owners);
    const items = await Promise.all(lists.map((l) => s.inFlightItems(l)));
    lists.forEach((list, i) => {
      for (const raw of items[i] ?? []) {
        const t = tryDecode(huey, raw);
        if (t) rows.set(t.id, { ...taskRow(t), consumer: owners[list] as string });
      }
    });
  }
  for (const c of await consumers(huey)) {
    if (!c.alive) continue;
    for (const r of c.running) {
      const known = rows.get(r.id);
      rows.set(r.id, { ...(known ?? { id: r.id, task: r.task, args: [], eta: null, retries: 0 }), consumer: c.id, since: r.since });
    }
  }
  return [...rows.values()];
}

function tryDecode(huey: Huey<boolean>, raw: string): QueueTask | null {
  try {
    return decodeMessage(raw, huey.serializer);
  } catch {
    return null;
  }
}

/** An error-list entry as the lists show it. */
export interface ErrorRow extends ErrorMetadata {
  /** Index in the error list (newest first). */
  index: number;
}

export interface ResultRow {
  id: string;
  kind: 'value' | 'error';
  value?: unknown;
  error?: ErrorMetadata;
}

/** One of the task lists, filtered by task name and cut to `limit`. */
export async function list(huey: Huey<boolean>, kind: ListKind, options: ListOptions = {}): Promise<(TaskRow | ErrorRow | ResultRow)[]> {
  const limit = options.limit ?? 100;
  const match = (name: string | null | undefined) => options.task === undefined || name === options.task;
  // Filtering by name needs the whole list; without a filter the storage cuts it.
  const fetch = options.task === undefined ? limit : undefined;
  let rows: (TaskRow | ErrorRow | ResultRow)[];
  switch (kind) {
    case 'pending':
      rows = (await huey.pending(fetch)).filter((t) => match(t.name)).map(taskRow);
      break;
    case 'scheduled':
      rows = (await huey.scheduled(fetch)).filter((t) => match(t.name)).map(taskRow);
      break;
    case 'inflight':
      rows = (await inFlight(huey)).filter((t) => match(t.task));
      break;
    case 'errors':
      rows = (await huey.errors(fetch === undefined ? {} : { limit: fetch })).map((e, index) => ({ ...e, index })).filter((e) => match(e.task));
      break;
    case 'results':
      rows = await results(huey, options.task);
      break;
  }
  return rows.slice(0, limit);
}

async function results(huey: Huey<boolean>, task: string | undefined): Promise<ResultRow[]> {
  const items = await huey.storage.resultItems();
  const rows: ResultRow[] = [];
  for (const [id, raw] of Object.entries(items)) {
    if (id.startsWith(lockPrefix(huey))) continue;
    try {
      const stored = decodeStored(raw, huey.serializer);
      if (stored.kind === 'error') {
        if (task === undefined || stored.error.task === task) rows.push({ id, kind: 'error', error: stored.error });
      } else if (task === undefined) rows.push({ id, kind: 'value', value: stored.value });
    } catch {
      if (task === undefined) rows.push({ id, kind: 'value', value: raw });
    }
  }
  return rows;
}

/** Everything known about one task id. */
export interface TaskDetail {
  id: string;
  /** Where it is now. */
  state: 'pending' | 'scheduled' | 'in-flight' | 'finished' | 'failed' | 'unknown';
  task: TaskRow | null;
  result?: unknown;
  error?: ErrorMetadata;
  /** Its entries in the error list (each failed run), newest first. */
  failures: ErrorMetadata[];
  revoked: { until: string | null; once: boolean } | null;
}

export async function show(huey: Huey<boolean>, id: string): Promise<TaskDetail> {
  const s = huey.storage;
  const [pending, scheduled, flight, stored, errors, revoked] = await Promise.all([
    huey.pending(),
    huey.scheduled(),
    inFlight(huey),
    s.peekData(id),
    huey.errors(),
    s.peekRevocations([instanceKey(id)]),
  ]);
  const failures = errors.filter((e) => e.id === id);
  const rec = revoked[0] ? decodeRevocation(revoked[0]) : null;
  const detail: TaskDetail = {
    id,
    state: 'unknown',
    task: null,
    failures,
    revoked: rec ? { until: rec.until === null ? null : new Date(rec.until).toISOString(), once: rec.once } : null,
  };
  const inQueue = pending.find((t) => t.id === id);
  const inSchedule = scheduled.find((t) => t.id === id);
  const running = flight.find((t) => t.id === id);
  if (inQueue) Object.assign(detail, { state: 'pending', task: taskRow(inQueue) });
  else if (inSchedule) Object.assign(detail, { state: 'scheduled', task: taskRow(inSchedule) });
  else if (running) Object.assign(detail, { state: 'in-flight', task: running });
  if (stored !== null && detail.state === 'unknown') {
    const data = decodeStored(stored, huey.serializer);
    if (data.kind === 'value') Object.assign(detail, { state: 'finished', result: data.value });
    else Object.assign(detail, { state: 'failed', error: data.error });
  } else if (detail.state === 'unknown' && failures.length) {
    Object.assign(detail, { state: 'failed', error: failures[0] });
  }
  if (detail.task === null) {
    const message = failures.find((f) => f.message)?.message;
    const t = message ? tryDecode(huey, message) : null;
    if (t) detail.task = taskRow(t);
  }
  return detail;
}

export interface PeriodicRow {
  task: string;
  /** The crontab as a cron line, or null for a validator that is not a crontab. */
  crontab: string | null;
  /** ISO times of the next runs (empty when unknown). */
  next: string[];
  revoked: boolean;
}

export async function periodic(huey: Huey<boolean>, now = new Date(), count = 1): Promise<PeriodicRow[]> {
  const defs = huey.registry.periodic();
  const records = await huey.storage.peekRevocations(defs.map((d) => classKey(d.name)));
  return defs
    .map((d, i) => {
      const v = d.validate as Partial<CrontabValidator> | undefined;
      const isCron = v !== undefined && typeof v.fields === 'object';
      return {
        task: d.name,
        crontab: isCron ? String(v) : null,
        next: isCron ? nextMatches(v as CrontabValidator, now, count, { utc: true }).map((x) => x.toISOString()) : [],
        revoked: records[i] !== null && records[i] !== undefined,
      };
    })
    .sort((a, b) => a.task.localeCompare(b.task));
}
