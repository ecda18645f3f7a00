// Connection and server commands, differential: PING ECHO SELECT QUIT RESET
// AUTH HELLO CLIENT CONFIG COMMAND TIME INFO and MONITOR go to simpledb and to
// a real redis-server, and the reply bytes must match. What legitimately
// differs between two servers (client ids, addresses, times, INFO values) is
// masked or compared by shape. Then requirepass and maxclients, each against
// a redis-server started with the same setting, and the RESP3 reply types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { expectSameReplies, startPair, type ServerPair } from '../helpers/differential.js';
import { encodeCommand, frameEnd, RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';

type Pair = [RawConnection, RawConnection];

/**
 * Reads what Redis sends until it goes quiet, then as many frames from
 * simpledb (waiting for each, so a slow moment does not cut the stream
 * short), then whatever else simpledb sent. Returns [ours, theirs], masked.
 */
async function readSameStream(conns: Pair, mask: (s: string) => string = (s) => s): Promise<[string, string]> {
  const theirs = await conns[1].readUntilQuiet(300);
  const buf = Buffer.from(theirs, 'latin1');
  let ours = '';
  for (let pos = 0; pos >= 0 && pos < buf.length; pos = frameEnd(buf, pos)) ours += (await conns[0].readReply(5000)).toString('latin1');
  ours += await conns[0].readUntilQuiet(50);
  return [mask(ours), mask(theirs)];
}

/** HELLO's map names the client id: mask it. */
const maskId = (s: string) => s.replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1:<id>\r\n');
/** INFO keyspace's avg_ttl is Redis's running estimate from expiry sampling: mask it (and the length it changes). */
const maskAvgTtl = (s: string) => s.replace(/avg_ttl=\d+/g, 'avg_ttl=<n>').replace(/^(\$|=)\d+\r\n/, '$1<len>\r\n');
/** MONITOR lines carry a time and the client's address: keep the database, mask the rest. */
const maskMonitor = (s: string) => s.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/gm, '+<time> [$1 <addr>]');

/** Sends a (different) command on each side and expects the same reply, after `mask`. */
async function expectSame(conns: Pair, argv: (side: 0 | 1) => string[], mask: (s: string) => string = (s) => s): Promise<string> {
  const [a, b] = await Promise.all(conns.map((c, i) => c.command(...argv(i as 0 | 1))));
  expect(mask(a), `reply to ${argv(1).join(' ')}`).toBe(mask(b));
  return b;
}

async function clientId(c: RawConnection): Promise<number> {
  const r = await c.command('CLIENT', 'ID');
  expect(r).toMatch(/^:\d+\r\n$/);
  return Number(r.slice(1));
}

/** CLIENT LIST / CLIENT INFO lines as [field, value] lists (the RESP framing removed). */
function clientLines(reply: string): [string, string][][] {
  const body = reply.replace(/^(\$\d+|=\d+\r\ntxt:|\$\d+\r\n)/, '').replace(/^\r\n/, '');
  return body
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0)
    .map((l) => l.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithRedis('connection and server commands (differential)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  const opened: RawConnection[] = [];
  async function connections(protocol: 2 | 3 = 2): Promise<Pair> {
    const conns = await pair.connect();
    opened.push(...conns);
    if (protocol === 3) for (const c of conns) expect(await c.command('HELLO', '3')).toMatch(/^%7\r\n/);
    return conns;
  }
  afterAll(() => {
    for (const c of opened) c.close();
  });

  async function check(commands: readonly (readonly string[] | string)[]): Promise<void> {
    for (const protocol of [2, 3] as const) await expectSameReplies(await connections(protocol), commands);
  }

  it('PING and ECHO', async () => {
    await check([['PING'], ['PING', 'hello'], ['PING', ''], ['PING', 'a', 'b'], ['ping'], ['ECHO', 'x\r\ny'], ['ECHO'], ['ECHO', 'a', 'b'], ['ECHO', '']]);
  });

  it('SELECT: range, non-integers, per-connection database', async () => {
    await check([
      ['FLUSHALL'],
      ['SELECT', '0'],
      ['SELECT', '15'],
      ['SET', 'k', 'in 15'],
      ['SELECT', '16'],
      ['SELECT', '-1'],
      ['SELECT', 'abc'],
      ['SELECT', '1.5'],
      ['SELECT', ''],
      ['SELECT', ' 1'],
      ['SELECT', '01'],
      ['SELECT', '2147483648'],
      ['SELECT', '-2147483649'],
      ['SELECT', '99999999999999999999'],
      ['GET', 'k'],
      ['SELECT'],
      ['SELECT', '1', '2'],
      ['SELECT', '0'],
      ['GET', 'k'],
      ['FLUSHALL'],
    ]);
    // Another connection starts in database 0.
    await check([['GET', 'k']]);
  });

  it('unknown commands: the text with the first arguments', async () => {
    const long = 'x'.repeat(200);
    await check([
      ['NOSUCH'],
      ['nosuch', 'a', 'b c', ''],
      [long, long],
      ['NOSUCH', ...Array.from({ length: 30 }, (_, i) => `arg${i}`)],
      ['NOSUCH', long, 'next'],
      ['NOSUCH', 'a\r\nb'],
      ['NOSUCH', "it's"],
      ['CLIENT', 'NOSUCH'],
      ['CLIENT', 'nosuch', 'arg'],
      ['config', 'nosuch'],
      ['COMMAND', 'NOSUCH'],
      ['PUBSUB', long],
      'NOSUCH inline "quoted arg"\r\n',
    ]);
  });

  it('QUIT replies +OK and closes, even with arguments', async () => {
    for (const argv of [['QUIT'], ['QUIT', 'extra'], ['quit']]) {
      const conns = await connections();
      await expectSameReplies(conns, [argv]);
      expect(await Promise.all(conns.map((c) => c.waitClosed()))).toEqual([true, true]);
    }
    // Commands pipelined after QUIT are not run.
    const conns = await connections();
    for (const c of conns) c.write('SET afterquit 1\r\nQUIT\r\nSET afterquit 2\r\n');
    const out = await Promise.all(conns.map((c) => c.readUntilClosed()));
    expect(out[0]).toBe(out[1]);
    await expectSameReplies(await connections(), [['GET', 'afterquit'], ['DEL', 'afterquit']]);
  });

  it('RESET: database, name, protocol, MULTI, WATCH and subscriptions go back to defaults', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, [
        ['SELECT', '3'],
        ['CLIENT', 'SETNAME', 'before-reset'],
        ['WATCH', 'k'],
        ['MULTI'],
        ['SET', 'k', 'v'],
        ['RESET'],
        ['EXEC'],
        ['CLIENT', 'GETNAME'],
        ['GET', 'k'],
        ['SET', 'db0', 'x'],
        ['SELECT', '3'],
        ['GET', 'db0'],
        ['SELECT', '0'],
        ['DEL', 'db0'],
        ['PSUBSCRIBE', 'p*'],
        ['RESET'],
        ['PUBSUB', 'NUMPAT'],
        ['RESET', 'extra'],
        ['PING'],
      ]);
    }
  });

  it('AUTH without a password configured', async () => {
    await check([['AUTH', 'x'], ['AUTH', 'default', 'anything'], ['AUTH', 'someone', 'x'], ['AUTH'], ['AUTH', 'a', 'b', 'c'], ['PING']]);
  });

  it('HELLO: protocol versions, options, errors (the client id masked)', async () => {
    const cases: string[][] = [
      ['HELLO'],
      ['HELLO', '2'],
      ['HELLO', '3'],
      ['HELLO'],
      ['PING'],
      ['HELLO', '2'],
      ['HELLO', '4'],
      ['HELLO', '1'],
      ['HELLO', '0'],
      ['HELLO', '-1'],
      ['HELLO', 'abc'],
      ['HELLO', '3.0'],
      ['HELLO', '99999999999999999999'],
      ['HELLO', '3', 'SETNAME', 'named'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'setname', 'bad name'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', '3', 'AUTH', 'default', 'whatever'],
      ['HELLO', '2', 'AUTH', 'someone', 'whatever'],
      ['HELLO', '2', 'AUTH', 'default'],
      ['HELLO', '2', 'SETNAME'],
      ['HELLO', '2', 'NOSUCH'],
      ['HELLO', '3', 'AUTH', 'default', 'x', 'SETNAME', 'both'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'SETNAME', 'a', 'SETNAME', 'b'],
      ['CLIENT', 'GETNAME'],
      ['HELLO', '4', 'NOSUCH'],
      ['HELLO', '3', 'NOSUCH', 'SETNAME', 'x'],
    ];
    const conns = await connections();
    for (const argv of cases) await expectSame(conns, () => argv, maskId);
  });

  it('CLIENT ID, SETNAME, GETNAME and their errors', async () => {
    const conns = await connections();
    const [a, b] = await Promise.all(conns.map(clientId));
    expect(await Promise.all(conns.map(clientId))).toEqual([a, b]);
    await expectSameReplies(conns, [
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'worker-1'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'has space'],
      ['CLIENT', 'SETNAME', 'new\nline'],
      ['CLIENT', 'SETNAME', '\x7f'],
      ['CLIENT', 'SETNAME', 'é'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME'],
      ['CLIENT', 'SETNAME', 'a', 'b'],
      ['CLIENT', 'GETNAME', 'x'],
      ['CLIENT', 'ID', 'x'],
      ['CLIENT', 'INFO', 'x'],
      ['CLIENT'],
      ['client', 'getname'],
    ]);
  });

  it('CLIENT LIST and CLIENT INFO: the fields and the values that do not vary', async () => {
    const [x, y] = await connections();
    const conns: Pair = [x, y];
    await expectSameReplies(conns, [['CLIENT', 'SETNAME', 'lister'], ['SELECT', '2']]);
    const stable = ['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'obl', 'oll', 'events', 'cmd', 'user', 'redir', 'resp'];
    const ids = await Promise.all(conns.map(clientId));
    for (const argv of [['CLIENT', 'INFO'], ['CLIENT', 'LIST', 'ID', '<id>']]) {
      const replies = await Promise.all(conns.map((c, i) => c.command(...argv.map((a) => (a === '<id>' ? String(ids[i]) : a)))));
      const [ours, theirs] = replies.map((r) => clientLines(r));
      expect(ours.length, argv.join(' ')).toBe(1);
      expect(ours[0].map(([k]) => k), `${argv.join(' ')} field names`).toEqual(theirs[0].map(([k]) => k));
      const pick = (fields: [string, string][]) => fields.filter(([k]) => stable.includes(k));
      expect(pick(ours[0]), argv.join(' ')).toEqual(pick(theirs[0]));
      const own = Object.fromEntries(ours[0]);
      expect(own.id).toBe(String(ids[0]));
      expect(own.addr).toBe(`127.0.0.1:${x.socket.localPort}`);
      expect(own.laddr).toBe(`127.0.0.1:${pair.simpledbPort}`);
    }
    // A fresh connection's last command is NULL; flags show MULTI, subscriptions.
    const fresh = await connections();
    for (const c of fresh) c.write('MULTI\r\n');
    await Promise.all(fresh.map((c) => c.readReply()));
    const sub = await connections();
    await expectSameReplies(sub, [['SUBSCRIBE', 'a', 'b'], ['PSUBSCRIBE', 'c']].slice(0, 1));
    const list = await Promise.all(conns.map((c) => c.command('CLIENT', 'LIST')));
    const [ours, theirs] = list.map((r) =>
      clientLines(r)
        .map((fields) => Object.fromEntries(fields))
        .filter((f) => f.name !== 'lister')
        .map((f) => `flags=${f.flags} db=${f.db} sub=${f.sub} psub=${f.psub} multi=${f.multi} cmd=${f.cmd}`)
        .sort(),
    );
    expect(ours).toEqual(theirs);
    await expectSameReplies(conns, [
      ['CLIENT', 'LIST', 'TYPE', 'pubsub', 'x'],
      ['CLIENT', 'LIST', 'TYPE', 'nosuch'],
      ['CLIENT', 'LIST', 'ID', 'abc'],
      ['CLIENT', 'LIST', 'ID', '0'],
      ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'LIST', 'NOSUCH'],
      ['CLIENT', 'LIST', 'TYPE'],
    ]);
  });

  it('CLIENT KILL: old and new forms, SKIPME, errors', async () => {
    const [killer, victim1, victim2] = [await connections(), await connections(), await connections()];
    const addr = (c: RawConnection) => `127.0.0.1:${c.socket.localPort}`;
    const ids = await Promise.all(victim1.map(clientId));
    await expectSame(killer, (i) => ['CLIENT', 'KILL', 'ID', String(ids[i])]);
    expect(await Promise.all(victim1.map((c) => c.waitClosed()))).toEqual([true, true]);
    await expectSame(killer, (i) => ['CLIENT', 'KILL', addr(victim2[i])]);
    expect(await Promise.all(victim2.map((c) => c.waitClosed()))).toEqual([true, true]);
    await expectSame(killer, (i) => ['CLIENT', 'KILL', addr(victim2[i])]);
    await expectSame(killer, (i) => ['CLIENT', 'KILL', 'ID', String(ids[i])]);
    await expectSameReplies(killer, [
      ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'ID', 'abc'],
      ['CLIENT', 'KILL', 'ID', '0'],
      ['CLIENT', 'KILL', 'ID'],
      ['CLIENT', 'KILL', 'NOSUCH', 'x'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME', 'no'],
      ['CLIENT', 'KILL', 'TYPE', 'nosuch'],
      ['CLIENT', 'KILL', 'TYPE', 'master'],
      ['CLIENT', 'KILL', 'TYPE', 'replica', 'SKIPME', 'no'],
      ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
      ['CLIENT', 'KILL', 'USER', 'nosuch'],
      ['CLIENT', 'KILL', 'USER', 'default', 'ID', '999999'],
      ['CLIENT', 'KILL'],
    ]);
    // SKIPME yes (the default) spares the caller; SKIPME no kills it, after the reply.
    const ownIds = await Promise.all(killer.map(clientId));
    await expectSame(killer, (i) => ['CLIENT', 'KILL', 'ID', String(ownIds[i])]);
    await expectSame(killer, (i) => ['CLIENT', 'KILL', 'ID', String(ownIds[i]), 'SKIPME', 'no']);
    expect(await Promise.all(killer.map((c) => c.waitClosed()))).toEqual([true, true]);
  });

  it('CLIENT UNBLOCK: TIMEOUT and ERROR, and clients that are not blocked', async () => {
    const [admin, waiter] = [await connections(), await connections()];
    const ids = await Promise.all(waiter.map(clientId));
    await expectSame(admin, (i) => ['CLIENT', 'UNBLOCK', String(ids[i])]);
    for (const mode of [[], ['TIMEOUT'], ['ERROR'], ['error']]) {
      for (const c of waiter) c.write(encodeCommand(['BLPOP', 'nolist', '0']));
      await Promise.all(admin.map((c) => waitBlocked(c)));
      await expectSame(admin, (i) => ['CLIENT', 'UNBLOCK', String(ids[i]), ...mode]);
      const replies = await Promise.all(waiter.map(async (c) => (await c.readReply()).toString('latin1')));
      expect(replies[0], `BLPOP unblocked with ${mode.join(' ')}`).toBe(replies[1]);
    }
    await expectSameReplies(waiter, [['PING']]);
    await expectSameReplies(admin, [
      ['CLIENT', 'UNBLOCK', 'abc'],
      ['CLIENT', 'UNBLOCK', '999999', 'NOSUCH'],
      ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT', 'x'],
      ['CLIENT', 'UNBLOCK'],
    ]);
  });

  it('CONFIG GET, SET and their errors', async () => {
    await check([
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'maxmemory-policy'],
      ['CONFIG', 'GET', 'MAXMEMORY'],
      ['CONFIG', 'GET', 'databases'],
      ['CONFIG', 'GET', 'nosuch'],
      ['CONFIG', 'GET', 'nosuch*'],
      ['CONFIG', 'GET'],
      ['CONFIG', 'SET', 'nosuch', 'x'],
      ['CONFIG', 'SET', 'maxclients'],
      ['CONFIG', 'SET', 'maxclients', '100', 'timeout'],
      ['CONFIG', 'SET', 'maxclients', 'abc'],
      ['CONFIG', 'SET', 'maxclients', '-5'],
      ['CONFIG', 'SET', 'maxclients', '0'],
      ['CONFIG', 'SET', 'databases', '4'],
      ['CONFIG', 'SET', 'maxclients', '500', 'maxclients', '600'],
      ['CONFIG', 'SET', 'maxclients', '500', 'nosuch', '1'],
      ['CONFIG', 'GET', 'maxclients'],
      ['CONFIG', 'SET', 'maxclients', '10000'],
      ['CONFIG', 'SET', 'MaxClients', '10000'],
      ['CONFIG', 'GET', 'maxclients'],
      ['CONFIG', 'RESETSTAT'],
      ['CONFIG', 'RESETSTAT', 'x'],
      ['CONFIG'],
      ['CONFIG', 'NOSUCH'],
    ]);
  });

  it('CONFIG GET with several names or patterns: the same pairs (Redis answers in hash-table order)', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      for (const args of [['timeout', 'databases'], ['max*'], ['maxmemory*', 'MAXMEMORY'], ['*max*', 'databases', 'nosuch']]) {
        const replies = await Promise.all(conns.map((c) => c.command('CONFIG', 'GET', ...args)));
        const pairs = (r: string) => {
          const lines = r.split('\r\n').slice(1, -1);
          const out: string[] = [];
          for (let i = 0; i + 3 < lines.length; i += 4) out.push(`${lines[i + 1]}=${lines[i + 3]}`);
          return { header: r.slice(0, r.indexOf('\r\n')), pairs: out.sort() };
        };
        const [ours, theirs] = replies.map(pairs);
        // Only the parameters simpledb has; Redis has many more that patterns match.
        const known = new Set(ours.pairs.map((p) => p.slice(0, p.indexOf('='))));
        expect(ours.pairs, `CONFIG GET ${args.join(' ')}`).toEqual(theirs.pairs.filter((p) => known.has(p.slice(0, p.indexOf('=')))));
        if (!args.some((a) => a.includes('*'))) expect(ours.header).toBe(theirs.header);
      }
    }
  });

  it('COMMAND COUNT, INFO, GETKEYS: shapes and errors', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      const [ours, theirs] = await Promise.all(conns.map((c) => c.command('COMMAND', 'COUNT')));
      expect(ours).toMatch(/^:\d+\r\n$/);
      expect(theirs).toMatch(/^:\d+\r\n$/);
      // COMMAND INFO of core commands: name, arity, flags, key positions, categories.
      const head = /^\*1\r\n\*10\r\n\$\d+\r\n[^\r]+\r\n:-?\d+\r\n[*~]\d+\r\n(?:\+[^\r]+\r\n)*:-?\d+\r\n:-?\d+\r\n:-?\d+\r\n[*~]\d+\r\n(?:\+@[^\r]+\r\n)*/;
      for (const name of ['ping', 'echo', 'quit', 'select', 'auth', 'hello', 'multi', 'exec', 'discard', 'watch', 'unwatch', 'subscribe', 'publish', 'time', 'info']) {
        const [a, b] = await Promise.all(conns.map((c) => c.command('COMMAND', 'INFO', name)));
        expect(head.exec(b), `Redis's COMMAND INFO ${name}`).not.toBeNull();
        expect(head.exec(a)?.[0], `COMMAND INFO ${name}`).toBe(head.exec(b)?.[0]);
      }
      await expectSameReplies(conns, [
        ['COMMAND', 'INFO', 'nosuch'],
        ['COMMAND', 'INFO', 'nosuch', 'other'],
        ['COMMAND', 'GETKEYS', 'SET', 'k', 'v'],
        ['COMMAND', 'GETKEYS', 'GET'],
        ['COMMAND', 'GETKEYS', 'NOSUCH', 'k'],
        ['COMMAND', 'GETKEYS', 'PING'],
        ['COMMAND', 'GETKEYS'],
        ['COMMAND', 'COUNT', 'x'],
      ]);
    }
  });

  it('TIME: seconds and microseconds as bulk strings', async () => {
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      const replies = await Promise.all(conns.map((c) => c.command('TIME')));
      for (const r of replies) {
        const m = /^\*2\r\n\$(\d+)\r\n(\d+)\r\n\$(\d+)\r\n(\d+)\r\n$/.exec(r);
        expect(m, r).not.toBeNull();
        expect(Number(m![1])).toBe(m![2].length);
        expect(Number(m![3])).toBe(m![4].length);
        expect(Number(m![4])).toBeLessThan(1_000_000);
        expect(Math.abs(Number(m![2]) - Date.now() / 1000)).toBeLessThan(60);
      }
      await expectSameReplies(conns, [['TIME', 'x']]);
    }
  });

  it('INFO: the same sections, in the same order, with the common fields', async () => {
    const sections = (s: string): string[] => s.match(/^# \w+/gm) ?? [];
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      for (const args of [[], ['default'], ['all'], ['everything'], ['server'], ['SERVER', 'clients'], ['keyspace'], ['clients', 'nosuch'], ['nosuch'], ['stats'], ['memory'], ['persistence'], ['replication'], ['cpu'], ['modules'], ['cluster']]) {
        const [ours, theirs] = await Promise.all(conns.map((c) => c.command('INFO', ...args)));
        const frame = protocol === 2 ? /^\$\d+\r\n/ : /^=\d+\r\ntxt:/;
        expect(ours, `INFO ${args.join(' ')}`).toMatch(frame);
        // Sections we have are in Redis's order; Redis's commandstats/latencystats/errorstats may be extra.
        const optional = ['# Commandstats', '# Latencystats', '# Errorstats'];
        expect(sections(ours), `INFO ${args.join(' ')}`).toEqual(sections(theirs).filter((s) => !optional.includes(s) || sections(ours).includes(s)));
      }
      const [ours] = await Promise.all(conns.map((c) => c.command('INFO')));
      for (const field of ['redis_version:7.0.15', 'redis_mode:standalone', 'tcp_port:', 'connected_clients:', 'maxclients:', 'blocked_clients:', 'used_memory:', 'total_connections_received:', 'total_commands_processed:', 'role:master', 'connected_slaves:', 'cluster_enabled:0']) {
        expect(ours).toContain(`\r\n${field}`);
      }
      await expectSameReplies(conns, [['FLUSHALL'], ['INFO', 'keyspace'], ['SET', 'k', 'v'], ['SELECT', '3'], ['SET', 'k', 'v', 'EX', '1000']]);
      await expectSame(conns, () => ['INFO', 'keyspace'], maskAvgTtl);
      await expectSameReplies(conns, [['SELECT', '0'], ['FLUSHALL'], ['INFO', 'keyspace']]);
    }
  });

  it('active expiry removes expired keys that nobody reads, in every database', async () => {
    const conns = await connections();
    const setup: string[][] = [['FLUSHALL']];
    for (let i = 0; i < 300; i++) setup.push(['SET', `volatile:${i}`, 'v', 'PX', String(20 + (i % 30))]);
    setup.push(['SELECT', '7'], ['SET', 'volatile:db7', 'v', 'PX', '20'], ['SET', 'stays', 'v'], ['SELECT', '0'], ['SET', 'stays', 'v'], ['SET', 'later', 'v', 'EX', '1000']);
    await expectSameReplies(conns, setup);
    // DBSIZE and INFO keyspace read no key, so only active expiry can bring them down.
    const settled = async (c: RawConnection) => {
      for (let i = 0; i < 300; i++) {
        if ((await c.command('INFO', 'keyspace')).includes('db0:keys=2,') && (await c.command('SELECT', '7')) && (await c.command('DBSIZE')) === ':1\r\n') {
          await c.command('SELECT', '0');
          return true;
        }
        await c.command('SELECT', '0');
        await sleep(20);
      }
      return false;
    };
    expect(await Promise.all(conns.map(settled))).toEqual([true, true]);
    await expectSameReplies(conns, [['DBSIZE']]);
    await expectSame(conns, () => ['INFO', 'keyspace'], maskAvgTtl);
    await expectSameReplies(conns, [['FLUSHALL']]);
  });

  it('INFO errorstats and total_error_replies count error replies as Redis does', async () => {
    const conns = await connections();
    await expectSameReplies(conns, [
      ['CONFIG', 'RESETSTAT'],
      ['GET'],
      ['NOSUCH'],
      ['MULTI'],
      ['GET'],
      ['EXEC'],
      ['SET', 's', 'x'],
      ['LPUSH', 's', 'a'],
      ['MULTI'],
      ['LPUSH', 's', 'a'],
      ['INCR', 's'],
      ['EXEC'],
      ['CLIENT', 'NOSUCH'],
      ['HELLO', '9'],
      ['EXEC', 'x'],
      ['DEL', 's'],
      ['INFO', 'errorstats'],
    ]);
    const stat = (s: string) => /\r\ntotal_error_replies:\d+\r\n/.exec(s)?.[0];
    const [ours, theirs] = await Promise.all(conns.map((c) => c.command('INFO', 'stats')));
    expect(stat(ours)).toBe(stat(theirs));
  });

  it('MONITOR shows each command as redis-cli prints it, with Redis\'s quoting and redactions', async () => {
    const monitor = await connections();
    const other = await connections();
    await expectSameReplies(monitor, [['MONITOR']]);
    const commands: string[][] = [
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['SET', 'bin', 'a\x00\xff"\\\n\r\t\x07\x08 b\x7f'],
      ['SET', 'num', '12345'],
      ['MULTI'],
      ['INCR', 'n'],
      ['GET', 'k'],
      ['EXEC'],
      ['MULTI'],
      ['NOSUCH'],
      ['EXEC'],
      ['EXEC', 'extra'],
      ['NOSUCH', 'x'],
      ['GET'],
      ['AUTH', 'secret'],
      ['AUTH', 'user', 'secret'],
      ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '3', 'AUTH', 'default'],
      ['HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'n'],
      ['HELLO', '2', 'SETNAME', 'n2', 'AUTH', 'default', 'secret'],
      ['HELLO', '9', 'AUTH', 'default', 'secret'],
      ['HELLO', '2', 'NOSUCH', 'AUTH', 'default', 'secret'],
      ['HELLO', '2'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CLIENT', 'ID'],
      ['CLIENT', 'SETNAME', 'shown'],
      ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'KILL', 'ID', '999999'],
      ['SELECT', '3'],
      ['SET', 'a', '1'],
      ['SELECT', '0'],
      ['PUBLISH', 'ch', 'm'],
      ['WATCH', 'k'],
      ['UNWATCH'],
      ['PING'],
      ['ECHO', ''],
      ['DEL', 'k', 'bin', 'num', 'n'],
    ];
    // HELLO's map and CLIENT ID name the connection: masked.
    const maskIds = (r: string) => maskId(r).replace(/^:\d+\r\n$/, ':<id>\r\n');
    for (const argv of commands) await expectSame(other, () => argv, maskIds);
    for (const c of other) c.write('ECHO "inline \\x41" \'x\'\r\n');
    await Promise.all(other.map((c) => c.readReply()));
    const [ours, theirs] = await readSameStream(monitor, maskMonitor);
    expect(ours).toBe(theirs);
    // A monitoring client still runs commands, and sees them too; a second MONITOR is ignored (no reply).
    for (const c of monitor) c.write('MONITOR\r\nPING\r\nECHO "still here"\r\n');
    const [mine, redis] = await readSameStream(monitor, maskMonitor);
    expect(mine).toBe(redis);
  });

  it('CLIENT REPLY OFF, ON and SKIP: the same bytes reach the client as from Redis', async () => {
    const [client, publisher] = [await connections(), await connections()];
    const sequence = [
      ['CLIENT', 'REPLY', 'OFF'],
      ['SET', 'r', '1'],
      ['GET', 'r'],
      ['NOSUCH'],
      ['SUBSCRIBE', 'news'],
      ['UNSUBSCRIBE', 'news'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'ON'],
      ['GET', 'r'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['SET', 'r', '2'],
      ['GET', 'r'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['NOSUCH'],
      ['GET', 'r'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['GET', 'r'],
      ['GET', 'r'],
      ['CLIENT', 'REPLY', 'BAD'],
      ['CLIENT', 'REPLY'],
      ['SUBSCRIBE', 'news'],
      ['UNSUBSCRIBE'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['SUBSCRIBE', 'news'],
      ['PING'],
    ];
    for (const c of client) c.write(Buffer.concat(sequence.map((argv) => encodeCommand(argv))));
    // Pushes get through while replies are off: subscribe confirmations (above) and messages.
    for (const c of publisher) await waitSubscribed(c, 'news');
    await expectSameReplies(publisher, [['PUBLISH', 'news', 'delivered']]);
    const [ours, theirs] = await readSameStream(client);
    expect(ours).toBe(theirs);
    expect(theirs).toContain('$1\r\n2\r\n');
    expect(theirs).toContain('delivered');
  });

  it('MONITOR: a client blocked by BLPOP is shown once, when it blocks', async () => {
    const [monitor, waiter, pusher] = [await connections(), await connections(), await connections()];
    await expectSameReplies(monitor, [['MONITOR']]);
    for (const c of waiter) c.write(encodeCommand(['BLPOP', 'mq', '0']));
    await Promise.all(pusher.map((c) => waitBlocked(c)));
    await expectSameReplies(pusher, [['RPUSH', 'mq', 'x']]);
    await Promise.all(waiter.map((c) => c.readReply()));
    const [ours, theirs] = await readSameStream(monitor, maskMonitor);
    expect(ours).toBe(theirs);
  });
});

describeWithRedis('a seeded random stream of core commands from two clients (differential)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('every reply and push frame, to both clients, is the same as Redis', async () => {
    let seed = Number(process.env.CORE_STREAM_SEED ?? 7_919);
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
    const key = () => pick(['k1', 'k2']);
    const multi = () => ['MULTI'];
    const blpop = () => ['BLPOP', 'l', '0'];
    const commands: (() => string[])[] = [
      () => ['WATCH', key()],
      () => ['UNWATCH'],
      () => ['SET', key(), pick(['1', 'x'])],
      () => ['GET', key()],
      () => ['INCR', key()],
      () => ['LPUSH', 'l', 'a'],
      () => ['LPOP', 'l'],
      () => ['DEL', 'k1', 'k2', 'l'],
      () => ['FLUSHALL'],
      () => ['SELECT', pick(['0', '1'])],
      () => ['PING'],
      () => ['PING', 'p'],
      () => ['ECHO', 'e'],
      () => ['SUBSCRIBE', 'c'],
      () => ['UNSUBSCRIBE'],
      () => ['UNSUBSCRIBE', 'c'],
      () => ['PSUBSCRIBE', 'p*'],
      () => ['PUNSUBSCRIBE'],
      () => ['PUBLISH', pick(['c', 'pq', 'z']), 'm'],
      () => ['PUBSUB', 'NUMSUB', 'c'],
      () => ['PUBSUB', 'NUMPAT'],
      () => ['RESET'],
      () => ['HELLO', pick(['2', '3'])],
      () => ['CLIENT', 'GETNAME'],
      () => ['CLIENT', 'SETNAME', pick(['n', ''])],
      () => ['GET'],
      () => ['NOSUCH', 'x'],
      () => ['CLIENT', 'NOSUCH'],
      multi,
      () => ['EXEC'],
      () => ['EXEC', 'x'],
      () => ['DISCARD'],
      blpop,
    ];
    // In a block an early EXEC or RESET may leave MULTI, where BLPOP would really block;
    // alone, MULTI would swallow the closing PING.
    const inBlock = commands.filter((f) => f !== blpop);
    const alone = commands.filter((f) => f !== multi);
    const clients = [await pair.connect(), await pair.connect()];
    let token = 0;
    /** Frames up to the reply to PING <token> (which contains the token in every mode). */
    async function framesUntil(c: RawConnection, t: string): Promise<string[]> {
      const out: string[] = [];
      for (;;) {
        const frame = (await c.readReply(5000)).toString('latin1');
        if (frame.includes(t)) return out;
        out.push(maskId(frame));
      }
    }
    const history: string[] = [];
    for (let step = 0; step < 1000; step++) {
      const who = rnd() < 0.5 ? 0 : 1;
      // A transaction is sent as a block, so the closing PING never lands inside MULTI.
      const batch =
        rnd() < 0.25
          ? [['MULTI'], ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(inBlock)()), [rnd() < 0.8 ? 'EXEC' : 'DISCARD']]
          : [pick(alone)()];
      // BLPOP l 0 blocks outside MULTI: push first so it is served at once.
      if (batch.length === 1 && batch[0][0] === 'BLPOP') batch.unshift(['LPUSH', 'l', 'b']);
      history.push(`${who}: ${batch.map((c) => c.join(' ')).join('; ')}`);
      const t = `t${++token}`;
      const got = await Promise.all(
        [0, 1].map(async (side) => {
          const [x, y] = [clients[who][side], clients[1 - who][side]];
          for (const argv of batch) x.write(encodeCommand(argv));
          x.write(encodeCommand(['PING', t]));
          y.write(encodeCommand(['PING', t]));
          try {
            return [await framesUntil(x, t), await framesUntil(y, t)];
          } catch (e) {
            throw new Error(`${side === 0 ? 'simpledb' : 'redis'} at step ${step}: ${(e as Error).message}; last steps:\n${history.slice(-6).join('\n')}`);
          }
        }),
      );
      expect(got[0], `step ${step}; last steps:\n${history.slice(-6).join('\n')}`).toEqual(got[1]);
    }
    for (const c of clients) {
      await expectSameReplies(c, [['RESET'], ['GET', 'k1'], ['GET', 'k2'], ['LRANGE', 'l', '0', '-1'], ['SELECT', '1'], ['GET', 'k1'], ['GET', 'k2'], ['PUBSUB', 'NUMSUB', 'c'], ['PUBSUB', 'NUMPAT']]);
    }
  });
});

/** Polls PUBSUB NUMSUB until the channel has a subscriber. */
async function waitSubscribed(c: RawConnection, channel: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await c.command('PUBSUB', 'NUMSUB', channel)).endsWith(':0\r\n')) return;
    await sleep(10);
  }
  throw new Error(`nobody ever subscribed to ${channel}`);
}

/** Polls INFO until the server reports a blocked client. */
async function waitBlocked(c: RawConnection): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await c.command('INFO', 'clients')).includes('blocked_clients:0\r\n')) return;
    await sleep(10);
  }
  throw new Error('no client ever blocked');
}

describeWithRedis('requirepass and maxclients (differential)', () => {
  const PASSWORD = 'pa ss';
  let server: Server;
  let redis: RedisProcess;
  const opened: RawConnection[] = [];
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, requirepass: PASSWORD, maxClients: 3 });
    redis = await startRedis(['--requirepass', PASSWORD, '--maxclients', '3']);
  });
  afterAll(async () => {
    for (const c of opened) c.close();
    await server?.close();
    await redis?.stop();
  });
  async function connections(): Promise<Pair> {
    const conns: Pair = [await RawConnection.open(server.port), await RawConnection.open(redis.port)];
    opened.push(...conns);
    return conns;
  }
  /** Connections this suite holds open to each server ([simpledb, redis] pairs in `opened`). */
  const stillOpen = (side: 0 | 1) => opened.filter((c, i) => i % 2 === side && !c.closed).length;
  /** Redis's connected_clients, seen from a probe connection (retried while Redis is full). */
  async function redisClients(): Promise<number> {
    for (;;) {
      const probe = await RawConnection.open(redis.port);
      const auth = await probe.command('AUTH', PASSWORD).catch(() => '');
      if (auth === '+OK\r\n') {
        const n = Number(/connected_clients:(\d+)/.exec(await probe.command('INFO', 'clients'))?.[1]);
        probe.close();
        return n - 1;
      }
      probe.close();
      await sleep(20);
    }
  }
  /** Closes the pair and waits until both servers have let go of it (so the next test has every slot). */
  const closeAndWait = async (conns: Pair) => {
    for (const c of conns) c.close();
    const deadline = Date.now() + 10_000;
    while (server.clients.size !== stillOpen(0) || (await redisClients()) !== stillOpen(1)) {
      if (Date.now() > deadline) throw new Error('the servers never let go of closed connections');
      await sleep(20);
    }
  };

  it('NOAUTH before AUTH, WRONGPASS, then commands work', async () => {
    const conns = await connections();
    await expectSameReplies(conns, [
      ['GET', 'k'],
      ['PING'],
      ['NOSUCH'],
      ['GET'],
      ['CLIENT', 'NOSUCH'],
      ['MULTI'],
      // As in Redis, SHUTDOWN needs AUTH too.
      ['SHUTDOWN', 'NOSAVE'],
      ['AUTH', 'wrong'],
      ['AUTH', 'default', 'wrong'],
      ['AUTH', 'nobody', PASSWORD],
      ['AUTH', PASSWORD],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['AUTH', 'wrong'],
      ['GET', 'k'],
      ['DEL', 'k'],
    ]);
    await closeAndWait(conns);
  });

  it('HELLO before AUTH, HELLO AUTH, and RESET logging out', async () => {
    const conns = await connections();
    for (const argv of [
      ['HELLO'],
      ['HELLO', '3'],
      ['HELLO', '3', 'AUTH', 'default', 'wrong'],
      ['HELLO', '3', 'AUTH', 'default', PASSWORD, 'SETNAME', 'authed'],
      ['CLIENT', 'GETNAME'],
      ['GET', 'k'],
      ['RESET'],
      ['GET', 'k'],
      ['HELLO', '2', 'AUTH', 'default', PASSWORD],
      ['GET', 'k'],
    ]) {
      await expectSame(conns, () => argv, maskId);
    }
    await closeAndWait(conns);
  });

  it('unauthenticated clients get the tighter request limits', async () => {
    for (const wire of ['*11\r\n', '*2\r\n$4\r\nAUTH\r\n$16385\r\n', encodeCommand(['AUTH', 'x'.repeat(16_384)]).toString('latin1') + '*11\r\n']) {
      const conns = await connections();
      for (const c of conns) c.write(wire);
      const out = await Promise.all(conns.map((c) => c.readUntilClosed()));
      expect(out[0]).toBe(out[1]);
      expect(conns.map((c) => c.closed)).toEqual([true, true]);
    }
    // Once authenticated, the usual limits.
    const conns = await connections();
    await expectSameReplies(conns, [['AUTH', PASSWORD], ['ECHO', 'x'.repeat(20_000)], ['DEL', ...'abcdefghijkl'.split('')]]);
    await closeAndWait(conns);
  });

  it('connections beyond maxclients get Redis\'s error and are closed', async () => {
    const held = [await connections(), await connections(), await connections()];
    const extra = await connections();
    const out = await Promise.all(extra.map((c) => c.readUntilClosed()));
    expect(out).toEqual(['-ERR max number of clients reached\r\n', '-ERR max number of clients reached\r\n']);
    expect(extra.map((c) => c.closed)).toEqual([true, true]);
    // The others still work; after one leaves there is room again.
    await expectSameReplies(held[0], [['AUTH', PASSWORD], ['PING']]);
    await closeAndWait(held[1]);
    const again = await connections();
    await expectSameReplies(again, [['AUTH', PASSWORD], ['PING']]);
    for (const p of [...held, again]) await closeAndWait(p);
  });
});

describe('RESP3 reply types of the core commands (simpledb, exact bytes)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('uses _ % ~ , > and = as Redis 7.0 does', async () => {
    const c = await RawConnection.open(server.port);
    const id = await clientId(c);
    const hello = await c.command('HELLO', '3');
    expect(hello).toBe(
      `%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:${id}\r\n` +
        '$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
    );
    expect(await c.command('PING')).toBe('+PONG\r\n');
    expect(await c.command('GET', 'missing')).toBe('_\r\n');
    expect(await c.command('CLIENT', 'GETNAME')).toBe('_\r\n');
    expect(await c.command('CONFIG', 'GET', 'maxmemory')).toBe('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    expect(await c.command('COMMAND', 'INFO', 'nosuch')).toBe('*1\r\n_\r\n');
    expect(await c.command('BLPOP', 'nolist', '0.01')).toBe('_\r\n');
    expect(await c.command('TIME')).toMatch(/^\*2\r\n\$\d+\r\n\d+\r\n\$\d+\r\n\d+\r\n$/);
    expect(await c.command('CLIENT', 'INFO')).toMatch(/^=\d+\r\ntxt:id=/);
    expect(await c.command('INFO', 'cluster')).toBe('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    expect(await c.command('SADD', 's', 'a')).toBe(':1\r\n');
    expect(await c.command('SMEMBERS', 's')).toBe('~1\r\n$1\r\na\r\n');
    expect(await c.command('ZADD', 'z', '1.5', 'm')).toBe(':1\r\n');
    expect(await c.command('ZSCORE', 'z', 'm')).toBe(',1.5\r\n');
    expect(await c.command('WATCH', 'k')).toBe('+OK\r\n');
    const other = await RawConnection.open(server.port);
    expect(await other.command('SET', 'k', 'changed')).toBe('+OK\r\n');
    expect(await c.command('MULTI')).toBe('+OK\r\n');
    expect(await c.command('EXEC')).toBe('_\r\n');
    expect(await c.command('SUBSCRIBE', 'ch')).toBe('>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    expect(await other.command('PUBLISH', 'ch', 'hi')).toBe(':1\r\n');
    expect((await c.readReply()).toString('latin1')).toBe('>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
    expect(await c.command('UNSUBSCRIBE')).toBe('>3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:0\r\n');
    expect(await c.command('UNSUBSCRIBE')).toBe('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n');
    expect(await c.command('DEL', 's', 'z', 'k')).toBe(':3\r\n');
    c.close();
    other.close();
  });
});
