/**
 * The body of one thread or process worker: import the user's module (so
 * this worker has its own huey, registry and connection), then run one
 * Worker loop, one task at a time, until the master says stop. A stop lets
 * the running task finish and store its result; then events are flushed,
 * connections closed and the exit code returned. Errors that escape the
 * loop are not caught here: the worker dies and the master restarts it.
 *
 * With a reliable huey the worker moves each task into the in-flight list
 * the master gave it, and removes it once the outcome is stored. The master
 * registers that list and keeps it alive with its own heartbeats, so a
 * CPU-bound task that blocks this worker's event loop for a long time is
 * never taken for a dead consumer. A clean stop hands back what is left in
 * the list; after a crash the master does. While it runs, the worker
 * reconciles its list after every reconnect (reconcile.ts).
 */
import { inspect } from 'node:util';
import { threadId } from 'node:worker_threads';
import type { Huey } from '../../api.js';
import { describeError } from '../../exceptions.js';
import { timeoutOfMessage } from '../controls.js';
import { MessageFeed } from '../feed.js';
import { Reconciler } from '../reconcile.js';
import { guardStop } from '../stop-guard.js';
import { taskStatsFor } from '../task-stats.js';
import { Worker, type MessageSource } from '../worker.js';
import { LoadError, loadHuey } from '../cli/load.js';
import { watchConnection } from '../cli/connection.js';
import { createCliLogger, type CliLogger } from '../cli/log.js';
import { markWorker } from '../worker-context.js';
import type { FromWorker, WorkerInit } from './protocol.js';

/** How a host talks to its master. */
export interface HostChannel {
  send(message: FromWorker): void;
  /** Calls `fn` when the master asks this worker to stop. */
  onStop(fn: () => void): void;
}

/** Exit code of a worker that could not load the module (as the CLI's). */
export const EXIT_LOAD_ERROR = 2;
/** Exit code of a worker that stopped but could not hand its unfinished tasks back (the master then does). */
export const EXIT_RELEASE_FAILED = 3;

/** Runs a worker until it is told to stop; resolves to its exit code. */
export async function runWorkerHost(init: WorkerInit, channel: HostChannel): Promise<number> {
  markWorker();
  const logger = init.forwardLogs ? forwardingLogger(channel) : createCliLogger({ level: init.logLevel, logfile: init.logfile, name: `Worker-${init.index}` });
  let stopping = false;
  let feed: MessageFeed | null = null;
  let huey: Huey<boolean> | undefined;
  let unguard = (): void => undefined;
  const sleepers = new Set<() => void>();
  channel.onStop(() => {
    stopping = true;
    // An unreachable storage would keep the loop (and what follows) waiting forever.
    if (huey) unguard = guardStop(huey, logger);
    feed?.stop();
    for (const wake of [...sleepers]) wake();
  });
  // A polling sleep that a stop cuts short.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping) return resolve();
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  try {
    huey = await loadHuey({ path: init.modulePath, exportName: init.exportName, preload: init.preload }, init.cwd);
    if (init.hueyName !== null && huey.name !== init.hueyName) {
      throw new LoadError(`export "${init.exportName}" of "${init.modulePath}" is huey "${huey.name}", not the consumer's huey "${init.hueyName}"`);
    }
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    logger.error(err.message);
    if (init.verbose && err.cause instanceof Error && err.cause.stack) logger.error(err.cause.stack);
    channel.send({ type: 'failed', message: err.message });
    logger.close();
    return EXIT_LOAD_ERROR;
  }
  huey.logger = logger;
  watchConnection(huey, logger);
  if (stopping) unguard = guardStop(huey, logger);
  feed = new MessageFeed(huey.storage, init.inFlight === null ? {} : { inFlight: init.inFlight, logger });
  if (stopping) feed.stop();
  const worker = new Worker(huey, {
    initialDelay: init.initialDelay,
    backoff: init.backoff,
    maxDelay: init.maxDelay,
    source: reportingTimeouts(huey, feed, channel),
    sleep,
  });
  const reconciler =
    init.inFlight === null ? null : new Reconciler(huey, feed, { list: init.inFlight, owner: init.consumerId ?? init.inFlight, logger });
  reconciler?.start();
  await worker.initialize();
  const where = threadId === 0 ? `pid ${process.pid}` : `thread ${threadId}, pid ${process.pid}`;
  logger.info(`worker ${init.index} ready (${where}${init.inFlight === null ? '' : `, in-flight list ${init.inFlight}`})`);
  channel.send({ type: 'ready', pid: process.pid, threadId, tasks: huey.registry.names() });

  while (!stopping) await worker.loop();
  reconciler?.stop();
  await worker.finalize();

  let code = 0;
  if (init.inFlight !== null) {
    try {
      await feed.release();
    } catch (err) {
      logger.error(`could not hand unfinished tasks back to the queue: ${describeError(err)}`);
      code = EXIT_RELEASE_FAILED;
    }
  }
  // Bounded: events that cannot reach an unreachable storage are not worth a hang.
  await huey.emitter.flush(5000);
  await taskStatsFor(huey)?.flush();
  await huey.close();
  unguard();
  logger.info(`worker ${init.index} stopped`);
  logger.close();
  return code;
}

/** A logger that hands every line to the master, which logs it with the consumer's logger. */
function forwardingLogger(channel: HostChannel): CliLogger {
  const send = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, ...extra: unknown[]) =>
    channel.send({ type: 'log', level, text: [message, ...extra.map((e) => (typeof e === 'string' ? e : inspect(e)))].join(' ') });
  return { debug: send('debug'), info: send('info'), warn: send('warn'), error: send('error'), close: () => undefined };
}

/**
 * The feed, telling the master when a task with a timeout starts and ends,
 * so that the master can replace this worker if the task overruns (a task
 * that blocks this thread or process cannot be stopped from inside it).
 */
function reportingTimeouts(huey: Huey<boolean>, feed: MessageFeed, channel: HostChannel): MessageSource {
  let watched: string | null = null;
  return {
    async next() {
      const raw = await feed.next();
      const timeout = raw === null ? null : timeoutOfMessage(huey, raw);
      if (raw !== null && timeout !== null) {
        watched = raw;
        channel.send({ type: 'task', message: raw, timeoutMs: timeout * 1000 });
      }
      return raw;
    },
    done(message, settled) {
      if (watched === message) {
        watched = null;
        channel.send({ type: 'idle' });
      }
      feed.done(message, settled);
    },
    knownUnrevoked: (message) => feed.knownUnrevoked(message),
  };
}
