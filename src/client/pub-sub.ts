// The client's record of its channel, pattern and shard-channel subscriptions:
// what to restore after a reconnect, and which listeners a message goes to.

/** Receives a message published to a subscribed channel. */
export type MessageListener = (message: string, channel: string) => void;
/** Receives a message whose channel matched a subscribed pattern. */
export type PatternListener = (message: string, channel: string, pattern: string) => void;

/** Channel, pattern and shard-channel (SSUBSCRIBE) subscriptions with their listeners. */
export class Subscriptions {
  readonly channels = new Map<string, Set<MessageListener>>();
  readonly patterns = new Map<string, Set<PatternListener>>();
  readonly shardChannels = new Map<string, Set<MessageListener>>();

  /** Number of channels, patterns and shard channels: the connection is in subscriber mode while positive. */
  get size(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  addChannels(names: readonly string[], listener: MessageListener | undefined): void {
    add(this.channels, names, listener);
  }

  addPatterns(names: readonly string[], listener: PatternListener | undefined): void {
    add(this.patterns, names, listener);
  }

  /** Removes `listener` (or every listener) from `names`; returns the names left without listeners, now dropped. */
  removeChannels(names: readonly string[], listener: MessageListener | undefined): string[] {
    return remove(this.channels, names, listener);
  }

  removePatterns(names: readonly string[], listener: PatternListener | undefined): string[] {
    return remove(this.patterns, names, listener);
  }

  addShardChannels(names: readonly string[], listener: MessageListener | undefined): void {
    add(this.shardChannels, names, listener);
  }

  removeShardChannels(names: readonly string[], listener: MessageListener | undefined): string[] {
    return remove(this.shardChannels, names, listener);
  }
}

function add<L>(map: Map<string, Set<L>>, names: readonly string[], listener: L | undefined): void {
  for (const name of names) {
    let set = map.get(name);
    if (set === undefined) map.set(name, (set = new Set()));
    if (listener !== undefined) set.add(listener);
  }
}

function remove<L>(map: Map<string, Set<L>>, names: readonly string[], listener: L | undefined): string[] {
  const gone: string[] = [];
  for (const name of names) {
    const set = map.get(name);
    if (set === undefined) continue;
    if (listener !== undefined) set.delete(listener);
    else set.clear();
    if (set.size === 0) {
      map.delete(name);
      gone.push(name);
    }
  }
  return gone;
}

/** Validates a channel/pattern argument and returns it as a de-duplicated list. */
export function subscriptionNames(input: string | readonly string[] | undefined, what: string): string[] | undefined {
  if (input === undefined) return undefined;
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === 'string')) {
    throw new TypeError(`${what} must be a string or a non-empty array of strings`);
  }
  return [...new Set(list)];
}
