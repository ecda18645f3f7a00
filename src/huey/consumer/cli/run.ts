/**
 * huey-consumer's main sequence, after the options are parsed: import the
 * user's huey, point its logging at the consumer's log, print the banner,
 * pick the runner for the worker kind (in-process Consumer, or a master of
 * worker threads/processes), install the signal handlers and start.
 * The bin file owns the process (option parsing, --simpledb, exit codes).
 */
import type { Huey } from '../../api.js';
import { MemoryStorage } from '../../storage/memory.js';
import { AsyncRunner } from './async-runner.js';
import { banner } from './banner.js';
import { watchConnection } from './connection.js';
import { LoadError, loadHuey, type ModuleSpec } from './load.js';
import type { CliLogger } from './log.js';
import type { ConsumerSettings } from './options.js';
import type { Runner } from './runner.js';
import { handleSignals, type ExitFn } from './signals.js';
import { PoolRunner } from '../pool/master.js';

/** A running consumer. */
export interface RunningConsumer {
  huey: Huey<boolean>;
  runner: Runner;
}

/**
 * Tasks of the async kind run in this process: an error thrown from a stray
 * callback of one task must not take the whole consumer down with it.
 */
function keepRunningOnStrayErrors(logger: CliLogger): void {
  process.on('uncaughtException', (err) => {
    logger.error(`uncaught exception (left behind by a task?), the consumer keeps running: ${err.stack ?? String(err)}`);
  });
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    logger.error(`unhandled promise rejection (left behind by a task?), the consumer keeps running: ${text}`);
  });
}

/**
 * Loads the module and starts consuming. Throws LoadError (exit code 2) when
 * the module, its export or the worker kind cannot be used.
 */
export async function runConsumer(
  spec: ModuleSpec,
  settings: ConsumerSettings,
  logger: CliLogger,
  exit: ExitFn,
): Promise<RunningConsumer> {
  const huey = await loadHuey(spec);
  if (settings.kind !== 'async' && huey.storage instanceof MemoryStorage) {
    throw new LoadError(
      `the huey in "${spec.path}" keeps its queue in memory; ${settings.kind} workers each have their own memory, ` +
        'so use a RedisHuey/SimpleHuey (or -k async)',
    );
  }
  huey.logger = logger;
  logger.info(banner(huey, spec, settings));
  watchConnection(huey, logger);

  let runner: Runner;
  if (settings.kind === 'async') {
    keepRunningOnStrayErrors(logger);
    runner = new AsyncRunner(huey, settings, logger);
  } else {
    runner = new PoolRunner(huey, spec, { ...settings, kind: settings.kind }, logger);
  }
  handleSignals(runner, logger, exit);
  if (settings.flushLocks) {
    // Before any worker starts, so no lock taken by this consumer is removed (Huey's -f).
    const flushed = await huey.flushLocks();
    logger.warn(flushed.length ? `flushed stale locks: ${flushed.join(', ')}` : 'no stale locks to flush');
  }
  await runner.start();
  logger.info(`ready; stop with Ctrl+C (SIGINT), restart workers with SIGHUP`);
  return { huey, runner };
}
