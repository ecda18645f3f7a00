// URL parsing and option validation (no server needed).
import { describe, expect, it } from 'vitest';
import { defaultRetryStrategy, parseRedisUrl, resolveOptions } from '../../src/client/index.js';

describe('parseRedisUrl', () => {
  it('reads host, port, password and db', () => {
    expect(parseRedisUrl('redis://:secret@example.com:31337/2')).toEqual({
      host: 'example.com',
      port: 31337,
      password: 'secret',
      db: 2,
    });
  });

  it('reads a username and percent-decodes credentials', () => {
    expect(parseRedisUrl('redis://bob:p%40ss%2Fw@h')).toEqual({ host: 'h', username: 'bob', password: 'p@ss/w' });
  });

  it('accepts IPv6 hosts and a db query parameter', () => {
    expect(parseRedisUrl('redis://[::1]:7000?db=3')).toEqual({ host: '::1', port: 7000, db: 3 });
  });

  it.each([
    ['not a url', /Invalid Redis URL/],
    ['http://localhost:6379', /expected the redis:\/\/ scheme/],
    ['rediss://localhost', /TLS/],
    ['redis://localhost/abc', /Invalid database/],
  ])('rejects %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(TypeError);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});

describe('resolveOptions', () => {
  it('applies defaults', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, protocol: 2, commandTimeout: 0, lazyConnect: false });
    expect(o.password).toBeUndefined();
  });

  it('takes a URL string and lets explicit options win over the URL', () => {
    expect(resolveOptions('redis://h:1/1')).toMatchObject({ host: 'h', port: 1, db: 1 });
    expect(resolveOptions({ url: 'redis://:a@h:1/1', db: 4, password: 'b' })).toMatchObject({ db: 4, password: 'b', port: 1 });
  });

  it.each([
    [{ port: 0 }, /port/],
    [{ port: 70000 }, /port/],
    [{ db: -1 }, /db/],
    [{ db: 1.5 }, /db/],
    [{ protocol: 4 }, /protocol/],
    [{ commandTimeout: -5 }, /commandTimeout/],
    [{ connectTimeout: NaN }, /connectTimeout/],
    [{ maxOfflineCommands: 2.5 }, /maxOfflineCommands/],
    [{ host: '' }, /host/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(message);
  });

  it('default backoff doubles from 50 ms and caps at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => defaultRetryStrategy(n, undefined))).toEqual([
      50, 100, 200, 400, 800, 1600, 2000, 2000,
    ]);
  });
});
