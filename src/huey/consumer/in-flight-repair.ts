/**
 * InFlightRepair: reliable mode after a storage failure while tasks ran (a
 * lost connection, a failover to a replica). Then some messages can be left
 * in this consumer's in-flight list with no worker on them: a task whose
 * outcome or ack could not be written, or a batch taken just before the
 * connection died whose reply never arrived. Recovery only hands such messages
 * back when the consumer is gone, and this one is alive, so after a failed
 * take or ack, or when the storage reconnects, the feed asks for a sweep
 * (a task whose outcome could not be stored for another reason stays until
 * the consumer stops, as before): with no fetch under way and the sent acks settled, every message in
 * the list that no worker holds goes back on the queue. It may run twice
 * (at least once, never lost). Sweeps happen only after a failure was seen.
 */
import { describeError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import type { ReliableStorage } from '../storage/storage.js';

/** Tracks the messages workers hold and puts stranded ones back after a failure. */
export class InFlightRepair {
  /** A failure was seen since the last sweep. */
  wanted = false;
  // Handed to a worker, not yet done.
  private readonly held = new Set<string>();
  // Done while a sweep reads the list: their acks may still be on the way.
  private doneDuringSweep: Set<string> | null = null;

  constructor(
    private readonly storage: ReliableStorage,
    private readonly list: string,
    private readonly logger: Logger | null,
  ) {}

  handedOut(message: string): void {
    this.held.add(message);
  }

  finished(message: string): void {
    this.held.delete(message);
    this.doneDuringSweep?.add(message);
  }

  /** Something failed that may have left messages stranded. */
  failed(): void {
    this.wanted = true;
  }

  /**
   * Puts the stranded messages back on the queue. The caller makes sure no
   * fetch runs meanwhile; `acksSettled` resolves once the acks already sent
   * are answered. A sweep that fails (storage still down) is wanted again.
   */
  async sweep(acksSettled: () => Promise<void>): Promise<void> {
    this.wanted = false;
    const doneDuring = new Set<string>();
    this.doneDuringSweep = doneDuring;
    try {
      await acksSettled();
      let n = 0;
      for (const message of await this.storage.inFlightItems(this.list)) {
        if (this.held.has(message) || doneDuring.has(message)) continue;
        await this.storage.enqueue(message);
        await this.storage.ack(this.list, message);
        n++;
      }
      if (n) this.logger?.warn(`put ${n} task(s) stranded in flight by a storage failure back on the queue (they may run twice)`);
    } catch (err) {
      this.wanted = true;
      this.logger?.debug(`could not check the in-flight list yet: ${describeError(err)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      this.doneDuringSweep = null;
    }
  }
}
