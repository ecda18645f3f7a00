// What a run stores is tried again while the storage is unavailable (a
// dropped connection, a server still loading its data) and only then: the
// retry loop itself, the executor storing a result through it (no
// EVENT_ERROR_STORING_RESULT, the task settled), and how RedisStorage on a
// real simpledb tells an unavailable storage from a refused call and
// reports reconnects.
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, RedisClient, ReplyError } from '../../src/client/index.js';
import { untilStored } from '../../src/huey/consumer/until-stored.js';
import { Worker } from '../../src/huey/consumer/worker.js';
import { DataStorePutException, EVENT_ERROR_STORING_RESULT, EVENT_FINISHED, RedisStorage } from '../../src/huey/index.js';
import type { Storage } from '../../src/huey/storage/storage.js';
import { captureEvents, recordingLogger, useBackend } from './backends.js';
import { until } from './reliable-helpers.js';

class Dropped extends Error {}

function runtime(storage: Partial<Storage>) {
  const { lines, logger } = recordingLogger();
  return { rt: { storage: storage as Storage, logger }, lines };
}

describe('untilStored', () => {
  it('tries again, with growing pauses, while the storage says it is unavailable; logs once', async () => {
    const { rt, lines } = runtime({ isUnavailable: (err) => err instanceof Dropped });
    let calls = 0;
    const pauses: number[] = [];
    const value = await untilStored(
      rt,
      'store result of t',
      async () => {
        if (++calls < 4) throw new Dropped('connection closed');
        return 'stored';
      },
      async (ms) => {
        pauses.push(ms);
      },
    );
    expect(value).toBe('stored');
    expect(calls).toBe(4);
    expect(pauses).toEqual([50, 100, 200]);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(lines[0]?.message).toMatch(/^store result of t: the storage is unavailable/);
  });

  it('any other failure, or a storage that cannot tell, fails at once', async () => {
    const refused = new Error('WRONGTYPE');
    for (const storage of [{ isUnavailable: (err: unknown) => err instanceof Dropped }, {}]) {
      const { rt } = runtime(storage);
      let calls = 0;
      const op = async () => {
        calls++;
        throw storage.isUnavailable ? refused : new Dropped('connection closed');
      };
      await expect(untilStored(rt, 'x', op, async () => undefined)).rejects.toBeInstanceOf(Error);
      expect(calls).toBe(1);
    }
  });
});

describe('the executor stores a result cut off by a dropped connection once the storage is back', () => {
  const b = useBackend('memory');

  it('result stored, task settled, no EVENT_ERROR_STORING_RESULT', async () => {
    const huey = b.huey({ reliable: true });
    const storage = huey.storage;
    const put = storage.putData.bind(storage);
    let failures = 2;
    storage.putData = async (key, value) => {
      if (failures-- > 0) throw new Dropped('connection closed before the reply arrived');
      return put(key, value);
    };
    storage.isUnavailable = (err) => err instanceof Dropped;
    const add = huey.task((a: number, c: number) => a + c, { name: 'add' });
    const res = await add(1, 2);
    const message = (await storage.takeMany('w', 1))[0] as string;
    let settled: boolean | null = null;
    const worker = new Worker(huey, {
      source: {
        next: async () => message,
        done: (_m, s) => {
          settled = s;
        },
      },
    });
    const events = await captureEvents(huey, () => worker.loop());
    expect(settled).toBe(true);
    expect(events.map((e) => e.status)).toContain(EVENT_FINISHED);
    expect(events.map((e) => e.status)).not.toContain(EVENT_ERROR_STORING_RESULT);
    expect(await res.get()).toBe(3);
  });
});

describe('RedisStorage on simpledb: unavailable or refused, and reconnects', () => {
  const b = useBackend('simpledb');

  it('a dropped connection and LOADING are unavailability, also wrapped; other errors and a closed storage are not', async () => {
    const storage = new RedisStorage('unavail', { port: b.port() });
    const dropped = new ConnectionClosedError('Connection closed before the reply arrived', { command: 'HSET' });
    expect(storage.isUnavailable(dropped)).toBe(true);
    expect(storage.isUnavailable(new DataStorePutException('store result: ...', { cause: dropped }))).toBe(true);
    expect(storage.isUnavailable(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(storage.isUnavailable(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(storage.isUnavailable(new Error('boom'))).toBe(false);
    await storage.close();
    expect(storage.isUnavailable(dropped)).toBe(false);
  });

  it('onReconnect: called when the connection is back after it was lost; not after unsubscribing', async () => {
    const storage = new RedisStorage('reconnect', { port: b.port() });
    const admin = new RedisClient({ port: b.port() });
    try {
      await storage.queueSize();
      let calls = 0;
      const stop = storage.onReconnect(() => calls++);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await until(() => calls === 1, 10_000, 'the reconnect');
      expect(await storage.queueSize()).toBe(0);
      stop();
      let readies = 0;
      storage.client.on('ready', () => readies++);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await until(() => readies === 1, 10_000, 'the second reconnect');
      expect(calls).toBe(1);
    } finally {
      await admin.quit();
      await storage.close();
    }
  });
});
