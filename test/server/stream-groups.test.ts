// Consumer groups, differential: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM,
// XAUTOCLAIM go to simpledb and to a real redis-server, in RESP2 and RESP3,
// and the reply bytes must be identical. Idle times depend on the clock, so
// the commands that show them are given explicit delivery times (XCLAIM
// TIME) or their idle fields are masked; blocking XREADGROUP runs as
// scenarios on several connections, transcripts compared.
import { expect, it } from 'vitest';
import { useServerPair } from '../helpers/differential.js';
import { compareScenario, next, send, type Scenario } from '../helpers/blocking-scenario.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

/** XADD key <i>-0 f v<i> for i in 1..n. */
function adds(key: string, n: number): string[][] {
  return Array.from({ length: n }, (_, i) => ['XADD', key, `${i + 1}-0`, 'f', `v${i + 1}`]);
}

describeWithRedis('stream consumer groups (differential)', () => {
  const { pair, connections, check, checkCommandTable } = useServerPair();

  it('XGROUP CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER and their errors', async () => {
    await check([
      ['XGROUP', 'CREATE', 'missing', 'g', '$'],
      ['XGROUP', 'SETID', 'missing', 'g', '$'],
      ['XGROUP', 'DESTROY', 'missing', 'g'],
      ['XGROUP', 'CREATECONSUMER', 'missing', 'g', 'c'],
      ['XGROUP', 'DELCONSUMER', 'missing', 'g', 'c'],
      ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
      ['TYPE', 'm'],
      ['XLEN', 'm'],
      ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 'm', 'g', '0'],
      ...adds('s', 3),
      ['XGROUP', 'CREATE', 's', 'g1', '0'],
      ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATE', 's', 'g3', '2-0', 'entriesread', '-1', 'mkstream'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'ENTRIESREAD', '-2'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'ENTRIESREAD', 'x'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'ENTRIESREAD'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'BOGUS'],
      ['XGROUP', 'CREATE', 's', 'g4', 'bad-id'],
      ['XGROUP', 'CREATE', 's', 'g4', '-'],
      ['XGROUP', 'CREATE', 's', 'g4', '+'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's'],
      ['XGROUP', 'CREATE', 's', 'g4'],
      ['XGROUP', 'SETID', 's', 'nogroup', '0'],
      ['XGROUP', 'SETID', 's', 'g1', '$'],
      ['XGROUP', 'SETID', 's', 'g1', '-'],
      ['XGROUP', 'SETID', 's', 'g1', '+'],
      ['XGROUP', 'SETID', 's', 'g1', '2', 'ENTRIESREAD', '2'],
      ['XGROUP', 'SETID', 's', 'g1', '2', 'ENTRIESREAD'],
      ['XGROUP', 'SETID', 's', 'g1', '2', 'MKSTREAM'],
      ['XGROUP', 'SETID', 's', 'g1', 'zz'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'nogroup', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g1'],
      ['XGROUP', 'DELCONSUMER', 's', 'g1', 'bob'],
      ['XGROUP', 'DELCONSUMER', 's', 'g1', 'alice'],
      ['XGROUP', 'DELCONSUMER', 's', 'nogroup', 'alice'],
      ['XGROUP', 'DESTROY', 's', 'g2'],
      ['XGROUP', 'DESTROY', 's', 'g2'],
      ['XGROUP', 'DESTROY', 's', 'g2', 'extra'],
      ['XGROUP', 'DESTROY', 'missing', 'g2'],
      ['SET', 'str', 'x'],
      ['XGROUP', 'CREATE', 'str', 'g', '$'],
      ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'DESTROY', 'str', 'g'],
      ['XGROUP', 'BOGUS', 's', 'g'],
      ['XGROUP', 'BOGUS'],
      ['XGROUP'],
      ['XGROUP', 'HELP'],
      ['XGROUP', 'help', 'extra'],
    ]);
  });

  it('XREADGROUP ">" delivers new entries, fills the PEL, creates consumers; explicit IDs replay the own history', async () => {
    await check([
      ...adds('s', 5),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '1-0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '0-0'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g'],
      ['XDEL', 's', '2-0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '10', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['XACK', 's', 'g', '1-0', '2-0', '9-0'],
      ['XACK', 's', 'g', '1-0'],
      ['XACK', 's', 'nogroup', '1-0'],
      ['XACK', 'missing', 'g', '1-0'],
      ['XACK', 's', 'g', 'bad'],
      ['XACK', 's', 'g', '3-0', 'bad'],
      ['XPENDING', 's', 'g'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
      ['XPENDING', 's', 'g'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XREADGROUP', 'GROUP', 'g', 'erin', 'NOACK', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XREADGROUP', 'GROUP', 'g', 'erin', 'STREAMS', 's', '0'],
    ]);
  });

  it('XREADGROUP on several streams, COUNT, and errors', async () => {
    await check([
      ...adds('a', 3),
      ...adds('b', 2),
      ['XGROUP', 'CREATE', 'a', 'g', '0'],
      ['XGROUP', 'CREATE', 'b', 'g', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>', '>'],
      ['XADD', 'b', '9-0', 'x', 'y'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '0', 'STREAMS', 'a', 'b', '0', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '-3', 'STREAMS', 'a', 'b', '>', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '18446744073709551615-18446744073709551615'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'nope'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'missing', '>', '>'],
      ['XREADGROUP', 'GROUP', 'zz', 'c', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 'x', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BOGUS', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'a', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'BLOCK', '0'],
      ['XREADGROUP', 'GROUP', 'g'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'],
      ['SET', 'str', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'str', '>', '>'],
      ['MULTI'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'a', '>'],
      ['EXEC'],
    ]);
  });

  it('XPENDING extended form, with explicit delivery times through XCLAIM TIME', async () => {
    await checkMasked([
      ...adds('s', 6),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '4', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'b', 'STREAMS', 's', '>'],
      // Delivery times far in the past pin idle times down only coarsely; IDLE filters use them.
      ['XCLAIM', 's', 'g', 'a', '0', '1-0', '2-0', '3-0', '4-0', '5-0', '6-0', 'TIME', '0', 'RETRYCOUNT', '7', 'JUSTID'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's', 'g', 'IDLE', '1000', '-', '+', '10', 'nobody'],
      ['XPENDING', 's', 'g', '-', '+', '0'],
      ['XPENDING', 's', 'g', '-', '+', '-1'],
      ['XPENDING', 's', 'g', '(1-0', '(6-0', '10', 'a'],
      ['XPENDING', 's', 'g', '(', '+', '10'],
      ['XPENDING', 's', 'g', '-', '(0-0', '10'],
      ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', '-', '+', 'x'],
      ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+'],
      ['XPENDING', 's', 'g', 'bad', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'a', 'extra', 'more', 'args'],
      ['XPENDING', 's', 'nogroup'],
      ['XPENDING', 'missing', 'g'],
      ['XPENDING', 'missing', 'g', '-', '+', 'x'],
      ['SET', 'str', 'v'],
      ['XPENDING', 'str', 'g'],
      ['XGROUP', 'CREATE', 's', 'empty', '$'],
      ['XPENDING', 's', 'empty'],
      ['XPENDING', 's', 'empty', '-', '+', '10'],
    ]);
  });

  it('XCLAIM: ownership, RETRYCOUNT, FORCE, JUSTID, LASTID, deleted entries, errors', async () => {
    await checkMasked([
      ...adds('s', 5),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'b', '0', '1-0', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'b', '0', '2-0', 'RETRYCOUNT', '5'],
      ['XCLAIM', 's', 'g', 'b', '3600000', '3-0'],
      ['XCLAIM', 's', 'g', 'b', '0', '4-0'],
      ['XCLAIM', 's', 'g', 'b', '0', '4-0', 'FORCE', 'JUSTID', 'TIME', '0', 'RETRYCOUNT', '2'],
      ['XCLAIM', 's', 'g', 'b', '0', '99-0', 'FORCE'],
      ['XPENDING', 's', 'g'],
      ['XDEL', 's', '2-0'],
      ['XCLAIM', 's', 'g', 'c', '0', '2-0', '1-0', 'TIME', '0', 'JUSTID'],
      ['XPENDING', 's', 'g'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', '4-0', 'JUSTID', 'TIME', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', '9-0', 'IDLE', '-5', 'JUSTID'],
      ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'c', 'x', '1-0'],
      ['XCLAIM', 's', 'g', 'c', '-10', '1-0', 'JUSTID', 'TIME', '0'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', 'x'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'BOGUS'],
      ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE'],
      ['XCLAIM', 's', 'g', 'c', '0', 'bogus', '1-0'],
      ['XCLAIM', 's', 'nogroup', 'c', '0', '1-0'],
      ['XCLAIM', 'missing', 'g', 'c', 'x', '1-0'],
      ['XCLAIM', 's', 'g', 'c', '0'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'c'],
    ]);
  });

  it('XAUTOCLAIM: cursor, COUNT, JUSTID, deleted entries, errors', async () => {
    await check([
      ...adds('s', 8),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>'],
      ['XAUTOCLAIM', 's', 'g', 'b', '0', '0', 'COUNT', '3', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'b', '0', '4-0', 'COUNT', '2'],
      ['XDEL', 's', '6-0', '7-0'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '(5-0', 'COUNT', '2'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT', '1', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'c', '3600000', '-'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'JUSTID'],
      ['XPENDING', 's', 'g'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT', '576460752303423488'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT', '576460752303423487'],
      ['XAUTOCLAIM', 's', 'nogroup', 'c', '0', '-', 'COUNT', '576460752303423487'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'COUNT'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '-', 'BOGUS'],
      ['XAUTOCLAIM', 's', 'g', 'c', 'x', '-'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', 'bad'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'nogroup', 'c', '0', '-'],
      ['XAUTOCLAIM', 'missing', 'g', 'c', '0', '-'],
      ['SET', 'str', 'v'],
      ['XAUTOCLAIM', 'str', 'g', 'c', '0', '-'],
      ['XAUTOCLAIM', 'str', 'g', 'c', '0', 'bad'],
    ]);
  });

  /** Like check, with clock-dependent numbers (idle, seen-time, times of deliveries made now) masked. */
  async function checkMasked(commands: readonly string[][], protocols: readonly (2 | 3)[] = [2, 3]): Promise<void> {
    const mask = (r: string) =>
      r.replace(/(\$4\r\nidle\r\n):\d+/g, '$1:N').replace(/(\$9\r\nseen-time\r\n):\d+/g, '$1:N').replace(/:1[6-9]\d{11}\r\n/g, ':T\r\n')
        // XPENDING's rows: id, consumer, idle, deliveries.
        .replace(/(\*4\r\n\$\d+\r\n\d+-\d+\r\n\$\d+\r\n[^\r]*\r\n):\d+/g, '$1:N');
    for (const protocol of protocols) {
      const [ours, theirs] = await connections(protocol);
      for (const cmd of commands) {
        const [a, b] = await Promise.all([ours.command(...cmd), theirs.command(...cmd)]);
        expect(JSON.stringify(mask(a)), `reply to ${cmd.join(' ')}`).toBe(JSON.stringify(mask(b)));
      }
      ours.close();
      theirs.close();
    }
  }

  it('XINFO GROUPS and CONSUMERS: entries-read and lag through reads, XDEL, XTRIM, SETID and ENTRIESREAD', async () => {
    await checkMasked([
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
      ['XINFO', 'GROUPS', 'e'],
      ...adds('s', 10),
      ['XGROUP', 'CREATE', 's', 'g1', '0'],
      ['XGROUP', 'CREATE', 's', 'g2', '$'],
      ['XGROUP', 'CREATE', 's', 'g0', '5-0'],
      ['XGROUP', 'CREATE', 's', 'g3', '5-0', 'ENTRIESREAD', '5'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g1', 'a', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g0', 'a', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g3', 'b', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'CONSUMERS', 's', 'g1'],
      ['XINFO', 'CONSUMERS', 's', 'g3'],
      ['XDEL', 's', '8-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g1', 'a', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '1-0'],
      ['XTRIM', 's', 'MAXLEN', '5'],
      ['XINFO', 'GROUPS', 's'],
      ['XADD', 's', '20-0', 'f', 'v'],
      ['XGROUP', 'SETID', 's', 'g2', '0'],
      ['XGROUP', 'SETID', 's', 'g0', '20-0', 'ENTRIESREAD', '11'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g2', 'z', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'CONSUMERS', 's', 'g2'],
      ['XINFO', 'CONSUMERS', 's', 'nogroup'],
      ['XINFO', 'CONSUMERS', 'missing', 'g'],
      ['XINFO', 'GROUPS', 'missing'],
      ['SET', 'str', 'v'],
      ['XINFO', 'GROUPS', 'str'],
      ['XINFO', 'STREAM', 'str'],
      ['XINFO', 'CONSUMERS', 'str', 'g'],
      ['XINFO', 'GROUPS'],
      ['XINFO', 'GROUPS', 's', 'extra'],
      ['XINFO', 'BOGUS', 's'],
      ['XINFO', 'HELP'],
      ['XINFO', 'HELP', 'x'],
    ]);
  });

  it('XINFO STREAM and STREAM FULL: radix tree sizes, first and last entries, groups, PELs', async () => {
    const many = Array.from({ length: 350 }, (_, i) => ['XADD', 'big', `${1000 + i * 37}-${i % 3}`, 'f', `v${i}`]);
    await checkMasked([
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
      ['XINFO', 'STREAM', 'e'],
      ['XINFO', 'STREAM', 'e', 'FULL'],
      ...adds('s', 12),
      ['XINFO', 'STREAM', 's'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'a', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '4', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'c2', '0', '1-0', '2-0', '3-0', '4-0', '5-0', '6-0', '7-0', 'TIME', '1000', 'JUSTID'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'idle'],
      ['XDEL', 's', '12-0', '3-0'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '2'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-1'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'],
      ['XINFO', 'STREAM', 's', 'PARTIAL'],
      ['XINFO', 'STREAM', 's', 'FULL', 'LIMIT', '2'],
      ['XINFO', 'STREAM', 'missing'],
      ...many,
      ['XINFO', 'STREAM', 'big'],
      ['XTRIM', 'big', 'MAXLEN', '~', '120'],
      ['XDEL', 'big', '1000-0'],
      ['XINFO', 'STREAM', 'big'],
      ['XTRIM', 'big', 'MAXLEN', '0'],
      ['XINFO', 'STREAM', 'big'],
    ]);
  });

  it('XSETID: counters, errors; XINFO STREAM shows them', async () => {
    await check([
      ['XSETID', 'missing', '5-0'],
      ['XSETID', 'missing', 'bad'],
      ['XSETID', 'missing', '5-0', 'ENTRIESADDED', '-1'],
      ['XSETID', 'missing', '5-0', 'ENTRIESADDED', 'x'],
      ['XSETID', 'missing', '5-0', 'MAXDELETEDID', '6-0'],
      ['XSETID', 'missing', '5-0', 'MAXDELETEDID', 'bad'],
      ['XSETID', 'missing', '5-0', 'BOGUS', '1'],
      ['XSETID', 'missing', '5-0', 'ENTRIESADDED'],
      ...adds('s', 3),
      ['XSETID', 's', '2-0'],
      ['XSETID', 's', '3-0', 'ENTRIESADDED', '2'],
      ['XSETID', 's', '9-0', 'ENTRIESADDED', '50', 'MAXDELETEDID', '7-0'],
      ['XINFO', 'STREAM', 's'],
      ['XSETID', 's', '9-0', 'MAXDELETEDID', '0-0'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MAXLEN', '0'],
      ['XSETID', 's', '1-0', 'ENTRIESADDED', '0'],
      ['XINFO', 'STREAM', 's'],
      ['SET', 'str', 'v'],
      ['XSETID', 'str', '1-0'],
      ['XSETID', 's'],
    ]);
  });

  it('groups go along with RENAME, COPY, MOVE-less DEL; TYPE; MULTI; WATCH is not touched by group changes', async () => {
    await check([
      ...adds('s', 4),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['RENAME', 's', 't'],
      ['XINFO', 'GROUPS', 't'],
      ['XPENDING', 't', 'g'],
      ['COPY', 't', 'u'],
      ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 'u', '>'],
      ['XACK', 'u', 'g', '1-0'],
      ['XPENDING', 'u', 'g'],
      ['XPENDING', 't', 'g'],
      ['XINFO', 'GROUPS', 'u'],
      ['XINFO', 'GROUPS', 't'],
      ['TYPE', 't'],
      ['DEL', 't'],
      ['XPENDING', 't', 'g'],
      ['XADD', 't', '1-0', 'f', 'v'],
      ['XINFO', 'GROUPS', 't'],
      ['MULTI'],
      ['XGROUP', 'CREATE', 'u', 'm', '0'],
      ['XREADGROUP', 'GROUP', 'm', 'c', 'COUNT', '1', 'STREAMS', 'u', '>'],
      ['XACK', 'u', 'm', '1-0'],
      ['XCLAIM', 'u', 'm', 'x', '0', '2-0', 'FORCE', 'JUSTID'],
      ['XAUTOCLAIM', 'u', 'm', 'y', '0', '-', 'JUSTID'],
      ['EXEC'],
      ['WATCH', 'u'],
      ['XACK', 'u', 'g', '2-0'],
      ['XGROUP', 'CREATECONSUMER', 'u', 'g', 'w'],
      ['XREADGROUP', 'GROUP', 'g', 'w', 'STREAMS', 'u', '0'],
      ['MULTI'],
      ['XLEN', 'u'],
      ['EXEC'],
      ['WATCH', 'u'],
      ['XGROUP', 'DESTROY', 'u', 'm'],
      ['XGROUP', 'SETID', 'u', 'g', '0'],
      ['MULTI'],
      ['XLEN', 'u'],
      ['EXEC'],
      ['XGROUP', 'CREATE', 'u', 'm', '0', 'MKSTREAM'],
      ['WATCH', 'u'],
      ['XDEL', 'u', '4-0'],
      ['MULTI'],
      ['XLEN', 'u'],
      ['EXEC'],
    ]);
  });

  it('a seeded random command stream over groups gives the same replies (idle times masked)', async () => {
    const rand = seededInt(20251125);
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)];
    let ms = 1;
    const old = (): string => `${Math.max(0, ms - rand(40))}-${rand(2)}`;
    const groups = ['g1', 'g2', 'g3'];
    const consumers = ['a', 'b', 'c', 'd'];
    const commands: string[][] = [['XGROUP', 'CREATE', 's', 'g1', '$', 'MKSTREAM']];
    for (let i = 0; i < 1500; i++) {
      const g = pick(groups);
      const c = pick(consumers);
      const r = rand(100);
      if (r < 30) {
        ms += rand(3);
        commands.push(['XADD', 's', ...(rand(15) === 0 ? ['MAXLEN', String(20 + rand(40))] : []), `${ms}-*`, 'f', 'v'.repeat(rand(30))]);
      } else if (r < 36) {
        commands.push(['XDEL', 's', old(), old()]);
      } else if (r < 52) {
        const count = rand(3) === 0 ? [] : ['COUNT', String(rand(6))];
        commands.push(['XREADGROUP', 'GROUP', g, c, ...count, ...(rand(6) === 0 ? ['NOACK'] : []), 'STREAMS', 's', rand(4) === 0 ? pick(['0', old()]) : '>']);
      } else if (r < 62) {
        commands.push(['XACK', 's', g, old(), old(), old()]);
      } else if (r < 68) {
        commands.push(['XCLAIM', 's', g, c, '0', old(), old(), ...(rand(2) === 0 ? ['FORCE'] : []), 'TIME', '1000', ...(rand(2) === 0 ? ['RETRYCOUNT', String(rand(5))] : []), 'JUSTID']);
      } else if (r < 73) {
        commands.push(['XAUTOCLAIM', 's', g, c, '0', pick(['-', '0', old()]), 'COUNT', String(1 + rand(4)), ...(rand(2) === 0 ? ['JUSTID'] : [])]);
      } else if (r < 77) {
        commands.push(['XGROUP', pick(['CREATE', 'SETID']), 's', g, pick(['$', '0', old()]), ...(rand(3) === 0 ? ['ENTRIESREAD', String(rand(50))] : [])]);
      } else if (r < 80) {
        commands.push(['XGROUP', pick(['CREATECONSUMER', 'DELCONSUMER']), 's', g, c]);
      } else if (r < 81) {
        commands.push(['XGROUP', 'DESTROY', 's', g]);
      } else if (r < 86) {
        commands.push(['XPENDING', 's', g, ...(rand(2) === 0 ? ['-', '+', String(rand(8)), ...(rand(2) === 0 ? [c] : [])] : [])]);
      } else if (r < 92) {
        commands.push(['XINFO', 'GROUPS', 's']);
      } else if (r < 95) {
        commands.push(['XINFO', 'CONSUMERS', 's', g]);
      } else if (r < 97) {
        commands.push(['XTRIM', 's', pick(['MAXLEN', 'MINID']), ...(rand(2) === 0 ? ['~'] : []), pick([String(rand(60)), old()])]);
      } else {
        commands.push(['XINFO', 'STREAM', 's', ...(rand(2) === 0 ? ['FULL', 'COUNT', String(rand(5))] : [])]);
      }
    }
    commands.push(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0']);
    await checkMasked(commands, [2]);
  });

  it('COMMAND INFO matches Redis', async () => {
    await checkCommandTable(['xgroup', 'xreadgroup', 'xack', 'xpending', 'xclaim', 'xautoclaim', 'xinfo', 'xsetid']);
    // Subcommands (in Redis's order, which is a hash table's): name, arity, flags, key positions, categories.
    const [ours, theirs] = await connections(2);
    const sub = /\*10\r\n\$\d+\r\n[a-z]+\|[a-z]+\r\n:-?\d+\r\n\*\d+\r\n(?:\+[^\r]+\r\n)*:-?\d+\r\n:-?\d+\r\n:-?\d+\r\n\*\d+\r\n(?:\+@[^\r]+\r\n)*/g;
    for (const name of ['xgroup', 'xinfo']) {
      const [a, b] = await Promise.all([ours.command('COMMAND', 'INFO', name), theirs.command('COMMAND', 'INFO', name)]);
      const theirSubs = [...b.matchAll(sub)].map((m) => m[0]).sort();
      expect(theirSubs.length, name).toBeGreaterThan(3);
      expect([...a.matchAll(sub)].map((m) => m[0]).sort(), name).toEqual(theirSubs);
    }
  });

  // -------------------------------------------------------------------------
  // Blocking XREADGROUP: scenarios with several connections, transcripts compared.

  const scenario = (body: Scenario) => compareScenario(pair(), body);

  it('XREADGROUP BLOCK is served by XADD, one entry per waiter of the same group, in arrival order', async () => {
    const replies = await scenario(async ({ open, blocked }) => {
      const [a, b, c, p] = [await open(), await open(3), await open(), await open()];
      const out = [await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'), await p.command('XGROUP', 'CREATE', 's', 'h', '$')];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      send(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(2);
      send(c, 'XREADGROUP', 'GROUP', 'h', 'carol', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(3);
      out.push(await p.command('XADD', 's', '1-0', 'f', 'v'));
      out.push('a ' + (await next(a)), 'c ' + (await next(c)));
      await blocked(1);
      out.push(await p.command('MULTI'), await p.command('XADD', 's', '2-0', 'f', 'v'), await p.command('XADD', 's', '3-0', 'f', 'v'), await p.command('EXEC'));
      out.push('b ' + (await next(b)));
      out.push(await p.command('XPENDING', 's', 'g'), await p.command('XPENDING', 's', 'h'));
      return out;
    });
    expect(replies[3]).toBe('a *1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
  });

  it('XREADGROUP BLOCK: destroyed group, deleted key, key of another type, timeout', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, d, p] = [await open(), await open(), await open(3), await open(), await open()];
      const out = [
        await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'),
        await p.command('XGROUP', 'CREATE', 't', 'g', '$', 'MKSTREAM'),
        await p.command('XGROUP', 'CREATE', 'u', 'g', '$', 'MKSTREAM'),
      ];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      send(b, 'XREADGROUP', 'GROUP', 'g', 'c2', 'BLOCK', '0', 'STREAMS', 't', '>');
      await blocked(2);
      send(c, 'XREADGROUP', 'GROUP', 'g', 'c3', 'BLOCK', '0', 'STREAMS', 'u', '>');
      await blocked(3);
      out.push(await p.command('XGROUP', 'DESTROY', 's', 'g'), 'a ' + (await next(a)));
      out.push(await p.command('DEL', 't'), 'b ' + (await next(b)));
      out.push(await p.command('SET', 'u', 'x'), 'c ' + (await next(c)));
      await blocked(0);
      send(d, 'XREADGROUP', 'GROUP', 'g', 'c4', 'BLOCK', '20', 'STREAMS', 'u2', '>');
      out.push('d ' + (await next(d)));
      out.push(await p.command('XGROUP', 'CREATE', 'v', 'g', '$', 'MKSTREAM'));
      send(d, 'XREADGROUP', 'GROUP', 'g', 'c4', 'BLOCK', '20', 'STREAMS', 'v', '>');
      out.push('d ' + (await next(d)), await d.command('XINFO', 'HELP').then((r) => r.slice(0, 1)));
      return out;
    });
  });

  it('XREADGROUP BLOCK is not served by writes without new entries, nor by SETID', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      const out = [...(await Promise.all([p.command('XADD', 's', '1-0', 'f', 'v')])), await p.command('XGROUP', 'CREATE', 's', 'g', '$')];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('XGROUP', 'SETID', 's', 'g', '0'), await p.command('XGROUP', 'CREATECONSUMER', 's', 'g', 'x'));
      out.push(await p.command('XDEL', 's', '1-0'), await p.command('XTRIM', 's', 'MAXLEN', '0'));
      await blocked(1);
      out.push(await p.command('XADD', 's', '2-0', 'f', 'v2'), 'a ' + (await next(a)));
      return out;
    });
  });
  it('XREAD and XREADGROUP waiters on one key are served in arrival order; XREADGROUP on several keys', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, d, p] = [await open(), await open(3), await open(), await open(), await open()];
      const out = [await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'), await p.command('XGROUP', 'CREATE', 't', 'g', '$', 'MKSTREAM')];
      send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blocked(1);
      send(b, 'XREADGROUP', 'GROUP', 'g', 'b', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(2);
      send(c, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 't', 's', '>', '>');
      await blocked(3);
      send(d, 'XREADGROUP', 'GROUP', 'g', 'd', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', 't', '>', '>');
      await blocked(4);
      out.push(await p.command('XADD', 's', '1-0', 'f', 'v'));
      out.push('a ' + (await next(a)), 'b ' + (await next(b)));
      await blocked(2);
      out.push(await p.command('MULTI'), await p.command('XADD', 't', '1-0', 'f', 'v'), await p.command('XADD', 't', '2-0', 'f', 'v'), await p.command('EXEC'));
      // c took both entries of t: d waits for the next one.
      out.push('c ' + (await next(c)));
      await blocked(1);
      out.push(await p.command('XADD', 't', '3-0', 'f', 'v'), 'd ' + (await next(d)));
      out.push(await p.command('XPENDING', 's', 'g'), await p.command('XPENDING', 't', 'g'));
      return out;
    });
  });

  it('XREADGROUP BLOCK fails on FLUSHALL, FLUSHDB and a SWAPDB that takes the stream away', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, p] = [await open(), await open(), await open(), await open()];
      const out = [await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('FLUSHALL'), 'a ' + (await next(a)));
      out.push(await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'));
      send(b, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('FLUSHDB'), 'b ' + (await next(b)));
      out.push(await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'));
      send(c, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('SWAPDB', '0', '1'), 'c ' + (await next(c)));
      return out;
    });
  });
  it('XREADGROUP BLOCK when another stream is renamed onto its key: served from that stream, or NOGROUP', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, p] = [await open(), await open(), await open()];
      const out = [
        await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'),
        await p.command('XGROUP', 'CREATE', 't', 'h', '$', 'MKSTREAM'),
        await p.command('XADD', 'src', '7-0', 'f', 'v'),
        await p.command('XGROUP', 'CREATE', 'src', 'g', '0'),
        await p.command('XADD', 'other', '1-0', 'f', 'v'),
      ];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      send(b, 'XREADGROUP', 'GROUP', 'h', 'c', 'BLOCK', '0', 'STREAMS', 't', '>');
      await blocked(2);
      out.push(await p.command('RENAME', 'src', 's'), 'a ' + (await next(a)));
      out.push(await p.command('RENAME', 'other', 't'), 'b ' + (await next(b)));
      out.push(await p.command('XPENDING', 's', 'g'));
      return out;
    });
  });
  it('CLIENT UNBLOCK ends an XREADGROUP BLOCK like a timeout, or with an error', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, p] = [await open(), await open()];
      const id = (await a.command('CLIENT', 'ID')).slice(1, -2);
      const out = [await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')];
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('CLIENT', 'UNBLOCK', id), 'a ' + (await next(a)));
      send(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(1);
      out.push(await p.command('CLIENT', 'UNBLOCK', id, 'ERROR'), 'a ' + (await next(a)));
      out.push(await p.command('XINFO', 'GROUPS', 's'));
      return out;
    });
  });
  it('several XREADGROUP COUNT 1 waiters of one group share a transaction\'s entries in turn', async () => {
    await scenario(async ({ open, blocked }) => {
      const [a, b, c, p] = [await open(), await open(3), await open(), await open()];
      const out = [await p.command('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')];
      for (const [conn, name] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
        send(conn, 'XREADGROUP', 'GROUP', 'g', name, 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
        await blocked(name === 'a' ? 1 : name === 'b' ? 2 : 3);
      }
      out.push(await p.command('MULTI'), await p.command('XADD', 's', '1-0', 'n', '1'), await p.command('XADD', 's', '2-0', 'n', '2'));
      out.push(await p.command('EXEC'), 'a ' + (await next(a)), 'b ' + (await next(b)));
      await blocked(1);
      out.push(await p.command('XADD', 's', '3-0', 'n', '3'), 'c ' + (await next(c)), await p.command('XINFO', 'GROUPS', 's'));
      return out;
    });
  });
});
