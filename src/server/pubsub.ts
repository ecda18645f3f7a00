// Channel and pattern subscriptions, and message delivery to subscribers.
import { globMatch } from './glob.js';
import type { ReplyWriter } from './reply.js';

/** What pub/sub reads and writes on a client (the server's Client class). */
export interface Subscriber {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly reply: ReplyWriter;
  /** Writes a delivered message now, and applies the output limits. */
  flushOutOfBand(): void;
}

export class PubSub {
  readonly channels = new Map<string, Set<Subscriber>>();
  readonly patterns = new Map<string, Set<Subscriber>>();

  /** Returns true when the client was not subscribed yet. */
  subscribe(c: Subscriber, channel: string): boolean {
    if (c.channels.has(channel)) return false;
    c.channels.add(channel);
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(c);
    return true;
  }

  unsubscribe(c: Subscriber, channel: string): boolean {
    if (!c.channels.delete(channel)) return false;
    const set = this.channels.get(channel);
    if (set) {
      set.delete(c);
      if (set.size === 0) this.channels.delete(channel);
    }
    return true;
  }

  psubscribe(c: Subscriber, pattern: string): boolean {
    if (c.patterns.has(pattern)) return false;
    c.patterns.add(pattern);
    let set = this.patterns.get(pattern);
    if (!set) this.patterns.set(pattern, (set = new Set()));
    set.add(c);
    return true;
  }

  punsubscribe(c: Subscriber, pattern: string): boolean {
    if (!c.patterns.delete(pattern)) return false;
    const set = this.patterns.get(pattern);
    if (set) {
      set.delete(c);
      if (set.size === 0) this.patterns.delete(pattern);
    }
    return true;
  }

  /** Drops every subscription of a client that goes away (no replies). */
  forget(c: Subscriber): void {
    for (const ch of [...c.channels]) this.unsubscribe(c, ch);
    for (const p of [...c.patterns]) this.punsubscribe(c, p);
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
