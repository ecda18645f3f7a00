// Pub/sub: channels, patterns, listeners, unsubscribe, subscriber-mode refusal, RESP3 push.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClient, SubscriberModeError } from '../../src/client/index.js';
import { backends, eventually, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client pub/sub (${backend.name})`, () => {
    let server: RunningBackend;
    let pub: RedisClient;

    beforeAll(async () => {
      server = await backend.start();
      pub = new RedisClient({ port: server.port });
    });
    afterAll(async () => {
      await pub?.quit();
      await server?.stop();
    });

    for (const protocol of [2, 3] as const) {
      it(`delivers channel and pattern messages in order (RESP${protocol})`, async () => {
        const sub = new RedisClient({ port: server.port, protocol });
        try {
          const got: string[] = [];
          await sub.subscribe('news', (message, channel) => got.push(`${channel}:${message}`));
          await sub.psubscribe('ev.*', (message, channel, pattern) => got.push(`${pattern}|${channel}:${message}`));
          expect(await pub.call('PUBLISH', 'news', 'one')).toBe(1);
          expect(await pub.call('PUBLISH', 'ev.created', 'two')).toBe(1);
          expect(await pub.call('PUBLISH', 'other', 'three')).toBe(0);
          expect(await pub.call('PUBLISH', 'news', 'four')).toBe(1);
          await eventually(() => got.length === 3);
          expect(got).toEqual(['news:one', 'ev.*|ev.created:two', 'news:four']);
        } finally {
          await sub.quit();
        }
      });
    }

    it('emits message and pmessage events too', async () => {
      const sub = pub.duplicate();
      try {
        const events: string[] = [];
        sub.on('message', (channel, message) => events.push(`m ${channel} ${message}`));
        sub.on('pmessage', (pattern, channel, message) => events.push(`p ${pattern} ${channel} ${message}`));
        await sub.subscribe(['a', 'b']);
        await sub.psubscribe('a*');
        await pub.call('PUBLISH', 'a', '1');
        await pub.call('PUBLISH', 'b', '2');
        await eventually(() => events.length === 3);
        expect(events).toEqual(['m a 1', 'p a* a 1', 'm b 2']);
      } finally {
        await sub.quit();
      }
    });

    it('a RESP2 subscriber refuses ordinary commands until it unsubscribes', async () => {
      const sub = pub.duplicate();
      try {
        await sub.subscribe('only');
        const err = await sub.call('GET', 'x').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SubscriberModeError);
        expect((err as Error).message).toMatch(/^GET is not allowed while this connection is subscribed/);
        await expect(sub.multi([['GET', 'x']])).rejects.toBeInstanceOf(SubscriberModeError);
        // PING is allowed in subscriber mode (RESP2 answers with an array).
        expect(await sub.call('PING')).toEqual(['pong', '']);
        await sub.unsubscribe();
        expect(await sub.call('SET', 'x', 'free')).toBe('OK');
        expect(await sub.call('GET', 'x')).toBe('free');
      } finally {
        await sub.quit();
      }
    });

    it('a RESP3 subscriber may run ordinary commands in between messages', async () => {
      const sub = new RedisClient({ port: server.port, protocol: 3 });
      try {
        const got: string[] = [];
        await sub.subscribe('r3', (m) => got.push(m));
        const replies = await Promise.all([sub.call('SET', 'r3k', 'v'), pub.call('PUBLISH', 'r3', 'hi'), sub.call('GET', 'r3k')]);
        expect(replies).toEqual(['OK', 1, 'v']);
        await eventually(() => got.length === 1);
        expect(got).toEqual(['hi']);
      } finally {
        await sub.quit();
      }
    });

    it('removing one listener keeps the others; removing the last unsubscribes', async () => {
      const sub = pub.duplicate();
      try {
        const a: string[] = [];
        const b: string[] = [];
        const la = (m: string): void => void a.push(m);
        const lb = (m: string): void => void b.push(m);
        await sub.subscribe('shared', la);
        await sub.subscribe('shared', lb);
        await pub.call('PUBLISH', 'shared', '1');
        await eventually(() => a.length === 1 && b.length === 1);
        await sub.unsubscribe('shared', la);
        expect(await pub.call('PUBLISH', 'shared', '2')).toBe(1);
        await eventually(() => b.length === 2);
        expect(a).toEqual(['1']);
        await sub.unsubscribe('shared', lb);
        expect(await pub.call('PUBSUB', 'NUMSUB', 'shared')).toEqual(['shared', 0]);
        expect(await pub.call('PUBLISH', 'shared', '3')).toBe(0);
      } finally {
        await sub.quit();
      }
    });

    it('punsubscribe() drops every pattern', async () => {
      const sub = pub.duplicate();
      try {
        await sub.psubscribe(['x.*', 'y.*']);
        expect(await pub.call('PUBSUB', 'NUMPAT')).toBe(2);
        await sub.punsubscribe();
        expect(await pub.call('PUBSUB', 'NUMPAT')).toBe(0);
        expect(await sub.call('PING')).toBe('PONG');
      } finally {
        await sub.quit();
      }
    });

    it('a throwing listener is reported and does not disturb later messages', async () => {
      const sub = pub.duplicate();
      try {
        const errors: Error[] = [];
        sub.on('error', (e) => errors.push(e));
        const got: string[] = [];
        await sub.subscribe('boom', (m) => {
          if (m === 'bad') throw new Error('listener failed');
          got.push(m);
        });
        await pub.call('PUBLISH', 'boom', 'bad');
        await pub.call('PUBLISH', 'boom', 'good');
        await eventually(() => got.length === 1);
        expect(errors.map((e) => e.message)).toEqual(['listener failed']);
        expect(await sub.call('PING')).toEqual(['pong', '']);
      } finally {
        await sub.quit();
      }
    });

    it('rejects invalid channel arguments', async () => {
      const sub = pub.duplicate();
      try {
        await expect(sub.subscribe([])).rejects.toBeInstanceOf(TypeError);
        await expect(sub.subscribe(42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
        expect(await sub.call('PING')).toBe('PONG');
      } finally {
        await sub.quit();
      }
    });
  });
}
