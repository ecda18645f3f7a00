/**
 * Membership: how a reliable consumer shows it is alive. Every heartbeat
 * interval it sets its heartbeat (a key that expires on its own, by the
 * storage server's clock, so consumers' clocks never need to agree) and
 * registers its in-flight lists under its id, so that others can find them
 * without scanning keys. While the heartbeat lives, nobody touches those
 * lists; once it has expired, any consumer's scheduler hands them back
 * (see recovery.ts). A clean stop (`leave()`) unregisters everything.
 */
import { describeError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import type { HueyRuntime } from '../runtime.js';
import { requireReliableDelivery, type ReliableStorage } from '../storage/storage.js';

/** One consumer's heartbeat and in-flight lists. */
export class Membership {
  private readonly lists = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private readonly info: string;
  private readonly storage: ReliableStorage;

  constructor(
    private readonly huey: HueyRuntime,
    /** The consumer's id (see newConsumerId()). */
    readonly consumerId: string,
    lists: string[] = [],
    private readonly logger: Logger = huey.logger,
  ) {
    this.storage = requireReliableDelivery(huey.storage);
    for (const l of lists) this.lists.add(l);
    // What `redis-cli GET huey.{name}.consumer.<id>` shows: enough to find the process.
    this.info = JSON.stringify({ pid: process.pid, since: new Date().toISOString() });
  }

  /** Beats once (so the lists are registered before any task is taken), then every heartbeat interval. */
  async start(): Promise<void> {
    await this.beat();
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.huey.reliability.heartbeatIntervalMs);
    // The heartbeat alone must not keep a process alive.
    this.timer.unref();
  }

  /** Refreshes the heartbeat and the lists' registration. Failures are logged: missing a few beats is harmless. */
  beat(): Promise<void> {
    // A slow storage must not pile up beats.
    this.beating ??= (async () => {
      const { storage } = this;
      const { reliability } = this.huey;
      try {
        await Promise.all([
          storage.heartbeat(this.consumerId, reliability.heartbeatTtlMs, this.info),
          storage.registerInFlight(this.consumerId, [...this.lists]),
        ]);
      } catch (err) {
        this.logger.warn(`could not send the consumer's heartbeat: ${describeError(err)}`);
      }
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /** Adds an in-flight list (registered at once, and at every beat). */
  async add(list: string): Promise<void> {
    this.lists.add(list);
    await this.storage.registerInFlight(this.consumerId, [list]);
  }

  /**
   * Stops vouching for a list (say, of a worker that exited); its
   * registration is left for recovery to remove once the list is handed back.
   */
  forget(list: string): void {
    this.lists.delete(list);
  }

  /** Stops beating without unregistering: the lists are left for others to recover (an immediate stop). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A clean stop: the lists (which the caller has emptied) are unregistered and the heartbeat removed. */
  async leave(): Promise<void> {
    this.stop();
    await this.beating;
    const { storage } = this;
    try {
      await storage.unregisterInFlight([...this.lists]);
      await storage.dropHeartbeat(this.consumerId);
    } catch (err) {
      // Harmless: the heartbeat expires and a recovery finds the lists empty.
      this.logger.warn(`could not unregister the consumer: ${describeError(err)}`);
    }
  }
}
