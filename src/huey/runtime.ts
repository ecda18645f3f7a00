/**
 * HueyRuntime: the narrow view of a huey that task execution needs (the
 * consumer's worker, scheduler, recovery and membership, and eager mode).
 * Huey implements it; nothing on the consumer side imports the Huey class,
 * so the dependency runs one way: api.ts -> consumer/ -> this file.
 * Type-only imports of leaf modules, so it can never close a cycle.
 */
import type { EventPublisher } from './events.js';
import type { HookList, PostExecuteHook, PreExecuteHook, ShutdownHook, StartupHook } from './hooks.js';
import type { Logger } from './logger.js';
import type { TaskRegistry } from './registry.js';
import type { ReliabilitySettings } from './reliability.js';
import type { ValueSerializer } from './serializer.js';
import type { Storage } from './storage/storage.js';

/** What executing tasks needs from a huey. Read at each use: a host may swap the logger after start. */
export interface HueyRuntime {
  readonly name: string;
  readonly storage: Storage;
  readonly serializer: ValueSerializer;
  readonly registry: TaskRegistry;
  readonly preExecuteHooks: HookList<PreExecuteHook>;
  readonly postExecuteHooks: HookList<PostExecuteHook>;
  readonly startupHooks: HookList<StartupHook>;
  readonly shutdownHooks: HookList<ShutdownHook>;
  /** Publishes consumer events. */
  readonly emitter: EventPublisher;
  readonly logger: Logger;
  /** The clock in ms (Date.now unless the huey was given one). */
  readonly clock: () => number;

  // --- settings (the huey's options) ---
  readonly resultStore: boolean;
  readonly storeNone: boolean;
  readonly storeErrors: boolean;
  readonly blocking: boolean;
  readonly alwaysEager: boolean;
  readonly reliable: boolean;
  readonly reliability: ReliabilitySettings;

  /** Frees the locks this huey made (a consumer's --flush-locks); resolves to the names that were held. */
  flushLocks(): Promise<string[]>;
}
