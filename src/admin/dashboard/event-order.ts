/**
 * The order of the dashboard's live event list. The hub (live.ts) numbers
 * every event it receives (`seq`, arrival order) and notes when (`at`, ms);
 * pages keep one list, sorted by when each event happened: its own
 * `timestamp` (Unix seconds, stamped by the consumer) when it has one, else
 * its arrival, and by arrival among equals. So two events that arrive close
 * together in the wrong order (finished before executing: different
 * connections, consumers or worker processes) still show in the order they
 * happened, and a batch sent again after a reconnect adds nothing twice.
 *
 * `mergeLiveEvents` runs in the page as it is written here (page-js.ts embeds
 * its source), so it is self-contained and uses nothing but the language.
 */

/** An event as a page keeps it: the consumer's fields plus the hub's number and arrival time. */
export interface LiveEvent {
  seq: number;
  at: number;
  timestamp?: number;
  [field: string]: unknown;
}

/** `list` (sorted) with `incoming` added: no seq twice, in event order, the newest `max` kept. */
export function mergeLiveEvents(list: LiveEvent[], incoming: LiveEvent[], max: number): LiveEvent[] {
  const when = (e: LiveEvent): number => (typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? e.timestamp * 1000 : e.at);
  const seen = new Set(list.map((e) => e.seq));
  const out = list.slice();
  for (const e of incoming) {
    if (seen.has(e.seq)) continue;
    seen.add(e.seq);
    out.push(e);
  }
  out.sort((a, b) => when(a) - when(b) || a.seq - b.seq);
  return out.length > max ? out.slice(out.length - max) : out;
}
