/**
 * The body of one thread or process worker: import the user's module (so
 * this worker has its own huey, registry and connection), then run one
 * Worker loop, one task at a time, until the master says stop. A stop lets
 * the running task finish and store its result; then events are flushed,
 * connections closed and the exit code returned. Errors that escape the
 * loop are not caught here: the worker dies and the master restarts it.
 *
 * With a reliable huey each worker is a consumer of its own, as the
 * in-process Consumer is: an id, a heartbeat and an in-flight list. A worker
 * that is killed stops beating, and the master's scheduler (or any other
 * consumer's) hands its unfinished task back to the queue.
 */
import { threadId } from 'node:worker_threads';
import { newConsumerId } from '../../reliability.js';
import { MessageFeed } from '../feed.js';
import { Membership } from '../membership.js';
import { Worker } from '../worker.js';
import { LoadError, loadHuey } from '../cli/load.js';
import { createCliLogger } from '../cli/log.js';
import type { FromWorker, WorkerInit } from './protocol.js';

/** How a host talks to its master. */
export interface HostChannel {
  send(message: FromWorker): void;
  /** Calls `fn` when the master asks this worker to stop. */
  onStop(fn: () => void): void;
}

/** Exit code of a worker that could not load the module (as the CLI's). */
export const EXIT_LOAD_ERROR = 2;

/** Runs a worker until it is told to stop; resolves to its exit code. */
export async function runWorkerHost(init: WorkerInit, channel: HostChannel): Promise<number> {
  const logger = createCliLogger({ level: init.logLevel, logfile: init.logfile, name: `Worker-${init.index}` });
  let stopping = false;
  let feed: MessageFeed | null = null;
  const sleepers = new Set<() => void>();
  channel.onStop(() => {
    stopping = true;
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

  let huey;
  try {
    huey = await loadHuey({ path: init.modulePath, exportName: init.exportName }, init.cwd);
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    logger.error(err.message);
    if (init.verbose && err.cause instanceof Error && err.cause.stack) logger.error(err.cause.stack);
    return EXIT_LOAD_ERROR;
  }
  huey.logger = logger;
  const consumerId = huey.reliable ? newConsumerId() : null;
  const membership = consumerId === null ? null : new Membership(huey, consumerId, [consumerId], logger);
  feed = new MessageFeed(huey.storage, consumerId === null ? {} : { inFlight: consumerId, logger });
  if (stopping) feed.stop();
  // Registered before the first task is taken, so no task is ever in an unregistered list.
  await membership?.start();
  const worker = new Worker(huey, {
    initialDelay: init.initialDelay,
    backoff: init.backoff,
    maxDelay: init.maxDelay,
    source: feed,
    sleep,
  });
  await worker.initialize();
  const where = threadId === 0 ? `pid ${process.pid}` : `thread ${threadId}, pid ${process.pid}`;
  logger.info(`worker ${init.index} ready (${where}${consumerId === null ? '' : `, reliable delivery as consumer ${consumerId}`})`);
  channel.send({ type: 'ready', pid: process.pid, threadId, consumerId });

  while (!stopping) await worker.loop();

  if (membership && feed) {
    try {
      await feed.release();
      await membership.leave();
    } catch (err) {
      // Left registered: the task goes back to the queue once this worker's heartbeat expires.
      membership.stop();
      logger.error(`could not hand unfinished tasks back to the queue: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  await huey.emitter.flush();
  await huey.close();
  logger.info(`worker ${init.index} stopped`);
  logger.close();
  return 0;
}
