// Authentication: --requirepass / requirepass option and CONFIG SET
// requirepass, compared byte for byte with a real redis-server started with
// the same password; our client authenticating from a redis:// URL (and
// failing with Redis's errors); the CLI's warning when it binds beyond
// localhost without a password.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, ReplyError } from '../../src/client/index.js';
import { startServer, type Server } from '../../src/server/index.js';
import { expectSameReplies } from '../helpers/differential.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis, freePort, startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { CLI, cliBuilt, makeTempDir } from './persistence-helpers.js';

const PASSWORD = 's3cret pass';
type Conns = [RawConnection, RawConnection];

describeWithRedis('AUTH flows (differential)', () => {
  let server: Server;
  let redis: RedisProcess;
  const open: RawConnection[] = [];

  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, requirepass: PASSWORD });
    redis = await startRedis(['--requirepass', PASSWORD]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.close();
    await redis?.stop();
  });

  async function connect(): Promise<Conns> {
    const conns: Conns = [await RawConnection.open(server.port), await RawConnection.open(redis.port)];
    open.push(...conns);
    return conns;
  }

  it('every command but AUTH, HELLO and QUIT gets NOAUTH until AUTH succeeds', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [
      ['PING'],
      ['GET', 'k'],
      ['SET', 'k', 'v'],
      ['SELECT', '1'],
      ['MULTI'],
      ['CONFIG', 'GET', 'requirepass'],
      ['NOSUCHCOMMAND'],
      'PING\r\n',
      ['AUTH', 'wrong'],
      ['AUTH', 'default', 'wrong'],
      ['AUTH', 'someone', PASSWORD],
      ['AUTH', 'a', 'b', 'c'],
      ['AUTH'],
      ['GET', 'k'],
      ['AUTH', PASSWORD],
      ['PING'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['AUTH', 'wrong'],
      // A failed AUTH does not log the connection out.
      ['GET', 'k'],
      ['DEL', 'k'],
    ]);
  });

  it('HELLO without AUTH before logging in gets Redis 7.0\'s NOAUTH text', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [['HELLO', '3'], ['HELLO'], ['HELLO', '2', 'SETNAME', 'x']]);
  });

  it('AUTH default <password> and HELLO AUTH authenticate; RESET logs out', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [['AUTH', 'default', PASSWORD], ['PING'], ['RESET'], ['PING']]);
    const hello = await Promise.all(conns.map((c) => c.command('HELLO', '3', 'AUTH', 'default', PASSWORD)));
    // HELLO's map names each server and its version: compare its shape only.
    for (const r of hello) expect(r).toMatch(/^%7\r\n\$6\r\nserver\r\n/);
    await expectSameReplies(conns, [['PING'], ['HELLO', '3', 'AUTH', 'default', 'wrong'], ['PING']]);
  });

  it('QUIT is allowed before AUTH', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [['QUIT']]);
    for (const c of conns) expect(await c.waitClosed()).toBe(true);
  });

  // Ends with the original password set again, for the tests after it.
  it('CONFIG SET requirepass: new connections need the new password, open ones stay logged in; "" turns AUTH off', async () => {
    const admin = await connect();
    await expectSameReplies(admin, [['AUTH', PASSWORD], ['CONFIG', 'SET', 'requirepass', 'other'], ['PING']]);
    const fresh = await connect();
    await expectSameReplies(fresh, [['PING'], ['AUTH', PASSWORD], ['AUTH', 'other'], ['PING']]);
    await expectSameReplies(admin, [['CONFIG', 'SET', 'requirepass', ''], ['CONFIG', 'GET', 'requirepass']]);
    const open2 = await connect();
    await expectSameReplies(open2, [['PING'], ['AUTH', 'anything'], ['AUTH', 'default', 'anything'], ['CONFIG', 'SET', 'requirepass', PASSWORD]]);
    const again = await connect();
    await expectSameReplies(again, [['PING'], ['AUTH', PASSWORD], ['PING']]);
  });
});

describe('our client authenticates from the URL', () => {
  let server: Server;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, requirepass: PASSWORD });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.close();
  });

  function client(url: string, protocol?: 2 | 3): RedisClient {
    const c = new RedisClient({ url, retryStrategy: () => null, ...(protocol ? { protocol } : {}) });
    c.on('error', () => {});
    clients.push(c);
    return c;
  }

  const url = (auth: string, db = 0) => `redis://${auth}@127.0.0.1:${server.port}/${db}`;

  it('redis://:password@host:port/db logs in and selects the database (RESP2 and RESP3)', async () => {
    const pw = encodeURIComponent(PASSWORD);
    for (const protocol of [2, 3] as const) {
      const c = client(url(`:${pw}`, 3), protocol);
      expect(await c.call('PING')).toBe('PONG');
      expect(await c.call('SET', `k${protocol}`, 'v')).toBe('OK');
    }
    const check = await RawConnection.open(server.port);
    expect(await check.command('AUTH', PASSWORD)).toBe('+OK\r\n');
    expect(await check.command('SELECT', '3')).toBe('+OK\r\n');
    expect(await check.command('MGET', 'k2', 'k3')).toBe('*2\r\n$1\r\nv\r\n$1\r\nv\r\n');
    check.close();
  });

  it('redis://default:password@... works too', async () => {
    const c = client(url(`default:${encodeURIComponent(PASSWORD)}`));
    expect(await c.call('PING')).toBe('PONG');
  });

  it('a wrong password fails with WRONGPASS, a missing one with NOAUTH', async () => {
    const wrong = client(url(':nope'));
    const e1 = await wrong.call('PING').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ReplyError);
    expect((e1 as Error).message).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    const none = client(`redis://127.0.0.1:${server.port}/0`);
    const e2 = await none.call('GET', 'k').catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ReplyError);
    expect((e2 as Error).message).toBe('NOAUTH Authentication required.');
  });
});

describe('the CLI', () => {
  async function startupLog(args: string[]): Promise<string> {
    if (!cliBuilt()) throw new Error('dist/bin/simpledb.js is missing: run `npm run build` first');
    const { dir, cleanup } = makeTempDir();
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, '--port', String(port), '--dir', dir, '--save', '', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!err.includes('ready to accept connections') && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    cleanup();
    return err;
  }

  it('warns when it binds beyond localhost without a password, and not otherwise', async () => {
    expect(await startupLog(['--host', '0.0.0.0'])).toContain('without a password');
    const withPassword = await startupLog(['--host', '0.0.0.0', '--requirepass', 'x']);
    expect(withPassword).toContain('ready to accept connections');
    expect(withPassword).not.toContain('without a password');
    const local = await startupLog([]);
    expect(local).toContain('ready to accept connections');
    expect(local).not.toContain('without a password');
  });
});
