// MEMORY USAGE and MEMORY HELP, differential against a real redis-server.
// Argument errors, missing keys and HELP must be byte-identical (RESP2 and
// RESP3). The figure is an estimate of Redis's own: for strings it must be
// Redis's number exactly, for collections within a quarter of it, with the
// default SAMPLES and with SAMPLES 0 (all elements).
import { expect, it } from 'vitest';
import { expectSamePipelinedReplies, useServerPair } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

type Cmd = string[];

/** Keys of every type and encoding, small and large. */
function dataset(): { writes: Cmd[]; strings: string[]; collections: string[] } {
  const rand = seededInt(4242);
  const writes: Cmd[] = [
    ['SET', 'foo', 'bar'],
    ['SET', 'int', '12345'],
    ['SET', 'shared', '7'],
    ['SET', 'emb44', 'x'.repeat(44)],
    ['SET', 'raw45', 'x'.repeat(45)],
    ['SET', 'big', 'y'.repeat(300)],
    ['SET', 'k'.repeat(40), 'v'],
    ['SET', 'huge', 'z'.repeat(70000)],
    ['INCRBYFLOAT', 'float', '3.25'],
  ];
  const strings = ['foo', 'int', 'shared', 'emb44', 'raw45', 'big', 'k'.repeat(40), 'huge', 'float'];
  for (let i = 0; i < 1000; i++) {
    writes.push(
      ['RPUSH', 'biglist', `element-${rand(100000)}`],
      ['HSET', 'bighash', `field${i}`, `value${rand(1000)}`],
      ['SADD', 'bigset', `member${i}`],
      ['SADD', 'intset', String(rand(1_000_000))],
      ['ZADD', 'bigzset', String(rand(1000) / 8), `m${i}`],
      ['XADD', 'stream', `${i + 1}-1`, 'field', String(rand(1000)), 'other', 'text'],
    );
  }
  writes.push(
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['HSET', 'hash', 'a', '1', 'b', '2'],
    ['SADD', 'smallints', '1', '2', '3'],
    ['SADD', 'smallset', 'a', 'b', 'c'],
    ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
    ['XGROUP', 'CREATE', 'stream', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '10', 'STREAMS', 'stream', '>'],
  );
  const collections = ['list', 'biglist', 'hash', 'bighash', 'smallints', 'intset', 'smallset', 'bigset', 'zset', 'bigzset', 'stream'];
  return { writes, strings, collections };
}

describeWithRedis('MEMORY USAGE and MEMORY HELP (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  it('argument errors, missing keys and HELP as Redis', async () => {
    await check([
      ['MEMORY'],
      ['MEMORY', 'HELP'],
      ['MEMORY', 'HELP', 'x'],
      ['MEMORY', 'NOPE'],
      ['MEMORY', 'USAGE'],
      ['MEMORY', 'USAGE', 'nokey'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '9223372036854775808'],
      ['MEMORY', 'USAGE', 'nokey', 'samples', '0'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '1', 'SAMPLES', '2'],
      ['MEMORY', 'USAGE', 'nokey', 'extra'],
      ['MEMORY', 'USAGE', 'a', 'b'],
      ['SET', 'k', 'v'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '1', 'bogus'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-5'],
      ['MEMORY', 'PURGE'],
    ]);
    await checkCommandTable(['memory']);
  });

  it('strings: exactly what Redis reports; collections: within 25% of it', async () => {
    const { writes, strings, collections } = dataset();
    const [ours, theirs] = await connections(2);
    // Pipelined (thousands of writes): their replies must agree too.
    await expectSamePipelinedReplies([ours, theirs], writes);
    const usage = async (key: string, ...opt: string[]): Promise<[number, number]> => {
      const [a, b] = await Promise.all([ours.command('MEMORY', 'USAGE', key, ...opt), theirs.command('MEMORY', 'USAGE', key, ...opt)]);
      expect(a, `MEMORY USAGE ${key}`).toMatch(/^:\d+\r\n$/);
      return [Number(a.slice(1)), Number(b.slice(1))];
    };
    for (const key of strings) {
      const [a, b] = await usage(key);
      expect(a, `MEMORY USAGE ${key}`).toBe(b);
    }
    for (const key of collections) {
      for (const opt of [[], ['SAMPLES', '0']]) {
        const [a, b] = await usage(key, ...opt);
        expect(a / b, `MEMORY USAGE ${key} ${opt.join(' ')}: ${a} against Redis's ${b}`).toBeGreaterThan(0.75);
        expect(a / b, `MEMORY USAGE ${key} ${opt.join(' ')}: ${a} against Redis's ${b}`).toBeLessThan(1.25);
      }
    }
    ours.close();
    theirs.close();
  });
});
