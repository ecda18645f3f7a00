// String commands, differential: each command, option and error case goes to
// simpledb and to a real redis-server, under RESP2 and then RESP3, and the
// reply bytes must be identical. Expiry is checked through absolute times
// (EXAT/PXAT, EXPIRETIME) or whole-second TTLs, which do not depend on how
// fast the commands run.
import { it } from 'vitest';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';

/** Far in the future, so that these absolute expiries never fire during a test. */
const FUTURE_S = '4000000000';
const FUTURE_MS = '4000000000123';

describeWithRedis('string commands (differential)', () => {
  const { check, checkCommandTable } = useServerPair();

  const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

  it('GET and SET: values, overwrites, binary data, WRONGTYPE', async () => {
    await check([
      ['GET', 'k'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['SET', 'k', 'other'],
      ['GET', 'k'],
      ['SET', 'empty', ''],
      ['GET', 'empty'],
      ['SET', binary, binary],
      ['GET', binary],
      ['SET', 'crlf', 'a\r\nb\r\n'],
      ['GET', 'crlf'],
      ['SET', 'num', '12345'],
      ['GET', 'num'],
      ['RPUSH', 'list', 'a'],
      ['GET', 'list'],
      ['HSET', 'hash', 'f', 'v'],
      ['GET', 'hash'],
      ['ZADD', 'zset', '1', 'm'],
      ['GET', 'zset'],
      // SET replaces a value of any type.
      ['SET', 'list', 'now a string'],
      ['GET', 'list'],
      ['TYPE', 'list'],
    ]);
  });

  it('SET NX, XX and GET', async () => {
    await check([
      ['SET', 'k', 'v', 'NX'],
      ['SET', 'k', 'v2', 'NX'],
      ['GET', 'k'],
      ['SET', 'k', 'v3', 'XX'],
      ['GET', 'k'],
      ['SET', 'missing', 'v', 'XX'],
      ['EXISTS', 'missing'],
      ['SET', 'k', 'v4', 'GET'],
      ['SET', 'new', 'v', 'GET'],
      ['GET', 'new'],
      ['SET', 'k', 'v5', 'NX', 'GET'],
      ['GET', 'k'],
      ['SET', 'fresh', 'v', 'NX', 'GET'],
      ['SET', 'k', 'v6', 'XX', 'GET'],
      ['SET', 'nope', 'v', 'XX', 'GET'],
      ['EXISTS', 'nope'],
      ['SET', 'k', 'v7', 'nx', 'nx'],
      ['SET', 'k', 'v8', 'xx', 'xx', 'get', 'get'],
      ['GET', 'k'],
      ['RPUSH', 'list', 'a'],
      ['SET', 'list', 'v', 'GET'],
      ['TYPE', 'list'],
      ['SET', 'list', 'v', 'NX'],
      ['SET', 'list', 'v', 'XX'],
      ['GET', 'list'],
    ]);
  });

  it('SET expiry options: EX, PX, EXAT, PXAT, KEEPTTL', async () => {
    await check([
      ['SET', 'k', 'v', 'EX', '100'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'PX', '100000'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'EXAT', FUTURE_S],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'PXAT', FUTURE_MS],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'k'],
      ['SET', 'k', 'v2', 'KEEPTTL'],
      ['PEXPIRETIME', 'k'],
      ['GET', 'k'],
      ['SET', 'k', 'v3'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'ex', '10', 'ex', '20'],
      ['TTL', 'k'],
      ['SET', 'k', 'v', 'EX', '100', 'NX'],
      ['SET', 'k', 'v', 'XX', 'EXAT', FUTURE_S, 'GET'],
      ['EXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'keepttl', 'keepttl'],
      ['EXPIRETIME', 'k'],
      // An absolute time in the past: the key is set, then gone.
      ['SET', 'past', 'v', 'PXAT', '1'],
      ['GET', 'past'],
      ['EXISTS', 'past'],
      ['SET', 'past2', 'v', 'EXAT', '1', 'GET'],
      ['GET', 'past2'],
      // Expiry limits: seconds that overflow once turned into ms, or with now added.
      ['SET', 'k', 'v', 'EXAT', '9223372036854775'],
      ['SET', 'k', 'v', 'EX', '9223372036854775'],
      ['SET', 'k', 'v', 'EX', '9223372036854776'],
      ['SET', 'k', 'v', 'PX', '9223372036854775807'],
      ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
    ]);
  });

  it('SET option errors', async () => {
    await check([
      ['SET', 'k', 'v', 'NX', 'XX'],
      ['SET', 'k', 'v', 'XX', 'NX'],
      ['SET', 'k', 'v', 'EX', '10', 'PX', '20'],
      ['SET', 'k', 'v', 'PX', '10', 'EX', '20'],
      ['SET', 'k', 'v', 'PX', '1', 'EXAT', '5'],
      ['SET', 'k', 'v', 'EXAT', '1', 'PXAT', '5'],
      ['SET', 'k', 'v', 'KEEPTTL', 'EX', '5'],
      ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
      ['SET', 'k', 'v', 'PXAT', '10', 'KEEPTTL'],
      ['SET', 'k', 'v', 'EX'],
      ['SET', 'k', 'v', 'PXAT'],
      ['SET', 'k', 'v', 'GET', 'EX'],
      ['SET', 'k', 'v', 'bad'],
      ['SET', 'k', 'v', 'PERSIST'],
      ['SET', 'k', 'v', 'EX', '10', 'NX', 'GET', 'XX'],
      ['SET', 'k', 'v', 'EX', '0'],
      ['SET', 'k', 'v', 'EX', '-1'],
      ['SET', 'k', 'v', 'PX', '0'],
      ['SET', 'k', 'v', 'EXAT', '0'],
      ['SET', 'k', 'v', 'PXAT', '-5'],
      ['SET', 'k', 'v', 'EX', 'abc'],
      ['SET', 'k', 'v', 'PX', '1.5'],
      ['SET', 'k', 'v', 'EX', ' 10'],
      ['SET', 'k', 'v', 'EX', '9223372036854775808'],
      // The expiry is checked before GET looks at the old value.
      ['RPUSH', 'list', 'a'],
      ['SET', 'list', 'v', 'GET', 'EX', '0'],
      ['SET', 'list', 'v', 'GET', 'EX', '10'],
      ['EXISTS', 'k'],
      ['SET', 'k'],
      ['SET'],
    ]);
  });

  it('SETNX, SETEX, PSETEX', async () => {
    await check([
      ['SETNX', 'k', 'v'],
      ['SETNX', 'k', 'v2'],
      ['GET', 'k'],
      ['RPUSH', 'list', 'a'],
      ['SETNX', 'list', 'v'],
      ['SETEX', 'k', '100', 'v3'],
      ['GET', 'k'],
      ['TTL', 'k'],
      ['PSETEX', 'k', '100000', 'v4'],
      ['GET', 'k'],
      ['TTL', 'k'],
      ['SETEX', 'list', '100', 'v'],
      ['TYPE', 'list'],
      ['SETEX', 'k', '0', 'v'],
      ['SETEX', 'k', '-10', 'v'],
      ['SETEX', 'k', 'x', 'v'],
      ['SETEX', 'k', '9223372036854775807', 'v'],
      ['PSETEX', 'k', '0', 'v'],
      ['PSETEX', 'k', '-5', 'v'],
      ['PSETEX', 'k', '1e3', 'v'],
      ['PSETEX', 'k', '9223372036854775807', 'v'],
      ['GET', 'k'],
      ['SETNX', 'k'],
      ['SETNX', 'k', 'v', 'x'],
      ['SETEX', 'k', '10'],
      ['PSETEX', 'k', '10', 'v', 'x'],
    ]);
  });

  it('MGET, MSET, MSETNX', async () => {
    await check([
      ['MSET', 'a', '1', 'b', '2', 'c', '3'],
      ['MGET', 'a', 'b', 'c', 'missing'],
      ['RPUSH', 'list', 'x'],
      ['MGET', 'a', 'list', 'nokey', 'a'],
      ['MSET', 'a', 'new', 'a', 'newer'],
      ['GET', 'a'],
      ['MSETNX', 'a', '1', 'd', '4'],
      ['EXISTS', 'd'],
      ['MSETNX', 'd', '4', 'e', '5'],
      ['MGET', 'd', 'e'],
      ['MSETNX', 'x', '1', 'x', '2'],
      ['GET', 'x'],
      ['MSETNX', 'list', 'v'],
      ['SET', 'ttl', 'v', 'EX', '100'],
      ['MSET', 'ttl', 'w'],
      ['TTL', 'ttl'],
      ['MSET', 'list', 'now a string'],
      ['TYPE', 'list'],
      ['MSET', 'a'],
      ['MSET', 'a', '1', 'b'],
      ['MSETNX', 'a', '1', 'b'],
      ['MSETNX', 'a'],
      ['MGET'],
      ['MSET'],
    ]);
  });

  it('INCR, DECR, INCRBY, DECRBY: counting, limits, errors, TTL kept', async () => {
    await check([
      ['INCR', 'n'],
      ['INCR', 'n'],
      ['DECR', 'n'],
      ['DECR', 'fresh'],
      ['INCRBY', 'n', '100'],
      ['INCRBY', 'n', '-200'],
      ['DECRBY', 'n', '-50'],
      ['DECRBY', 'n', '7'],
      ['GET', 'n'],
      ['SET', 'max', '9223372036854775807'],
      ['INCR', 'max'],
      ['INCRBY', 'max', '1'],
      ['DECRBY', 'max', '-1'],
      ['INCRBY', 'max', '-9223372036854775808'],
      ['SET', 'min', '-9223372036854775808'],
      ['DECR', 'min'],
      ['INCRBY', 'min', '-1'],
      ['DECRBY', 'min', '1'],
      ['DECRBY', 'min', '-9223372036854775807'],
      ['DECRBY', 'other', '-9223372036854775808'],
      ['INCRBY', 'n', 'x'],
      ['INCRBY', 'n', '1.5'],
      ['INCRBY', 'n', '9223372036854775808'],
      ['INCRBY', 'n', ' 1'],
      ['DECRBY', 'n', ''],
      ['SET', 's', 'abc'],
      ['INCR', 's'],
      ['SET', 's', ' 1'],
      ['INCR', 's'],
      ['SET', 's', '007'],
      ['INCR', 's'],
      ['SET', 's', '+1'],
      ['INCR', 's'],
      ['SET', 's', '-0'],
      ['DECR', 's'],
      ['SET', 's', '1.0'],
      ['INCR', 's'],
      ['SET', 's', '99999999999999999999'],
      ['INCR', 's'],
      ['SET', 's', ''],
      ['INCR', 's'],
      ['RPUSH', 'list', 'a'],
      ['INCR', 'list'],
      ['INCRBY', 'list', 'x'],
      ['DECRBY', 'list', '1'],
      ['SET', 'ttl', '10', 'EXAT', FUTURE_S],
      ['INCR', 'ttl'],
      ['INCRBY', 'ttl', '5'],
      ['EXPIRETIME', 'ttl'],
      ['GET', 'ttl'],
      ['INCR'],
      ['INCR', 'a', 'b'],
      ['INCRBY', 'a'],
      ['DECRBY', 'a', '1', '2'],
    ]);
  });

  it('INCRBYFLOAT: long double arithmetic and its formatting', async () => {
    await check([
      ['INCRBYFLOAT', 'f', '0.1'],
      ['INCRBYFLOAT', 'f', '10.5'],
      ['INCRBYFLOAT', 'f', '0x10'],
      ['INCRBYFLOAT', 'f', '+1'],
      ['INCRBYFLOAT', 'f', '-27.6'],
      ['GET', 'f'],
      ['INCRBYFLOAT', 'g', '1e30'],
      ['INCRBYFLOAT', 'h', '1.23456789012345678901234'],
      ['INCRBYFLOAT', 'i', '0.3333333333333333333333'],
      ['INCRBYFLOAT', 'j', '123456789012345678'],
      ['INCRBYFLOAT', 'k', '-1e-20'],
      ['INCRBYFLOAT', 'l', '3.0e3'],
      ['INCRBYFLOAT', 'm', '.5'],
      ['INCRBYFLOAT', 'm', '5.'],
      ['INCRBYFLOAT', 'n', '0x1p-3'],
      ['INCRBYFLOAT', 'o', '0.000003814697265625'],
      ['INCRBYFLOAT', 'p', '1.000003814697265625'],
      ['INCRBYFLOAT', 'q', '-0.0'],
      ['INCRBYFLOAT', 'r', '1e-4940'],
      ['INCRBYFLOAT', 's', '5.0e-1'],
      ['INCRBYFLOAT', 's', '1.5'],
      ['INCRBYFLOAT', 'big', '1e300'],
      ['INCRBYFLOAT', 'big', '-1e300'],
      ['SET', 'int', '10'],
      ['INCRBYFLOAT', 'int', '0.25'],
      ['SET', 'exp', '1.5e3'],
      ['INCRBYFLOAT', 'exp', '1'],
      ['SET', 'ttl', '1', 'EXAT', FUTURE_S],
      ['INCRBYFLOAT', 'ttl', '1.5'],
      ['EXPIRETIME', 'ttl'],
    ]);
  });

  it('INCRBYFLOAT errors', async () => {
    await check([
      ['INCRBYFLOAT', 'f', '1e'],
      ['INCRBYFLOAT', 'f', ' 1'],
      ['INCRBYFLOAT', 'f', '1 '],
      ['INCRBYFLOAT', 'f', ''],
      ['INCRBYFLOAT', 'f', 'nan'],
      ['INCRBYFLOAT', 'f', 'abc'],
      ['INCRBYFLOAT', 'f', '1_0'],
      ['INCRBYFLOAT', 'f', '0x'],
      ['INCRBYFLOAT', 'f', '1e5000'],
      ['INCRBYFLOAT', 'f', '1e-5000'],
      ['INCRBYFLOAT', 'f', '1e-4960'],
      ['INCRBYFLOAT', 'f', '1.18973149535723176509e+4932'],
      ['INCRBYFLOAT', 'f', 'inf'],
      ['INCRBYFLOAT', 'f', '-infinity'],
      ['EXISTS', 'f'],
      ['SET', 's', 'abc'],
      ['INCRBYFLOAT', 's', '1'],
      ['SET', 's', 'inf'],
      ['INCRBYFLOAT', 's', '1'],
      ['INCRBYFLOAT', 's', '-inf'],
      ['SET', 's', '1e4932'],
      ['INCRBYFLOAT', 's', '1e4932'],
      ['GET', 's'],
      ['RPUSH', 'list', 'a'],
      ['INCRBYFLOAT', 'list', '1'],
      ['INCRBYFLOAT', 'list', 'x'],
      ['INCRBYFLOAT', 'f'],
      ['INCRBYFLOAT', 'f', '1', '2'],
    ]);
  });

  it('APPEND and STRLEN', async () => {
    await check([
      ['APPEND', 'k', 'hello'],
      ['APPEND', 'k', ' world'],
      ['GET', 'k'],
      ['STRLEN', 'k'],
      ['APPEND', 'k', ''],
      ['APPEND', 'empty', ''],
      ['EXISTS', 'empty'],
      ['STRLEN', 'empty'],
      ['STRLEN', 'missing'],
      ['APPEND', 'bin', binary],
      ['APPEND', 'bin', binary],
      ['STRLEN', 'bin'],
      ['SET', 'n', '12'],
      ['APPEND', 'n', '34'],
      ['INCR', 'n'],
      ['SET', 'ttl', 'a', 'EXAT', FUTURE_S],
      ['APPEND', 'ttl', 'b'],
      ['EXPIRETIME', 'ttl'],
      ['RPUSH', 'list', 'a'],
      ['APPEND', 'list', 'x'],
      ['STRLEN', 'list'],
      ['APPEND', 'k'],
      ['STRLEN'],
      ['STRLEN', 'a', 'b'],
    ]);
  });

  it('SETRANGE and GETRANGE', async () => {
    await check([
      ['SETRANGE', 'k', '0', 'hello'],
      ['SETRANGE', 'k', '8', 'xy'],
      ['GET', 'k'],
      ['SETRANGE', 'k', '1', 'EL'],
      ['GET', 'k'],
      ['SETRANGE', 'k', '100', ''],
      ['SETRANGE', 'k', '536870912', ''],
      ['SETRANGE', 'missing', '5', ''],
      ['EXISTS', 'missing'],
      ['SETRANGE', 'pad', '3', 'x'],
      ['GET', 'pad'],
      ['SETRANGE', 'k', '536870912', 'x'],
      ['SETRANGE', 'k', '536870911', 'xy'],
      ['SETRANGE', 'k', '9223372036854775807', 'x'],
      ['SETRANGE', 'k', '-1', 'x'],
      ['SETRANGE', 'k', 'x', 'x'],
      ['SETRANGE', 'k', '9223372036854775808', 'x'],
      ['SET', 'ttl', 'abc', 'EXAT', FUTURE_S],
      ['SETRANGE', 'ttl', '1', 'X'],
      ['EXPIRETIME', 'ttl'],
      ['GET', 'ttl'],
      ['GETRANGE', 'k', '0', '-1'],
      ['GETRANGE', 'k', '0', '3'],
      ['GETRANGE', 'k', '-3', '-1'],
      ['GETRANGE', 'k', '-3', '-5'],
      ['GETRANGE', 'k', '-100', '2'],
      ['GETRANGE', 'k', '5', '3'],
      ['GETRANGE', 'k', '3', '1000'],
      ['GETRANGE', 'k', '1000', '2000'],
      ['GETRANGE', 'k', '-1', '0'],
      ['GETRANGE', 'k', '9223372036854775807', '9223372036854775807'],
      ['GETRANGE', 'k', '-9223372036854775808', '-9223372036854775807'],
      ['GETRANGE', 'k', '-9223372036854775808', '9223372036854775807'],
      ['GETRANGE', 'missing', '0', '-1'],
      ['SET', 'e', ''],
      ['GETRANGE', 'e', '0', '-1'],
      ['SET', 'n', '12345'],
      ['GETRANGE', 'n', '1', '2'],
      ['GETRANGE', 'k', 'x', '2'],
      ['GETRANGE', 'k', '0', '1.5'],
      ['GETRANGE', 'k', '0', '9223372036854775808'],
      ['RPUSH', 'list', 'a'],
      ['GETRANGE', 'list', '0', '1'],
      ['GETRANGE', 'list', 'a', '1'],
      ['SETRANGE', 'list', '0', ''],
      ['SETRANGE', 'list', '0', 'x'],
      ['SETRANGE', 'list', '-1', 'x'],
      ['GETRANGE', 'k', '0'],
      ['SETRANGE', 'k', '0'],
    ]);
  });

  it('GETDEL, GETSET', async () => {
    await check([
      ['SET', 'k', 'v'],
      ['GETDEL', 'k'],
      ['GETDEL', 'k'],
      ['EXISTS', 'k'],
      ['RPUSH', 'list', 'a'],
      ['GETDEL', 'list'],
      ['EXISTS', 'list'],
      ['GETSET', 'k', 'first'],
      ['GETSET', 'k', 'second'],
      ['GET', 'k'],
      ['SET', 'ttl', 'v', 'EX', '100'],
      ['GETSET', 'ttl', 'w'],
      ['TTL', 'ttl'],
      ['GETSET', 'list', 'x'],
      ['TYPE', 'list'],
      ['GETDEL'],
      ['GETDEL', 'a', 'b'],
      ['GETSET', 'k'],
    ]);
  });

  it('GETEX: reading while changing the TTL', async () => {
    await check([
      ['GETEX', 'missing'],
      ['GETEX', 'missing', 'EX', '0'],
      ['GETEX', 'missing', 'EX', 'abc'],
      ['SET', 'k', 'v'],
      ['GETEX', 'k'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'EX', '100'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'PX', '200000'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'EXAT', FUTURE_S],
      ['EXPIRETIME', 'k'],
      ['GETEX', 'k', 'PXAT', FUTURE_MS],
      ['PEXPIRETIME', 'k'],
      ['GETEX', 'k', 'PERSIST'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'PERSIST'],
      ['GETEX', 'k', 'ex', '10', 'ex', '20'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'persist', 'persist'],
      ['TTL', 'k'],
      // An absolute time in the past deletes the key after replying.
      ['GETEX', 'k', 'EXAT', '1'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v'],
      ['GETEX', 'k', 'PXAT', '1'],
      ['GET', 'k'],
      ['SET', 'k', 'v'],
      ['GETEX', 'k', 'EX', '0'],
      ['GETEX', 'k', 'PX', '-1'],
      ['GETEX', 'k', 'EX', '9223372036854775'],
      ['GETEX', 'k', 'EX', 'x'],
      ['GETEX', 'k', 'PERSIST', 'EX', '5'],
      ['GETEX', 'k', 'EX', '5', 'PERSIST'],
      ['GETEX', 'k', 'EX', '5', 'PX', '5'],
      ['GETEX', 'k', 'KEEPTTL'],
      ['GETEX', 'k', 'NX'],
      ['GETEX', 'k', 'GET'],
      ['GETEX', 'k', 'EX'],
      ['GETEX', 'k', 'foo'],
      ['RPUSH', 'list', 'a'],
      ['GETEX', 'list'],
      ['GETEX', 'list', 'EX', '0'],
      ['GETEX', 'list', 'foo'],
      ['GETEX'],
    ]);
  });

  it('wrong number of arguments for every string command', async () => {
    const arities: [string, number][] = [
      ['GET', 2],
      ['SETNX', 3],
      ['SETEX', 4],
      ['PSETEX', 4],
      ['INCR', 2],
      ['DECR', 2],
      ['INCRBY', 3],
      ['DECRBY', 3],
      ['INCRBYFLOAT', 3],
      ['APPEND', 3],
      ['STRLEN', 2],
      ['GETDEL', 2],
      ['GETSET', 3],
      ['GETRANGE', 4],
      ['SETRANGE', 4],
    ];
    const commands: Cmd[] = [];
    for (const [name, arity] of arities) {
      commands.push([name, ...Array.from({ length: arity - 2 }, () => 'x')]);
      commands.push([name, ...Array.from({ length: arity }, () => 'x')]);
    }
    commands.push(['SET', 'x'], ['GETEX'], ['MGET'], ['MSET', 'x'], ['MSETNX', 'x']);
    await check(commands);
  });

  it('inside MULTI/EXEC, with errors at run time and at queue time', async () => {
    await check([
      ['RPUSH', 'list', 'a'],
      ['MULTI'],
      ['SET', 'k', '10', 'EX', '100'],
      ['INCRBY', 'k', '5'],
      ['INCR', 'list'],
      ['SET', 'k2', 'v', 'NX', 'XX'],
      ['INCRBYFLOAT', 'k', '0.5'],
      ['GETEX', 'k', 'PERSIST'],
      ['TTL', 'k'],
      ['MGET', 'k', 'list', 'nokey'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'k'],
      ['EXEC'],
      ['GET', 'k'],
    ]);
  });

  it('inline commands', async () => {
    await check(['SET greeting "hello world"\r\n', 'GET greeting\r\n', 'APPEND greeting " and more"\r\n', 'GET greeting\r\n', 'INCR counter\r\n', 'INCRBYFLOAT counter 1.5\r\n']);
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['get', 'set', 'setnx', 'setex', 'psetex', 'mget', 'mset', 'msetnx', 'incr', 'incrby', 'decr', 'decrby', 'incrbyfloat', 'append', 'strlen', 'getdel', 'getex', 'getset', 'getrange', 'setrange']);
  });
});
