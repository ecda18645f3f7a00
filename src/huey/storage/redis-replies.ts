/**
 * The Redis side of RedisStorage's vocabulary: the key names of a huey
 * (one hash tag per huey name, so all its keys share a Cluster slot), and
 * the conversions of raw replies into strings, lists and hashes.
 */

/** The Redis key names for a huey name. */
export function redisKeys(name: string) {
  if (/[{}]/.test(name)) throw new TypeError(`huey name "${name}" must not contain { or } (it is used as a Redis hash tag)`);
  const p = `huey.{${name}}`;
  return {
    queue: `${p}.queue`,
    schedule: `${p}.schedule`,
    results: `${p}.results`,
    revoked: `${p}.revoked`,
    errors: `${p}.errors`,
    events: `${p}.events`,
    stored: `${p}.stored`,
    owners: `${p}.owners`,
    recovered: `${p}.recovered`,
    /** Followed by a list name: an in-flight list. */
    inFlightPrefix: `${p}.inflight.`,
    /** Followed by a consumer id: its heartbeat. */
    consumerPrefix: `${p}.consumer.`,
    /** Monitoring (redis-monitoring.ts): consumer records, liveness keys, counter buckets. */
    consumers: `${p}.consumers`,
    alivePrefix: `${p}.alive.`,
    countsPrefix: `${p}.counts.`,
    /** Job controls: the priority levels in use (sorted set, level scored by itself). */
    priorities: `${p}.priorities`,
    /** Followed by a non-zero level: that level's queue (level 0 is `queue`). */
    levelPrefix: `${p}.queue.`,
    /** Hash: unique key -> id of the task holding it. */
    unique: `${p}.unique`,
    /** Followed by a key: a rate-limit window's start counter. */
    ratePrefix: `${p}.rate.`,
    /** Followed by a task name: the messages set aside while it is paused. */
    parkedPrefix: `${p}.paused.`,
    /** Followed by a chord id: hash of its finished members. */
    chordPrefix: `${p}.chord.`,
    /** Set: the task names with messages set aside. */
    parked: `${p}.paused`,
  };
}

export function asString(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  return typeof reply === 'string' ? reply : String(reply);
}

export function asStrings(reply: unknown): string[] {
  if (reply === null || reply === undefined) return [];
  if (!Array.isArray(reply)) throw new TypeError(`expected an array reply, got ${typeof reply}`);
  return reply.map((r) => {
    if (r instanceof Error) throw r;
    return String(r);
  });
}

/** An HGETALL reply (a flat array in RESP2, a map in RESP3) as an object. */
export function hashReply(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = String(v);
    return out;
  }
  const flat = asStrings(reply);
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

/** The replies of an EXEC, with any error among them thrown. */
export function check(replies: unknown): unknown[] {
  if (!Array.isArray(replies)) throw new TypeError('expected the replies of a transaction');
  for (const r of replies) if (r instanceof Error) throw r;
  return replies;
}
