// SORT and SORT_RO, differential: every option (BY with string and hash
// weights and constant "nosort" patterns, LIMIT, GET with "#", strings and
// hash fields, ASC/DESC, ALPHA, STORE) and error goes to simpledb and to a
// real redis-server, in RESP2 and RESP3, and the reply bytes must match.
import { it } from 'vitest';
import { useServerPair, type Cmd } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededInt } from '../helpers/seeded-random.js';

describeWithRedis('SORT and SORT_RO (differential)', () => {
  const { check, checkCommandTable } = useServerPair();

  /** A list, an intset, a sorted set, and weights and objects to look up by pattern. */
  const setup: Cmd[] = [
    ['RPUSH', 'list', '3', '1', '10', '2', '-1.5', '2', '0x10', '1e2'],
    ['RPUSH', 'words', 'pear', 'apple', 'Banana', 'apple', 'cherry', ''],
    ['SADD', 'ints', '5', '3', '9', '-4', '12'],
    ['ZADD', 'zs', '3', 'c', '1', 'a', '2', 'b', '5', 'e', '4', 'd'],
    ['MSET', 'w_a', '5', 'w_b', '1', 'w_c', '3', 'w_d', 'x', 'w_3', '30', 'w_1', '10', 'w_10', '-2'],
    ['MSET', 'obj_a', 'A', 'obj_b', 'B', 'obj_3', 'three', 'obj_10', 'ten'],
    ['HSET', 'h_a', 'rank', '2', 'name', 'alice'],
    ['HSET', 'h_b', 'rank', '1', 'name', 'bob'],
    ['HSET', 'h_c', 'rank', '3'],
    ['HSET', 'h_3', 'n', '7'],
  ];

  it('sorts lists, sets and sorted sets numerically, ASC and DESC', async () => {
    await check([
      ...setup,
      ['SORT', 'list'],
      ['SORT', 'list', 'DESC'],
      ['SORT', 'list', 'asc'],
      ['SORT', 'ints'],
      ['SORT', 'ints', 'DESC'],
      ['SORT', 'missing'],
      ['SORT', 'missing', 'DESC', 'ALPHA', 'LIMIT', '0', '1'],
      ['SORT_RO', 'list', 'DESC'],
      ['RPUSH', 'ties', '2', '02', '2.0', ' 2', '1'],
      ['SORT', 'ties'],
      ['SORT', 'ties', 'DESC'],
      ['RPUSH', 'odd', '1', '', ' 3', 'inf', '-inf'],
      ['SORT', 'odd'],
    ]);
  });

  it('ALPHA, and numbers that do not parse', async () => {
    await check([
      ...setup,
      ['SORT', 'words', 'ALPHA'],
      ['SORT', 'words', 'ALPHA', 'DESC'],
      ['SORT', 'zs', 'ALPHA', 'DESC'],
      ['SORT', 'list', 'ALPHA'],
      ['SORT', 'words'],
      ['SORT', 'zs'],
      ['RPUSH', 'bad', '1', 'nan', '2'],
      ['SORT', 'bad'],
      ['RPUSH', 'huge', '1', '1e400'],
      ['SORT', 'huge'],
      ['SORT', 'huge', 'ALPHA'],
    ]);
  });

  it('LIMIT: offsets and counts in and out of range', async () => {
    const limits = [
      ['0', '3'], ['2', '3'], ['5', '100'], ['0', '0'], ['0', '-1'], ['-5', '2'], ['7', '1'], ['8', '1'], ['100', '5'],
      ['-1', '-1'], ['3', '-10'], ['9223372036854775807', '1'], ['0', '9223372036854775807'],
    ];
    await check([
      ...setup,
      ...limits.map(([a, b]): Cmd => ['SORT', 'list', 'LIMIT', a, b]),
      ...limits.map(([a, b]): Cmd => ['SORT', 'list', 'DESC', 'LIMIT', a, b, 'ALPHA']),
      ['SORT', 'list', 'LIMIT', 'x', '1'],
      ['SORT', 'list', 'LIMIT', '0', '1.5'],
      ['SORT', 'list', 'LIMIT', '0'],
      ['SORT', 'list', 'LIMIT', '0', '2', 'LIMIT', '1', '1'],
    ]);
  });

  it('BY: string and hash-field weights, missing weights, ALPHA by weight', async () => {
    await check([
      ...setup,
      ['SORT', 'zs', 'BY', 'w_*'],
      ['SORT', 'zs', 'BY', 'w_*', 'DESC'],
      ['SORT', 'zs', 'BY', 'h_*->rank'],
      ['SORT', 'zs', 'BY', 'h_*->rank', 'DESC', 'LIMIT', '1', '2'],
      // Ties under ALPHA BY keep the input order: a list's (a set's or sorted set's is its hash table's, not comparable).
      ['RPUSH', 'names', 'e', 'c', 'a', 'd', 'b'],
      ['SORT', 'names', 'BY', 'h_*->name', 'ALPHA'],
      ['SORT', 'names', 'BY', 'h_*->name', 'ALPHA', 'DESC'],
      ['SORT', 'names', 'BY', 'obj_*', 'ALPHA', 'LIMIT', '1', '3'],
      ['SORT', 'list', 'BY', 'w_*'],
      ['SORT', 'list', 'BY', 'h_*->n'],
      ['SORT', 'list', 'BY', 'h_*->'],
      ['SORT', 'list', 'BY', 'h_*->missingfield'],
      ['SORT', 'zs', 'BY', '*_suffix'],
      ['SORT', 'names', 'BY', 'w_*', 'ALPHA'],
      ['SORT', 'zs', 'BY', 'h_*'],
      ['SORT', 'ints', 'BY', 'w_*'],
    ]);
  });

  it('BY a pattern without "*" does not sort: native order, DESC from the end, LIMIT', async () => {
    await check([
      ...setup,
      ['SORT', 'list', 'BY', 'nosort'],
      ['SORT', 'list', 'BY', 'nosort', 'DESC'],
      ['SORT', 'list', 'BY', 'nosort', 'LIMIT', '2', '3'],
      ['SORT', 'list', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3'],
      ['SORT', 'list', 'BY', 'nosort', 'DESC', 'LIMIT', '6', '100'],
      ['SORT', 'zs', 'BY', 'nosort'],
      ['SORT', 'zs', 'BY', 'nosort', 'DESC'],
      ['SORT', 'zs', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'zs', 'BY', 'nosort', 'LIMIT', '3', '10'],
      ['SORT', 'ints', 'BY', 'nosort'],
      ['SORT', 'ints', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'zs', 'BY', 'nosort', 'BY', 'w_*'],
      ['SORT', 'zs', 'BY', 'w_*', 'BY', 'nosort', 'DESC'],
      ['SORT', 'words', 'BY', '#'],
      ['SORT', 'ints', 'BY', 'nosort', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
  });

  it('GET: "#", string keys, hash fields, missing values (nil, or "" when stored)', async () => {
    await check([
      ...setup,
      ['SORT', 'zs', 'GET', '#'],
      ['SORT', 'zs', 'GET', 'obj_*'],
      ['SORT', 'zs', 'GET', '#', 'GET', 'obj_*', 'GET', 'h_*->name'],
      ['SORT', 'zs', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#'],
      ['SORT', 'list', 'GET', 'obj_*', 'LIMIT', '0', '4'],
      ['SORT', 'zs', 'GET', 'constant'],
      ['SORT', 'zs', 'GET', 'h_*'],
      ['SORT', 'zs', 'GET', 'h_*->'],
      ['SORT', 'zs', 'GET', 'obj_*->x'],
      ['SORT', 'zs', 'ALPHA', 'GET', '#', 'GET', 'obj_*', 'STORE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'missing', 'GET', '#'],
      ['SORT', 'zs', 'GET'],
    ]);
  });

  it('STORE: a list in the destination (replacing any type and TTL), an empty result deletes it', async () => {
    await check([
      ...setup,
      ['SORT', 'list', 'STORE', 'dst'],
      ['TYPE', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SET', 'str', 'v'],
      ['EXPIRE', 'str', '100'],
      ['SORT', 'ints', 'DESC', 'STORE', 'str'],
      ['TYPE', 'str'],
      ['TTL', 'str'],
      ['LRANGE', 'str', '0', '-1'],
      ['SORT', 'missing', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['SORT', 'list', 'LIMIT', '0', '0', 'STORE', 'str'],
      ['EXISTS', 'str'],
      ['SORT', 'list', 'STORE', 'list'],
      ['LRANGE', 'list', '0', '-1'],
      ['SORT', 'bad', 'STORE', 'dst'],
      ['RPUSH', 'bad', 'x'],
      ['SORT', 'bad', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['SORT', 'list', 'STORE'],
      ['SORT_RO', 'list', 'STORE', 'dst'],
    ]);
  });

  it('errors: syntax, wrong type (checked after the options), arity', async () => {
    await check([
      ...setup,
      ['SET', 'str', 'v'],
      ['HSET', 'hash', 'f', 'v'],
      ['SORT', 'str'],
      ['SORT', 'hash', 'DESC'],
      ['SORT', 'str', 'BADOPTION'],
      ['SORT', 'str', 'LIMIT', 'x', '1'],
      ['SORT', 'list', 'BY'],
      ['SORT', 'list', 'DESC', 'nope'],
      ['SORT'],
      ['SORT_RO'],
      ['SORT_RO', 'str'],
    ]);
  });

  it('a seeded random list sorted every way gives the same replies', async () => {
    const int = seededInt(1203);
    const commands: Cmd[] = [];
    for (let i = 0; i < 60; i++) commands.push(['RPUSH', 'r', String(int(50) - 10)]);
    for (let i = 0; i < 50; i++) commands.push(['SET', `w_${i - 10}`, String(int(20))]);
    for (let i = 0; i < 30; i++) {
      const argv = ['SORT', 'r'];
      if (int(2)) argv.push('BY', ['w_*', 'nosort', 'missing_*'][int(3)]);
      if (int(2)) argv.push('LIMIT', String(int(70) - 5), String(int(30) - 2));
      if (int(2)) argv.push('DESC');
      if (int(3) === 0) argv.push('GET', '#', 'GET', 'w_*');
      commands.push(argv);
    }
    await check(commands);
  });

  it('SORT ... STORE is seen by WATCH; a read-only SORT is not', async () => {
    await check([
      ...setup,
      ['WATCH', 'dst'],
      ['SORT', 'list'],
      ['SORT', 'missing', 'STORE', 'dst'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
      ['WATCH', 'dst'],
      ['SORT', 'list', 'STORE', 'dst'],
      ['MULTI'],
      ['PING'],
      ['EXEC'],
    ]);
  });

  it('COMMAND INFO: arity, flags, key positions and categories as Redis', async () => {
    await checkCommandTable(['sort', 'sort_ro']);
  });
});
