/**
 * The async worker kind (alias greenlet): the in-process Consumer from
 * `huey.createConsumer()`, with up to -w tasks at a time in this event loop.
 * Its own loop restarts a crashed worker; SIGHUP swaps in a fresh Consumer
 * once the old one has let its running tasks finish, on the code already
 * loaded (unlike thread and process workers, which import it afresh).
 */
import type { Huey } from '../../api.js';
import type { Logger } from '../../logger.js';
import type { Consumer, ConsumerOptions } from '../consumer.js';
import { DEAD_STORAGE_GRACE_MS } from '../stop-guard.js';
import type { ConsumerSettings } from './options.js';
import type { Runner } from './runner.js';

/** Consumer options for the CLI settings. */
export function consumerOptions(settings: ConsumerSettings, logger: Logger): ConsumerOptions & { workerType: 'async' } {
  return {
    workers: settings.workers,
    workerType: 'async',
    periodic: settings.periodic,
    schedulerInterval: settings.schedulerInterval,
    utc: settings.utc,
    initialDelay: settings.initialDelay,
    backoff: settings.backoff,
    maxDelay: settings.maxDelay,
    checkWorkerHealth: settings.healthCheck,
    healthCheckInterval: settings.healthCheckInterval,
    // The process exits after the stop: an unreachable storage must not hold it up.
    unreachableStorageGrace: DEAD_STORAGE_GRACE_MS / 1000,
    logger,
  };
}

/** Runs the in-process Consumer for the CLI. */
export class AsyncRunner implements Runner {
  private consumer: Consumer;

  constructor(
    private readonly huey: Huey<boolean>,
    private readonly settings: ConsumerSettings,
    private readonly logger: Logger,
  ) {
    this.consumer = huey.createConsumer(consumerOptions(settings, logger));
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.huey.close();
  }

  async restart(): Promise<void> {
    // Node cannot unload an ES module, and re-importing only the entry module would mix old and new code.
    this.logger.warn('async workers keep the code already loaded (Node cannot unload modules): to run changed code, restart the process, or use -k thread or -k process, whose workers import it afresh');
    await this.consumer.stop();
    this.consumer = this.huey.createConsumer(consumerOptions(this.settings, this.logger));
    await this.consumer.start();
  }

  kill(): void {
    void this.consumer.stop({ graceful: false });
  }
}
