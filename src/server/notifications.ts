// Keyspace notifications (Redis's notify.c): the class letters of
// `notify-keyspace-events`, their parsing and canonical spelling, and the two
// channel names an event is published on. The per-write check lives in
// Database.notify: a single AND against the configured flags, so a server
// with notifications off does no work for them.

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m (not part of A)
export const NOTIFY_LOADED = 1 << 12; // module key loaded (no letter)
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n (not part of A)
/** A: every class but key-miss and new-key. */
export const NOTIFY_ALL =
  NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

/** Letters in the order CONFIG GET spells them. */
const LETTERS: readonly [string, number][] = [
  ['g', NOTIFY_GENERIC],
  ['$', NOTIFY_STRING],
  ['l', NOTIFY_LIST],
  ['s', NOTIFY_SET],
  ['h', NOTIFY_HASH],
  ['z', NOTIFY_ZSET],
  ['x', NOTIFY_EXPIRED],
  ['e', NOTIFY_EVICTED],
  ['t', NOTIFY_STREAM],
  ['d', NOTIFY_MODULE],
  ['n', NOTIFY_NEW],
  ['K', NOTIFY_KEYSPACE],
  ['E', NOTIFY_KEYEVENT],
  ['m', NOTIFY_KEY_MISS],
];

/** The flags a `notify-keyspace-events` string names, or null for a letter Redis rejects. */
export function parseNotifyFlags(classes: string): number | null {
  let flags = 0;
  for (const ch of classes) {
    if (ch === 'A') {
      flags |= NOTIFY_ALL;
      continue;
    }
    const found = LETTERS.find(([letter]) => letter === ch);
    if (found === undefined) return null;
    flags |= found[1];
  }
  return flags;
}

/**
 * The spelling CONFIG GET answers, as Redis builds it: "A" stands for all of
 * its classes and then hides the others up to "n" (new-key included, a quirk
 * kept for byte-identical replies); K, E and m follow.
 */
export function formatNotifyFlags(flags: number): string {
  const all = (flags & NOTIFY_ALL) === NOTIFY_ALL;
  let out = all ? 'A' : '';
  for (const [letter, bit] of LETTERS) {
    const hiddenByA = all && bit !== NOTIFY_KEYSPACE && bit !== NOTIFY_KEYEVENT && bit !== NOTIFY_KEY_MISS;
    if ((flags & bit) !== 0 && !hiddenByA) out += letter;
  }
  return out;
}

/**
 * Publishes one event on `__keyspace@<db>__:<key>` (K) and
 * `__keyevent@<db>__:<event>` (E), in that order, as Redis does. The caller
 * has already checked that the event's class is enabled.
 */
export function publishKeyspaceEvent(
  pubsub: { publish(channel: string, message: string): number },
  flags: number,
  event: string,
  key: string,
  db: number,
): void {
  if (flags & NOTIFY_KEYSPACE) pubsub.publish(`__keyspace@${db}__:${key}`, event);
  if (flags & NOTIFY_KEYEVENT) pubsub.publish(`__keyevent@${db}__:${event}`, key);
}
