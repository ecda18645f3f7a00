/**
 * The master of the thread and process worker kinds. It runs no tasks: it
 * keeps -w worker slots filled (each a thread or process that imports the
 * user's module and runs its own Worker loop on its own connection), runs
 * the Scheduler (due scheduled tasks every -s seconds, periodic tasks once a
 * minute), and every -c seconds a health check that restarts dead workers.
 * A worker's death is logged and published as an EVENT_ERROR_INTERNAL event
 * carrying `worker` (slot), `pid`, `threadId` and `reason`.
 *
 * With a reliable huey the master is a consumer too (an id and a heartbeat,
 * no in-flight list of its own): its scheduler recovers dead consumers'
 * tasks, and when one of its own workers dies it hands that worker's
 * unfinished task back to the queue at once rather than after the heartbeat
 * expires.
 */
import type { Huey } from '../../api.js';
import { EVENT_ERROR_INTERNAL } from '../../events.js';
import { tracebackOf } from '../../exceptions.js';
import type { Logger } from '../../logger.js';
import { newConsumerId } from '../../reliability.js';
import { Membership } from '../membership.js';
import { Scheduler } from '../scheduler.js';
import { workerLines } from '../cli/banner.js';
import type { ModuleSpec } from '../cli/load.js';
import type { ConsumerSettings } from '../cli/options.js';
import type { Runner } from '../cli/runner.js';
import { describeExit, spawnProcess, spawnThread, type WorkerExit, type WorkerHandle } from './handle.js';
import type { WorkerInit } from './protocol.js';

/** One of the -w places a worker runs in. */
interface Slot {
  index: number;
  handle: WorkerHandle | null;
  /** Set when the worker died unasked; the next health check restarts it. */
  dead: boolean;
}

/** Runs worker threads or processes, the scheduler and health checks. */
export class PoolRunner implements Runner {
  private readonly slots: Slot[];
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private schedulerLoop: Promise<void> | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private readonly sleepers = new Set<() => void>();
  private readonly scheduler: Scheduler;
  /** Reliable mode: the master's id and heartbeat; null otherwise. */
  readonly consumerId: string | null;
  private readonly membership: Membership | null;

  constructor(
    private readonly huey: Huey<boolean>,
    private readonly spec: ModuleSpec,
    private readonly settings: ConsumerSettings & { kind: 'thread' | 'process' },
    private readonly logger: Logger,
    private readonly cwd: string = process.cwd(),
  ) {
    this.slots = Array.from({ length: settings.workers }, (_, i) => ({ index: i + 1, handle: null, dead: false }));
    this.consumerId = huey.reliable ? newConsumerId() : null;
    this.membership = this.consumerId === null ? null : new Membership(huey, this.consumerId, [], logger);
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
    for (const line of workerLines(this.huey, this.settings)) this.logger.info(line);
    if (this.membership) {
      await this.membership.start();
      this.logger.info(`reliable delivery: master consumer id ${this.consumerId}; each worker is a consumer of its own`);
    }
    for (const slot of this.slots) this.spawn(slot);
    this.schedulerLoop = this.runScheduler();
    if (this.settings.healthCheck) {
      this.healthTimer = setInterval(() => this.healthCheck(), this.settings.healthCheckInterval * 1000);
    }
    // Ready or dead: a worker that dies while starting must not hang start(); the health check deals with it.
    await Promise.all(this.handles.map((h) => Promise.race([h.ready, h.exited])));
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const wake of [...this.sleepers]) wake();
    this.logger.info('shutting down gracefully...');
    await this.restarting;
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
    await this.schedulerLoop;
    await this.membership?.leave();
    await this.huey.close();
    this.logger.info('all workers have stopped');
  }

  restart(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.restarting ??= (async () => {
      this.logger.info('restarting workers gracefully (running tasks finish first)...');
      await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
      if (!this.stopping) {
        for (const slot of this.slots) this.spawn(slot);
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
    // Killed workers' tasks stay in flight; once the heartbeats expire, other consumers run them again.
    this.membership?.stop();
    for (const slot of this.slots) slot.handle?.kill();
  }

  private workerInit(index: number): WorkerInit {
    const s = this.settings;
    return {
      index,
      modulePath: this.spec.path,
      exportName: this.spec.exportName,
      cwd: this.cwd,
      logLevel: s.logLevel,
      logfile: s.logfile,
      verbose: s.verbose,
      initialDelay: s.initialDelay,
      backoff: s.backoff,
      maxDelay: s.maxDelay,
    };
  }

  private spawn(slot: Slot): void {
    const init = this.workerInit(slot.index);
    const handle = this.settings.kind === 'thread' ? spawnThread(init) : spawnProcess(init);
    slot.handle = handle;
    slot.dead = false;
    this.logger.debug(`worker ${slot.index} starting (${handle.label})`);
    void handle.exited.then((exit) => {
      // Only an exit nobody asked for is a death; a stopped worker's slot is cleared by stopSlot.
      if (slot.handle === handle && !this.stopping && this.restarting === null) this.died(slot, handle, exit);
    });
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const handle = slot.handle;
    slot.dead = false;
    if (!handle) return;
    handle.stop();
    await handle.exited;
    if (slot.handle === handle) slot.handle = null;
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
    if (handle.consumerId !== null) void this.recoverFrom(handle.consumerId);
  }

  /** Reliable mode: hands a dead worker's unfinished task back to the queue. */
  private async recoverFrom(workerId: string): Promise<void> {
    const recovery = this.scheduler.recovery;
    if (!recovery) return;
    try {
      const n = await recovery.recoverList(workerId, workerId);
      if (n) this.logger.warn(`handed ${n} unfinished task(s) of the dead worker back to the queue`);
    } catch (err) {
      // Its heartbeat expires and a later recovery pass picks the task up.
      this.logger.error(`could not recover the dead worker's tasks yet: ${tracebackOf(err)}`);
    }
  }

  private healthCheck(): void {
    if (this.stopping || this.restarting) return;
    for (const slot of this.slots) {
      if (!slot.dead) continue;
      const old = slot.handle?.label ?? 'gone';
      this.spawn(slot);
      this.logger.warn(`health check: restarted worker ${slot.index} (was ${old}, now ${slot.handle?.label})`);
    }
  }

  private async runScheduler(): Promise<void> {
    const scheduler = this.scheduler;
    const intervalMs = this.settings.schedulerInterval * 1000;
    let next = Date.now();
    while (!this.stopping) {
      try {
        await scheduler.loop();
      } catch (err) {
        this.logger.error(`scheduler error: ${tracebackOf(err)}`);
      }
      next += intervalMs;
      const now = Date.now();
      // After a stall, skip the missed passes rather than run them back to back.
      if (next < now) next += Math.ceil((now - next) / intervalMs) * intervalMs;
      await this.sleep(next - now);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
