// Huey's notifications (events, stored results) by transport: on a Redis
// Cluster sharded pub/sub (SPUBLISH/SSUBSCRIBE on the huey's slot owner, never
// copied over the cluster bus); on one Redis plain PUBLISH, so a plain
// `SUBSCRIBE huey.{name}.events` (redis-cli) keeps hearing them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keySlot, RedisClient } from '../../src/client/index.js';
import { EVENT_FINISHED, EVENT_STARTED, RedisHuey, redisKeys, silentLogger, type HueyEvent } from '../../src/huey/index.js';
import { ask, startRedisCluster, type RedisClusterProcess } from '../helpers/redis-cluster.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';

/** Runs one task through a consumer while `huey.events()` listens; returns the events up to the finish. */
async function eventsOfOneTask(huey: RedisHuey, whileSubscribed: () => Promise<void> = async () => {}): Promise<HueyEvent[]> {
  const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
  const stream = huey.events();
  await stream.ready;
  await whileSubscribed();
  const res = await add(2, 3);
  const consumer = huey.createConsumer({ workers: 1 });
  await consumer.start();
  const seen: HueyEvent[] = [];
  try {
    for await (const event of stream) {
      seen.push(event);
      if (event.status === EVENT_FINISHED) break;
    }
    // The stored notification wakes a blocking read on the same transport.
    expect(await res.get({ blocking: true, timeout: 10 })).toBe(5);
  } finally {
    await consumer.stop();
  }
  return seen;
}

describeWithRedis('huey notifications by transport', () => {
  let servers: RedisClusterProcess;
  let single: RedisProcess;

  beforeAll(async () => {
    servers = await startRedisCluster();
    single = await startRedis();
  }, 90_000);

  afterAll(async () => {
    await servers?.stop();
    await single?.stop();
  });

  it('on a cluster: events() subscribes with SSUBSCRIBE on the slot owner and hears the task events', async () => {
    const huey = new RedisHuey('cev', { cluster: { nodes: servers.urls as string[] }, logger: silentLogger, readTimeout: 0.05 });
    const channel = redisKeys('cev').events;
    const owner = await servers.ownerOf(keySlot(channel));
    try {
      const events = await eventsOfOneTask(huey, async () => {
        expect(await ask(owner, ['PUBSUB', 'SHARDNUMSUB', channel])).toEqual([channel, 1]);
        for (const port of await servers.primaryPorts()) {
          expect(await ask(port, ['PUBSUB', 'NUMSUB', channel])).toEqual([channel, 0]);
        }
      });
      expect(events.map((e) => e.status)).toEqual([EVENT_STARTED, EVENT_FINISHED]);
      expect(events[1]).toMatchObject({ task: 'add' });
      // Every notification went out as SPUBLISH, none as PUBLISH (INFO commandstats of the owner).
      const stats = String(await ask(owner, ['INFO', 'commandstats']));
      expect(stats).toMatch(/cmdstat_spublish:calls=[1-9]/);
      expect(stats).not.toMatch(/cmdstat_publish:/);
    } finally {
      await huey.close();
    }
  }, 60_000);

  it('on one Redis: plain PUBLISH, heard by a plain SUBSCRIBE as well as by events()', async () => {
    const huey = new RedisHuey('sev', { port: single.port, logger: silentLogger, readTimeout: 0.05 });
    const plain = new RedisClient({ port: single.port });
    const heard: string[] = [];
    let bothHeard = (): void => {};
    const both = new Promise<void>((resolve) => (bothHeard = resolve));
    try {
      await plain.subscribe(redisKeys('sev').events, (m) => {
        if (heard.push(m) === 2) bothHeard();
      });
      const events = await eventsOfOneTask(huey);
      expect(events.map((e) => e.status)).toEqual([EVENT_STARTED, EVENT_FINISHED]);
      await both;
      expect(heard.map((m) => (JSON.parse(m) as HueyEvent).status)).toEqual([EVENT_STARTED, EVENT_FINISHED]);
    } finally {
      await plain.quit();
      await huey.close();
    }
  }, 60_000);
});
