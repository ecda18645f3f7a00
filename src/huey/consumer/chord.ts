/**
 * Chords, on the consumer's side: when a member finishes, it is marked done
 * in the chord's counter (one atomic step, so of two consumers finishing the
 * last two members at once exactly one sees the chord complete, and a
 * member that runs twice counts once); the consumer that completes it reads
 * every member's result (leaving them in place), appends their list to the
 * callback's arguments and enqueues it. A member that fails for good fails
 * the chord: EVENT_CHORD_FAILED, the stored callback is dropped, and the
 * callback never runs (each member still has its own retries first).
 */
import { EVENT_CHORD_FAILED } from '../events.js';
import { describeError } from '../exceptions.js';
import { chordKey, decodeMessage, decodeStored } from '../message.js';
import type { HueyRuntime } from '../runtime.js';
import { requireCapability } from '../storage/storage.js';
import type { QueueTask } from '../task.js';
import { enqueueForConsumer } from './requeue.js';

/** How long a chord's counter lives after its last member finished (a chord is expected to finish well within it). */
const CHORD_TTL_MS = 7 * 24 * 3600 * 1000;

/** A member of a chord finished; enqueues the callback if it was the last. Resolves to whether all that reached storage. */
export async function chordMemberFinished(rt: HueyRuntime, task: QueueTask): Promise<boolean> {
  const chord = task.chord;
  if (chord === null) return true;
  try {
    const { added, count } = await requireCapability(rt.storage, 'chord').markChordMember(chord.id, task.id, CHORD_TTL_MS);
    if (!added || count < chord.total) return true;
    const raw = await rt.storage.popData(chordKey(chord.id));
    if (raw === null) return true; // already fired (a member ran twice), or the chord failed
    const stored = decodeStored(raw, rt.serializer);
    if (stored.kind !== 'value') return true;
    const { callback, ids } = stored.value as { callback: string; ids: string[] };
    const results = await Promise.all(
      ids.map(async (id) => {
        const r = await rt.storage.peekData(id);
        if (r === null) return null;
        const s = decodeStored(r, rt.serializer);
        return s.kind === 'value' ? s.value : null;
      }),
    );
    const next = decodeMessage(callback, rt.serializer);
    next.args = [...next.args, results];
    rt.logger.info(`chord ${chord.id} complete: enqueueing ${next}`);
    return enqueueForConsumer(rt, next);
  } catch (err) {
    rt.logger.error(`error completing chord ${chord.id} after ${task}: ${describeError(err)}`);
    return false;
  }
}

/** A member of a chord failed for good: the chord fails (its callback is dropped). */
export async function chordMemberFailed(rt: HueyRuntime, task: QueueTask, error: unknown): Promise<void> {
  const chord = task.chord;
  if (chord === null) return;
  rt.logger.error(`chord ${chord.id} failed: member ${task} failed; its callback will not run`);
  rt.emitter.task(EVENT_CHORD_FAILED, task, { chord: chord.id }, error);
  try {
    await rt.storage.popData(chordKey(chord.id));
  } catch (err) {
    rt.logger.error(`error dropping the callback of failed chord ${chord.id}: ${describeError(err)}`);
  }
}
