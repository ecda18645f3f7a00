// RedisHuey / SimpleHuey construction: default addresses, URL and explicit
// options, key layout. Nothing connects (lazyConnect).
import { describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/client/index.js';
import { RedisHuey, RedisStorage, SimpleHuey, redisKeys } from '../../src/huey/index.js';

const clientOf = (h: { storage: unknown }) => ((h.storage as RedisStorage).client as RedisClient).options;

describe('RedisHuey and SimpleHuey', () => {
  it('default to Redis 127.0.0.1:6379 and simpledb 127.0.0.1:31337', async () => {
    const redis = new RedisHuey('app', { connection: { lazyConnect: true } });
    const simple = new SimpleHuey('app', { connection: { lazyConnect: true } });
    expect([clientOf(redis).host, clientOf(redis).port]).toEqual(['127.0.0.1', 6379]);
    expect([clientOf(simple).host, clientOf(simple).port]).toEqual(['127.0.0.1', 31337]);
    await redis.close();
    await simple.close();
  });

  it('take a URL or host/port/db/password', async () => {
    const byUrl = new SimpleHuey('app', { url: 'redis://10.0.0.5:7000/3', connection: { lazyConnect: true } });
    expect([clientOf(byUrl).host, clientOf(byUrl).port, clientOf(byUrl).db]).toEqual(['10.0.0.5', 7000, 3]);
    const explicit = new RedisHuey('app', { host: '10.0.0.6', port: 7001, db: 2, password: 'pw', connection: { lazyConnect: true } });
    expect([clientOf(explicit).host, clientOf(explicit).port, clientOf(explicit).db, clientOf(explicit).password]).toEqual([
      '10.0.0.6',
      7001,
      2,
      'pw',
    ]);
    await byUrl.close();
    await explicit.close();
  });

  it('uses hash-tagged keys and rejects names that would break the tag', () => {
    expect(redisKeys('my-app')).toEqual({
      queue: 'huey.{my-app}.queue',
      schedule: 'huey.{my-app}.schedule',
      results: 'huey.{my-app}.results',
      revoked: 'huey.{my-app}.revoked',
      errors: 'huey.{my-app}.errors',
      events: 'huey.{my-app}.events',
      stored: 'huey.{my-app}.stored',
      owners: 'huey.{my-app}.owners',
      recovered: 'huey.{my-app}.recovered',
      inFlightPrefix: 'huey.{my-app}.inflight.',
      consumerPrefix: 'huey.{my-app}.consumer.',
      priorities: 'huey.{my-app}.priorities',
      levelPrefix: 'huey.{my-app}.queue.',
      unique: 'huey.{my-app}.unique',
      ratePrefix: 'huey.{my-app}.rate.',
      parkedPrefix: 'huey.{my-app}.paused.',
      chordPrefix: 'huey.{my-app}.chord.',
      parked: 'huey.{my-app}.paused',
      consumers: 'huey.{my-app}.consumers',
      alivePrefix: 'huey.{my-app}.alive.',
      countsPrefix: 'huey.{my-app}.counts.',
    });
    expect(() => new RedisHuey('bad{name}', { connection: { lazyConnect: true } })).toThrow(/must not contain \{ or \}/);
  });
});
