// The pub/sub router on its own: which frames are messages, which are
// confirmations, which are ordinary replies, and delivery to listeners.
import { describe, expect, it } from 'vitest';
import { CONFIRMATION, MESSAGE, NOT_PUBSUB, PubSubRouter, type PubSubOutlet } from '../../src/client/pubsub-router.js';

function router(listening = true): { router: PubSubRouter; events: unknown[][]; errors: unknown[] } {
  const events: unknown[][] = [];
  const errors: unknown[] = [];
  const outlet: PubSubOutlet = {
    listening: () => listening,
    message: (channel, message) => events.push(['message', channel, message]),
    pmessage: (pattern, channel, message) => events.push(['pmessage', pattern, channel, message]),
    smessage: (channel, message) => events.push(['smessage', channel, message]),
    listenerError: (e) => errors.push(e),
  };
  return { router: new PubSubRouter(outlet), events, errors };
}

describe('PubSubRouter', () => {
  it('delivers channel messages to their listeners and to the message event', () => {
    const { router: r, events } = router();
    const got: string[] = [];
    r.subs.addChannels(['news'], (message, channel) => got.push(`${channel}:${message}`));
    expect(r.route(['message', 'news', 'hello'], true)).toBe(MESSAGE);
    expect(r.route(['message', Buffer.from('news'), Buffer.from('bytes')], true)).toBe(MESSAGE);
    expect(got).toEqual(['news:hello', 'news:bytes']);
    expect(events).toEqual([
      ['message', 'news', 'hello'],
      ['message', 'news', 'bytes'],
    ]);
  });

  it('delivers shard-channel messages (smessage) to shard listeners only, and recognises their confirmations', () => {
    const { router: r, events } = router();
    const got: string[] = [];
    r.subs.addShardChannels(['{a}:ev'], (message, channel) => got.push(`${channel}:${message}`));
    r.subs.addChannels(['{a}:ev'], () => got.push('wrong listener'));
    expect(r.route(['smessage', '{a}:ev', 'hi'], true)).toBe(MESSAGE);
    expect(r.route(['smessage', '{a}:ev', 'hi'], false)).toBe(NOT_PUBSUB);
    expect(r.route(['ssubscribe', '{a}:ev', 1], false)).toBe(CONFIRMATION);
    expect(r.route(['sunsubscribe', '{a}:ev', 0], false)).toBe(CONFIRMATION);
    expect(got).toEqual(['{a}:ev:hi']);
    expect(events).toEqual([['smessage', '{a}:ev', 'hi']]);
    expect(r.subs.size).toBe(2);
  });

  it('delivers pattern messages with the pattern', () => {
    const { router: r, events } = router();
    const got: string[] = [];
    r.subs.addPatterns(['n*'], (message, channel, pattern) => got.push(`${pattern}|${channel}|${message}`));
    expect(r.route(['pmessage', 'n*', 'news', 'hi'], true)).toBe(MESSAGE);
    expect(got).toEqual(['n*|news|hi']);
    expect(events).toEqual([['pmessage', 'n*', 'news', 'hi']]);
  });

  it('does not emit events nobody listens to', () => {
    const { router: r, events } = router(false);
    expect(r.route(['message', 'x', 'y'], true)).toBe(MESSAGE);
    expect(events).toEqual([]);
  });

  it('an array reply that looks like a message is an ordinary reply outside subscriber mode', () => {
    const { router: r, events } = router();
    expect(r.route(['message', 'a', 'b'], false)).toBe(NOT_PUBSUB);
    expect(r.route(['pmessage', 'a', 'b', 'c'], false)).toBe(NOT_PUBSUB);
    expect(events).toEqual([]);
  });

  it('recognises confirmations of all four verbs, and nothing else', () => {
    const { router: r } = router();
    for (const verb of ['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe']) {
      expect(r.route([verb, 'ch', 1], false)).toBe(CONFIRMATION);
    }
    expect(r.route(['subscribe', 'ch'], false)).toBe(NOT_PUBSUB);
    expect(r.route(['a', 'b', 'c'], true)).toBe(NOT_PUBSUB);
    expect(r.route([1, 2, 3], true)).toBe(NOT_PUBSUB);
  });

  it('a listener that throws is reported and the others still run', () => {
    const { router: r, errors } = router();
    const got: string[] = [];
    const boom = new Error('listener failed');
    r.subs.addChannels(['c'], () => {
      throw boom;
    });
    r.subs.addChannels(['c'], (m) => got.push(m));
    expect(r.route(['message', 'c', 'm1'], true)).toBe(MESSAGE);
    expect(errors).toEqual([boom]);
    expect(got).toEqual(['m1']);
  });
});
