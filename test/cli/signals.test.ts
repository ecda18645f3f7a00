// huey-consumer's signals: SIGINT finishes running tasks (their results are
// kept) and exits 0, a second SIGINT exits at once, SIGTERM exits at once,
// SIGHUP restarts the workers after their running tasks finish.
import { describe, expect, it } from 'vitest';
import { useConsumers } from './helpers.js';

const { start } = useConsumers('sig');

describe.each(['async', 'thread', 'process'])('-k %s', (kind) => {
  it('SIGINT lets the running task finish, keeps its result and exits 0', async () => {
    const { p, tasks } = await start(['-k', kind]);
    const res = await tasks.sleepy(1500, 'finished-after-sigint');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGINT');
    const { code } = await p.waitExit();
    expect(code).toBe(0);
    expect(p.output).toContain('received SIGINT, finishing running tasks');
    expect(p.output).toContain(`executed sleepy: ${res.id}`);
    expect((await res.get())?.tag).toBe('finished-after-sigint');
  });

  it('a second SIGINT exits at once, abandoning the running task', async () => {
    const { p, tasks } = await start(['-k', kind]);
    const res = await tasks.sleepy(60_000, 'abandoned');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGINT');
    await p.waitFor('finishing running tasks');
    p.signal('SIGINT');
    const { code } = await p.waitExit(15_000);
    expect(code).toBe(1);
    expect(p.output).toContain('received SIGINT again, exiting at once');
    expect(await res.get()).toBeNull();
  });

  it('SIGTERM exits at once', async () => {
    const { p, tasks } = await start(['-k', kind]);
    const res = await tasks.sleepy(60_000, 'interrupted');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGTERM');
    const { code } = await p.waitExit(15_000);
    expect(code).toBe(0);
    expect(p.output).toContain('received SIGTERM, exiting at once');
    expect(await res.get()).toBeNull();
  });
});

describe('SIGHUP', () => {
  it('-k thread: running tasks finish, then fresh worker threads take over', async () => {
    const { p, tasks } = await start(['-k', 'thread', '-w', '2']);
    const before = await tasks.whoami();
    const oldThread = (await before.get({ blocking: true, timeout: 15 }))?.threadId;
    const res = await tasks.sleepy(1000, 'survives-restart');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGHUP');
    await p.waitFor('restarted 2 thread worker(s)');
    expect((await res.get())?.tag).toBe('survives-restart');
    await p.waitFor(/worker \d ready/, 4);
    const after = await tasks.whoami();
    const newThread = (await after.get({ blocking: true, timeout: 15 }))?.threadId;
    expect(newThread).not.toBe(oldThread);
    expect(newThread).toBeGreaterThan(2);
    expect(p.child.exitCode).toBeNull();
  });

  it('-k async: the consumer restarts in place and keeps consuming', async () => {
    const { p, tasks } = await start(['-k', 'async']);
    const res = await tasks.sleepy(1000, 'async-restart');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGHUP');
    await p.waitFor('huey consumer started with', 2);
    expect((await res.get())?.tag).toBe('async-restart');
    const after = await tasks.whoami();
    expect((await after.get({ blocking: true, timeout: 15 }))?.pid).toBe(p.pid);
  });
});
