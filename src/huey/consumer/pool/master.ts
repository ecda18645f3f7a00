/**
 * The master of the thread and process worker kinds. It runs no tasks: it
 * keeps -w worker slots filled (each a thread or process that imports the
 * user's module and runs its own Worker loop on its own connection), runs
 * the Scheduler (due scheduled tasks every -s seconds, periodic tasks once a
 * minute), and every -c seconds a health check that restarts dead workers.
 * A worker's death is logged and published as an EVENT_ERROR_INTERNAL event
 * carrying `worker` (slot), `pid`, `threadId` and `reason`.
 *
 * With a reliable huey the master is the consumer the rest of the world
 * sees: one id and one heartbeat, sent from the master's event loop, which
 * never runs a task, so a worker busy with CPU-bound work is never taken
 * for dead. Each worker it starts gets a fresh in-flight list, registered
 * under the master's id before the worker can take anything. When a worker
 * exits, the master hands whatever its list still holds back to the queue
 * at once (nothing, after a clean stop) and stops vouching for the list. If
 * the master itself dies, its heartbeat expires and another consumer's
 * scheduler recovers every list.
 *
 * A worker reports each task with a timeout as it starts and ends; if one
 * runs past its timeout (plus a little grace, so the worker's own timeout
 * and AbortSignal act first), the master kills that worker, records the
 * task's failure with TaskTimeout (and its retry), and starts a new worker
 * in the slot at once.
 */
import { EVENT_ERROR_INTERNAL } from '../../events.js';
import { tracebackOf } from '../../exceptions.js';
import type { Logger } from '../../logger.js';
import type { HueyRuntime } from '../../runtime.js';
import { newConsumerId } from '../../reliability.js';
import { hasReliableDelivery } from '../../storage/storage.js';
import { failOverrun } from '../controls.js';
import { Membership } from '../membership.js';
import { Presence } from '../presence.js';
import { Pacer } from '../pacer.js';
import { Scheduler } from '../scheduler.js';
import { startLines } from '../start-lines.js';
import { guardStop } from '../stop-guard.js';
import { LoadError, type ModuleSpec } from '../cli/module-spec.js';
import type { ConsumerSettings } from '../cli/options.js';
import type { Runner } from '../cli/runner.js';
import { describeExit, spawnProcess, spawnThread, type WorkerExit, type WorkerHandle } from './handle.js';
import type { FromWorker, WorkerInit } from './protocol.js';

/** What the master needs of a huey (not the Huey class: the API's createConsumer() starts masters too). */
export type PoolHuey = HueyRuntime & { close(): Promise<void> };

/** How the master is hosted: by huey-consumer (the defaults) or by the API's createConsumer(). */
export interface PoolHost {
  /** The folder module paths are relative to (default: the current one). */
  cwd?: string;
  /** Workers send their log lines to the master's logger (default false: they write their own, as the CLI's). */
  forwardLogs?: boolean;
  /** stop() closes the huey's connections (default true: the CLI exits next). */
  closeHuey?: boolean;
}

/** One of the -w places a worker runs in. */
interface Slot {
  index: number;
  handle: WorkerHandle | null;
  /** Set when the worker died unasked; the next health check restarts it. */
  dead: boolean;
  /** Resolves once the current worker has exited and its in-flight list is settled. */
  gone: Promise<void>;
  /** The task with a timeout the worker is running, and the timer that replaces the worker if it overruns. */
  watch: { message: string; timer: NodeJS.Timeout } | null;
  /** Set when the worker was killed for overrunning: that task's message. */
  overrun: string | null;
  /** Why the worker could not load the module, when it said so. */
  failure: string | null;
}

/** How long past a task's timeout the master waits before replacing its worker (the worker's own timeout goes first). */
function overrunGraceMs(timeoutMs: number): number {
  return Math.min(1000, Math.max(100, timeoutMs * 0.1));
}

/** Runs worker threads or processes, the scheduler and health checks. */
export class PoolRunner implements Runner {
  private readonly slots: Slot[];
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private schedulerLoop: Promise<void> | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private healthChecking = false;
  private readonly pacer = new Pacer();
  private readonly scheduler: Scheduler;
  /** Reliable mode: the master's consumer id; null otherwise. */
  readonly consumerId: string | null;
  private readonly membership: Membership | null;
  private readonly presence: Presence;
  private spawned = 0;

  constructor(
    private readonly huey: PoolHuey,
    private readonly spec: ModuleSpec,
    private readonly settings: ConsumerSettings & { kind: 'thread' | 'process' },
    private readonly logger: Logger,
    private readonly host: PoolHost = {},
  ) {
    this.slots = Array.from({ length: settings.workers }, (_, i) => ({
      index: i + 1,
      handle: null,
      dead: false,
      gone: Promise.resolve(),
      watch: null,
      overrun: null,
      failure: null,
    }));
    this.consumerId = huey.reliable ? newConsumerId() : null;
    this.membership = this.consumerId === null ? null : new Membership(huey, this.consumerId, [], logger);
    // Tasks run in the workers' processes: they count them, this record does not list them.
    this.presence = new Presence(huey, this.consumerId ?? newConsumerId(), { kind: settings.kind, workers: settings.workers, countsTasks: false }, logger);
    this.scheduler = new Scheduler(huey, {
      periodic: settings.periodic,
      utc: settings.utc,
      // As the in-process Consumer: the start minute counts as checked.
      lastPeriodicMinute: Math.floor(huey.clock() / 60000),
      ...(this.consumerId === null ? {} : { consumerId: this.consumerId }),
    });
  }

  /** The live workers' handles (for tests and status lines). */
  get handles(): WorkerHandle[] {
    return this.slots.flatMap((s) => (s.handle ? [s.handle] : []));
  }

  async start(): Promise<void> {
    for (const line of startLines(this.huey, this.settings)) this.logger.info(line);
    if (this.membership) {
      await this.membership.start();
      this.logger.info(`reliable delivery: consumer id ${this.consumerId} (heartbeats from this process, one in-flight list per worker)`);
    }
    this.presence.start();
    await Promise.all(this.slots.map((slot) => this.spawn(slot)));
    this.schedulerLoop = this.pacer.every(
      this.settings.schedulerInterval * 1000,
      () => this.scheduler.loop(),
      (err) => this.logger.error(`scheduler error: ${tracebackOf(err)}`),
    );
    if (this.settings.healthCheck) {
      this.healthTimer = setInterval(() => void this.healthCheck(), this.settings.healthCheckInterval * 1000);
    }
    // Ready or dead: a worker that dies while starting must not hang start(); the health check deals with it.
    await Promise.all(this.handles.map((h) => Promise.race([h.ready, h.exited])));
    // A module the workers cannot load will not load on a restart either: stop, and say why.
    const failed = this.slots.find((slot) => slot.failure !== null);
    if (failed) {
      await this.stop();
      throw new LoadError(`worker ${failed.index} could not start: ${failed.failure}`);
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.pacer.stop();
    this.logger.info('shutting down gracefully...');
    // An unreachable storage would keep the scheduler (and what follows) waiting forever.
    const unguard = guardStop(this.huey, this.logger);
    try {
      await this.restarting;
      await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
      await this.schedulerLoop;
      await this.membership?.leave();
      await this.presence.leave();
      if (this.host.closeHuey ?? true) await this.huey.close();
      else await this.huey.emitter.flush(5000);
    } finally {
      unguard();
    }
    this.logger.info('all workers have stopped');
  }

  restart(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.restarting ??= (async () => {
      this.logger.info('restarting workers gracefully (running tasks finish first)...');
      await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
      if (!this.stopping) {
        await Promise.all(
          this.slots.map((slot) =>
            this.spawn(slot).catch((err: unknown) => {
              // Left to the health check, as if the new worker had died.
              slot.dead = true;
              this.logger.error(`could not start worker ${slot.index}: ${tracebackOf(err)}`);
            }),
          ),
        );
        this.logger.info(`restarted ${this.slots.length} ${this.settings.workerType} worker(s)`);
      }
    })().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  kill(): void {
    this.stopping = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    // The killed workers' tasks stay in flight; once the heartbeat expires, other consumers run them again.
    this.membership?.stop();
    this.presence.stop();
    for (const slot of this.slots) slot.handle?.kill();
  }

  private workerInit(index: number, inFlight: string | null): WorkerInit {
    const s = this.settings;
    return {
      index,
      modulePath: this.spec.path,
      exportName: this.spec.exportName,
      preload: this.spec.preload ?? [],
      cwd: this.host.cwd ?? process.cwd(),
      forwardLogs: this.host.forwardLogs ?? false,
      hueyName: this.huey.name,
      logLevel: s.logLevel,
      logfile: s.logfile,
      verbose: s.verbose,
      inFlight,
      consumerId: this.consumerId,
      initialDelay: s.initialDelay,
      backoff: s.backoff,
      maxDelay: s.maxDelay,
    };
  }

  /** Starts a worker in `slot`. Throws if its in-flight list cannot be registered (nothing is started then). */
  private async spawn(slot: Slot): Promise<void> {
    this.spawned += 1;
    // A fresh list per worker, so a new worker never shares a list that is still being recovered.
    const list = this.consumerId === null ? null : `${this.consumerId}/worker-${slot.index}.${this.spawned}`;
    if (list !== null) await this.membership?.add(list);
    const init = this.workerInit(slot.index, list);
    const handle = this.settings.kind === 'thread' ? spawnThread(init) : spawnProcess(init);
    slot.handle = handle;
    slot.dead = false;
    slot.overrun = null;
    slot.failure = null;
    handle.onMessage((m) => this.onWorkerMessage(slot, handle, m));
    this.logger.debug(`worker ${slot.index} starting (${handle.label})`);
    slot.gone = handle.exited.then(async (exit) => {
      this.unwatch(slot);
      const overrun = slot.overrun;
      slot.overrun = null;
      if (overrun !== null) {
        await this.replaceOverrun(slot, overrun, list);
        return;
      }
      // Only an exit nobody asked for is a death; stopSlot/restart ask first.
      if (slot.handle === handle && !this.stopping && this.restarting === null) this.died(slot, handle, exit);
      if (list !== null) await this.settleList(slot.index, list);
    });
  }

  private onWorkerMessage(slot: Slot, handle: WorkerHandle, m: FromWorker): void {
    switch (m.type) {
      case 'task':
      case 'idle':
        this.watchTask(slot, handle, m);
        return;
      case 'log':
        this.logger[m.level](`Worker-${slot.index}: ${m.text}`);
        return;
      case 'failed':
        slot.failure = m.message;
        return;
      case 'ready': {
        // A task declared in a module the workers do not import would fail there as unknown.
        const missing = this.huey.registry.names().filter((name) => !m.tasks.includes(name));
        if (missing.length) {
          this.logger.warn(
            `worker ${slot.index} does not know task(s) ${missing.join(', ')}: the module it loads (${this.spec.path}) does not import the modules that declare them`,
          );
        }
      }
    }
  }

  /** Follows a worker's reports: a task with a timeout started (arm a timer) or is done (disarm it). */
  private watchTask(slot: Slot, handle: WorkerHandle, m: { type: 'task'; message: string; timeoutMs: number } | { type: 'idle' }): void {
    this.unwatch(slot);
    if (m.type === 'idle' || slot.handle !== handle) return;
    const timer = setTimeout(() => {
      if (slot.handle !== handle || handle.dead) return;
      this.logger.warn(`worker ${slot.index} (${handle.label}) ran a task past its timeout: replacing the worker`);
      slot.overrun = m.message;
      handle.kill();
    }, m.timeoutMs + overrunGraceMs(m.timeoutMs));
    slot.watch = { message: m.message, timer };
  }

  private unwatch(slot: Slot): void {
    if (slot.watch) clearTimeout(slot.watch.timer);
    slot.watch = null;
  }

  /**
   * After a worker was killed for overrunning: the task fails with
   * TaskTimeout (retried if it has retries), leaves the worker's in-flight
   * list (it is settled, not to be recovered), and a new worker takes the
   * slot at once.
   */
  private async replaceOverrun(slot: Slot, message: string, list: string | null): Promise<void> {
    const settled = await failOverrun(this.huey, message, this.huey.clock());
    const storage = list !== null && hasReliableDelivery(this.huey.storage) ? this.huey.storage : null;
    if (storage && list !== null && settled) await storage.ack(list, message).catch((err: unknown) => this.logger.error(`could not remove the overrun task from the in-flight list: ${tracebackOf(err)}`));
    if (list !== null) await this.settleList(slot.index, list);
    if (this.stopping || this.restarting !== null) return;
    try {
      await this.spawn(slot);
      this.logger.warn(`worker ${slot.index} replaced (now ${slot.handle?.label})`);
    } catch (err) {
      slot.dead = true;
      this.logger.error(`could not replace worker ${slot.index}; the health check will try again: ${tracebackOf(err)}`);
    }
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const handle = slot.handle;
    slot.dead = false;
    if (handle) handle.stop();
    await slot.gone;
    if (slot.handle === handle) slot.handle = null;
  }

  /**
   * Reliable mode, after a worker exited: hands back what its list still
   * holds (counted as a recovery, since the worker did not finish it) and
   * stops vouching for the list.
   */
  private async settleList(index: number, list: string): Promise<void> {
    const recovery = this.scheduler.recovery;
    if (!recovery || !this.consumerId) return;
    // Forgotten first: a heartbeat sent after the recovery unregistered the list would register it again.
    // Should the recovery fail, the list stays registered from earlier heartbeats.
    this.membership?.forget(list);
    try {
      const n = await recovery.recoverList(list, this.consumerId);
      if (n) this.logger.warn(`handed ${n} unfinished task(s) of worker ${index} back to the queue`);
    } catch (err) {
      // Still registered under our heartbeat: the next exit, stop or (if we die) another consumer settles it.
      this.logger.error(`could not hand the unfinished tasks of worker ${index} back yet: ${tracebackOf(err)}`);
    }
  }

  private died(slot: Slot, handle: WorkerHandle, exit: WorkerExit): void {
    slot.dead = true;
    const reason = describeExit(exit);
    const next = this.settings.healthCheck ? 'the health check will restart it' : 'health checks are disabled (-C), not restarting it';
    this.logger.error(`worker ${slot.index} (${handle.label}) died: ${reason}; ${next}`);
    if (exit.error !== undefined) this.logger.error(tracebackOf(exit.error));
    this.huey.emitter.status(
      EVENT_ERROR_INTERNAL,
      { worker: slot.index, pid: handle.pid, threadId: handle.threadId, reason, restarting: this.settings.healthCheck },
      exit.error ?? new Error(`worker ${slot.index} (${handle.label}) died: ${reason}`),
    );
  }

  private async healthCheck(): Promise<void> {
    if (this.stopping || this.restarting || this.healthChecking) return;
    this.healthChecking = true;
    try {
      for (const slot of this.slots) {
        if (!slot.dead || this.stopping) continue;
        const old = slot.handle?.label ?? 'gone';
        try {
          await this.spawn(slot);
        } catch (err) {
          this.logger.error(`health check: could not restart worker ${slot.index}, will try again: ${tracebackOf(err)}`);
          continue;
        }
        this.logger.warn(`health check: restarted worker ${slot.index} (was ${old}, now ${slot.handle?.label})`);
      }
    } finally {
      this.healthChecking = false;
    }
  }

}
