// MULTI/EXEC through client.multi(): results, run-time errors, EXECABORT, WATCH conflicts.
import { expect, it } from 'vitest';
import { RedisClient, ReplyError, TransactionAbortedError } from '../../src/client/index.js';
import { backends, useBackendClient } from './backends.js';

for (const backend of backends) {
  backend.describe(`client transactions (${backend.name})`, () => {
    let client: RedisClient;

    useBackendClient(backend, (_server, c) => {
      client = c;
    });

    it('returns the array of replies', async () => {
      const replies = await client.multi([
        ['LPUSH', 't:q', 'a'],
        ['LPUSH', 't:q', 'b'],
        ['LLEN', 't:q'],
        ['LRANGE', 't:q', 0, -1],
      ]);
      expect(replies).toEqual([1, 2, 2, ['b', 'a']]);
    });

    it('an empty transaction gives an empty array', async () => {
      expect(await client.multi([])).toEqual([]);
    });

    it('a command failing at run time appears as its ReplyError; the others ran', async () => {
      await client.call('SET', 't:s', 'x');
      const replies = await client.multi([['INCR', 't:n'], ['LPUSH', 't:s', 'y'], ['INCR', 't:n']]);
      expect(replies[0]).toBe(1);
      expect(replies[2]).toBe(2);
      const err = replies[1] as ReplyError;
      expect(err).toBeInstanceOf(ReplyError);
      expect(err.code).toBe('WRONGTYPE');
      expect(err.command).toBe('LPUSH');
    });

    it('a command refused while queuing aborts it all (EXECABORT)', async () => {
      await client.call('DEL', 't:abort');
      const err = await client
        .multi([['SET', 't:abort', 1], ['NOSUCHCMD'], ['GET']])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransactionAbortedError);
      const aborted = err as TransactionAbortedError;
      expect(aborted.reason).toBe('execabort');
      expect(aborted.errors).toHaveLength(2);
      expect(aborted.errors[0]?.message).toMatch(/^ERR unknown command 'NOSUCHCMD'/);
      expect(aborted.errors[1]?.message).toBe("ERR wrong number of arguments for 'get' command");
      expect((aborted.cause as ReplyError).code).toBe('EXECABORT');
      expect(await client.call('EXISTS', 't:abort')).toBe(0);
      // The connection is usable afterwards.
      expect(await client.multi([['PING']])).toEqual(['PONG']);
    });

    it('a WATCHed key changed by another client aborts with reason "watch"', async () => {
      const watcher = client.duplicate();
      try {
        await watcher.call('SET', 't:w', 1);
        await watcher.call('WATCH', 't:w');
        await client.call('SET', 't:w', 2);
        const err = await watcher.multi([['SET', 't:w', 3]]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TransactionAbortedError);
        expect((err as TransactionAbortedError).reason).toBe('watch');
        expect(await client.call('GET', 't:w')).toBe('2');
        // Without interference the next WATCH/MULTI succeeds.
        await watcher.call('WATCH', 't:w');
        expect(await watcher.multi([['SET', 't:w', 4], ['GET', 't:w']])).toEqual(['OK', '4']);
      } finally {
        await watcher.quit();
      }
    });

    it('transactions from concurrent callers do not interleave', async () => {
      const runs = Array.from({ length: 50 }, (_, i) =>
        client.multi([['RPUSH', 't:batch', `${i}a`], ['RPUSH', 't:batch', `${i}b`]]),
      );
      await Promise.all(runs);
      const list = await client.call<string[]>('LRANGE', 't:batch', 0, -1);
      for (let i = 0; i < list.length; i += 2) {
        expect(list[i]?.replace('a', '')).toBe(list[i + 1]?.replace('b', ''));
      }
      expect(list).toHaveLength(100);
    });

    it('buffers option returns bulk strings as Buffers', async () => {
      await client.call('SET', 't:buf', Buffer.from([0, 255]));
      expect(await client.multi([['GET', 't:buf']], { buffers: true })).toEqual([Buffer.from([0, 255])]);
    });

    it('rejects a malformed command list before sending anything', async () => {
      await expect(client.multi([['SET', 't:bad', undefined as unknown as string]])).rejects.toBeInstanceOf(TypeError);
      await expect(client.multi([[] as unknown as [string]])).rejects.toBeInstanceOf(TypeError);
      expect(await client.call('EXISTS', 't:bad')).toBe(0);
    });
  });
}
