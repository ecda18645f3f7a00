// RedisClient with Sentinel against a real deployment (1 primary, 1 replica, 3
// sentinels) started by the test: finding the primary, refusing a replica
// (ROLE), and two failovers (SENTINEL FAILOVER, then SIGKILL of the primary)
// with a blocked BRPOP that the new primary must serve and an in-flight LPUSH
// that must be rejected, not run twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectionClosedError, RedisClient } from '../../src/client/index.js';
import { ask, waitFor } from '../helpers/redis-cluster.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { startRedisSentinel, type SentinelDeployment } from '../helpers/redis-sentinel.js';
import { startMockServer } from './mock-server.js';

describeWithRedis('RedisClient through Redis Sentinel', () => {
  let deployment: SentinelDeployment;
  const clients: RedisClient[] = [];
  const sentinelClient = (extra: { retryStrategy?: () => number | null } = {}): RedisClient => {
    const client = new RedisClient({
      sentinel: {
        // A dead sentinel first: the client moves on to the next.
        sentinels: [{ host: '127.0.0.1', port: 1 }, ...deployment.sentinelAddresses],
        name: deployment.name,
      },
      retryStrategy: () => 100,
      ...extra,
    });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    deployment = await startRedisSentinel();
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await deployment?.stop();
  });

  it('finds the primary through the sentinels', async () => {
    const client = sentinelClient();
    expect(await client.call('SET', 'where', 'primary')).toBe('OK');
    const primary = await deployment.primaryPort();
    expect(primary).toBe(deployment.servers[0]?.port);
    expect(await ask(primary, ['GET', 'where'])).toBe('primary');
  });

  it('rejects connect() with a clear error when no sentinel knows the name', async () => {
    const client = new RedisClient({
      sentinel: { sentinels: deployment.sentinelAddresses, name: 'nosuchmaster' },
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    clients.push(client);
    await expect(client.connect()).rejects.toThrow(/No sentinel gave the address of primary "nosuchmaster"/);
  });

  it('refuses a server whose ROLE is not master, and keeps commands until a primary is named', async () => {
    const replicaPort = deployment.servers[1]?.port as number;
    const primaryPort = deployment.servers[0]?.port as number;
    let named = replicaPort;
    const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;
    const fake = await startMockServer((command, socket) => {
      if (command[0]?.toUpperCase() === 'SENTINEL') socket.write(`*2\r\n${bulk('127.0.0.1')}${bulk(String(named))}`);
      else socket.write('+OK\r\n');
    });
    try {
      const client = new RedisClient({ sentinel: { sentinels: [{ host: '127.0.0.1', port: fake.port }], name: 'x' }, retryStrategy: () => 50 });
      const errors: Error[] = [];
      client.on('error', (e) => errors.push(e));
      clients.push(client);
      await expect(client.connect()).rejects.toThrow(`127.0.0.1:${replicaPort} is not a primary (ROLE slave)`);
      const write = client.call('SET', 'role-checked', 'yes');
      await new Promise((r) => setTimeout(r, 200));
      named = primaryPort;
      expect(await write).toBe('OK');
      expect(await ask(primaryPort, ['GET', 'role-checked'])).toBe('yes');
      expect(errors.some((e) => /is not a primary/.test(e.message))).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('SENTINEL FAILOVER: a blocked BRPOP is served by the new primary, later commands go there', async () => {
    const client = sentinelClient();
    const waiter = sentinelClient();
    const oldPrimary = await deployment.primaryPort();
    await client.call('SET', 'before-failover', '1');
    const popped = waiter.call('BRPOP', 'jobs', 0);
    await waitFor('the BRPOP to block', 5000, async () =>
      /blocked_clients:1/.test(String(await ask(oldPrimary, ['INFO', 'clients']))),
    );
    expect(await ask(deployment.sentinels[0]?.port as number, ['SENTINEL', 'FAILOVER', deployment.name])).toBe('OK');
    const newPrimary = await deployment.waitForNewPrimary(oldPrimary);
    expect(newPrimary).toBe(deployment.servers[1]?.port);
    await waitFor('the waiter to block on the new primary', 15_000, async () =>
      /blocked_clients:1/.test(String(await ask(newPrimary, ['INFO', 'clients']))),
    );
    expect(await ask(newPrimary, ['LPUSH', 'jobs', 'after-failover'])).toBe(1);
    expect(await popped).toEqual(['jobs', 'after-failover']);
    await waitFor('the client to write to the new primary', 15_000, async () => {
      try {
        return (await client.call('SET', 'after-failover', 'new')) === 'OK';
      } catch {
        return false; // READONLY from the demoted primary, or the connection it dropped
      }
    });
    expect(await ask(newPrimary, ['GET', 'after-failover'])).toBe('new');
    expect(await ask(newPrimary, ['GET', 'before-failover'])).toBe('1');
  }, 60_000);

  it('SIGKILL of the primary: an in-flight LPUSH is rejected (not run twice), a blocked BRPOP moves to the new primary', async () => {
    const client = sentinelClient();
    const waiter = sentinelClient();
    const primary = await deployment.primaryPort();
    await client.connect();
    const popped = waiter.call('BRPOP', 'killjobs', 0);
    await waitFor('the BRPOP to block', 5000, async () =>
      /blocked_clients:1/.test(String(await ask(primary, ['INFO', 'clients']))),
    );
    // Writes stall on the primary, so the LPUSH is written but unanswered when the primary dies.
    await ask(primary, ['CLIENT', 'PAUSE', 20_000, 'WRITE']);
    const inflight = client.call('LPUSH', 'killjobs', 'maybe').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await deployment.servers.find((s) => s.port === primary)?.kill();
    const err = await inflight;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).written).toBe(true);

    const newPrimary = await deployment.waitForNewPrimary(primary);
    await waitFor('the waiter to block on the new primary', 20_000, async () =>
      /blocked_clients:1/.test(String(await ask(newPrimary, ['INFO', 'clients']))),
    );
    expect(await ask(newPrimary, ['LLEN', 'killjobs'])).toBe(0);
    expect(await client.call('LPUSH', 'killjobs', 'served')).toBe(1);
    expect(await popped).toEqual(['killjobs', 'served']);
    expect(await ask(newPrimary, ['LLEN', 'killjobs'])).toBe(0);
  }, 60_000);
});
