// Sharded pub/sub (SSUBSCRIBE/SUNSUBSCRIBE, smessage) on one server: a namespace
// apart from channels and patterns, counted apart by the server, restored after a reconnect.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClient, SubscriberModeError, UnsupportedCommandError } from '../../src/client/index.js';
import { backends, eventually, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client sharded pub/sub (${backend.name})`, () => {
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
      it(`SPUBLISH reaches shard listeners and the smessage event, PUBLISH the channel ones (RESP${protocol})`, async () => {
        const sub = new RedisClient({ port: server.port, protocol });
        try {
          const got: string[] = [];
          const events: string[] = [];
          sub.on('smessage', (channel, message) => events.push(`${channel}:${message}`));
          await sub.ssubscribe(['{a}ev', '{b}ev'], (message, channel) => got.push(`s ${channel}:${message}`));
          await sub.subscribe('{a}ev', (message, channel) => got.push(`c ${channel}:${message}`));
          expect(await pub.call('SPUBLISH', '{a}ev', 'one')).toBe(1);
          expect(await pub.call('PUBLISH', '{a}ev', 'two')).toBe(1);
          expect(await pub.call('SPUBLISH', '{b}ev', 'three')).toBe(1);
          await eventually(() => got.length === 3);
          expect(got).toEqual(['s {a}ev:one', 'c {a}ev:two', 's {b}ev:three']);
          expect(events).toEqual(['{a}ev:one', '{b}ev:three']);

          // Dropping the shard channels leaves the channel subscription (and RESP2 subscriber mode) in place.
          await sub.sunsubscribe();
          expect(await pub.call('SPUBLISH', '{a}ev', 'gone')).toBe(0);
          expect(await pub.call('PUBSUB', 'SHARDNUMSUB', '{a}ev')).toEqual(['{a}ev', 0]);
          if (protocol === 2) await expect(sub.call('GET', 'x')).rejects.toBeInstanceOf(SubscriberModeError);
          await sub.unsubscribe();
          expect(await sub.call('GET', 'x')).toBe(null);
        } finally {
          await sub.quit();
        }
      });
    }

    it('a RESP2 connection leaves subscriber mode only when shard channels are gone too', async () => {
      const sub = pub.duplicate();
      try {
        await sub.subscribe('plain');
        await sub.ssubscribe('{s}x');
        await sub.unsubscribe();
        // The server still counts one shard channel: the connection stays in subscriber mode.
        await expect(sub.call('GET', 'x')).rejects.toBeInstanceOf(SubscriberModeError);
        expect(await sub.call('PING')).toEqual(['pong', '']);
        await sub.sunsubscribe('{s}x');
        expect(await sub.call('PING')).toBe('PONG');
      } finally {
        await sub.quit();
      }
    });

    it('shard subscriptions are restored after the connection is killed', async () => {
      const sub = new RedisClient({ port: server.port, protocol: 3 });
      try {
        const got: string[] = [];
        await sub.ssubscribe('{r}ev', (m) => got.push(m));
        const id = await sub.call<number>('CLIENT', 'ID');
        await pub.call('CLIENT', 'KILL', 'ID', String(id));
        await eventually(async () => (await pub.call('SPUBLISH', '{r}ev', 'after')) === 1);
        await eventually(() => got.length > 0);
        expect(got[0]).toBe('after');
      } finally {
        await sub.quit();
      }
    });

    it('call() refuses SSUBSCRIBE and SUNSUBSCRIBE, naming the methods to use', async () => {
      const err = await pub.call('SSUBSCRIBE', 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsupportedCommandError);
      expect((err as Error).message).toMatch(/ssubscribe\(\)/);
      await expect(pub.call('SUNSUBSCRIBE')).rejects.toBeInstanceOf(UnsupportedCommandError);
      await expect(pub.ssubscribe([])).rejects.toBeInstanceOf(TypeError);
    });
  });
}
