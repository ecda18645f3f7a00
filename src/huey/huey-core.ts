/**
 * HueyCore: what a huey is made of, and the first layer of the Huey class
 * (api.ts). It reads the options into settings, opens the storage (memory
 * unless given), and holds the task registry, the hook lists with the
 * methods that register hooks, and the event publisher: the parts that
 * the consumer side reads through HueyRuntime (runtime.ts).
 *
 * Huey's public methods are spread over a chain of layers, one job each,
 * so that no file has to hold all of them: HueyCore (this file) <-
 * HueyData (huey-data.ts: listings, counts, put/get, locks) <-
 * HueyRevocation (huey-revocation.ts: revoke, restore, pause) <- Huey
 * (api.ts: declaring tasks, enqueueing, results, events, consumers).
 * Users only ever see Huey and its subclasses.
 */
import { EventPublisher } from './events.js';
import { HookList, hookArgs, type PostExecuteHook, type PreExecuteHook, type ShutdownHook, type StartupHook } from './hooks.js';
import { createConsoleLogger, type Logger } from './logger.js';
import { checkOptions } from './option-check.js';
import { HUEY_OPTION_KEYS, type HueyOptions } from './options.js';
import { TaskRegistry } from './registry.js';
import { reliabilitySettings, type ReliabilitySettings } from './reliability.js';
import { defaultSerializer, type ValueSerializer } from './serializer.js';
import { MemoryStorage } from './storage/memory.js';
import type { Storage } from './storage/storage.js';

/** The settings, storage, registry and hooks of a huey (see Huey in api.ts). */
export class HueyCore {
  readonly name: string;
  readonly storage: Storage;
  resultStore: boolean;
  /** Whether consumer events are published (the `events` option). */
  eventsEnabled: boolean;
  storeNone: boolean;
  alwaysEager: boolean;
  storeErrors: boolean;
  readonly blocking: boolean;
  serializer: ValueSerializer;
  logger: Logger;
  /** The clock in ms (Date.now unless the huey was given one). */
  clock: () => number;
  /** Whether consumers deliver at least once (the `reliable` option). */
  readonly reliable: boolean;
  /** Reliable mode's timings and limits, from the options. */
  readonly reliability: ReliabilitySettings;
  readonly registry = new TaskRegistry();
  readonly preExecuteHooks = new HookList<PreExecuteHook>();
  readonly postExecuteHooks = new HookList<PostExecuteHook>();
  readonly startupHooks = new HookList<StartupHook>();
  readonly shutdownHooks = new HookList<ShutdownHook>();
  /** Publishes consumer events. */
  readonly emitter: EventPublisher;

  constructor(name: string, options: HueyOptions<boolean>) {
    if (typeof name !== 'string' || name === '') throw new TypeError('a huey needs a non-empty name');
    checkOptions('Huey options', options, HUEY_OPTION_KEYS);
    this.name = name;
    this.resultStore = options.resultStore ?? true;
    this.eventsEnabled = options.events ?? true;
    this.storeNone = options.storeNone ?? false;
    this.alwaysEager = options.alwaysEager ?? false;
    this.storeErrors = options.storeErrors ?? true;
    this.blocking = options.blocking ?? true;
    this.serializer = options.serializer ?? defaultSerializer;
    this.logger = options.logger ?? createConsoleLogger('warn');
    this.clock = options.clock ?? Date.now;
    this.reliable = options.reliable ?? false;
    this.reliability = reliabilitySettings(options);
    this.storage =
      options.storage ??
      new MemoryStorage(name, {
        blocking: this.blocking,
        readTimeout: options.readTimeout,
        maxErrors: options.maxErrors,
        clock: this.clock,
      });
    this.emitter = new EventPublisher(this.storage, () => this.eventsEnabled, () => this.logger);
  }

  // --- hooks ----------------------------------------------------------------

  /** Runs `fn(task)` before every task; throwing CancelExecution cancels the task. */
  registerPreExecute(name: string, fn: PreExecuteHook): void {
    this.preExecuteHooks.register(name, fn);
  }
  unregisterPreExecute(name: string): boolean {
    return this.preExecuteHooks.unregister(name);
  }
  /** Short form: `preExecute(fn)` (named by fn.name) or `preExecute(name, fn)`. Returns fn. */
  preExecute(nameOrFn: string | PreExecuteHook, fn?: PreExecuteHook): PreExecuteHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerPreExecute(name, hook);
    return hook;
  }

  /** Runs `fn(task, value, error)` after every task. */
  registerPostExecute(name: string, fn: PostExecuteHook): void {
    this.postExecuteHooks.register(name, fn);
  }
  unregisterPostExecute(name: string): boolean {
    return this.postExecuteHooks.unregister(name);
  }
  /** Short form: `postExecute(fn)` or `postExecute(name, fn)`. Returns fn. */
  postExecute(nameOrFn: string | PostExecuteHook, fn?: PostExecuteHook): PostExecuteHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerPostExecute(name, hook);
    return hook;
  }

  /** Runs `fn()` whenever a worker starts. */
  registerStartup(name: string, fn: StartupHook): void {
    this.startupHooks.register(name, fn);
  }
  unregisterStartup(name: string): boolean {
    return this.startupHooks.unregister(name);
  }
  /** Short form: `onStartup(fn)` or `onStartup(name, fn)`. Returns fn. */
  onStartup(nameOrFn: string | StartupHook, fn?: StartupHook): StartupHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerStartup(name, hook);
    return hook;
  }

  /** Runs `fn()` whenever a worker stops, after its last task (to close what a startup hook opened). */
  registerShutdown(name: string, fn: ShutdownHook): void {
    this.shutdownHooks.register(name, fn);
  }
  unregisterShutdown(name: string): boolean {
    return this.shutdownHooks.unregister(name);
  }
  /** Short form: `onShutdown(fn)` or `onShutdown(name, fn)`. Returns fn. */
  onShutdown(nameOrFn: string | ShutdownHook, fn?: ShutdownHook): ShutdownHook {
    const [name, hook] = hookArgs(nameOrFn, fn);
    this.registerShutdown(name, hook);
    return hook;
  }
}
