// Server restarts and killed connections: the client reconnects, re-applies
// AUTH/SELECT, restores subscriptions, rejects what was in flight and runs what
// was issued while it was down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectionClosedError, RedisClient } from '../../src/client/index.js';
import { backends, eventually, sleep, type RunningBackend } from './backends.js';

for (const backend of backends) {
  backend.describe(`client reconnect (${backend.name})`, () => {
    let server: RunningBackend;

    beforeAll(async () => {
      server = await backend.start({ password: 'pw' });
    });
    afterAll(async () => {
      await server?.stop();
    });

    const connect = (extra: object = {}): RedisClient =>
      new RedisClient({ port: server.port, password: 'pw', retryStrategy: () => 20, ...extra });

    it('survives a server restart during traffic: in-flight rejected, later commands succeed', async () => {
      const c = connect({ db: 5 });
      await c.connect();
      const outcomes: Promise<'ok' | 'closed'>[] = [];
      let running = true;
      const traffic = (async () => {
        while (running) {
          for (let i = 0; i < 50; i++) {
            outcomes.push(
              c.call('INCR', 'r:counter').then(
                () => 'ok' as const,
                (e: unknown) => {
                  if (e instanceof ConnectionClosedError) return 'closed' as const;
                  throw e;
                },
              ),
            );
          }
          await sleep(2);
        }
      })();
      await sleep(50);
      await server.restart();
      await sleep(100);
      running = false;
      await traffic;
      // Every command settled: resolved, or rejected with ConnectionClosedError (never left hanging).
      const settled = await Promise.all(outcomes);
      expect(settled.filter((s) => s === 'ok').length).toBeGreaterThan(0);
      await c.call('SET', 'r:after', 'yes');
      const other = connect({ db: 5 });
      expect(await other.call('GET', 'r:after')).toBe('yes');
      expect(await c.call('PING')).toBe('PONG');
      await Promise.all([c.quit(), other.quit()]);
    });

    it('commands issued while the server is down run once it is back, in the selected db', async () => {
      const c = connect({ db: 7 });
      const admin = connect();
      await c.connect();
      await c.call('SET', 'r:before', 1);
      const restarting = server.restart();
      await eventually(() => c.status === 'reconnecting' || c.status === 'connecting');
      const queued = [c.call('SET', 'r:queued', 'v'), c.call('GET', 'r:queued')];
      await restarting;
      expect(await Promise.all(queued)).toEqual(['OK', 'v']);
      // AUTH and SELECT were applied again: the key is in db 7, not db 0.
      expect(await admin.call('EXISTS', 'r:queued')).toBe(0);
      await admin.call('SELECT', 7);
      expect(await admin.call('GET', 'r:queued')).toBe('v');
      await Promise.all([c.quit(), admin.quit()]);
    });

    for (const protocol of [2, 3] as const) {
      it(`restores channel and pattern subscriptions after a restart (RESP${protocol})`, async () => {
        const sub = connect({ protocol });
        const got: string[] = [];
        await sub.subscribe('r:ch', (m) => got.push(`c:${m}`));
        await sub.psubscribe('r:p.*', (m) => got.push(`p:${m}`));
        await server.restart();
        const pub = connect();
        await eventually(async () => {
          const [, n] = await pub.call<[string, number]>('PUBSUB', 'NUMSUB', 'r:ch');
          return n === 1 && (await pub.call<number>('PUBSUB', 'NUMPAT')) === 1;
        });
        await pub.call('PUBLISH', 'r:ch', 'one');
        await pub.call('PUBLISH', 'r:p.x', 'two');
        await eventually(() => got.length === 2);
        expect(got).toEqual(['c:one', 'p:two']);
        // Still a RESP2 subscriber after the restore: ordinary commands stay refused there.
        if (protocol === 2) await expect(sub.call('GET', 'k')).rejects.toThrow(/subscribed/);
        await Promise.all([sub.quit(), pub.quit()]);
      });
    }

    it('a connection killed by CLIENT KILL reconnects by itself', async () => {
      const c = connect();
      const admin = connect();
      const id = await c.call<number>('CLIENT', 'ID');
      const events: string[] = [];
      c.on('reconnecting', () => events.push('reconnecting'));
      c.on('ready', () => events.push('ready'));
      await admin.call('CLIENT', 'KILL', 'ID', id);
      await eventually(() => events.includes('ready'));
      expect(await c.call('CLIENT', 'ID')).not.toBe(id);
      expect(events).toEqual(['reconnecting', 'ready']);
      await Promise.all([c.quit(), admin.quit()]);
    });
  });
}
