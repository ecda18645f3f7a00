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
 * The feed knows which messages its workers run, so `reconcile()` can find
 * what sits in the list with no worker behind it (a take whose reply the
 * connection lost): while it looks, no take starts and no ack is under way.
 * An ack the connection lost is tried again then, and before `release()`.
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
  // Acks sent and not yet answered; release() and reconcile() wait for them. A count, not a set of promises: one per task must stay cheap.
  private pendingAcks = 0;
  private acksDrained: (() => void)[] = [];
  private readonly ackSettled = (): void => {
    if (--this.pendingAcks === 0) for (const resolve of this.acksDrained.splice(0)) resolve();
  };
  /** Reliable mode: messages handed to a worker and not done yet, with how many copies (the same message can be taken twice). */
  private readonly running = new Map<string, number>();
  /** Reliable mode: finished messages whose ack failed; acked again by reconcile() and release(), never run again. */
  private readonly unacked: string[] = [];
  /** Reconciliations under way: no fetch starts meanwhile. */
  private held = 0;
  /** The fetch under way, if `fetching`. */
  private fetched: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    options: MessageFeedOptions = {},
  ) {
    this.inFlight = options.inFlight === undefined ? null : { list: options.inFlight, storage: requireReliableDelivery(storage) };
    this.logger = options.logger ?? null;
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
   * stays there, and the next reconciliation hands it back to the queue.
   * Without an in-flight list there is nothing to do.
   */
  done(message: string, settled: boolean): void {
    const inFlight = this.inFlight;
    if (inFlight === null) return;
    const copies = this.running.get(message) ?? 0;
    if (copies > 1) this.running.set(message, copies - 1);
    else this.running.delete(message);
    if (!settled) {
      this.logger?.warn('a task stays in flight: not all of its outcome could be stored; it goes back to the queue at the next reconciliation');
      return;
    }
    this.pendingAcks++;
    inFlight.storage.ack(inFlight.list, message).then(this.ackSettled, (err: unknown) => {
      // Kept, to be acked again: handing it back would run a finished task twice.
      this.logger?.error(`could not remove a finished task from the in-flight list (tried again later): ${describeError(err)}`);
      this.unacked.push(message);
      this.ackSettled();
    });
  }

  knownUnrevoked(message: string): boolean {
    return this.unrevoked.delete(message);
  }

  /** Stops fetching; waiting workers get null. A fetch already under way still hands out what it got. */
  stop(): void {
    this.stopped = true;
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
    await this.settleAcks(inFlight);
    let n = 0;
    while ((await inFlight.storage.requeueNewest(inFlight.list)) !== null) n++;
    if (n) this.logger?.warn(`handed ${n} unfinished task(s) back to the queue`);
    return n;
  }

  /**
   * Reliable mode: finds the messages of the in-flight list that no worker of
   * this feed runs, and passes each to `handBack`, which must move it out of
   * the list. Meanwhile no fetch starts: the one under way (woken, if it
   * waits on an empty queue) and the acks sent are waited for first, and
   * failed acks are tried again, so every message in the list is either a
   * worker's or nobody's. Resolves to how many were nobody's.
   */
  async reconcile(handBack: (message: string) => Promise<unknown>): Promise<number> {
    const inFlight = this.inFlight;
    if (inFlight === null) return 0;
    this.held++;
    try {
      if (this.fetching) {
        this.storage.wake();
        await this.fetched;
      }
      await this.settleAcks(inFlight);
      const known = new Map(this.running);
      const orphans: string[] = [];
      for (const message of await inFlight.storage.inFlightItems(inFlight.list)) {
        const copies = known.get(message) ?? 0;
        if (copies > 0) known.set(message, copies - 1);
        else orphans.push(message);
      }
      for (const message of orphans) await handBack(message);
      return orphans.length;
    } finally {
      this.held--;
      this.requestPump();
    }
  }

  /** Waits for the acks under way, then acks again what failed before (found or not, the message is gone then). */
  private async settleAcks(inFlight: { readonly list: string; readonly storage: ReliableStorage }): Promise<void> {
    if (this.pendingAcks > 0) await new Promise<void>((resolve) => this.acksDrained.push(resolve));
    while (this.unacked.length > 0) {
      await inFlight.storage.ack(inFlight.list, this.unacked[0] as string);
      this.unacked.shift();
    }
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
    if (this.held > 0) return;
    this.fetching = true;
    // This fetch serves the waiters a scheduled pump was for.
    if (this.scheduledPump !== null) {
      clearImmediate(this.scheduledPump);
      this.scheduledPump = null;
    }
    this.fetched = this.fetch().finally(() => {
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
      // Not while a reconciliation waits for this fetch: it could wait a whole read timeout.
      if (items.length === 0 && !this.stopped && this.held === 0) {
        const one = await this.take();
        items = one === null ? [] : [one];
      }
    } catch (err) {
      for (const w of this.waiters.splice(0)) w.reject(err);
      return;
    }
    if (items.length === 0) {
      // Timed out or woken: let every waiting worker loop (and notice a stop).
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    for (const item of items) {
      if (this.inFlight !== null) this.running.set(item, (this.running.get(item) ?? 0) + 1);
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
