/**
 * The consumer's signals, as the seed's "Consumer shutdown" and "Consumer
 * restart" describe them:
 *
 *   SIGINT   graceful stop: no new tasks, running ones finish and store their
 *            results, then exit 0. A second SIGINT while waiting exits at once (1).
 *   SIGTERM  exit at once (0); running tasks are interrupted.
 *   SIGHUP   graceful restart of the workers; the consumer keeps running.
 */
import type { Logger } from '../../logger.js';
import type { Runner } from './runner.js';

/** Ends the process. `graceful` says whether the runner stopped cleanly (so embedded services may close first). */
export type ExitFn = (code: number, graceful: boolean) => void | Promise<void>;

/** Exit code after a second SIGINT abandoned running tasks. */
export const EXIT_FORCED = 1;

/**
 * Installs the handlers; returns a function that removes them.
 * @example const remove = handleSignals(runner, logger, (code) => process.exit(code));
 */
export function handleSignals(runner: Runner, logger: Logger, exit: ExitFn): () => void {
  let stopping = false;

  const onInt = () => {
    if (stopping) {
      logger.warn('received SIGINT again, exiting at once; running tasks are abandoned');
      runner.kill();
      void exit(EXIT_FORCED, false);
      return;
    }
    stopping = true;
    logger.info('received SIGINT, finishing running tasks (send SIGINT again to exit at once)');
    runner.stop().then(
      () => exit(0, true),
      (err: unknown) => {
        logger.error(`error while shutting down: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return exit(1, false);
      },
    );
  };

  const onTerm = () => {
    logger.info('received SIGTERM, exiting at once');
    stopping = true;
    runner.kill();
    void exit(0, false);
  };

  const onHup = () => {
    if (stopping) return;
    logger.info('received SIGHUP, restarting workers');
    runner.restart().catch((err: unknown) => {
      logger.error(`error while restarting: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
  };

  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
  };
}
