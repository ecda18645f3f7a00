// A consumer group's read counter (entries_read) and lag, as Redis 7.0
// keeps them (t_stream.c): they need both the stream (its length, deleted
// IDs, first-ever entry) and the group, so they live beside both.

import type { StreamValue } from './stream.js';
import { INVALID_ENTRIES_READ, type ConsumerGroup } from './stream-groups.js';
import { compareIds, MAX_ID, type StreamId } from './stream-id.js';

/** Whether an XDEL tombstone may lie in [start, end] (Redis's streamRangeHasTombstones). */
export function rangeHasTombstones(s: StreamValue, start: StreamId, end: StreamId = MAX_ID): boolean {
  const maxDel = s.maxDeletedId;
  if (s.length === 0 || (maxDel.ms === 0n && maxDel.seq === 0n)) return false;
  if (compareIds(s.firstLiveId(), maxDel) > 0) return false;
  return compareIds(start, maxDel) <= 0 && compareIds(maxDel, end) <= 0;
}

/**
 * The read counter that goes with id: how many entries the stream had
 * received up to it, or -1 when fragmentation makes that unknowable
 * (streamEstimateDistanceFromFirstEverEntry).
 */
export function entriesBefore(s: StreamValue, id: StreamId): number {
  if (s.entriesAdded === 0) return 0;
  if (s.length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const first = s.firstLiveId();
  const maxDel = s.maxDeletedId;
  if ((maxDel.ms === 0n && maxDel.seq === 0n) || compareIds(maxDel, first) < 0) {
    const cmpFirst = compareIds(id, first);
    if (cmpFirst < 0) return s.entriesAdded - s.length;
    if (cmpFirst === 0) return s.entriesAdded - s.length + 1;
  }
  return INVALID_ENTRIES_READ;
}

/** The group's lag, or null when it cannot be known (streamReplyWithCGLag). */
export function groupLag(s: StreamValue, g: ConsumerGroup): number | null {
  if (s.entriesAdded === 0) return 0;
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId)) return s.entriesAdded - g.entriesRead;
  const read = entriesBefore(s, g.lastId);
  return read === INVALID_ENTRIES_READ ? null : s.entriesAdded - read;
}

/** Moves the group's last ID to a delivered entry, keeping the read counter as Redis does. */
export function advanceGroup(s: StreamValue, g: ConsumerGroup, id: StreamId): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, id)) g.entriesRead++;
  else if (s.entriesAdded !== 0) g.entriesRead = entriesBefore(s, id);
  g.lastId = id;
}
