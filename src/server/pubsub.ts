// Channel, pattern and shard-channel subscriptions, and message delivery to
// subscribers. Shard channels (SSUBSCRIBE, SPUBLISH) are Redis Cluster's
// per-slot channels; simpledb is one shard, so they are a second, separate
// namespace of channels that patterns never match, as in a one-node Redis.
import { globMatch } from './glob.js';
import type { ReplyWriter } from './reply.js';

/** What pub/sub reads and writes on a client (the server's Client class). */
export interface Subscriber {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shardChannels: Set<string>;
  readonly reply: ReplyWriter;
  /** Writes a delivered message now, and applies the output limits. */
  flushOutOfBand(): void;
}

export class PubSub {
  readonly channels = new Map<string, Set<Subscriber>>();
  readonly patterns = new Map<string, Set<Subscriber>>();
  readonly shardChannels = new Map<string, Set<Subscriber>>();

  /** Returns true when the client was not subscribed yet. */
  subscribe(c: Subscriber, channel: string): boolean {
    return add(c.channels, this.channels, c, channel);
  }

  unsubscribe(c: Subscriber, channel: string): boolean {
    return remove(c.channels, this.channels, c, channel);
  }

  ssubscribe(c: Subscriber, channel: string): boolean {
    return add(c.shardChannels, this.shardChannels, c, channel);
  }

  sunsubscribe(c: Subscriber, channel: string): boolean {
    return remove(c.shardChannels, this.shardChannels, c, channel);
  }

  psubscribe(c: Subscriber, pattern: string): boolean {
    return add(c.patterns, this.patterns, c, pattern);
  }

  punsubscribe(c: Subscriber, pattern: string): boolean {
    return remove(c.patterns, this.patterns, c, pattern);
  }

  /** Drops every subscription of a client that goes away (no replies). */
  forget(c: Subscriber): void {
    for (const ch of [...c.channels]) this.unsubscribe(c, ch);
    for (const p of [...c.patterns]) this.punsubscribe(c, p);
    for (const ch of [...c.shardChannels]) this.sunsubscribe(c, ch);
  }

  /** Delivers a message to a shard channel's subscribers (patterns do not apply); returns how many. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (subs === undefined) return 0;
    for (const c of subs) {
      c.reply.pushLen(3);
      c.reply.bulk('smessage');
      c.reply.bulk(channel);
      c.reply.bulk(message);
      c.flushOutOfBand();
    }
    return subs.size;
  }

  /** Delivers a message; returns the number of receivers, as PUBLISH replies. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const c of subs) {
        c.reply.pushLen(3);
        c.reply.bulk('message');
        c.reply.bulk(channel);
        c.reply.bulk(message);
        c.flushOutOfBand();
        receivers++;
      }
    }
    if (this.patterns.size !== 0) {
      for (const [pattern, set] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of set) {
          c.reply.pushLen(4);
          c.reply.bulk('pmessage');
          c.reply.bulk(pattern);
          c.reply.bulk(channel);
          c.reply.bulk(message);
          c.flushOutOfBand();
          receivers++;
        }
      }
    }
    return receivers;
  }
}

/** Adds a subscription on both sides (the client's names, the server's subscribers by name). */
function add(mine: Set<string>, all: Map<string, Set<Subscriber>>, c: Subscriber, name: string): boolean {
  if (mine.has(name)) return false;
  mine.add(name);
  let set = all.get(name);
  if (!set) all.set(name, (set = new Set()));
  set.add(c);
  return true;
}

function remove(mine: Set<string>, all: Map<string, Set<Subscriber>>, c: Subscriber, name: string): boolean {
  if (!mine.delete(name)) return false;
  const set = all.get(name);
  if (set) {
    set.delete(c);
    if (set.size === 0) all.delete(name);
  }
  return true;
}
