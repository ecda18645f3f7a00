/**
 * MemoryHuey: Huey on MemoryStorage. Queue, schedule and results live in this
 * process, so producer and consumer must be the same process (tests, eager
 * mode, small apps with an in-process consumer).
 */
import { Huey, type HueyOptions } from './api.js';
import { checkOptions } from './option-check.js';
import { HUEY_OPTION_KEYS } from './options.js';
import { MemoryStorage } from './storage/memory.js';

/**
 * Huey in memory.
 * @example
 * const huey = new MemoryHuey('test');
 * const consumer = huey.createConsumer({ workers: 2 }); await consumer.start();
 */
export class MemoryHuey<RS extends boolean = true> extends Huey<RS> {
  /** A MemoryStorage, with every capability (reliable delivery included). */
  declare readonly storage: MemoryStorage;

  constructor(name = 'huey', options: Omit<HueyOptions<RS>, 'storage'> = {}) {
    checkOptions('MemoryHuey options', options, HUEY_OPTION_KEYS.filter((k) => k !== 'storage'));
    const storage = new MemoryStorage(name, {
      blocking: options.blocking ?? true,
      readTimeout: options.readTimeout,
      maxErrors: options.maxErrors,
      // Heartbeats expire by the huey's clock, so tests can move time on.
      clock: options.clock,
    });
    super(name, { ...options, storage });
  }
}
