/**
 * Reconciliation (reliable mode): a live consumer checks its own in-flight
 * list against what its workers run, after every reconnect of the storage
 * and every `recoveryDelay` besides. Recovery (recovery.ts) only looks at
 * dead consumers' lists, so without this a message could sit forever in the
 * list of a consumer that stays alive:
 *
 * - a take the server carried out (LMOVE) whose reply was lost with the
 *   connection: the client rejects the call and never resends it, so no
 *   worker knows of the message;
 * - a task whose outcome could not all be stored (a failure other than a
 *   dropped connection, which is retried: see until-stored.ts).
 *
 * Each such message goes back to the front of the queue, counted as a
 * recovery with EVENT_RECOVERED (past maxRecoveries it is set aside, as
 * recovery does). It is never dropped, and never runs twice at the same
 * time: the feed (feed.ts) holds its takes and waits for its acks while the
 * list is read, so every message there is either a worker's or nobody's.
 */
import { describeError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import type { HueyRuntime } from '../runtime.js';
import { requireReliableDelivery, type ReliableStorage } from '../storage/storage.js';
import type { MessageFeed } from './feed.js';
import { handBack } from './recovery.js';

/** How soon a reconciliation that found the storage unavailable is tried again (ms). */
const RETRY_UNAVAILABLE_MS = 200;

/** Options of a Reconciler. */
export interface ReconcilerOptions {
  /** The in-flight list the feed takes messages into. */
  list: string;
  /** The consumer id that list belongs to (named in EVENT_RECOVERED). */
  owner: string;
  /** Time between checks that no reconnect asked for, in ms (default: the huey's recoveryDelay). */
  intervalMs?: number;
  logger?: Logger;
}

/** Reconciles one feed's in-flight list: on reconnects, and now and then. */
export class Reconciler {
  private readonly storage: ReliableStorage;
  private readonly list: string;
  private readonly owner: string;
  private readonly intervalMs: number;
  private readonly logger: Logger;
  /** When the last reconciliation started (the huey's clock); null: never, so the first check runs one. */
  private last: number | null = null;
  /** The storage reconnected (or a reconciliation failed) since the last one started. */
  private wanted = false;
  private current: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly huey: HueyRuntime,
    private readonly feed: Pick<MessageFeed, 'reconcile'>,
    options: ReconcilerOptions,
  ) {
    this.storage = requireReliableDelivery(huey.storage);
    this.list = options.list;
    this.owner = options.owner;
    this.intervalMs = options.intervalMs ?? huey.reliability.recoveryDelayMs;
    this.logger = options.logger ?? huey.logger;
  }

  /** Reconciles after every reconnect, and checks once per heartbeat interval whether a periodic one is due. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.storage.onReconnect?.(() => this.reconnected()) ?? null;
    this.timer = setInterval(() => void this.check(), this.huey.reliability.heartbeatIntervalMs);
    // Never what keeps a process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The storage's connection is back: reconcile now (or right after the one under way). */
  reconnected(): void {
    this.wanted = true;
    void this.check();
  }

  /**
   * Reconciles if one is wanted (a reconnect, a failed attempt) or
   * `intervalMs` have passed since the last, by `now` (default: the huey's
   * clock). One at a time. Resolves to how many messages no worker ran
   * (handed back, or set aside past maxRecoveries; 0 when none was due);
   * failures are logged, and the next check tries again.
   */
  async check(now: number = this.huey.clock()): Promise<number> {
    if (this.current) return 0;
    if (!this.wanted && this.last !== null && now - this.last < this.intervalMs) return 0;
    this.wanted = false;
    this.last = now;
    this.current = this.run();
    try {
      const n = await this.current;
      this.current = null;
      // A reconnect during this one: what it may have left behind is looked at now, not a heartbeat later.
      if (this.wanted && this.timer) void this.check();
      return n;
    } catch (err) {
      this.current = null;
      this.wanted = true;
      if (this.storage.isUnavailable?.(err)) {
        // The storage is coming back (reconnecting, or still loading its data): try again shortly.
        this.logger.warn(`in-flight list ${this.list} not reconciled yet, the storage is unavailable: ${describeError(err)}`);
        if (this.timer) setTimeout(() => void this.check(), RETRY_UNAVAILABLE_MS).unref();
      } else {
        // Tried again at the next check, not at once: the cause may last.
        this.logger.error(`could not reconcile in-flight list ${this.list}: ${describeError(err)}`);
      }
      return 0;
    }
  }

  private async run(): Promise<number> {
    const { huey, storage, list, owner } = this;
    const n = await this.feed.reconcile((raw) => handBack(huey, storage, list, raw, owner, () => storage.requeueInFlight(list, raw)));
    if (n) this.logger.warn(`in-flight list ${list} held ${n} task(s) no worker here was running: handed back`);
    return n;
  }
}
