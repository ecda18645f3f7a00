/**
 * Consumer events: the publisher that sends them to the huey's channel and
 * the stream that `huey.events()` returns to listeners. The statuses and the
 * record's shape are in event-names.ts, re-exported here. Events are best
 * effort: a failed publish is logged at debug level and never disturbs a task.
 */
import type { EventExtra, EventStatus, HueyEvent } from './event-names.js';
import { tracebackOf } from './exceptions.js';
import type { Logger } from './logger.js';
import type { EventSubscription, Storage } from './storage/storage.js';
import type { QueueTask } from './task.js';

export * from './event-names.js';

/** The task fields every task event (and every error record) carries. */
export interface TaskFields {
  id: string;
  task: string;
  retries: number;
  retryDelay: number;
  executeTime: number | null;
}

export function taskFields(task: QueueTask): TaskFields {
  return {
    id: task.id,
    task: task.name,
    retries: task.retries,
    retryDelay: task.retryDelay,
    executeTime: task.eta ? task.eta.getTime() / 1000 : null,
  };
}

/** Builds events and publishes them through the storage. */
export class EventPublisher {
  // Counting instead of keeping each send's promise: two events per task must stay cheap.
  private pending = 0;
  private readonly drained: (() => void)[] = [];
  private readonly sent = (): void => this.settle();
  private readonly failed = (err: unknown): void => {
    this.logger().debug(`could not publish an event: ${String(err)}`);
    this.settle();
  };

  constructor(
    private readonly storage: Storage,
    private readonly enabled: () => boolean,
    private readonly logger: () => Logger,
  ) {}

  /** Publishes a status event; pass `error` to make it an error event with its traceback. */
  status(status: EventStatus, extra?: EventExtra, error?: unknown): void {
    if (!this.enabled()) return;
    const event: HueyEvent = { status, error: error !== undefined };
    if (extra) Object.assign(event, extra);
    if (error !== undefined) event.traceback = tracebackOf(error);
    this.publish(event);
  }

  /** Publishes an event about a task. */
  task(status: EventStatus, task: QueueTask, extra?: EventExtra, error?: unknown): void {
    if (!this.enabled()) return;
    // taskFields() written out: spreading it here cost 0.1 µs per event (two per task) in a microbenchmark.
    const event: HueyEvent = {
      status,
      error: error !== undefined,
      id: task.id,
      task: task.name,
      retries: task.retries,
      retryDelay: task.retryDelay,
      executeTime: task.eta ? task.eta.getTime() / 1000 : null,
    };
    if (extra) Object.assign(event, extra);
    if (error !== undefined) event.traceback = tracebackOf(error);
    this.publish(event);
  }

  /**
   * Resolves when every event published so far has been sent (or has failed),
   * or after `timeoutMs`: events are best effort and must not hold up a shutdown.
   */
  flush(timeoutMs = Infinity): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : null;
      const drained = this.drained;
      function done() {
        if (timer) clearTimeout(timer);
        const i = drained.indexOf(done);
        if (i >= 0) drained.splice(i, 1);
        resolve();
      }
      drained.push(done);
    });
  }

  private settle(): void {
    if (--this.pending === 0 && this.drained.length) for (const resolve of this.drained.splice(0)) resolve();
  }

  private publish(event: HueyEvent): void {
    let json: string;
    try {
      json = JSON.stringify(event);
    } catch (err) {
      this.logger().debug(`could not encode event ${event.status}: ${String(err)}`);
      return;
    }
    // Not awaited: events must not slow tasks down. The storage sends them
    // in order on one connection, so listeners see them in emit order.
    this.pending++;
    let sending: Promise<unknown>;
    try {
      sending = this.storage.emit(json);
    } catch (err) {
      this.failed(err);
      return;
    }
    sending.then(this.sent, this.failed);
  }
}

/** An async iterator of consumer events; `ready` resolves once listening. */
export interface EventStream extends AsyncIterableIterator<HueyEvent> {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** The events published on `storage`'s channel, parsed; messages that are not JSON are skipped. */
export function eventStream(storage: Storage): EventStream {
  const sub: EventSubscription = storage.listener();
  const stream: EventStream = {
    ready: sub.ready,
    close: () => sub.close(),
    async next(): Promise<IteratorResult<HueyEvent>> {
      for (;;) {
        const r = await sub.next();
        if (r.done) return { value: undefined, done: true };
        try {
          return { value: JSON.parse(r.value) as HueyEvent, done: false };
        } catch {
          // Someone else published garbage on our channel: skip it.
        }
      }
    },
    async return(): Promise<IteratorResult<HueyEvent>> {
      await sub.close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
