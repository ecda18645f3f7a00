// Core client behaviour against every backend: replies, pipelining order, error
// isolation, binary data, argument validation, AUTH/SELECT, duplicate, quit.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  RedisClient,
  ReplyError,
  UnsupportedCommandError,
} from '../../src/client/index.js';
import { backends, useBackendClient, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client commands (${backend.name})`, () => {
    let server: RunningBackend;
    let client: RedisClient;

    useBackendClient(backend, (s, c) => {
      server = s;
      client = c;
    });

    it('decodes strings, integers, nil and nested arrays', async () => {
      expect(await client.call('SET', 'c:k', 'v')).toBe('OK');
      expect(await client.call('GET', 'c:k')).toBe('v');
      expect(await client.call('GET', 'c:missing')).toBeNull();
      expect(await client.call('RPUSH', 'c:l', 'a', 'b', 'c')).toBe(3);
      expect(await client.call('LRANGE', 'c:l', 0, -1)).toEqual(['a', 'b', 'c']);
      expect(await client.call('HSET', 'c:h', 'f', 'v')).toBe(1);
      expect(await client.call('HGETALL', 'c:h')).toEqual(['f', 'v']);
      await client.call('ZADD', 'c:z', 1, 'a', 2, 'b');
      expect(await client.call('ZRANGE', 'c:z', 0, -1, 'WITHSCORES')).toEqual(['a', '1', 'b', '2']);
    });

    it('lower-case command names work', async () => {
      expect(await client.call('set', 'c:lower', 1)).toBe('OK');
      expect(await client.call('incr', 'c:lower')).toBe(2);
    });

    it('keeps tens of thousands of pipelined replies in order', async () => {
      const n = 30_000;
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) {
        pending.push(i % 3 === 0 ? client.call('RPUSH', 'c:order', i) : client.call('ECHO', `e${i}`));
      }
      const replies = await Promise.all(pending);
      let pushes = 0;
      for (let i = 0; i < n; i++) {
        if (i % 3 === 0) expect(replies[i]).toBe(++pushes);
        else expect(replies[i]).toBe(`e${i}`);
      }
      const list = await client.call<string[]>('LRANGE', 'c:order', 0, -1);
      expect(list).toEqual(Array.from({ length: pushes }, (_, k) => String(k * 3)));
    });

    it('an error reply rejects only its own command', async () => {
      await client.call('SET', 'c:str', 'x');
      const results = await Promise.allSettled([
        client.call('INCR', 'c:iso'),
        client.call('LPUSH', 'c:str', 'y'),
        client.call('NOSUCHCOMMAND', 'a'),
        client.call('INCR', 'c:iso'),
      ]);
      expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
      expect(results[3]).toEqual({ status: 'fulfilled', value: 2 });
      const wrongType = (results[1] as PromiseRejectedResult).reason as ReplyError;
      expect(wrongType).toBeInstanceOf(ReplyError);
      expect(wrongType.code).toBe('WRONGTYPE');
      expect(wrongType.message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
      expect(wrongType.command).toBe('LPUSH');
      const unknown = (results[2] as PromiseRejectedResult).reason as ReplyError;
      expect(unknown).toBeInstanceOf(ReplyError);
      expect(unknown.message).toMatch(/^ERR unknown command 'NOSUCHCOMMAND'/);
    });

    it('round-trips binary values with callBuffer', async () => {
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const tricky = Buffer.from('\r\n$5\r\n*1\r\n\x00', 'latin1');
      await client.call('SET', 'c:bin', all);
      await client.call('SET', tricky, tricky);
      expect(await client.callBuffer('GET', 'c:bin')).toEqual(all);
      expect(await client.callBuffer('GET', tricky)).toEqual(tricky);
      await client.call('RPUSH', 'c:binl', all, 'text');
      expect(await client.callBuffer('LRANGE', 'c:binl', 0, -1)).toEqual([all, Buffer.from('text')]);
      // call() after callBuffer() decodes as strings again.
      expect(await client.call('LINDEX', 'c:binl', 1)).toBe('text');
    });

    it('round-trips UTF-8 and a large value', async () => {
      const text = 'héllo wörld €😀';
      await client.call('SET', 'c:utf8', text);
      expect(await client.call('GET', 'c:utf8')).toBe(text);
      expect(await client.call('STRLEN', 'c:utf8')).toBe(Buffer.byteLength(text));
      const big = 'x'.repeat(5_000_000);
      await client.call('SET', 'c:big', big);
      expect(await client.call('GET', 'c:big')).toBe(big);
    });

    it('mixes call and callBuffer in one pipeline', async () => {
      await client.call('SET', 'c:mix', 'abc');
      const [a, b, c] = await Promise.all([
        client.call('GET', 'c:mix'),
        client.callBuffer('GET', 'c:mix'),
        client.call('GET', 'c:mix'),
      ]);
      expect(a).toBe('abc');
      expect(b).toEqual(Buffer.from('abc'));
      expect(c).toBe('abc');
    });

    it('rejects unsupported argument types before writing anything', async () => {
      const bad: unknown[] = [undefined, null, { a: 1 }, true, NaN, [1]];
      for (const value of bad) {
        await expect(client.call('SET', 'c:bad', value as string)).rejects.toBeInstanceOf(TypeError);
      }
      // Nothing reached the server: the key was never set and the connection is still in step.
      expect(await client.call('EXISTS', 'c:bad')).toBe(0);
      expect(await client.call('PING')).toBe('PONG');
    });

    it('refuses commands that would desynchronise replies', async () => {
      await expect(client.call('SUBSCRIBE', 'x')).rejects.toBeInstanceOf(UnsupportedCommandError);
      await expect(client.call('monitor')).rejects.toBeInstanceOf(UnsupportedCommandError);
      await expect(client.call('CLIENT', 'REPLY', 'OFF')).rejects.toBeInstanceOf(UnsupportedCommandError);
      expect(await client.call('PING')).toBe('PONG');
    });

    it('numbers, bigints and infinities are sent as Redis expects', async () => {
      await client.call('ZADD', 'c:zn', 1.5, 'a', 10n, 'b');
      expect(await client.call('ZRANGE', 'c:zn', -Infinity, Infinity, 'BYSCORE')).toEqual(['a', 'b']);
      expect(await client.call('ZSCORE', 'c:zn', 'a')).toBe('1.5');
    });

    it('selects the database from the URL and keeps it after SELECT', async () => {
      const db3 = new RedisClient({ url: `redis://127.0.0.1:${server.port}/3` });
      try {
        await db3.call('SET', 'c:dbkey', 'in3');
        expect(await client.call('EXISTS', 'c:dbkey')).toBe(0);
        await client.call('SELECT', 3);
        expect(await client.call('GET', 'c:dbkey')).toBe('in3');
        await client.call('SELECT', 0);
        expect(await client.call('EXISTS', 'c:dbkey')).toBe(0);
      } finally {
        await db3.quit();
      }
    });

    it('duplicate() opens a separate connection with the same options', async () => {
      const base = new RedisClient({ url: `redis://127.0.0.1:${server.port}/2` });
      const dup = base.duplicate();
      try {
        await base.call('SET', 'c:dup', 'two');
        expect(await dup.call('GET', 'c:dup')).toBe('two');
        const ids = await Promise.all([base.call('CLIENT', 'ID'), dup.call('CLIENT', 'ID')]);
        expect(ids[0]).not.toBe(ids[1]);
        expect(dup.options.db).toBe(2);
      } finally {
        await Promise.all([base.quit(), dup.quit()]);
      }
    });

    it('quit() resolves after pending replies; later commands are rejected', async () => {
      const c = new RedisClient({ port: server.port });
      const replies = [c.call('SET', 'c:quit', 'a'), c.call('APPEND', 'c:quit', 'b'), c.call('GET', 'c:quit')];
      const quitting = c.quit();
      await expect(c.call('PING')).rejects.toBeInstanceOf(ConnectionClosedError);
      await quitting;
      expect(await Promise.all(replies)).toEqual(['OK', 2, 'ab']);
      expect(c.status).toBe('closed');
      await expect(c.call('PING')).rejects.toBeInstanceOf(ConnectionClosedError);
    });

    it('disconnect() rejects what is pending and emits end', async () => {
      const c = new RedisClient({ port: server.port });
      await c.connect();
      let ended = false;
      c.on('end', () => {
        ended = true;
      });
      const pending = c.call('PING');
      c.disconnect();
      await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
      expect(ended).toBe(true);
      expect(c.status).toBe('closed');
    });

    it('lazyConnect waits for the first command', async () => {
      const c = new RedisClient({ port: server.port, lazyConnect: true });
      expect(c.status).toBe('idle');
      expect(await c.call('PING')).toBe('PONG');
      expect(c.status).toBe('ready');
      await c.quit();
    });
  });

  backend.describe(`client AUTH (${backend.name})`, () => {
    let server: RunningBackend;
    beforeAll(async () => {
      server = await backend.start({ password: 's3cret' });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('authenticates from the URL, also with RESP3', async () => {
      for (const protocol of [2, 3] as const) {
        const c = new RedisClient({ url: `redis://:s3cret@127.0.0.1:${server.port}/1`, protocol });
        expect(await c.call('SET', 'a:k', protocol)).toBe('OK');
        expect(await c.call('GET', 'a:k')).toBe(String(protocol));
        await c.quit();
      }
    });

    it('a wrong password rejects waiting commands with the server error', async () => {
      const c = new RedisClient({ port: server.port, password: 'wrong', retryStrategy: () => null });
      const err = await c.call('PING').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplyError);
      expect((err as ReplyError).message).toMatch(/^WRONGPASS/);
      c.disconnect();
    });

    it('without a password commands get NOAUTH', async () => {
      const c = new RedisClient({ port: server.port });
      const err = await c.call('GET', 'a:k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplyError);
      expect((err as ReplyError).code).toBe('NOAUTH');
      await c.quit();
    });
  });
}
