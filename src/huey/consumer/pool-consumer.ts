/**
 * `huey.createConsumer({ workerType: 'thread' | 'process' })`: the pool
 * master of huey-consumer (pool/master.ts), started from the user's own
 * script. Each worker imports the module holding the huey (the `module`
 * option, by default the module that created the huey), so it has the same
 * tasks; the master runs the scheduler and health checks here, and the
 * workers' log lines come to this consumer's logger. Unlike the CLI it
 * installs no signal handlers and leaves the huey's connections open.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../exceptions.js';
import type { Logger } from '../logger.js';
import { MemoryStorage } from '../storage/memory.js';
import { requireReliableDelivery } from '../storage/storage.js';
import { LoadError, parseModuleSpec, resolveModuleFile, type ModuleSpec } from './cli/module-spec.js';
import type { ConsumerSettings as CliSettings } from './cli/options.js';
import { resolveConsumerOptions, type ConsumerOptions, type ConsumerSettings } from './consumer.js';
import { PoolRunner, type PoolHuey } from './pool/master.js';
import { isPoolWorker } from './worker-context.js';

/** The module the workers import, from the `module` option or the huey's origin. */
function moduleSpecOf(option: string | URL | undefined, origin: string | null): ModuleSpec {
  if (option instanceof URL || (typeof option === 'string' && option.startsWith('file:'))) {
    const url = new URL(String(option));
    const exportName = /^:([A-Za-z_$][\w$]*)$/.exec(url.hash.replace('#', ':'))?.[1];
    url.hash = '';
    return { ...parseModuleSpec(fileURLToPath(url)), ...(exportName ? { exportName } : {}) };
  }
  if (typeof option === 'string') return parseModuleSpec(option);
  if (origin === null) {
    throw new ConfigurationError("cannot tell which module holds this huey: name it, e.g. createConsumer({ workerType: 'thread', module: 'app/tasks.js' })");
  }
  const main = process.argv[1] === undefined ? null : resolve(process.argv[1]);
  if (main !== null && (origin === main || origin.replace(/\.[cm]?[jt]s$/, '') === main.replace(/\.[cm]?[jt]s$/, ''))) {
    throw new ConfigurationError(
      `the huey is created in the script that starts the consumer (${origin}); thread and process workers import the huey's module, ` +
        'which would start consumers again: declare the huey and its tasks in a module of their own and import it here, or name a module with { module }',
    );
  }
  return parseModuleSpec(origin);
}

/** A consumer whose workers are worker threads or child processes. */
export class PoolConsumer {
  readonly options: ConsumerSettings & { workerType: 'thread' | 'process' };
  /** The module the workers import (absolute path) and its export. */
  readonly module: ModuleSpec;
  private readonly runner: PoolRunner;
  private readonly logger: Logger;
  private started = false;
  private stopping = false;

  constructor(
    readonly huey: PoolHuey,
    options: ConsumerOptions & { workerType: 'thread' | 'process' },
    origin: string | null,
  ) {
    if (isPoolWorker()) {
      throw new ConfigurationError(
        `createConsumer({ workerType: '${options.workerType}' }) was called in a worker of a thread/process consumer: the module the workers import ` +
          'must not start a consumer when imported; start it from another module (or name one with { module })',
      );
    }
    if (huey.storage instanceof MemoryStorage) {
      throw new ConfigurationError(`huey "${huey.name}" keeps its queue in memory; ${options.workerType} workers each have their own memory, so use a RedisHuey, SimpleHuey or SqliteHuey (or workerType 'async')`);
    }
    if (huey.reliable) requireReliableDelivery(huey.storage);
    const settings = resolveConsumerOptions(options);
    this.options = { ...settings, workerType: options.workerType };
    const spec = moduleSpecOf(options.module, origin);
    try {
      this.module = { ...spec, path: resolveModuleFile(spec.path) };
    } catch (err) {
      throw new ConfigurationError(`the module for the workers: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.logger = options.logger ?? huey.logger;
    const cli: CliSettings & { kind: 'thread' | 'process' } = {
      ...settings,
      kind: options.workerType,
      workerType: options.workerType,
      initialDelay: settings.initialDelay,
      healthCheck: settings.checkWorkerHealth,
      logLevel: 'debug', // the workers send every line; this consumer's logger filters
      logfile: null,
      verbose: false,
      simpledbPort: null,
    };
    this.runner = new PoolRunner(huey, this.module, cli, this.logger, { forwardLogs: true, closeHuey: false });
  }

  /** Whether start() was called and stop() was not. */
  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** Reliable mode: this consumer's id; null otherwise. */
  get consumerId(): string | null {
    return this.runner.consumerId;
  }

  /**
   * Starts the workers and the scheduler; resolves once every worker has
   * loaded the module. Rejects (with everything stopped) when a worker
   * cannot load it.
   */
  async start(): Promise<void> {
    if (this.started) throw new ConfigurationError('this consumer was already started');
    if (this.huey.alwaysEager) throw new ConfigurationError('a consumer cannot run a huey with alwaysEager enabled; set alwaysEager to false');
    this.started = true;
    if (this.options.flushLocks) {
      const flushed = await this.huey.flushLocks();
      if (flushed.length) this.logger.warn(`found stale locks: ${flushed.join(', ')}`);
    }
    try {
      await this.runner.start();
    } catch (err) {
      this.stopping = true;
      if (!(err instanceof LoadError)) throw err;
      throw new ConfigurationError(`${err.message} (the workers import ${this.module.path}, export "${this.module.exportName}"; name another with { module: 'path/to/module.js:export' })`);
    }
  }

  /**
   * Graceful restart (SIGHUP in huey-consumer): running tasks finish, then
   * new workers start, importing the module afresh (so they run the code
   * as it is on disk now). The scheduler keeps going.
   */
  restart(): Promise<void> {
    return this.runner.restart();
  }

  /**
   * Stops. Graceful (default): no new tasks are taken, running ones finish
   * and the workers exit before this resolves. Not graceful: the workers are
   * killed at once (their running tasks are lost, or recovered in reliable mode).
   */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    if (options.graceful === false) this.runner.kill();
    else await this.runner.stop();
  }
}
