/**
 * Recovery: handing the tasks of a dead consumer back to the queue (reliable
 * mode). A consumer is dead when its heartbeat has expired; each of its
 * in-flight lists is then claimed with one atomic rename into this
 * consumer's own claim list (so two consumers recovering at once never
 * share a task, and if this one dies too, its claim list is recovered in
 * turn), and drained newest first, which keeps the queue's order:
 *
 * - each task's recovery count goes up by one;
 * - a task recovered at most maxRecoveries times moves back to the front of
 *   the queue (EVENT_RECOVERED);
 * - a task recovered more often is taken to crash whoever runs it: it moves
 *   to the error list with a TaskPoisonedException, stored as its result
 *   too, and EVENT_POISONED is emitted.
 *
 * Messages without a readable id are moved back without counting: the
 * worker reports them as bad messages, which cannot crash it.
 */
import { EVENT_POISONED, EVENT_RECOVERED } from '../events.js';
import { TaskPoisonedException, describeError, tracebackOf, type ErrorMetadata } from '../exceptions.js';
import { decodeMessage, encodeErrorResult } from '../message.js';
import type { HueyRuntime } from '../runtime.js';
import { requireReliableDelivery, type ReliableStorage } from '../storage/storage.js';
import type { QueueTask } from '../task.js';
import { errorMetadata } from './error-records.js';

function idOf(raw: string): string | null {
  try {
    const o = JSON.parse(raw) as { id?: unknown };
    return typeof o?.id === 'string' && o.id !== '' ? o.id : null;
  } catch {
    return null;
  }
}

/** Recovers in-flight lists on behalf of one consumer. */
export class Recovery {
  /** The list this consumer claims other lists into while it drains them. */
  readonly claimList: string;
  // One recovery at a time: they share the claim list.
  private running: Promise<unknown> = Promise.resolve();
  private readonly storage: ReliableStorage;

  constructor(
    private readonly huey: HueyRuntime,
    /** The consumer doing the recovering; its own lists are never touched. */
    readonly consumerId: string,
  ) {
    this.claimList = `${consumerId}/recovery`;
    this.storage = requireReliableDelivery(huey.storage);
  }

  /** Finds the registered lists whose consumer's heartbeat has expired and recovers them. Resolves to how many tasks went back to the queue. */
  async recoverDead(): Promise<number> {
    const { storage } = this;
    const owners = await storage.inFlightOwners();
    const consumers = [...new Set(Object.values(owners))].filter((c) => c !== this.consumerId);
    if (consumers.length === 0) return 0;
    const beats = await storage.heartbeats(consumers);
    const dead = new Set(consumers.filter((_, i) => beats[i] === null));
    let n = 0;
    for (const [list, owner] of Object.entries(owners)) {
      if (dead.has(owner)) n += await this.recoverList(list, owner);
    }
    return n;
  }

  /**
   * Recovers one in-flight list whose consumer is known to be dead (or, for
   * a worker thread or process, to have exited). Resolves to how many tasks
   * went back to the queue.
   */
  recoverList(list: string, owner: string): Promise<number> {
    const run = this.running.then(() => this.recoverOne(list, owner));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async recoverOne(list: string, owner: string): Promise<number> {
    const { storage } = this;
    // Registered before it can hold anything, so this consumer's own death cannot lose what it claimed.
    await storage.registerInFlight(this.consumerId, [this.claimList]);
    // Left over from a drain that was cut short.
    let n = await this.drain(owner);
    const claim = await storage.claimInFlight(list, this.claimList);
    if (claim === 'busy') {
      this.huey.logger.warn(`in-flight list ${list} not recovered yet: ${this.claimList} is still being drained`);
      return n;
    }
    await storage.unregisterInFlight([list]);
    if (claim === 'claimed') {
      this.huey.logger.warn(`recovering the in-flight tasks of ${owner} (list ${list})`);
      n += await this.drain(owner);
    }
    await storage.unregisterInFlight([this.claimList]);
    return n;
  }

  private async drain(owner: string): Promise<number> {
    const { huey, storage, claimList } = this;
    let n = 0;
    for (;;) {
      const raw = await storage.peekNewest(claimList);
      if (raw === null) return n;
      const outcome = await handBack(huey, storage, claimList, raw, owner, async () => (await storage.requeueNewest(claimList)) !== null);
      if (outcome === 'gone') return n;
      if (outcome === 'requeued') n++;
    }
  }
}

/**
 * Hands one message of in-flight list `list` back, on behalf of `owner` (the
 * consumer whose list it was): counts the recovery, then either moves it to
 * the front of the queue with `requeue` (which resolves to false if the
 * message was no longer there) and emits EVENT_RECOVERED, or, past
 * maxRecoveries, sets it aside (error list, TaskPoisonedException as its
 * result) with EVENT_POISONED. Shared by the recovery of dead consumers and
 * a live consumer's reconciliation of its own list (reconcile.ts).
 */
export async function handBack(
  huey: HueyRuntime,
  storage: ReliableStorage,
  list: string,
  raw: string,
  owner: string,
  requeue: () => Promise<boolean>,
): Promise<'requeued' | 'poisoned' | 'gone'> {
  const id = idOf(raw);
  const count = id === null ? 0 : await storage.countRecovery(id);
  let task: QueueTask | null = null;
  try {
    task = decodeMessage(raw, huey.serializer);
  } catch {
    // The worker will report it; here it only goes back.
  }
  if (id !== null && count > huey.reliability.maxRecoveries) {
    await poison(huey, storage, list, raw, id, task, count, owner);
    return 'poisoned';
  }
  if (!(await requeue())) return 'gone';
  const extra = { recoveries: count, consumer: owner };
  if (task) huey.emitter.task(EVENT_RECOVERED, task, extra);
  else huey.emitter.status(EVENT_RECOVERED, { id, ...extra });
  huey.logger.warn(`recovered ${task ?? `message ${id ?? raw.slice(0, 80)}`} from ${owner} (recovery ${count})`);
  return 'requeued';
}

async function poison(
  huey: HueyRuntime,
  storage: ReliableStorage,
  list: string,
  raw: string,
  id: string,
  task: QueueTask | null,
  count: number,
  owner: string,
): Promise<void> {
  const max = huey.reliability.maxRecoveries;
  const error = new TaskPoisonedException(
    `task ${task?.name ?? '(unreadable)'} ${id} was recovered from dead consumers ${count} times (more than maxRecoveries ${max}); it will not run again`,
  );
  const metadata: ErrorMetadata = task
    ? errorMetadata(task, error)
    : { id, task: null, retries: 0, retryDelay: 0, executeTime: null, error: describeError(error), traceback: tracebackOf(error) };
  if (huey.resultStore && huey.storeErrors) {
    try {
      // Whoever waits for the result learns why it never comes.
      await storage.putData(id, encodeErrorResult(metadata));
    } catch (err) {
      huey.logger.error(`could not store the failure of poisoned task ${id}: ${describeError(err)}`);
    }
  }
  await storage.discardInFlight(list, raw, JSON.stringify({ ...metadata, message: raw }));
  await storage.forgetRecovery(id);
  const extra = { recoveries: count, consumer: owner };
  if (task) huey.emitter.task(EVENT_POISONED, task, extra, error);
  else huey.emitter.status(EVENT_POISONED, { id, ...extra }, error);
  huey.logger.error(`${describeError(error)}; it is kept in the error list`);
}
