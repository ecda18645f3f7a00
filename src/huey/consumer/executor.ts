/**
 * TaskExecutor: runs dequeued messages, as the task-execution part of
 * Python Huey's consumer.py. `handle(raw, now)` decodes a message (bad ones
 * are reported and kept), sends a task whose eta has not come to the
 * schedule, and executes the rest; `execute` is the one place that turns
 * every outcome of a run (success, error, lock, retry, cancel, revocation)
 * into results, error records, events, the pipeline's next step and retries.
 * What a run stores is tried again while the storage is unavailable (a
 * dropped connection: until-stored.ts), so a reliable consumer acks a task
 * only once its outcome is really there.
 * It depends on the HueyRuntime interface only, never on the Huey class.
 */
import { performance } from 'node:perf_hooks';
import {
  EVENT_ERROR_ENQUEUEING,
  EVENT_ERROR_INTERNAL,
  EVENT_ERROR_STORING_RESULT,
  EVENT_ERROR_TASK,
  EVENT_FINISHED,
  EVENT_LOCKED,
  EVENT_REVOKED,
  EVENT_STARTED,
} from '../events.js';
import {
  DataStorePutException,
  QueueException,
  QueueWriteException,
  RetryTask,
  SerializationError,
  TaskLockedException,
  describeError,
  tracebackOf,
} from '../exceptions.js';
import { enqueueAtPriority } from '../enqueue.js';
import { guardStorage, toMs } from '../guard.js';
import { runPostExecute, runPreExecute } from '../hooks.js';
import { decodeMessage, encodeMessage, encodeResult } from '../message.js';
import { invokeTask, type TaskDefinition } from '../registry.js';
import { checkBeforeRun } from '../revocation.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { attachProgress, dropProgress, enqueueErrorCallback } from './callbacks.js';
import { chordMemberFailed, chordMemberFinished } from './chord.js';
import { expire, holdBackIfLimited, invokeWithTimeout, isExpired, releaseUnique, setAsidePaused, timeoutOf } from './controls.js';
import { messageText, recordError, reportBadMessage, setAside } from './error-records.js';
import { scheduleForLater } from './requeue.js';
import { retryTask } from './retry.js';
import { taskStatsFor, type TaskStats } from './task-stats.js';
import { untilStored } from './until-stored.js';

/** How an `execute()` ended. */
export interface ExecutionOutcome {
  status: 'finished' | 'error' | 'locked' | 'retry' | 'revoked' | 'canceled' | 'expired' | 'paused' | 'rate-limited';
  value?: unknown;
  error?: unknown;
  /**
   * Whether everything the run had to leave in storage got there: its result
   * or error, its retry, the next step of its pipeline. When false, a
   * reliable consumer keeps the message in flight (it will run again) rather
   * than lose what could not be stored.
   */
  settled: boolean;
}

/** Runs tasks for one huey. Holds no state of its own: workers may share one. */
export class TaskExecutor {
  /** Counters for the dashboard and metrics (null when the storage cannot keep them). */
  private readonly stats: TaskStats | null;

  constructor(readonly rt: HueyRuntime) {
    this.stats = taskStatsFor(rt);
  }

  /**
   * Handles one raw message at time `now`. Resolves to whether everything it
   * led to reached storage (see ExecutionOutcome.settled). `knownUnrevoked`:
   * the task is known not to be revoked (no revocation record existed when
   * the consumer took it from the queue), so its records are not read.
   */
  async handle(raw: string, now: Date | number, knownUnrevoked = false): Promise<boolean> {
    const { rt } = this;
    let task: QueueTask;
    let def: TaskDefinition | undefined;
    try {
      task = decodeMessage(raw, rt.serializer);
      def = rt.registry.find(task.name);
      if (def === undefined) throw new QueueException(`${task.name} not found in TaskRegistry`);
    } catch (err) {
      return reportBadMessage(rt, raw, err);
    }
    const ts = toMs(now);
    if (task.eta !== null && task.eta.getTime() > ts) return scheduleForLater(rt, task);
    return (await this.execute(task, def, ts, knownUnrevoked)).settled;
  }

  /**
   * Runs a dequeued task whose eta has come: checks revocation, emits events,
   * runs hooks, stores the result or error, enqueues the pipeline's next step,
   * and schedules a retry. Never throws for task failures.
   */
  private async execute(task: QueueTask, def: TaskDefinition, ts: number, knownUnrevoked: boolean): Promise<ExecutionOutcome> {
    const { rt } = this;
    if (task.expires !== null && isExpired(task, ts)) return { status: 'expired', settled: await expire(rt, task) };
    let check: 'revoked' | 'paused' | null = null;
    try {
      if (!knownUnrevoked) check = await untilStored(rt, `check revocation of ${task}`, () => checkBeforeRun(rt.storage, task, ts));
    } catch (err) {
      // Storage trouble: we cannot tell whether it may run, so it is not run, and not lost either.
      rt.emitter.task(EVENT_ERROR_INTERNAL, task, {}, err);
      rt.logger.error(`error checking if task is revoked: ${task}: ${describeError(err)}`);
      return { status: 'error', error: err, settled: await setAside(rt, task, err) };
    }
    if (check === 'revoked') {
      rt.emitter.task(EVENT_REVOKED, task, { timestamp: ts / 1000 });
      rt.logger.debug(`task ${task} was revoked, not running`);
      await releaseUnique(rt, task);
      return { status: 'revoked', settled: true };
    }
    if (check === 'paused') return { status: 'paused', settled: await setAsidePaused(rt, task, ts) };
    if (def.controls?.rateLimit) {
      const heldBack = await holdBackIfLimited(rt, def, task, ts);
      if (heldBack !== null) return { status: 'rate-limited', settled: heldBack };
    }

    rt.emitter.task(EVENT_STARTED, task, { timestamp: ts / 1000 });
    // The counters' slot for this run (-1: no counters).
    const slot = this.stats?.started(task, ts) ?? -1;
    if (rt.preExecuteHooks.size && !(await runPreExecute(rt.preExecuteHooks, task, rt.logger))) {
      this.stats?.ended(slot, null, undefined, false);
      await releaseUnique(rt, task);
      return { status: 'canceled', settled: true };
    }

    rt.logger.info(`executing ${task}`);
    const start = performance.now();
    let value: unknown = undefined;
    let error: unknown = undefined;
    let failed = false;
    const timeout = task.timeout === null && def.controls === undefined ? null : timeoutOf(def, task);
    if (def.includeTask) attachProgress(rt, task);
    try {
      value = await (timeout === null ? invokeTask(def, task) : invokeWithTimeout(def, task, timeout));
    } catch (err) {
      failed = true;
      error = err;
    }
    const duration = (performance.now() - start) / 1000;

    let outcome: ExecutionOutcome;
    if (!failed) {
      outcome = await this.afterSuccess(def, task, value, duration);
    } else {
      outcome = await this.afterFailure(task, error, duration);
    }

    if (rt.postExecuteHooks.size) await runPostExecute(rt.postExecuteHooks, task, outcome.value, outcome.error, rt.logger);

    let retried = false;
    if (failed && task.retries > 0) {
      retried = await retryTask(rt, task, ts, def, error);
      if (!retried) outcome.settled = false;
      this.stats?.ended(slot, outcome.status === 'retry' ? null : 'failed', duration, retried);
      return outcome;
    }
    if (failed && error instanceof RetryTask) rt.logger.error(`cannot retry task ${task.id}: no retries remaining`);
    this.stats?.ended(slot, outcome.status === 'finished' ? 'finished' : outcome.status === 'retry' ? null : 'failed', duration, false);
    // Done for good (finished, or failed with no retries left): its unique key is free again.
    if (task.unique !== null) await releaseUnique(rt, task);
    if (failed && task.onError !== null && !(await enqueueErrorCallback(rt, task, error))) outcome.settled = false;
    if (task.chord !== null) {
      if (!failed && outcome.status === 'finished') {
        if (!(await chordMemberFinished(rt, task))) outcome.settled = false;
      } else if (failed) await chordMemberFailed(rt, task, error);
    }
    if (task.reporter !== undefined) await dropProgress(rt, task);
    return outcome;
  }

  private async afterSuccess(def: TaskDefinition, task: QueueTask, value: unknown, duration: number): Promise<ExecutionOutcome> {
    const { rt } = this;
    try {
      if (rt.resultStore && !def.validate && ((value !== null && value !== undefined) || rt.storeNone)) {
        const encoded = encodeResult(value, rt.serializer);
        const store = () => rt.storage.putData(task.id, encoded);
        await guardStorage(DataStorePutException, 'store result', untilStored(rt, `store result of ${task}`, store));
      }
    } catch (err) {
      // The task ran; only its result is lost. Keep the reason where people look.
      rt.logger.error(`error storing result of ${task}: ${describeError(err)}`);
      rt.emitter.task(EVENT_ERROR_STORING_RESULT, task, { duration }, err);
      // A result that cannot be serialized never will be: running again would not help.
      if (!(err instanceof SerializationError)) return { status: 'error', value, error: err, settled: false };
      const settled = rt.storeErrors ? await recordError(rt, task, err, true) : true;
      return { status: 'error', value, error: err, settled };
    }
    let settled = true;
    if (task.onComplete) {
      const next = task.onComplete;
      next.extendData(value);
      try {
        const message = encodeMessage(next, rt.serializer);
        await guardStorage(QueueWriteException, 'enqueue', untilStored(rt, `enqueue pipeline step ${next}`, () => enqueueAtPriority(rt.storage, message, next.priority)));
      } catch (err) {
        rt.emitter.task(EVENT_ERROR_ENQUEUEING, next, {}, err);
        rt.logger.error(`error enqueueing pipeline step ${next}: ${describeError(err)}; message: ${messageText(next, rt.serializer)}`);
        if (!(err instanceof SerializationError)) settled = false;
      }
    }
    rt.logger.info(`executed ${task} in ${duration.toFixed(3)}s`);
    rt.emitter.task(EVENT_FINISHED, task, { duration, timestamp: rt.clock() / 1000 });
    return { status: 'finished', value, settled };
  }

  private async afterFailure(task: QueueTask, error: unknown, duration: number): Promise<ExecutionOutcome> {
    const { rt } = this;
    if (error instanceof RetryTask) return { status: 'retry', error, settled: true };
    if (error instanceof TaskLockedException) {
      rt.logger.warn(`task ${task.id} could not run, unable to obtain lock`);
      // Into the error list too, as Huey: a task that never ran is worth a look.
      const settled = rt.storeErrors ? await recordError(rt, task, error, true) : true;
      rt.emitter.task(EVENT_LOCKED, task, { duration });
      return { status: 'locked', error, settled };
    }
    rt.logger.error(`unhandled exception in task ${task}: ${tracebackOf(error)}`);
    const settled = rt.storeErrors ? await recordError(rt, task, error, true) : true;
    rt.emitter.task(EVENT_ERROR_TASK, task, { duration }, error);
    return { status: 'error', error, settled };
  }
}
