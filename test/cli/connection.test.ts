// huey-consumer with a storage it cannot reach (nothing listens at HUEY_URL):
// it says so (address and reason) instead of sitting silent after "ready",
// and SIGINT still stops it promptly with exit code 0 instead of waiting
// forever for calls queued on the dead connection. Once a server appears
// at that address, it connects and runs tasks.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { freePort } from '../helpers/redis-server.js';
import { APP, appEnv, consumer, producer, requireBuild, uniqueName, type Spawned } from './helpers.js';

const running: Spawned[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(requireBuild);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.dispose()));
  for (const c of cleanups.splice(0)) await c();
});

describe.each(['async', 'thread', 'process'])('-k %s, storage unreachable', (kind) => {
  it('logs the address and the reason, and SIGINT exits 0', async () => {
    const port = await freePort();
    const p = consumer([APP, '-k', kind, '-v'], appEnv(port, uniqueName('dead')));
    running.push(p);
    const who = kind === 'async' ? 'MainThread' : 'Master';
    await p.waitFor(new RegExp(`ERROR:huey\\.consumer:${who}: cannot reach the storage at redis://127\\.0\\.0\\.1:${port}/0: .*ECONNREFUSED`));
    if (kind !== 'async') {
      await p.waitFor(new RegExp(`ERROR:huey\\.consumer:Worker-1: cannot reach the storage at redis://127\\.0\\.0\\.1:${port}/0`));
    }
    await p.waitFor('ready; stop with Ctrl+C');
    // -v: the attempts after the first are logged too.
    await p.waitFor(new RegExp(`DEBUG:huey\\.consumer:${who}: reconnect attempt \\d+ to redis://127\\.0\\.0\\.1:${port}/0 failed`));
    p.signal('SIGINT');
    // Generous: the stop gives the storage a moment to come back before giving up on it.
    const { code } = await p.waitExit(20_000);
    expect(code).toBe(0);
    expect(p.output).toContain('the storage is unreachable, so the stop does not wait for it');
    expect(p.output).toContain('consumer exiting (code 0)');
    expect(p.output).not.toContain('received SIGINT again');
  });
});

describe('storage that comes up later', () => {
  it('-k async: says it connected, then runs tasks', async () => {
    const port = await freePort();
    const name = uniqueName('late');
    const p = consumer([APP], appEnv(port, name));
    running.push(p);
    await p.waitFor(`cannot reach the storage at redis://127.0.0.1:${port}/0`);
    await p.waitFor('ready; stop with Ctrl+C');
    const server = await startServer({ host: '127.0.0.1', port });
    cleanups.push(() => server.close());
    await p.waitFor(`connected to the storage at redis://127.0.0.1:${port}/0 again`);
    const tasks = producer(port, name);
    cleanups.unshift(() => tasks.huey.close());
    const res = await tasks.whoami();
    expect((await res.get({ blocking: true, timeout: 15 }))?.pid).toBe(p.pid);
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);
  });
});
