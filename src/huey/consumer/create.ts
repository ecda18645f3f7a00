/**
 * What `huey.createConsumer()` builds: the in-process Consumer for async
 * workers, a PoolConsumer for thread and process workers.
 */
import type { HueyRuntime } from '../runtime.js';
import { Consumer, type ConsumerOptions } from './consumer.js';
import type { PoolHuey } from './pool/master.js';
import { PoolConsumer } from './pool-consumer.js';

/** A consumer for `huey`; `origin` is the module that created the huey (the workers' default module). */
export function createConsumerFor(huey: HueyRuntime & PoolHuey, options: ConsumerOptions, origin: string | null): Consumer | PoolConsumer {
  const type = options.workerType;
  if (type === 'thread' || type === 'process') return new PoolConsumer(huey, { ...options, workerType: type }, origin);
  return new Consumer(huey, options);
}
