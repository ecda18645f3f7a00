/**
 * The queue message format (version 1), documented in docs/message-format.md:
 *
 *   {"v":1,"id":"<uuid>","name":"add","args":[1,2],"eta":null,
 *    "retries":0,"retryDelay":0,"onComplete":null}
 *
 * Also the envelopes stored in the result hash: `{"v":1,"value":...}` for a
 * result, `{"v":1,"error":{...}}` for a failure. Values inside go through the
 * ValueSerializer. Anything malformed raises a QueueException that says what
 * is wrong, so the consumer can log it and keep the message in the error list.
 */
import { QueueException, type ErrorMetadata } from './exceptions.js';
import type { JsonValue, ValueSerializer } from './serializer.js';
import { QueueTask } from './task.js';

/** The message format version this code writes and reads. */
export const MESSAGE_VERSION = 1;

/** Encodes a task (and its pipeline) as a queue message; throws SerializationError for bad arguments. */
export function encodeMessage(task: QueueTask, serializer: ValueSerializer): string {
  return JSON.stringify(toJson(task, serializer, 'args'));
}

function toJson(task: QueueTask, serializer: ValueSerializer, path: string): JsonValue {
  const m: { [key: string]: JsonValue } = {
    v: MESSAGE_VERSION,
    id: task.id,
    name: task.name,
    args: serializer.encode(task.args, path),
    eta: task.eta ? task.eta.getTime() : null,
    retries: task.retries,
    retryDelay: task.retryDelay,
    onComplete: task.onComplete ? toJson(task.onComplete, serializer, `${path}<then ${task.onComplete.name}>`) : null,
  };
  // Job controls are written only when used: a plain task's message stays as it always was.
  if (task.priority !== 0) m.priority = task.priority;
  if (task.timeout !== null) m.timeout = task.timeout;
  if (task.expires !== null) m.expires = task.expires.getTime();
  if (task.retried !== 0) m.retried = task.retried;
  if (task.unique !== null) m.unique = task.unique;
  if (task.chord !== null) m.chord = { id: task.chord.id, total: task.chord.total };
  if (task.onError !== null) m.onError = toJson(task.onError, serializer, `${path}<error ${task.onError.name}>`);
  return m;
}

/**
 * The priority of a raw message without decoding it all (0 when it has
 * none): the scheduler uses it to put a due task back on its level.
 */
export function messagePriority(raw: string): number {
  if (!raw.includes('"priority"')) return 0;
  try {
    const p = (JSON.parse(raw) as { priority?: unknown }).priority;
    return Number.isInteger(p) ? (p as number) : 0;
  } catch {
    return 0;
  }
}

/** Decodes a queue message into a QueueTask; throws QueueException saying what is wrong. */
export function decodeMessage(raw: string, serializer: ValueSerializer): QueueTask {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new QueueException(`invalid message: not JSON (${(err as Error).message})`, { cause: err });
  }
  return fromJson(parsed, serializer);
}

function fromJson(m: unknown, serializer: ValueSerializer): QueueTask {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new QueueException('invalid message: not a JSON object');
  const o = m as Record<string, unknown>;
  if (o.v !== MESSAGE_VERSION) {
    throw new QueueException(`invalid message: unknown version ${JSON.stringify(o.v)} (this consumer reads v=${MESSAGE_VERSION})`);
  }
  if (typeof o.id !== 'string' || o.id === '') throw new QueueException('invalid message: "id" must be a non-empty string');
  if (typeof o.name !== 'string' || o.name === '') throw new QueueException('invalid message: "name" must be a non-empty string');
  let args: unknown = [];
  if (o.args !== undefined) {
    if (!Array.isArray(o.args)) throw new QueueException('invalid message: "args" must be an array');
    try {
      args = serializer.decode(o.args as JsonValue, 'args');
    } catch (err) {
      throw new QueueException(`invalid message: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(args)) throw new QueueException('invalid message: "args" must decode to an array');
  }
  const eta = o.eta ?? null;
  if (eta !== null && (typeof eta !== 'number' || !Number.isFinite(eta))) {
    throw new QueueException('invalid message: "eta" must be null or milliseconds since the epoch');
  }
  const retries = o.retries ?? 0;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0) {
    throw new QueueException('invalid message: "retries" must be a non-negative integer');
  }
  const retryDelay = o.retryDelay ?? 0;
  if (typeof retryDelay !== 'number' || !(retryDelay >= 0)) {
    throw new QueueException('invalid message: "retryDelay" must be a non-negative number of seconds');
  }
  const onComplete = o.onComplete === undefined || o.onComplete === null ? null : fromJson(o.onComplete, serializer);
  const task = new QueueTask({
    id: o.id,
    name: o.name,
    args: args as unknown[],
    eta: eta === null ? null : new Date(eta),
    retries,
    retryDelay,
    onComplete,
  });
  if (o.priority !== undefined || o.timeout !== undefined || o.expires !== undefined || o.retried !== undefined || o.unique !== undefined) {
    readControls(o, task);
  }
  if (o.onError !== undefined && o.onError !== null) task.onError = fromJson(o.onError, serializer);
  if (o.chord !== undefined && o.chord !== null) {
    const c = o.chord as { id?: unknown; total?: unknown };
    if (typeof c !== 'object' || typeof c.id !== 'string' || c.id === '' || !Number.isInteger(c.total) || (c.total as number) < 1) {
      throw new QueueException('invalid message: "chord" must be {"id": a non-empty string, "total": a positive integer}');
    }
    task.chord = { id: c.id, total: c.total as number };
  }
  return task;
}

/** The optional job-control fields (docs/message-format.md); absent ones keep their defaults. */
function readControls(o: Record<string, unknown>, task: QueueTask): void {
  const { priority, timeout, expires, retried, unique } = o;
  if (priority !== undefined && priority !== null) {
    if (!Number.isInteger(priority)) throw new QueueException('invalid message: "priority" must be an integer');
    task.priority = priority as number;
  }
  if (timeout !== undefined && timeout !== null) {
    if (!(typeof timeout === 'number' && timeout > 0)) throw new QueueException('invalid message: "timeout" must be a positive number of seconds');
    task.timeout = timeout;
  }
  if (expires !== undefined && expires !== null) {
    if (!(typeof expires === 'number' && Number.isFinite(expires))) throw new QueueException('invalid message: "expires" must be milliseconds since the epoch');
    task.expires = new Date(expires);
  }
  if (retried !== undefined && retried !== null) {
    if (!(Number.isInteger(retried) && (retried as number) >= 0)) throw new QueueException('invalid message: "retried" must be a non-negative integer');
    task.retried = retried as number;
  }
  if (unique !== undefined && unique !== null) {
    if (typeof unique !== 'string' || unique === '') throw new QueueException('invalid message: "unique" must be a non-empty string');
    task.unique = unique;
  }
}

/** The result-store key of a running task's progress (`task.progress()`), beside its result under its id. */
export function progressKey(id: string): string {
  return `progress:${id}`;
}

/** The result-store key of a chord's stored callback (huey.chord()). */
export function chordKey(id: string): string {
  return `chord:${id}`;
}

/** A decoded entry of the result store. */
export type StoredData = { kind: 'value'; value: unknown } | { kind: 'error'; error: ErrorMetadata };

/** Encodes a task's return value for the result store. */
export function encodeResult(value: unknown, serializer: ValueSerializer): string {
  return JSON.stringify({ v: MESSAGE_VERSION, value: serializer.encode(value, 'result') });
}

/** Encodes a task's failure for the result store. */
export function encodeErrorResult(metadata: ErrorMetadata): string {
  return JSON.stringify({ v: MESSAGE_VERSION, error: metadata });
}

/** Decodes a result-store entry; throws QueueException when it is not one of ours. */
export function decodeStored(raw: string, serializer: ValueSerializer): StoredData {
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch (err) {
    throw new QueueException('invalid stored result: not JSON', { cause: err });
  }
  if (o === null || typeof o !== 'object' || (o as { v?: unknown }).v !== MESSAGE_VERSION) {
    throw new QueueException('invalid stored result: not a v1 envelope');
  }
  const env = o as { value?: JsonValue; error?: ErrorMetadata };
  if (env.error !== undefined) return { kind: 'error', error: env.error };
  if (!('value' in env)) throw new QueueException('invalid stored result: no "value" or "error"');
  return { kind: 'value', value: serializer.decode(env.value as JsonValue, 'result') };
}
