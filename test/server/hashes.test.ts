// Hash commands, differential: every command, option and error case goes to
// simpledb and to a real redis-server, in RESP2 and in RESP3, and the reply
// bytes must be identical. Random replies (HRANDFIELD) are compared where
// Redis is deterministic and checked for shape where it is not.
import { expect, it } from 'vitest';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('hash commands (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  const binary = Array.from({ length: 64 }, (_, i) => String.fromCharCode(i * 4)).join('');

  it('HSET, HMSET, HSETNX, HGET, HMGET', async () => {
    await check([
      ['HSET', 'h', 'f1', 'v1'],
      ['HSET', 'h', 'f2', 'v2', 'f3', 'v3'],
      ['HSET', 'h', 'f1', 'new', 'f4', 'v4'],
      ['HGET', 'h', 'f1'],
      ['HGET', 'h', 'nope'],
      ['HGET', 'missing', 'f1'],
      ['HMGET', 'h', 'f1', 'nope', 'f4'],
      ['HMGET', 'missing', 'a', 'b'],
      ['HMSET', 'h', 'f5', 'v5', 'f1', 'again'],
      ['HGETALL', 'h'],
      ['HSETNX', 'h', 'f1', 'x'],
      ['HSETNX', 'h', 'f6', 'v6'],
      ['HSETNX', 'fresh', 'f', 'v'],
      ['HGETALL', 'fresh'],
      ['HSET', 'bin', binary, '\x00\xff', '', 'empty field', 'a\r\nb', ''],
      ['HGETALL', 'bin'],
      ['HGET', 'bin', ''],
      ['HSTRLEN', 'bin', binary],
      ['hset', 'lower', 'case', 'ok'],
      ['HSET', 'h', 'odd'],
      ['HSET', 'h', 'a', 'b', 'c'],
      ['HMSET', 'h', 'a', 'b', 'c'],
      ['HMSET', 'h', 'a'],
      ['HSETNX', 'h', 'a'],
      ['HGET', 'h'],
      ['HMGET', 'h'],
      ['TYPE', 'h'],
    ]);
  });

  it('HDEL, HEXISTS, HLEN, HSTRLEN, and the removal of emptied hashes', async () => {
    await check([
      ['HSET', 'h', 'a', '1', 'b', '22', 'c', '333'],
      ['HLEN', 'h'],
      ['HEXISTS', 'h', 'a'],
      ['HEXISTS', 'h', 'z'],
      ['HEXISTS', 'missing', 'a'],
      ['HSTRLEN', 'h', 'c'],
      ['HSTRLEN', 'h', 'z'],
      ['HSTRLEN', 'missing', 'z'],
      ['HDEL', 'h', 'a', 'a', 'z'],
      ['HDEL', 'missing', 'a'],
      ['HLEN', 'missing'],
      ['HDEL', 'h', 'b', 'c', 'd'],
      ['EXISTS', 'h'],
      ['HLEN', 'h'],
      ['HDEL', 'h'],
      ['HLEN'],
      ['HEXISTS', 'h'],
      ['HSTRLEN', 'h', 'a', 'b'],
    ]);
  });

  it('HGETALL, HKEYS, HVALS (a map in RESP3), in insertion order', async () => {
    await check([
      ['HGETALL', 'missing'],
      ['HKEYS', 'missing'],
      ['HVALS', 'missing'],
      ['HSET', 'h', 'z', '1', 'a', '2', 'm', '3'],
      ['HSET', 'h', 'a', 'changed'],
      ['HDEL', 'h', 'z'],
      ['HSET', 'h', 'z', 'back'],
      ['HGETALL', 'h'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGETALL', 'h', 'x'],
      ['HKEYS'],
    ]);
  });

  it('HINCRBY', async () => {
    await check([
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-7'],
      ['HINCRBY', 'h', 'n', '0'],
      ['HGET', 'h', 'n'],
      ['HSET', 'h', 'max', '9223372036854775806', 'min', '-9223372036854775807', 'text', 'abc', 'float', '1.5', 'space', ' 1'],
      ['HINCRBY', 'h', 'max', '1'],
      ['HINCRBY', 'h', 'max', '1'],
      ['HINCRBY', 'h', 'min', '-1'],
      ['HINCRBY', 'h', 'min', '-1'],
      ['HINCRBY', 'h', 'text', '1'],
      ['HINCRBY', 'h', 'float', '1'],
      ['HINCRBY', 'h', 'space', '1'],
      ['HINCRBY', 'h', 'n', 'x'],
      ['HINCRBY', 'h', 'n', '1.0'],
      ['HINCRBY', 'h', 'n', '9223372036854775808'],
      ['HINCRBY', 'h', 'n', ''],
      ['HINCRBY', 'missing', 'n', 'bad'],
      ['EXISTS', 'missing'],
      ['HINCRBY', 'h', 'n'],
    ]);
  });

  it('HINCRBYFLOAT, formatted as Redis does in long double', async () => {
    const cases: [string, string][] = [
      ['1', '0.1'],
      ['10.5', '0.1'],
      ['0', '3.0e3'],
      ['5.0e3', '2.0e2'],
      ['0.1', '0.2'],
      ['1e20', '1'],
      ['-1', '1'],
      ['1.23456789012345678', '0'],
      ['3', '-3.5'],
      ['0x10', '1'],
      ['100', '-0.0000001'],
      ['1.5', '1e-17'],
      ['0.3', '-0.1'],
      ['12345678.9', '0.123456789'],
      ['-5', '0.0000000000000000001'],
      ['1e300', '1'],
      ['17179869184', '0.0001'],
      ['9007199254740993', '1'],
    ];
    const commands: Cmd[] = [];
    cases.forEach(([start, incr], i) => {
      commands.push(['HSET', 'h', 'f' + i, start], ['HINCRBYFLOAT', 'h', 'f' + i, incr], ['HGET', 'h', 'f' + i]);
    });
    await check([
      ...commands,
      ['HINCRBYFLOAT', 'h', 'new', '2.5'],
      ['HINCRBYFLOAT', 'h', 'new', '-2.5'],
      ['HINCRBYFLOAT', 'fresh', 'f', '.5'],
      ['HINCRBYFLOAT', 'fresh', 'f', '5.'],
      ['HINCRBYFLOAT', 'fresh', 'f', '+1e2'],
      ['HSET', 'h', 'text', 'abc', 'big', '1.18e4932', 'inf', 'inf'],
      ['HINCRBYFLOAT', 'h', 'text', '1'],
      ['HINCRBYFLOAT', 'h', 'big', '1e4932'],
      ['HINCRBYFLOAT', 'h', 'inf', '1'],
      ['HINCRBYFLOAT', 'h', 'new', 'inf'],
      ['HINCRBYFLOAT', 'h', 'new', '-infinity'],
      ['HINCRBYFLOAT', 'h', 'new', 'nan'],
      ['HINCRBYFLOAT', 'h', 'new', 'abc'],
      ['HINCRBYFLOAT', 'h', 'new', ' 1'],
      ['HINCRBYFLOAT', 'h', 'new', '1 '],
      ['HINCRBYFLOAT', 'h', 'new', ''],
      ['HINCRBYFLOAT', 'h', 'new', '1e5000'],
      ['HINCRBYFLOAT', 'missing', 'f', 'x'],
      ['EXISTS', 'missing'],
      ['HINCRBYFLOAT', 'h', 'new'],
    ]);
  });

  it('HRANDFIELD: deterministic cases and errors', async () => {
    await check([
      ['HRANDFIELD', 'missing'],
      ['HRANDFIELD', 'missing', '3'],
      ['HRANDFIELD', 'missing', '-3', 'WITHVALUES'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '3'],
      ['HRANDFIELD', 'h', '10'],
      ['HRANDFIELD', 'h', '10', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '3', 'withvalues'],
      ['HSET', 'one', 'only', 'v'],
      ['HRANDFIELD', 'one'],
      ['HRANDFIELD', 'one', '-3'],
      ['HRANDFIELD', 'one', '-2', 'WITHVALUES'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '1.5'],
      ['HRANDFIELD', 'h', '1', 'WITHSCORES'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '9223372036854775807'],
      ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'],
      ['HRANDFIELD', 'missing', 'x'],
      ['HRANDFIELD'],
    ]);
  });

  it('HRANDFIELD: random picks have the right shape', async () => {
    for (const protocol of [2, 3] as const) {
      const [ours] = await connections(protocol);
      await ours.command('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
      expect(await ours.command('HRANDFIELD', 'h')).toMatch(/^\$1\r\n[abcd]\r\n$/);
      // Negative count: repetitions allowed, exactly |count| picks.
      expect(await ours.command('HRANDFIELD', 'h', '-7')).toMatch(/^\*7\r\n(\$1\r\n[abcd]\r\n){7}$/);
      // Positive count below the size: distinct fields.
      const two = await ours.command('HRANDFIELD', 'h', '2');
      expect(two).toMatch(/^\*2\r\n(\$1\r\n[abcd]\r\n){2}$/);
      expect(two.slice(4, 11)).not.toBe(two.slice(11));
      const pairs = await ours.command('HRANDFIELD', 'h', '-3', 'WITHVALUES');
      const pair = protocol === 2 ? '\\$1\\r\\n([abcd])\\r\\n\\$1\\r\\n[1-4]\\r\\n' : '\\*2\\r\\n\\$1\\r\\n([abcd])\\r\\n\\$1\\r\\n[1-4]\\r\\n';
      expect(pairs).toMatch(new RegExp(`^\\*${protocol === 2 ? 6 : 3}\\r\\n(${pair}){3}$`));
      for (const m of pairs.matchAll(/\$1\r\n([abcd])\r\n\$1\r\n([1-4])\r\n/g)) expect('abcd'.indexOf(m[1]) + 1).toBe(Number(m[2]));
      ours.close();
    }
  });

  it('HSCAN', async () => {
    await check([
      ['HSCAN', 'missing', '0'],
      ['HSCAN', 'missing', '0', 'COUNT', '0'],
      ['HSCAN', 'missing', 'x'],
      ['HSET', 'h', 'apple', '1', 'banana', '2', 'avocado', '3', 'cherry', '4'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HSCAN', 'h', '0', 'match', '*an*', 'count', '1'],
      ['HSCAN', 'h', '0', 'MATCH', 'zzz'],
      ['HSCAN', 'h', '0', 'COUNT', '100', 'MATCH', '*'],
      ['HSCAN', 'h', '42'],
      ['HSCAN', 'h', ''],
      ['HSCAN', 'h', '-1'],
      ['HSCAN', 'h', '18446744073709551615'],
      ['HSCAN', 'h', '18446744073709551616'],
      ['HSCAN', 'h', ' 0'],
      ['HSCAN', 'h', '0x'],
      ['HSCAN', 'h', '+'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', '-1'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'COUNT'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', '0', 'TYPE', 'hash'],
      ['HSCAN', 'h', '0', 'NOPE', 'x'],
      ['HSCAN', 'h'],
    ]);
  });

  it('WRONGTYPE for every hash command on a string key', async () => {
    await check([
      ['SET', 's', 'v'],
      ['HSET', 's', 'f', 'v'],
      ['HMSET', 's', 'f', 'v'],
      ['HSETNX', 's', 'f', 'v'],
      ['HGET', 's', 'f'],
      ['HMGET', 's', 'f'],
      ['HDEL', 's', 'f'],
      ['HEXISTS', 's', 'f'],
      ['HLEN', 's'],
      ['HSTRLEN', 's', 'f'],
      ['HGETALL', 's'],
      ['HKEYS', 's'],
      ['HVALS', 's'],
      ['HINCRBY', 's', 'f', '1'],
      ['HINCRBY', 's', 'f', 'x'],
      ['HINCRBYFLOAT', 's', 'f', '1'],
      ['HINCRBYFLOAT', 's', 'f', 'x'],
      ['HRANDFIELD', 's'],
      ['HRANDFIELD', 's', '2'],
      ['HRANDFIELD', 's', 'x'],
      ['HSCAN', 's', '0'],
      ['HSCAN', 's', 'x'],
      ['HSCAN', 's', '0', 'COUNT', '0'],
      ['GET', 's'],
    ]);
  });

  it('hash writes are seen by WATCH and survive MULTI/EXEC', async () => {
    await check([
      ['HSET', 'h', 'a', '1'],
      ['WATCH', 'h'],
      ['MULTI'],
      ['HINCRBY', 'h', 'a', '1'],
      ['HINCRBYFLOAT', 'h', 'a', 'x'],
      ['HGETALL', 'h'],
      ['EXEC'],
      ['WATCH', 'h'],
      ['HSETNX', 'h', 'a', 'x'],
      ['MULTI'],
      ['HGET', 'h', 'a'],
      ['EXEC'],
    ]);
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['hset', 'hsetnx', 'hget', 'hmget', 'hmset', 'hdel', 'hexists', 'hlen', 'hgetall', 'hkeys', 'hvals', 'hincrby', 'hincrbyfloat', 'hstrlen', 'hrandfield', 'hscan']);
  });
});
