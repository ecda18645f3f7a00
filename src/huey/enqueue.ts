/**
 * Putting one task's message on its queue: the plain queue, or the queue of
 * its priority level (a capability of the storage, docs/job-controls.md).
 * The one place that choice is made, for producers, retries, pipeline
 * steps and periodic tasks alike.
 */
import { requireCapability, type Storage } from './storage/storage.js';

/** Enqueues `message`, the encoded form of a task with priority `priority`. */
export function enqueueAtPriority(storage: Storage, message: string, priority: number): Promise<void> {
  return priority === 0 ? storage.enqueue(message) : requireCapability(storage, 'priority').enqueuePriority(message, priority);
}
