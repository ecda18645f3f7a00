/**
 * HueyRevocation: the layer of the Huey class (api.ts) that stops tasks
 * from running: revoke and restore one instance or a whole task, ask
 * whether one is revoked, and pause and resume a task (its messages set
 * aside, unrun, rather than dropped). The records' format and the
 * consumer's check live in revocation.ts; this layer is the user's side.
 * The chain of layers is described in huey-core.ts.
 */
import { DataStoreGetException, QueueWriteException } from './exceptions.js';
import { guardStorage, toMs } from './guard.js';
import { HueyData } from './huey-data.js';
import { decodeAll } from './introspection.js';
import { TaskResult } from './result.js';
import { classKey, instanceKey, isKeyRevoked, pauseKey, restoreKey, revokeKey, type RevokeOptions } from './revocation.js';
import { requireCapability } from './storage/storage.js';
import type { QueueTask } from './task.js';
import type { TaskWrapper } from './wrapper.js';

/** Anything that names one task instance. */
export type TaskInstanceRef = QueueTask | TaskResult<unknown>;

/** A whole task: its wrapper, or its registered name. */
type TaskRef = TaskWrapper<never, unknown, boolean> | string;

const taskNameOf = (task: TaskRef): string => (typeof task === 'string' ? task : task.taskName);

/** Revocation and pause of a huey's tasks (see Huey in api.ts). */
export class HueyRevocation extends HueyData {
  // --- revocation ---------------------------------------------------------------------

  /** Stops one task instance from running (see RevokeOptions). */
  async revoke(task: TaskInstanceRef, options?: RevokeOptions): Promise<void> {
    await revokeKey(this.storage, instanceKey(task.id), options);
  }

  /** Undoes revoke(); returns whether the instance was revoked. */
  async restore(task: TaskInstanceRef): Promise<boolean> {
    return restoreKey(this.storage, instanceKey(task.id));
  }

  /** revoke() by task id. */
  async revokeById(taskId: string, options?: RevokeOptions): Promise<void> {
    await revokeKey(this.storage, instanceKey(taskId), options);
  }

  /** restore() by task id. */
  async restoreById(taskId: string): Promise<boolean> {
    return restoreKey(this.storage, instanceKey(taskId));
  }

  /** Stops every instance of a task (a TaskWrapper or a task name) from running. */
  async revokeAll(task: TaskWrapper<never, unknown, boolean> | string, options?: RevokeOptions): Promise<void> {
    await revokeKey(this.storage, classKey(taskNameOf(task)), options);
  }

  /** Undoes revokeAll(); individually revoked instances stay revoked. */
  async restoreAll(task: TaskWrapper<never, unknown, boolean> | string): Promise<boolean> {
    return restoreKey(this.storage, classKey(taskNameOf(task)));
  }

  /**
   * Whether a task is revoked at `at` (default now). For a TaskWrapper: whether
   * the task as a whole is; for an instance (QueueTask, TaskResult or task id):
   * whether it or its whole task is.
   */
  async isRevoked(task: TaskWrapper<never, unknown, boolean> | TaskInstanceRef | string, at?: Date | number): Promise<boolean> {
    const now = at === undefined ? this.clock() : toMs(at);
    if (typeof task === 'function') return isKeyRevoked(this.storage, classKey(task.taskName), now);
    const id = typeof task === 'string' ? task : task.id;
    if (await isKeyRevoked(this.storage, instanceKey(id), now)) return true;
    const name = typeof task === 'string' ? null : task instanceof TaskResult ? task.task.name : task.name;
    return name !== null && isKeyRevoked(this.storage, classKey(name), now);
  }

  // --- pause ---------------------------------------------------------------------------------

  /**
   * Pauses a task (a TaskWrapper or its name): consumers set its messages
   * aside, unrun, until resume(). Unlike revoke, nothing is dropped.
   * @example await huey.pause(add); ...; await huey.resume(add);
   */
  async pause(task: TaskWrapper<never, unknown, boolean> | string): Promise<void> {
    requireCapability(this.storage, 'pause');
    await revokeKey(this.storage, pauseKey(taskNameOf(task)));
  }

  /** Undoes pause(): the messages set aside go back to the front of the queue. Resolves to whether the task was paused. */
  async resume(task: TaskWrapper<never, unknown, boolean> | string): Promise<boolean> {
    const name = taskNameOf(task);
    const storage = requireCapability(this.storage, 'pause');
    // The record goes first: a consumer setting a message aside right now looks again after, and takes it back itself.
    const was = await restoreKey(this.storage, pauseKey(name));
    await guardStorage(QueueWriteException, 'resume', storage.unpark(name));
    return was;
  }

  /** Whether a task is paused. */
  async isPaused(task: TaskWrapper<never, unknown, boolean> | string): Promise<boolean> {
    const [raw] = await guardStorage(DataStoreGetException, 'is paused', this.storage.peekRevocations([pauseKey(taskNameOf(task))]));
    return raw !== null && raw !== undefined;
  }

  /** The messages of a paused task waiting for resume(), oldest first. */
  async paused(task: TaskWrapper<never, unknown, boolean> | string): Promise<QueueTask[]> {
    const storage = requireCapability(this.storage, 'pause');
    return decodeAll(await storage.parkedItems(taskNameOf(task)), this.serializer);
  }
}
