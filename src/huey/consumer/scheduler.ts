/**
 * Scheduler: each `loop(now)` moves due tasks from the schedule to the queue,
 * and, once per minute, enqueues the periodic tasks whose validator accepts
 * that minute. In reliable mode it also looks for dead consumers every
 * heartbeat interval and hands their in-flight tasks back (recovery.ts).
 * It runs nothing itself. The clock is a parameter, so tests can walk it
 * through hours of schedule without waiting.
 */
import { EVENT_CHECKING_PERIODIC, EVENT_ERROR_ENQUEUEING, EVENT_SCHEDULING_PERIODIC } from '../events.js';
import { describeError } from '../exceptions.js';
import { decodeMessage, messagePriority } from '../message.js';
import { enqueueAtPriority } from '../enqueue.js';
import { newConsumerId } from '../reliability.js';
import type { HueyRuntime } from '../runtime.js';
import type { QueueTask } from '../task.js';
import { Recovery } from './recovery.js';
import { enqueueForConsumer } from './requeue.js';

/** Options for a Scheduler. */
export interface SchedulerOptions {
  /** Enqueue periodic tasks (default true). */
  periodic?: boolean;
  /** Let crontab validators read dates in UTC (default true, as the seed's consumer). */
  utc?: boolean;
  /**
   * The minute (ms since the epoch / 60000) already checked for periodic tasks.
   * The consumer sets it to its start minute so a restart does not run a
   * minute's periodic tasks twice; left null, the first loop checks its minute.
   */
  lastPeriodicMinute?: number | null;
  /**
   * Reliable mode: the id of the consumer this scheduler belongs to. Its own
   * lists are never recovered, and what it recovers is claimed under its
   * name. Default: a fresh id.
   */
  consumerId?: string;
}

/** Moves scheduled tasks to the queue and enqueues periodic tasks. */
export class Scheduler {
  private lastMinute: number | null;
  private readonly periodic: boolean;
  private readonly utc: boolean;
  /** Reliable mode's recovery of dead consumers' tasks (null when the huey is not reliable). */
  readonly recovery: Recovery | null;
  private lastRecovery: number | null = null;

  constructor(
    readonly huey: HueyRuntime,
    options: SchedulerOptions = {},
  ) {
    this.periodic = options.periodic ?? true;
    this.utc = options.utc ?? true;
    this.lastMinute = options.lastPeriodicMinute ?? null;
    this.recovery = huey.reliable ? new Recovery(huey, options.consumerId ?? newConsumerId()) : null;
  }

  /** One iteration at time `now` (default: the huey's clock). */
  async loop(now?: Date | number): Promise<void> {
    const ts = now === undefined ? this.huey.clock() : typeof now === 'number' ? now : now.getTime();
    await this.enqueueDue(ts);
    if (this.recovery && (this.lastRecovery === null || ts - this.lastRecovery >= this.huey.reliability.heartbeatIntervalMs)) {
      this.lastRecovery = ts;
      await this.recoverInFlight();
    }
    if (this.periodic) {
      const minute = Math.floor(ts / 60000);
      if (minute !== this.lastMinute) {
        this.lastMinute = minute;
        await this.enqueuePeriodic(minute * 60000, ts);
      }
    }
  }

  /**
   * Reliable mode: hands the in-flight tasks of consumers whose heartbeat
   * has expired back to the queue. Resolves to how many went back.
   */
  async recoverInFlight(): Promise<number> {
    if (!this.recovery) return 0;
    try {
      return await this.recovery.recoverDead();
    } catch (err) {
      this.huey.logger.error(`error recovering the tasks of dead consumers: ${describeError(err)}`);
      return 0;
    }
  }

  /** Moves every task due at `ts` from the schedule to the queue. */
  async enqueueDue(ts: number): Promise<void> {
    const { huey } = this;
    let due: string[];
    try {
      due = await huey.storage.readSchedule(ts);
    } catch (err) {
      huey.logger.error(`error reading from task schedule: ${describeError(err)}`);
      return;
    }
    for (const raw of due) {
      try {
        // A task with a priority goes back to its level (the check costs nothing for a message without one).
        await enqueueAtPriority(huey.storage, raw, messagePriority(raw));
        huey.logger.debug('moved a scheduled task to the queue');
      } catch (err) {
        await this.putBack(raw, ts, err);
      }
    }
  }

  private async putBack(raw: string, ts: number, err: unknown): Promise<void> {
    const { huey } = this;
    let task: QueueTask | null = null;
    try {
      task = decodeMessage(raw, huey.serializer);
    } catch {
      // The worker reports undecodable messages; here we only try not to lose it.
    }
    if (task) huey.emitter.task(EVENT_ERROR_ENQUEUEING, task, {}, err);
    else huey.emitter.status(EVENT_ERROR_ENQUEUEING, {}, err);
    huey.logger.error(`error enqueueing scheduled task: ${describeError(err)}`);
    try {
      await huey.storage.addToSchedule(raw, ts);
    } catch {
      huey.logger.error(`scheduled task lost from storage; message: ${raw}`);
    }
  }

  /** Enqueues the periodic tasks for the minute starting at `minuteStart` (ms). */
  async enqueuePeriodic(minuteStart: number, ts: number = minuteStart): Promise<void> {
    const { huey } = this;
    huey.emitter.status(EVENT_CHECKING_PERIODIC, { timestamp: ts / 1000 });
    huey.logger.debug('checking periodic tasks');
    const due = huey.registry.duePeriodic(new Date(minuteStart), this.utc, (def, err) =>
      huey.logger.error(`validator of periodic task ${def.name} failed: ${describeError(err)}`),
    );
    for (const task of due) {
      huey.emitter.task(EVENT_SCHEDULING_PERIODIC, task, { timestamp: ts / 1000 });
      huey.logger.info(`scheduling periodic task ${task}`);
      await enqueueForConsumer(huey, task);
    }
  }
}
