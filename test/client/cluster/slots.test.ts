// Cluster routing facts without a server: CRC16 slots and hash tags, which
// arguments are keys, CLUSTER SHARDS/SLOTS and MOVED/ASK parsing with an address map.
import { describe, expect, it } from 'vitest';
import { commandKeys, routingKey } from '../../../src/client/cluster/command-keys.js';
import { parseClusterShards, parseClusterSlots, parseRedirect, translate } from '../../../src/client/cluster/slot-map.js';
import { crc16, keySlot } from '../../../src/client/cluster/slot.js';

describe('keySlot', () => {
  it('is CRC16/XMODEM modulo 16384', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
  });

  it('hashes only the hash tag when there is a non-empty one', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{user1000}.followers')).toBe(keySlot('user1000'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    // An empty tag means the whole key.
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
    expect(keySlot('{}')).toBe(crc16(Buffer.from('{}')) % 16384);
  });

  it('hashes strings as UTF-8 bytes, the same as the Buffer form', () => {
    for (const key of ['plain', 'é{tag}', '{ünï}x', '日本', 'a{}b', '']) {
      expect(keySlot(key)).toBe(keySlot(Buffer.from(key, 'utf8')));
    }
    expect(keySlot(42)).toBe(keySlot('42'));
  });
});

describe('command keys', () => {
  it('finds the keys of each layout', () => {
    expect(commandKeys('GET', ['k'])).toEqual(['k']);
    expect(commandKeys('DEL', ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(commandKeys('MSET', ['a', '1', 'b', '2'])).toEqual(['a', 'b']);
    expect(commandKeys('BRPOP', ['q1', 'q2', 5])).toEqual(['q1', 'q2']);
    expect(commandKeys('BLMOVE', ['src', 'dst', 'RIGHT', 'LEFT', 0])).toEqual(['src', 'dst']);
    expect(commandKeys('EVAL', ['return 1', 2, 'k1', 'k2', 'arg'])).toEqual(['k1', 'k2']);
    expect(commandKeys('ZUNIONSTORE', ['dst', 2, 'a', 'b', 'WEIGHTS', 1, 2])).toEqual(['dst', 'a', 'b']);
    expect(commandKeys('XREAD', ['COUNT', 2, 'STREAMS', 's1', 's2', '0', '0'])).toEqual(['s1', 's2']);
    expect(commandKeys('MEMORY', ['USAGE', 'k'])).toEqual(['k']);
    expect(commandKeys('PING', [])).toEqual([]);
    expect(commandKeys('PUBLISH', ['ch', 'm'])).toEqual([]);
    // A shard channel is a key: SPUBLISH goes to the owner of its slot (elsewhere: MOVED).
    expect(commandKeys('SPUBLISH', ['ev{a}', 'm'])).toEqual(['ev{a}']);
  });

  it('routes by the first key, keyless commands by nothing', () => {
    expect(routingKey('LPUSH', ['q', 'x'])).toBe('q');
    expect(routingKey('EVALSHA', ['sha', 1, 'k'])).toBe('k');
    expect(routingKey('OBJECT', ['ENCODING', 'k'])).toBe('k');
    expect(routingKey('INFO', [])).toBeUndefined();
    expect(routingKey('MEMORY', ['USAGE', 'k'])).toBe('k');
  });
});

describe('slot map parsing', () => {
  const reply = [
    [0, 5460, ['10.0.0.1', 7000, 'id1'], ['10.0.0.4', 7003, 'id4']],
    [5461, 10922, ['', 7001, 'id2']],
    [10923, 16383, ['10.0.0.3', 7002, 'id3'], ['?', 0, 'gone']],
  ];

  it('reads ranges, primaries and replicas; an empty host is the node asked', () => {
    const ranges = parseClusterSlots(reply, { host: '192.168.1.9', port: 7001 }, undefined);
    expect(ranges).toEqual([
      { start: 0, end: 5460, primary: { host: '10.0.0.1', port: 7000 }, replicas: [{ host: '10.0.0.4', port: 7003 }] },
      { start: 5461, end: 10922, primary: { host: '192.168.1.9', port: 7001 }, replicas: [] },
      { start: 10923, end: 16383, primary: { host: '10.0.0.3', port: 7002 }, replicas: [] },
    ]);
    expect(() => parseClusterSlots('OK', { host: 'h', port: 1 }, undefined)).toThrow(TypeError);
  });

  it('applies an address map given as an object or a function', () => {
    const natMap = { '10.0.0.1:7000': { host: '127.0.0.1', port: 30001 } };
    const ranges = parseClusterSlots(reply, { host: 'h', port: 1 }, natMap);
    expect(ranges[0]?.primary).toEqual({ host: '127.0.0.1', port: 30001 });
    expect(ranges[2]?.primary).toEqual({ host: '10.0.0.3', port: 7002 });
    const shifted = translate({ host: '10.0.0.3', port: 7002 }, (a) => ({ host: 'localhost', port: a.port + 1000 }));
    expect(shifted).toEqual({ host: 'localhost', port: 8002 });
  });

  it('parses MOVED and ASK, and nothing else', () => {
    const from = { host: '10.0.0.9', port: 1 };
    expect(parseRedirect('MOVED 3999 127.0.0.1:6381', from, undefined)).toEqual({
      kind: 'MOVED',
      slot: 3999,
      address: { host: '127.0.0.1', port: 6381 },
    });
    expect(parseRedirect('ASK 12 :7000', from, undefined)?.address).toEqual({ host: '10.0.0.9', port: 7000 });
    expect(parseRedirect('MOVED 1 ::1:7000', from, undefined)?.address).toEqual({ host: '::1', port: 7000 });
    expect(parseRedirect('ERR wrong', from, undefined)).toBeNull();
    expect(parseRedirect('ASK 1 10.0.0.1:7000', from, { '10.0.0.1:7000': { host: 'a', port: 2 } })?.address).toEqual({
      host: 'a',
      port: 2,
    });
  });
});

describe('CLUSTER SHARDS parsing', () => {
  // RESP2's flat name/value lists, as Redis 7.0 sends them.
  const node = (endpoint: string, port: number, role: string, health: string) => [
    'id', `${endpoint}-${port}`, 'port', port, 'ip', endpoint, 'endpoint', endpoint, 'role', role, 'replication-offset', 42, 'health', health,
  ];
  const reply = [
    ['slots', [0, 99, 200, 5460], 'nodes', [node('10.0.0.1', 7000, 'master', 'online'), node('10.0.0.4', 7003, 'replica', 'online')]],
    // After a failover: the old primary failed, the new one online, a replica loading; a failed replica.
    [
      'slots', [5461, 16383],
      'nodes', [node('10.0.0.2', 7001, 'master', 'fail'), node('', 7004, 'master', 'online'), node('10.0.0.5', 7005, 'replica', 'loading'), node('10.0.0.9', 7009, 'replica', 'fail')],
    ],
    // A shard serving no slots, and one whose primary is gone for good.
    ['slots', [], 'nodes', [node('10.0.0.6', 7006, 'master', 'online')]],
    ['slots', [100, 199], 'nodes', [node('10.0.0.7', 7007, 'master', 'failed'), node('10.0.0.8', 7008, 'replica', 'online')]],
  ];

  it('reads every range of a shard, its live primary and its replicas that have not failed', () => {
    const asked = { host: '192.168.1.9', port: 7004 };
    const primary1 = { host: '10.0.0.1', port: 7000 };
    const replicas1 = [{ host: '10.0.0.4', port: 7003 }];
    expect(parseClusterShards(reply, asked, undefined)).toEqual([
      { start: 0, end: 99, primary: primary1, replicas: replicas1 },
      { start: 200, end: 5460, primary: primary1, replicas: replicas1 },
      { start: 5461, end: 16383, primary: { host: '192.168.1.9', port: 7004 }, replicas: [{ host: '10.0.0.5', port: 7005 }] },
    ]);
  });

  it('reads RESP3 maps the same way, with the address map applied', () => {
    const asMap = (flat: unknown[]): Map<unknown, unknown> => {
      const m = new Map();
      for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
      return m;
    };
    const resp3 = [asMap(['slots', [0, 16383], 'nodes', [asMap(node('10.0.0.1', 7000, 'master', 'online')), asMap(node('10.0.0.4', 7003, 'replica', 'online'))]])];
    const natMap = { '10.0.0.4:7003': { host: '127.0.0.1', port: 30004 } };
    expect(parseClusterShards(resp3 as never, { host: 'h', port: 1 }, natMap)).toEqual([
      { start: 0, end: 16383, primary: { host: '10.0.0.1', port: 7000 }, replicas: [{ host: '127.0.0.1', port: 30004 }] },
    ]);
  });

  it('refuses replies of another shape', () => {
    const asked = { host: 'h', port: 1 };
    expect(() => parseClusterShards('OK', asked, undefined)).toThrow(TypeError);
    expect(() => parseClusterShards([['slots', [0, 1]]], asked, undefined)).toThrow(/without slots or nodes/);
    expect(() => parseClusterShards([['slots', [0, 1], 'nodes']], asked, undefined)).toThrow(/malformed shard/);
  });
});
