// Health checks: a worker process that is killed, or a worker thread that
// crashes, is restarted with a log line and an event; the consumer keeps
// running. The async kind survives errors that tasks leave behind.
import { describe, expect, it } from 'vitest';
import { EVENT_ERROR_INTERNAL, EVENT_RECOVERED, type HueyEvent } from '../../src/huey/index.js';
import { producer, useConsumers } from './helpers.js';

const { start } = useConsumers('health');

/** Collects the consumer's events from now on; `find` waits for one that matches. */
async function watchEvents(tasks: ReturnType<typeof producer>) {
  const stream = tasks.huey.events();
  await stream.ready;
  const seen: HueyEvent[] = [];
  void (async () => {
    for await (const e of stream) seen.push(e);
  })();
  return {
    async find(match: (e: HueyEvent) => boolean, timeoutMs = 15_000): Promise<HueyEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = seen.find(match);
        if (e) return e;
        if (Date.now() > deadline) throw new Error(`no matching event; saw ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => stream.close(),
  };
}

describe('health checks', () => {
  it('-k process: a killed worker process is restarted, with a log line and an event', async () => {
    const { p, tasks } = await start(['-k', 'process', '-w', '1', '-c', '1']);
    const events = await watchEvents(tasks);
    const first = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
    const oldPid = first?.pid as number;
    expect(oldPid).not.toBe(p.pid);

    process.kill(oldPid, 'SIGKILL');
    await p.waitFor(`worker 1 (pid ${oldPid}) died: killed by SIGKILL`);
    await p.waitFor(new RegExp(`health check: restarted worker 1 \\(was pid ${oldPid}, now pid \\d+\\)`));
    const event = await events.find((e) => e.status === EVENT_ERROR_INTERNAL && e.pid === oldPid);
    expect(event).toMatchObject({ worker: 1, reason: 'killed by SIGKILL', error: true });

    const second = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
    expect(second?.pid).not.toBe(oldPid);
    expect(p.child.exitCode).toBeNull();
    await events.close();
  });

  it('-k thread: a worker thread that crashes is restarted, with a log line and an event', async () => {
    const { p, tasks } = await start(['-k', 'thread', '-w', '1', '-c', '1']);
    const events = await watchEvents(tasks);
    const first = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });

    await tasks.crash();
    await p.waitFor(`worker 1 (thread ${first?.threadId}) died: Error: crash on purpose`);
    await p.waitFor('health check: restarted worker 1');
    const event = await events.find((e) => e.status === EVENT_ERROR_INTERNAL && e.worker === 1);
    expect(event).toMatchObject({ threadId: first?.threadId, reason: 'Error: crash on purpose', error: true });
    expect(event.traceback).toContain('crash on purpose');

    const second = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
    expect(second?.threadId).not.toBe(first?.threadId);
    expect(p.child.exitCode).toBeNull();
    await events.close();
  });

  it('-C: a dead worker is reported but not restarted; the others go on', async () => {
    const { p, tasks } = await start(['-k', 'thread', '-w', '2', '-c', '1', '-C']);
    await tasks.crash();
    await p.waitFor(/died: Error: crash on purpose; health checks are disabled \(-C\), not restarting it/);
    const after = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
    expect(after?.pid).toBe(p.pid);
    // Two health-check intervals on, still nothing restarted.
    await new Promise((r) => setTimeout(r, 2500));
    expect(p.output).not.toContain('health check: restarted');
  });

  it('-k process: when the master dies, its worker processes exit too', async () => {
    const { p } = await start(['-k', 'process', '-w', '2']);
    const pids = [...p.output.matchAll(/worker \d ready \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    p.signal('SIGKILL');
    await p.waitExit();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 200 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  });

  it('-k async: an error a task leaves behind is logged and the consumer keeps running', async () => {
    const { p, tasks } = await start(['-k', 'async']);
    await tasks.crash();
    await p.waitFor(/uncaught exception \(left behind by a task\?\), the consumer keeps running: Error: crash on purpose/);
    const after = await (await tasks.whoami()).get({ blocking: true, timeout: 15 });
    expect(after?.pid).toBe(p.pid);
  });
});

describe('reliable mode (at-least-once)', () => {
  it('-k process: the task of a killed worker goes back to the queue at once and runs again', async () => {
    const { p, tasks } = await start(['-k', 'process', '-w', '1', '-c', '1'], { env: { HUEY_RELIABLE: '1' } });
    expect(p.output).toMatch(/reliable delivery: consumer id \S+ \(heartbeats from this process, one in-flight list per worker\)/);
    const pid = Number(/worker 1 ready \(pid (\d+), in-flight list /.exec(p.output)?.[1]);
    const events = await watchEvents(tasks);
    const res = await tasks.sleepy(60_000, 'in flight');
    await p.waitFor(`executing sleepy: ${res.id}`);

    process.kill(pid, 'SIGKILL');
    await p.waitFor('handed 1 unfinished task(s) of worker 1 back to the queue');
    const recovered = await events.find((e) => e.status === EVENT_RECOVERED && e.id === res.id);
    expect(recovered).toMatchObject({ task: 'sleepy', recoveries: 1 });
    // The restarted worker takes it again (well before the 60 s heartbeat would have expired).
    await p.waitFor(`executing sleepy: ${res.id}`, 2);
    await events.close();
  });

  it('-k thread: SIGINT still lets the running task finish and exits 0', async () => {
    const { p, tasks } = await start(['-k', 'thread', '-w', '2'], { env: { HUEY_RELIABLE: '1' } });
    const res = await tasks.sleepy(1000, 'reliable-finish');
    await p.waitFor(`executing sleepy: ${res.id}`);
    p.signal('SIGINT');
    expect((await p.waitExit()).code).toBe(0);
    expect((await res.get())?.tag).toBe('reliable-finish');
    expect(await tasks.huey.pendingCount()).toBe(0);
  });
});
