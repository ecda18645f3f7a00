// Persistence commands and settings, differential: the same commands go to
// simpledb and to a real redis-server (each writing into its own temp dir)
// and the replies must be byte-identical; where values differ by nature
// (LASTSAVE's time, the dir path, the snapshot file name) the shapes must.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type Server } from '../../src/server/index.js';
import { expectSamePipelinedReplies, expectSameReplies } from '../helpers/differential.js';
import { RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis, startRedis, type RedisProcess } from '../helpers/redis-server.js';
import { makeTempDir } from './persistence-helpers.js';

type Conns = [RawConnection, RawConnection];

describeWithRedis('persistence commands (differential)', () => {
  let server: Server;
  let redis: RedisProcess;
  const dirs = [makeTempDir(), makeTempDir()];
  const open: RawConnection[] = [];

  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, dir: dirs[0].dir, save: '', logLevel: 'error' });
    redis = await startRedis(['--dir', dirs[1].dir]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.close();
    await redis?.stop();
    for (const d of dirs) d.cleanup();
  });

  async function connect(): Promise<Conns> {
    const conns: Conns = [await RawConnection.open(server.port), await RawConnection.open(redis.port)];
    open.push(...conns);
    await expectSameReplies(conns, [['FLUSHALL'], ['CONFIG', 'SET', 'rdb-key-save-delay', '0']]);
    return conns;
  }

  /** INFO persistence of one server as [name, value] pairs. */
  async function persistenceInfo(c: RawConnection): Promise<[string, string][]> {
    const raw = await c.command('INFO', 'persistence');
    return raw
      .split('\r\n')
      .filter((l) => /^[a-z_]+:/.test(l))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]);
  }

  async function waitBoth(conns: Conns, field: string, value: string | ((v: string, i: number) => boolean)): Promise<void> {
    for (const [i, c] of conns.entries()) {
      // A hang bound: jobs here last up to 5 s, and a loaded machine stretches that.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const f = new Map(await persistenceInfo(c));
        const v = f.get(field) ?? '';
        if (typeof value === 'string' ? v === value : value(v, i)) break;
        if (Date.now() > deadline) throw new Error(`${field} never became ${value}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async function idle(conns: Conns): Promise<void> {
    await waitBoth(conns, 'rdb_bgsave_in_progress', '0');
    await waitBoth(conns, 'aof_rewrite_in_progress', '0');
    await waitBoth(conns, 'aof_rewrite_scheduled', '0');
  }

  it('arity and syntax errors', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [
      ['SAVE', 'x'],
      ['LASTSAVE', 'x'],
      ['BGREWRITEAOF', 'x'],
      ['BGSAVE', 'foo'],
      ['BGSAVE', 'SCHEDULE', 'x'],
      ['save', 'x', 'y'],
      ['SHUTDOWN', 'ABORT'],
      ['SHUTDOWN', 'bogus'],
    ]);
  });

  it('SAVE is refused inside MULTI; COMMAND INFO of the persistence commands', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [
      ['MULTI'],
      ['SAVE'],
      ['SET', 'k', 'v'],
      ['EXEC'],
      ['EXISTS', 'k'],
      // LASTSAVE is left out: Redis lists a command tip for it, and the command table has no tips.
      ['COMMAND', 'INFO', 'save', 'bgsave', 'bgrewriteaof'],
    ]);
  });

  it('SAVE, BGSAVE and LASTSAVE replies', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [['SET', 'k', 'v'], ['SAVE'], ['BGSAVE']]);
    await idle(conns);
    const [ours, theirs] = await Promise.all(conns.map((c) => c.command('LASTSAVE')));
    expect(ours).toMatch(/^:\d{10}\r\n$/);
    expect(theirs).toMatch(/^:\d{10}\r\n$/);
    // Both just saved: their clocks agree within a few seconds.
    expect(Math.abs(Number(ours.slice(1)) - Number(theirs.slice(1)))).toBeLessThan(5);
    await expectSameReplies(conns, [['BGSAVE', 'SCHEDULE']]);
    await idle(conns);
  });

  it('one background job at a time: the same replies while BGSAVE and BGREWRITEAOF run', async () => {
    const conns = await connect();
    const saves = await Promise.all(conns.map(async (c) => Number(new Map(await persistenceInfo(c)).get('rdb_saves'))));
    // One pipeline: a server reads the commands after the BGSAVE before it can
    // see its job end (Redis reaps its child between event-loop turns; simpledb
    // ends the job on a timer), so they meet the save running however slowly
    // the test is scheduled. A job copies the key delay when it starts: the
    // BGSAVE sleeps 300 ms on its one key, the rewrite scheduled behind it 5 s,
    // which only the round trip between seeing it start and the next batch must
    // stay within.
    await expectSamePipelinedReplies(conns, [
      ['SET', 'k', 'v'],
      ['CONFIG', 'SET', 'rdb-key-save-delay', '300000'],
      ['BGSAVE'],
      ['BGSAVE'],
      ['SAVE'],
      ['BGSAVE', 'SCHEDULE'],
      ['BGREWRITEAOF'],
      ['BGREWRITEAOF'],
      ['CONFIG', 'SET', 'rdb-key-save-delay', '5000000'],
    ]);
    await waitBoth(conns, 'aof_rewrite_in_progress', '1');
    await expectSamePipelinedReplies(conns, [['BGREWRITEAOF'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['BGSAVE', 'SCHEDULE']]);
    await expectSameReplies(conns, [['CONFIG', 'SET', 'rdb-key-save-delay', '0']]);
    // The first BGSAVE and the scheduled one, which starts once the rewrite is done.
    await waitBoth(conns, 'rdb_saves', (v, i) => Number(v) === saves[i] + 2);
    await idle(conns);
  });

  it('CONFIG SET errors and CONFIG GET values of the persistence settings', async () => {
    const conns = await connect();
    await expectSameReplies(conns, [
      ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
      ['CONFIG', 'SET', 'appendonly', 'maybe'],
      ['CONFIG', 'SET', 'save', '1 2 3'],
      ['CONFIG', 'SET', 'save', 'a b'],
      ['CONFIG', 'SET', 'save', '0 0'],
      ['CONFIG', 'SET', 'save', '100 -1'],
      ['CONFIG', 'SET', 'save', '100 10x'],
      ['CONFIG', 'SET', 'save', '100  10'],
      ['CONFIG', 'SET', 'save', '1 2', 'save', '3 4'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'dbfilename', 'other.rdb'],
      ['CONFIG', 'SET', 'appendfilename', 'other.aof'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-percentage', '-1'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-percentage', 'x'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', 'abc'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1.5k'],
      ['CONFIG', 'SET', 'aof-load-truncated', 'maybe'],
      ['CONFIG', 'SET', 'save', '+100 10 099 1'],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'save', ''],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1k'],
      ['CONFIG', 'GET', 'auto-aof-rewrite-min-size'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '2GB'],
      ['CONFIG', 'GET', 'auto-aof-rewrite-min-size'],
      ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '64mb'],
      ['CONFIG', 'GET', 'auto-aof-rewrite-percentage'],
      ['CONFIG', 'GET', 'appendonly'],
      ['CONFIG', 'GET', 'appendfsync'],
      ['CONFIG', 'SET', 'appendfsync', 'ALWAYS'],
      ['CONFIG', 'GET', 'appendfsync'],
      ['CONFIG', 'SET', 'appendfsync', 'everysec'],
      ['CONFIG', 'GET', 'aof-load-truncated'],
      ['CONFIG', 'GET', 'appendfilename'],
      ['CONFIG', 'GET', 'rdb-key-save-delay'],
    ]);
    for (const name of ['dir', 'dbfilename']) {
      const replies = await Promise.all(conns.map((c) => c.command('CONFIG', 'GET', name)));
      for (const r of replies) expect(r).toMatch(new RegExp(`^\\*2\\r\\n\\$${name.length}\\r\\n${name}\\r\\n\\$\\d+\\r\\n[^\\r]+\\r\\n$`));
    }
  });

  it('INFO persistence has the same fields in the same order, with the AOF off and on', async () => {
    const conns = await connect();
    const names = async () => Promise.all(conns.map(async (c) => (await persistenceInfo(c)).map(([k]) => k)));
    const [ours, theirs] = await names();
    expect(ours).toEqual(theirs);
    const values = await Promise.all(conns.map(async (c) => new Map(await persistenceInfo(c))));
    for (const field of ['loading', 'aof_enabled', 'rdb_bgsave_in_progress', 'aof_rewrite_in_progress', 'rdb_last_bgsave_status']) {
      expect(values[0].get(field), field).toBe(values[1].get(field));
    }
    await expectSameReplies(conns, [['CONFIG', 'SET', 'appendonly', 'yes']]);
    await idle(conns);
    await waitBoth(conns, 'aof_enabled', '1');
    const [ours2, theirs2] = await names();
    expect(ours2).toEqual(theirs2);
    await expectSameReplies(conns, [['CONFIG', 'GET', 'appendonly'], ['SET', 'after', '1'], ['CONFIG', 'SET', 'appendonly', 'no']]);
  });
});
