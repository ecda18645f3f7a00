// ROLE and WAIT, differential: a primary without replicas, as a real
// redis-server with none answers (RESP2 and RESP3, errors, MULTI).
import { expect, it } from 'vitest';
import { expectSameReplies, useServerPair } from '../helpers/differential.js';
import { describeWithRedis } from '../helpers/redis-server.js';

describeWithRedis('ROLE and WAIT (differential)', () => {
  const { connections, check, checkCommandTable } = useServerPair();

  it('ROLE: a primary at offset 0 with no replicas', async () => {
    // Redis's offset moves with its writes; compare after a fresh start only the shape and role.
    for (const protocol of [2, 3] as const) {
      const conns = await connections(protocol);
      const [ours, theirs] = await Promise.all(conns.map((c) => c.command('ROLE')));
      expect(ours).toBe('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
      expect(theirs.replace(/:\d+\r\n/, ':0\r\n')).toBe(ours);
      for (const c of conns) c.close();
    }
    await check([['ROLE', 'x']]);
  });

  it('WAIT: 0 at once for none, errors, inside MULTI', async () => {
    await check([
      ['WAIT', '0', '0'],
      ['WAIT', '-1', '0'],
      ['WAIT', '0', '100'],
      ['WAIT', 'x', '0'],
      ['WAIT', '1', 'x'],
      ['WAIT', '1', '-1'],
      ['WAIT', '1.5', '0'],
      ['WAIT', '1'],
      ['MULTI'],
      ['WAIT', '5', '0'],
      ['EXEC'],
    ]);
  });

  it('WAIT for replicas that do not exist: 0 after the timeout', async () => {
    const conns = await connections(2);
    const started = Date.now();
    await expectSameReplies(conns, [['WAIT', '1', '50']]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    for (const c of conns) c.close();
  });

  it('COMMAND INFO', async () => {
    await checkCommandTable(['role', 'wait']);
  });
});
