/**
 * The consumer events as listeners see them: the seed's EVENT_* statuses (plus
 * reliable mode's two) and the shape of an event record. events.ts publishes
 * them; the package root exports exactly this file.
 */

export const EVENT_CHECKING_PERIODIC = 'checking-periodic';
export const EVENT_ERROR_DEQUEUEING = 'error-dequeueing';
export const EVENT_ERROR_ENQUEUEING = 'error-enqueueing';
export const EVENT_ERROR_INTERNAL = 'error-internal';
export const EVENT_ERROR_SCHEDULING = 'error-scheduling';
export const EVENT_ERROR_STORING_RESULT = 'error-storing-result';
export const EVENT_ERROR_TASK = 'error-task';
export const EVENT_LOCKED = 'locked';
export const EVENT_FINISHED = 'finished';
export const EVENT_RETRYING = 'retrying';
export const EVENT_REVOKED = 'revoked';
export const EVENT_SCHEDULED = 'scheduled';
export const EVENT_SCHEDULING_PERIODIC = 'scheduling-periodic';
export const EVENT_STARTED = 'started';
/** Reliable mode: a dead consumer's task was put back on the queue. Carries `recoveries` and `consumer`. */
export const EVENT_RECOVERED = 'recovered';
/** Reliable mode: a task recovered more than maxRecoveries times went to the error list instead. */
export const EVENT_POISONED = 'poisoned';
/** Job controls: a task not started by its `expires` was dropped (its result is an error). Carries `expires` (seconds since the epoch). */
export const EVENT_EXPIRED = 'expired';
/** Job controls: a task over its rate limit was put back on the schedule for the next window. Carries `limit`, `per` and `executeTime`. */
export const EVENT_RATE_LIMITED = 'rate-limited';
/** Job controls: a task of a paused task name was set aside until resumed. */
export const EVENT_PAUSED = 'paused';
/** A running task reported its progress (`progress`, and `data` when given). */
export const EVENT_PROGRESS = 'progress';
/** A member of a chord failed for good: the chord's callback will not run. Carries `chord` (its id). An error event. */
export const EVENT_CHORD_FAILED = 'chord-failed';

/** Every event status. */
export type EventStatus =
  | typeof EVENT_CHECKING_PERIODIC
  | typeof EVENT_ERROR_DEQUEUEING
  | typeof EVENT_ERROR_ENQUEUEING
  | typeof EVENT_ERROR_INTERNAL
  | typeof EVENT_ERROR_SCHEDULING
  | typeof EVENT_ERROR_STORING_RESULT
  | typeof EVENT_ERROR_TASK
  | typeof EVENT_LOCKED
  | typeof EVENT_FINISHED
  | typeof EVENT_RETRYING
  | typeof EVENT_REVOKED
  | typeof EVENT_SCHEDULED
  | typeof EVENT_SCHEDULING_PERIODIC
  | typeof EVENT_STARTED
  | typeof EVENT_RECOVERED
  | typeof EVENT_POISONED
  | typeof EVENT_EXPIRED
  | typeof EVENT_RATE_LIMITED
  | typeof EVENT_PAUSED
  | typeof EVENT_PROGRESS
  | typeof EVENT_CHORD_FAILED;

/**
 * An event as published (JSON) on `huey.{name}.events`. Task events carry
 * id, task, retries, retryDelay and executeTime; times are Unix timestamps in
 * seconds and durations are seconds, as in the seed.
 */
export interface HueyEvent {
  status: EventStatus;
  /** Whether this event reports an error. */
  error: boolean;
  /** Stack trace, on error events. */
  traceback?: string;
  id?: string;
  task?: string;
  retries?: number;
  retryDelay?: number;
  /** When the task was scheduled to run (seconds since the epoch), or null. */
  executeTime?: number | null;
  /** Seconds the task ran. */
  duration?: number;
  /** When the event happened (seconds since the epoch). */
  timestamp?: number;
  [extra: string]: unknown;
}

/** Extra fields for an event. */
export type EventExtra = Record<string, unknown>;
