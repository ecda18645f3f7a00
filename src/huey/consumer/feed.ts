/**
 * MessageFeed: one queue reader shared by all async workers of a consumer.
 * Idle workers wait in line; the feed takes as many messages as there are
 * waiting workers in one round trip (RPOP with a count), and only when the
 * queue is empty does it block (BRPOP) on the storage's dedicated
 * connection. So 50 workers cost one blocked connection, not 50, and a busy
 * queue is drained in batches. It never takes more messages than it has
 * workers waiting for, so a crash loses no more than BRPOP per worker would.
 *
 * In reliable mode (an `inFlight` list is given) nothing is lost at all: each
 * message moves atomically into that in-flight list (pipelined LMOVEs, or
 * BLMOVE when the queue is empty), a worker's `done()` removes it once its
 * outcome is stored, and `release()` hands back whatever is left when the
 * consumer stops cleanly. The acks are not awaited by the workers: a worker's
 * ack goes out with its next fetch, so reliability costs no extra round trip.
 * After a storage failure (failover), messages left in the list with no worker
 * on them are put back on the queue (in-flight-repair.ts).
 *
 * With each batch the feed also asks whether any revocation record exists,
 * in the same round trip, after the pop. When none does, nothing in the batch
 * can be revoked, and its workers skip reading revocation records: a task then
 * costs one round trip instead of two. A revocation that lands after the pop
 * is then missed, as one landing just after the records were read always is:
 * the window is as wide as before, only earlier.
 */
import { describeError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import { requireReliableDelivery, type ReliableStorage, type Storage } from '../storage/storage.js';
import { InFlightRepair } from './in-flight-repair.js';
import type { MessageSource } from './worker.js';

interface Waiter {
  resolve(message: string | null): void;
  reject(err: unknown): void;
}

/** Options of a MessageFeed. */
export interface MessageFeedOptions {
  /** Reliable mode: the in-flight list messages move into while they run. */
  inFlight?: string;
  /** Where failed acks are reported. */
  logger?: Logger;
  /** How many workers share the feed (default 1): when all of them wait, a fetch need not wait for more. */
  workers?: number;
}

/** A MessageSource shared by several workers. */
export class MessageFeed implements MessageSource {
  private readonly waiters: Waiter[] = [];
  /** Messages handed out from batches taken while no revocation record existed. */
  private readonly unrevoked = new Set<string>();
  private fetching = false;
  /** A pump waiting for the end of this turn of the event loop (see requestPump). */
  private scheduledPump: NodeJS.Immediate | null = null;
  private readonly runScheduledPump = (): void => {
    this.scheduledPump = null;
    this.pump();
  };
  private stopped = false;
  /** Reliable mode: the in-flight list, and the storage as the ReliableStorage it must then be; null otherwise. */
  private readonly inFlight: { readonly list: string; readonly storage: ReliableStorage } | null;
  private readonly logger: Logger | null;
  private readonly workers: number;
  // Acks sent and not yet answered; release() waits for them. A count, not a set of promises: one per task must stay cheap.
  private pendingAcks = 0;
  private acksDrained: (() => void)[] = [];
  private readonly ackSettled = (): void => {
    if (--this.pendingAcks === 0) for (const resolve of this.acksDrained.splice(0)) resolve();
  };
  private readonly ackFailed = (err: unknown): void => {
    // The message stays in flight and runs again (after a repair sweep, or once this consumer stops): at least once, never lost.
    this.logger?.error(`could not remove a finished task from the in-flight list: ${describeError(err)}`);
    this.repair?.failed();
    this.ackSettled();
  };
  private readonly acksSettled = (): Promise<void> =>
    this.pendingAcks === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.acksDrained.push(resolve));
  private readonly repair: InFlightRepair | null;
  private readonly stopWatching: (() => void) | null;

  constructor(
    private readonly storage: Storage,
    options: MessageFeedOptions = {},
  ) {
    this.inFlight = options.inFlight === undefined ? null : { list: options.inFlight, storage: requireReliableDelivery(storage) };
    this.logger = options.logger ?? null;
    this.repair = this.inFlight === null ? null : new InFlightRepair(this.inFlight.storage, this.inFlight.list, this.logger);
    // A reconnect (a failover) may follow writes that failed on the old server: check the in-flight list.
    const repair = this.repair;
    this.stopWatching = repair !== null && storage.onReconnect ? storage.onReconnect(() => repair.failed()) : null;
    this.workers = options.workers ?? 1;
  }

  next(): Promise<string | null> {
    if (this.stopped) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.requestPump();
    });
  }

  /**
   * Reliable mode: a worker is finished with `message`. If its outcome is
   * stored (`settled`), the message leaves the in-flight list; if not, it
   * stays there and runs again once this consumer stops or is recovered.
   * Without an in-flight list there is nothing to do.
   */
  done(message: string, settled: boolean): void {
    const inFlight = this.inFlight;
    if (inFlight === null) return;
    this.repair?.finished(message);
    if (!settled) {
      this.logger?.warn('a task stays in flight: not all of its outcome could be stored; it runs again after this consumer stops or the storage reconnects');
      return;
    }
    this.pendingAcks++;
    inFlight.storage.ack(inFlight.list, message).then(this.ackSettled, this.ackFailed);
  }

  knownUnrevoked(message: string): boolean {
    return this.unrevoked.delete(message);
  }

  /** Stops fetching; waiting workers get null. A fetch already under way still hands out what it got. */
  stop(): void {
    this.stopped = true;
    this.stopWatching?.();
    this.storage.wake();
    if (!this.fetching) for (const w of this.waiters.splice(0)) w.resolve(null);
  }

  /**
   * Reliable mode, once the workers have stopped: waits for the acks sent so
   * far, then moves whatever is still in the in-flight list back to the
   * front of the queue (in order) for another consumer. Resolves to how many
   * messages went back.
   */
  async release(): Promise<number> {
    const inFlight = this.inFlight;
    if (inFlight === null) return 0;
    await this.acksSettled();
    let n = 0;
    while ((await inFlight.storage.requeueNewest(inFlight.list)) !== null) n++;
    if (n) this.logger?.warn(`handed ${n} unfinished task(s) back to the queue`);
    return n;
  }

  /**
   * Fetches for the waiting workers: at once when every worker is waiting,
   * else at the end of this turn of the event loop, so that the workers
   * finishing in this same turn (a batch of quick tasks usually does) share
   * one fetch, rather than the first of them fetching alone and the rest
   * waiting a round trip for the next.
   */
  private requestPump(): void {
    if (this.waiters.length === 0) return;
    if (this.waiters.length >= this.workers) {
      this.pump();
    } else if (this.scheduledPump === null) {
      this.scheduledPump = setImmediate(this.runScheduledPump);
    }
  }

  private pump(): void {
    if (this.fetching || this.waiters.length === 0) return;
    if (this.stopped) {
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    this.fetching = true;
    // This fetch serves the waiters a scheduled pump was for.
    if (this.scheduledPump !== null) {
      clearImmediate(this.scheduledPump);
      this.scheduledPump = null;
    }
    // After a storage failure, a repair sweep takes this turn (no fetch may run during it).
    const repair = this.repair;
    const work = repair !== null && repair.wanted ? repair.sweep(this.acksSettled) : this.fetch();
    void work.finally(() => {
      this.fetching = false;
      this.requestPump();
    });
  }

  private async fetch(): Promise<void> {
    let items: string[];
    try {
      // Asked after the pop on the same connection, so it describes the moment the batch was taken.
      // If it cannot be answered, the workers just read the records as usual.
      const [taken, revocations] = await Promise.all([this.takeMany(this.waiters.length), this.storage.hasRevocations().catch(() => true)]);
      items = taken;
      if (!revocations) for (const item of items) this.unrevoked.add(item);
      if (items.length === 0 && !this.stopped) {
        const one = await this.take();
        items = one === null ? [] : [one];
      }
    } catch (err) {
      // A take whose reply was lost may have moved messages into the in-flight list.
      this.repair?.failed();
      for (const w of this.waiters.splice(0)) w.reject(err);
      return;
    }
    if (items.length === 0) {
      // Timed out or woken: let every waiting worker loop (and notice a stop).
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    const repair = this.repair;
    for (const item of items) {
      repair?.handedOut(item);
      (this.waiters.shift() as Waiter).resolve(item);
    }
  }

  private takeMany(count: number): Promise<string[]> {
    const f = this.inFlight;
    return f === null ? this.storage.dequeueMany(count) : f.storage.takeMany(f.list, count);
  }

  private take(): Promise<string | null> {
    const f = this.inFlight;
    return f === null ? this.storage.dequeue() : f.storage.take(f.list);
  }
}
