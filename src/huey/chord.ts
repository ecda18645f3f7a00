/**
 * Chords, on the producer's side: `huey.chord(members, callback)` enqueues
 * the members, each carrying the chord's id and size, after storing the
 * callback's message under `chord:<id>` in the result store; the consumer
 * (consumer/chord.ts) runs the callback once every member has finished. The
 * ChordResult reads the callback's result, and the members' as a group.
 */
import { ConfigurationError, DataStorePutException } from './exceptions.js';
import type { ResultGroup } from './group.js';
import { guardStorage } from './guard.js';
import { chordKey, encodeMessage, encodeResult } from './message.js';
import type { GetOptions, TaskResult } from './result.js';
import type { ValueSerializer } from './serializer.js';
import { requireCapability, type Storage } from './storage/storage.js';
import type { QueueTask } from './task.js';

/** The result of a chord: the callback's result, and the members as a group. */
export class ChordResult<R = unknown> {
  constructor(
    /** The members' results, in order. */
    readonly members: ResultGroup,
    /** The callback's result. */
    readonly callback: TaskResult<R>,
  ) {}

  /** The chord's id (the callback's task id). */
  get id(): string {
    return this.callback.id;
  }

  /** The callback's result (as TaskResult.get()). */
  get(options?: GetOptions | boolean): Promise<R | null> {
    return this.callback.get(options);
  }
}

/** What a chord needs from its huey. */
export interface ChordOwner {
  readonly storage: Storage;
  readonly serializer: ValueSerializer;
  readonly resultStore: boolean;
  group<R>(tasks: QueueTask<R>[]): Promise<ResultGroup<R>>;
  resultOf<R>(task: QueueTask<R>): TaskResult<R>;
}

/**
 * Stores the callback, then enqueues the members (marked as the chord's).
 * The callback's task id is the chord's id.
 */
export async function enqueueChord<R>(owner: ChordOwner, members: QueueTask[], callback: QueueTask<R>): Promise<ChordResult<R>> {
  if (!Array.isArray(members) || members.length === 0) throw new TypeError('chord() needs a non-empty array of tasks built with task.s(...)');
  if (!callback || typeof (callback as { name?: unknown }).name !== 'string') throw new TypeError('chord() needs a callback task built with task.s(...)');
  if (!owner.resultStore) throw new ConfigurationError('a chord needs a result store (resultStore: true)');
  requireCapability(owner.storage, 'chord');
  const id = callback.id;
  for (const m of members) {
    if (m.onComplete !== null) throw new TypeError('chord members must be single tasks, not pipelines');
    m.chord = { id, total: members.length };
  }
  const record = encodeResult({ callback: encodeMessage(callback as QueueTask, owner.serializer), ids: members.map((m) => m.id) }, owner.serializer);
  await guardStorage(DataStorePutException, 'store chord', owner.storage.putData(chordKey(id), record));
  const group = await owner.group(members);
  return new ChordResult(group, owner.resultOf(callback));
}
