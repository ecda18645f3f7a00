// SLOWLOG and LATENCY, differential: the same commands go to simpledb and to
// a real redis-server. Durations and times differ between two servers, so
// SLOWLOG GET replies are compared byte for byte with their integers (id,
// time, duration) masked, and the ids, times and client addresses are
// checked on their own; the latency monitor's samples are compared by shape.
import { expect, it } from 'vitest';
import { expectSameReplies, useServerPair } from '../helpers/differential.js';
import { encodeCommand, type RawConnection } from '../helpers/raw-connection.js';
import { describeWithRedis } from '../helpers/redis-server.js';

type Conns = [RawConnection, RawConnection];

/** A SLOWLOG GET reply with its integers (each entry's id, time, duration) and client addresses masked. */
const masked = (reply: string) => reply.replace(/\r\n:\d+/g, '\r\n:#').replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, 'addr\r\n');

/** Each entry's [id, time, duration], in reply order. */
function entryNumbers(reply: string): number[][] {
  return [...reply.matchAll(/\*6\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
}

describeWithRedis('SLOWLOG and LATENCY (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  /** Connections on both servers with the slow log emptied and logging everything (threshold 0). */
  async function logEverything(): Promise<Conns> {
    const conns = await connections(2);
    await expectSameReplies(conns, [
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '128'],
      ['SLOWLOG', 'RESET'],
    ]);
    return conns;
  }

  /** SLOWLOG GET on both: the same entries but for masked numbers; ids consecutive, newest first; the entries' addresses are the clients'. */
  async function expectSameLog(conns: Conns, ...count: string[]): Promise<string[]> {
    const replies = await Promise.all(conns.map((c) => c.command('SLOWLOG', 'GET', ...count)));
    expect(masked(replies[0])).toBe(masked(replies[1]));
    const now = Math.floor(Date.now() / 1000);
    for (const reply of replies) {
      const numbers = entryNumbers(reply);
      for (let i = 1; i < numbers.length; i++) expect(numbers[i][0], 'ids, newest first').toBe(numbers[i - 1][0] - 1);
      for (const [, time] of numbers) expect(Math.abs(time - now)).toBeLessThan(60);
    }
    return replies;
  }

  it('logs every command at threshold 0: argv as sent, the client address and name, newest first; EXEC not, its commands yes', async () => {
    const conns = await logEverything();
    const [ours, theirs] = conns;
    await expectSameReplies(conns, [
      ['SET', 'k', 'v'],
      ['get', 'k'],
      ['LPUSH', 'k', 'x'],
      ['CLIENT', 'SETNAME', 'slow-one'],
      ['MULTI'],
      ['INCR', 'n'],
      ['HSET', 'h', 'f', 'v'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'never'],
      ['EXEC'],
      ['NOSUCHCOMMAND', 'a'],
      ['GET'],
      ['ECHO', 'done'],
    ]);
    const [a, b] = await expectSameLog(conns, '-1');
    expect(b).toContain('slow-one');
    expect(b).not.toMatch(/\$4\r\nEXEC\r\n/i);
    // SLOWLOG RESET, SET, get, LPUSH, CLIENT SETNAME, MULTI, INCR, HSET, MULTI, ECHO: neither EXEC nor the refused commands.
    expect(entryNumbers(b).length).toBe(10);
    for (const [reply, c] of [
      [a, ours],
      [b, theirs],
    ] as const) {
      expect(reply).toContain(`127.0.0.1:${c.socket.localPort}`);
    }
  });

  it('trims as Redis: 32 arguments at most, the last saying how many more; strings over 128 bytes cut; credentials redacted', async () => {
    const conns = await logEverything();
    const many = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const long = 'x'.repeat(129);
    await expectSameReplies(conns, [
      ['RPUSH', 'l', ...many],
      ['RPUSH', 'l', ...many.slice(0, 31)],
      ['RPUSH', 'l', ...many.slice(0, 30)],
      ['SET', 'long', long],
      ['SET', 'long', 'y'.repeat(128)],
      ['SET', 'y'.repeat(1000), 'z'.repeat(5000)],
      ['AUTH', 'secret'],
      ['AUTH', 'user', 'secret'],
      ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '2', 'AUTH', 'nobody', 'secret'],
      ['HELLO', '2', 'SETNAME', 'n', 'AUTH', 'nobody', 'secret'],
      ['HELLO', '2', 'SETNAME', 'm', 'BOGUS'],
      ['CLIENT', 'GETNAME'],
    ]);
    const [, theirs] = await expectSameLog(conns, '-1');
    expect(theirs).toContain('... (11 more arguments)');
    expect(theirs).toContain('... (1 more bytes)');
    expect(theirs).toContain('(redacted)');
  });

  it('GET count, LEN, RESET, slowlog-max-len trimming, HELP and errors', async () => {
    const conns = await logEverything();
    for (let i = 0; i < 12; i++) await expectSameReplies(conns, [['PING', String(i)]]);
    await expectSameLog(conns);
    await expectSameLog(conns, '0');
    await expectSameLog(conns, '3');
    await expectSameLog(conns, '-1');
    await expectSameReplies(conns, [
      ['SLOWLOG', 'LEN'],
      ['SLOWLOG', 'GET', '-2'],
      ['SLOWLOG', 'GET', 'x'],
      ['SLOWLOG', 'GET', '1.5'],
      ['SLOWLOG', 'GET', '99999999999999999999'],
      ['SLOWLOG', 'GET', '1', '2'],
      ['SLOWLOG', 'LEN', 'x'],
      ['SLOWLOG', 'RESET', 'x'],
      ['SLOWLOG'],
      ['SLOWLOG', 'NOPE'],
      ['SLOWLOG', 'HELP'],
      ['slowlog', 'help'],
      ['CONFIG', 'SET', 'slowlog-max-len', '3'],
      ['SLOWLOG', 'LEN'],
      ['CONFIG', 'SET', 'slowlog-max-len', '0'],
      ['SLOWLOG', 'LEN'],
      ['CONFIG', 'SET', 'slowlog-max-len', '128'],
      ['SLOWLOG', 'RESET'],
      ['SLOWLOG', 'LEN'],
    ]);
    await expectSameLog(conns);
  });

  it('slowlog-log-slower-than: -1 disables, a high threshold logs nothing, CONFIG errors as Redis', async () => {
    await check(
      [
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
        ['SLOWLOG', 'RESET'],
        ['SET', 'a', '1'],
        ['SLOWLOG', 'LEN'],
        ['SLOWLOG', 'GET'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '1000000000'],
        ['SET', 'a', '1'],
        ['SLOWLOG', 'LEN'],
        ['CONFIG', 'GET', 'slowlog-log-slower-than'],
        ['CONFIG', 'GET', 'slowlog-max-len'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', 'x'],
        ['CONFIG', 'SET', 'slowlog-max-len', '-1'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '9223372036854775807'],
        ['CONFIG', 'GET', 'slowlog-log-slower-than'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '9223372036854775808'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'slowlog-max-len', '128'],
        ['CONFIG', 'GET', 'slowlog-log-slower-than'],
        ['CONFIG', 'GET', 'slowlog-max-len'],
        ['CONFIG', 'GET', 'latency-monitor-threshold'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'],
      ],
      [2],
    );
  });

  it('turned off then on within one pipelined batch: the command that turns it on is logged, the others as Redis', async () => {
    const conns = await logEverything();
    const batch = [
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
      ['SET', 'off', '1'],
      ['GET', 'off'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
      ['SET', 'on', '1'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
      ['SET', 'off', '2'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
    ];
    const wire = Buffer.concat(batch.map((cmd) => encodeCommand(cmd)));
    const replies = await Promise.all(
      conns.map(async (c) => {
        c.write(wire);
        for (let i = 0; i < batch.length; i++) await c.readReply();
        return c.command('SLOWLOG', 'GET', '-1');
      }),
    );
    expect(masked(replies[0])).toBe(masked(replies[1]));
    // Newest first: CONFIG SET (on), SET on, CONFIG SET (on), SLOWLOG RESET.
    expect(entryNumbers(replies[1]).length).toBe(4);
    // Nothing measured across the time timing was off.
    for (const [, , micros] of entryNumbers(replies[0])) expect(micros).toBeLessThan(1_000_000);
  });

  it('a blocked command is logged once served, after the write that served it, without the time it waited; a timed-out one never', async () => {
    const conns = await logEverything();
    const waiters = await connections(2);
    await expectSameReplies(conns, [['SLOWLOG', 'RESET']]);
    await expectSameReplies(waiters, [['BLPOP', 'nothing', '0.01']]);
    for (const w of waiters) w.write(encodeCommand(['BLPOP', 'bk', '0']));
    // Both must be blocked before the push; then let them wait well beyond any command's time.
    for (const c of conns) {
      for (;;) {
        const list = await c.command('CLIENT', 'LIST');
        if (list.includes('cmd=blpop')) break;
      }
    }
    const waitedMs = 500;
    await new Promise((r) => setTimeout(r, waitedMs));
    await expectSameReplies(conns, [['RPUSH', 'bk', 'x']]);
    const served = await Promise.all(waiters.map((w) => w.readReply()));
    expect(served[0].toString('latin1')).toBe(served[1].toString('latin1'));
    const replies = await Promise.all(conns.map((c) => c.command('SLOWLOG', 'GET', '-1')));
    expect(masked(replies[0])).toBe(masked(replies[1]));
    for (const reply of replies) {
      // Newest first: the BLPOP, then the RPUSH that served it; the timed-out BLPOP is not there.
      expect(reply).toMatch(/^\*\d+\r\n\*6\r\n(?::\d+\r\n){3}\*3\r\n\$5\r\nBLPOP\r\n\$2\r\nbk\r\n/);
      expect(reply).not.toContain('nothing');
      const [blpop] = entryNumbers(reply);
      expect(blpop[2]).toBeLessThan(waitedMs * 1000);
    }
  });

  it('COMMAND INFO of the containers; LATENCY DOCTOR disabled and without spikes; LATENCY errors', async () => {
    await checkCommandTable(['slowlog', 'latency']);
    await check(
      [
        ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
        ['LATENCY', 'RESET'],
        ['LATENCY', 'DOCTOR'],
        ['LATENCY', 'LATEST'],
        ['LATENCY', 'HISTORY', 'command'],
        // A threshold nothing here reaches: monitoring on, no spike.
        ['CONFIG', 'SET', 'latency-monitor-threshold', '100000'],
        ['CONFIG', 'GET', 'latency-monitor-threshold'],
        ['LATENCY', 'DOCTOR'],
        ['LATENCY', 'LATEST'],
        ['LATENCY', 'RESET', 'command', 'fast-command'],
        ['LATENCY', 'HISTORY'],
        ['LATENCY', 'HISTORY', 'a', 'b'],
        ['LATENCY', 'LATEST', 'x'],
        ['LATENCY', 'DOCTOR', 'x'],
        ['LATENCY'],
        ['LATENCY', 'NOPE'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
      ],
      [2, 3],
    );
  });

  it('LATENCY HELP is Redis\'s without GRAPH and HISTOGRAM, which simpledb does not implement', async () => {
    const [ours, theirs] = await connections(2);
    const lines = (reply: string) => reply.split('\r\n').slice(1, -1);
    const redisLines = lines(await theirs.command('LATENCY', 'HELP'));
    const without: string[] = [];
    for (let i = 0; i < redisLines.length; i++) {
      if (/^\+(GRAPH|HISTOGRAM)/.test(redisLines[i])) {
        while (i + 1 < redisLines.length && redisLines[i + 1].startsWith('+    ')) i++;
        continue;
      }
      without.push(redisLines[i]);
    }
    expect(lines(await ours.command('LATENCY', 'HELP'))).toEqual(without);
    expect(without.length).toBeGreaterThan(8);
  });

  it('a command over latency-monitor-threshold is a "command" sample: LATEST, HISTORY, DOCTOR and RESET as Redis shapes them', async () => {
    const conns = await connections(2);
    // A SORT of 100,000 numbers takes milliseconds on either server.
    const numbers = Array.from({ length: 100_000 }, (_, i) => String((i * 7919) % 100_003));
    for (let i = 0; i < numbers.length; i += 10_000) await expectSameReplies(conns, [['RPUSH', 'big', ...numbers.slice(i, i + 10_000)]]);
    await expectSameReplies(conns, [
      ['CONFIG', 'SET', 'latency-monitor-threshold', '1'],
      ['LATENCY', 'RESET'],
      ['SORT', 'big', 'LIMIT', '0', '1'],
    ]);
    const now = Math.floor(Date.now() / 1000);
    for (const c of conns) {
      const latest = await c.command('LATENCY', 'LATEST');
      const m = /\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n/.exec(latest);
      expect(m, latest).not.toBeNull();
      const [time, ms, max] = m!.slice(1).map(Number);
      expect(Math.abs(time - now)).toBeLessThan(60);
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(max).toBeGreaterThanOrEqual(ms);
      expect(await c.command('LATENCY', 'HISTORY', 'command')).toMatch(/^\*[1-9]\d*\r\n(\*2\r\n:\d+\r\n:\d+\r\n)+$/);
      expect(await c.command('LATENCY', 'HISTORY', 'COMMAND')).toBe('*0\r\n');
    }
    const doctors = await Promise.all(conns.map((c) => c.command('LATENCY', 'DOCTOR')));
    const spike = /\d+\. command: \d+ latency spikes \(average \d+ms, mean deviation \d+ms, period \d+\.\d\d sec\)\. Worst all time event \d+ms\.\n/;
    for (const d of doctors) {
      expect(d).toMatch(/^[$=]\d+\r\n(?:txt:)?Dave, I have observed latency spikes in this Redis instance\./);
      expect(d).toMatch(spike);
    }
    // Every piece of advice Redis gives for it, simpledb gives too.
    const advice = doctors[1].split('\n').filter((l) => l.startsWith('- '));
    expect(advice.length).toBeGreaterThan(0);
    for (const line of advice.filter((l) => !l.includes('huge pages'))) expect(doctors[0]).toContain(line);
    await expectSameReplies(conns, [
      ['LATENCY', 'RESET', 'Command', 'nothing'],
      ['LATENCY', 'HISTORY', 'command'],
      ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
      ['DEL', 'big'],
    ]);
  });
});
