// Each worker kind of huey-consumer processes tasks; thread and process
// workers run CPU-bound tasks in more than one thread / process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsumers } from './helpers.js';

const { start } = useConsumers('cli');

describe.each(['async', 'greenlet', 'thread', 'process'])('-k %s', (kind) => {
  it('processes tasks and stores their results', async () => {
    const { p, tasks } = await start(['-k', kind, '-w', '2']);
    const results = await Promise.all([1, 2, 3, 4].map((i) => tasks.sleepy(10, `t${i}`)));
    const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 15 })));
    expect(values.map((v) => v?.tag)).toEqual(['t1', 't2', 't3', 't4']);
    // One INFO line as each task starts and one with its duration as it ends.
    await p.waitFor(/executed sleepy: \S+ in \d+\.\d{3}s/, 4);
    expect(p.output).toMatch(/INFO:huey\.consumer:\S+: executing sleepy: /);
    if (kind === 'async' || kind === 'greenlet') {
      // In-process: every task ran in the consumer's own main thread.
      expect(new Set(values.map((v) => `${v?.pid}/${v?.threadId}`))).toEqual(new Set([`${p.pid}/0`]));
    }
  });
});

describe('CPU-bound tasks run in parallel', () => {
  it('-k thread: tasks run on more than one worker thread', async () => {
    const { p, tasks } = await start(['-k', 'thread', '-w', '2']);
    await p.waitFor(/worker \d ready \(thread/, 2);
    const results = await Promise.all([1, 2, 3, 4].map(() => tasks.spin(300)));
    const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 20 })));
    expect(new Set(values.map((v) => v?.pid))).toEqual(new Set([p.pid]));
    const threads = new Set(values.map((v) => v?.threadId));
    expect(threads.size).toBeGreaterThan(1);
    expect(threads.has(0)).toBe(false);
  });

  it('-k process: tasks run in more than one child process', async () => {
    const { p, tasks } = await start(['-k', 'process', '-w', '2']);
    await p.waitFor(/worker \d ready \(pid/, 2);
    const results = await Promise.all([1, 2, 3, 4].map(() => tasks.spin(300)));
    const values = await Promise.all(results.map((r) => r.get({ blocking: true, timeout: 20 })));
    const pids = new Set(values.map((v) => v?.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.has(p.pid)).toBe(false);
  });
});

describe('logging', () => {
  it('the banner lists the tasks, the periodic tasks and the options', async () => {
    const { p } = await start(['-k', 'thread', '-w', '3', '-s', '5', '-o', '-n']);
    const out = p.output;
    expect(out).toContain('HUEY CONSUMER');
    expect(out).toMatch(/module test\/cli\/fixtures\/app\.js, export "huey": huey "cli-[^"]+" on redis:\/\/127\.0\.0\.1:\d+\/0/);
    expect(out).toMatch(/options: workers=3 worker-type=thread periodic=off scheduler-interval=5s crontab-time=local/);
    expect(out).toContain('+ nightly (0 3 * * *)');
    expect(out).toMatch(/the following tasks are available:\n\+ crash\n\+ fail\n\+ nightly\n\+ sleepy\n\+ spin\n\+ whoami/);
    expect(out).toContain('huey consumer started with 3 thread worker(s)');
  });

  it('-q logs errors only, with the stack', async () => {
    // -q hides the ready line too, so wait for a task instead.
    const { p, tasks } = await start(['-q'], { waitReady: false });
    const name = 'sleepy';
    const r = await tasks.sleepy(1, 'quiet');
    expect((await r.get({ blocking: true, timeout: 15 }))?.tag).toBe('quiet');
    await tasks.fail();
    await p.waitFor(/ERROR:huey\.consumer:\S+: unhandled exception in task fail: [^\n]*\n(.*\n)*\s+at /);
    expect(p.output).not.toContain('INFO');
    expect(p.output).not.toContain(`executing ${name}`);
  }, 30_000);

  it('-l writes the log to the file (and, as Huey, to stderr), workers included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huey-cli-'));
    const logfile = join(dir, 'huey.log');
    try {
      const { p, tasks } = await start(['-k', 'thread', '-l', logfile], { waitReady: false });
      const r = await tasks.sleepy(1, 'logged');
      expect((await r.get({ blocking: true, timeout: 15 }))?.tag).toBe('logged');
      // The worker thread writes its lines to the same file as the master; wait for its last one.
      for (let i = 0; i < 200 && !readFileSync(logfile, 'utf8').includes(`executed sleepy: ${r.id}`); i++) {
        await new Promise((res) => setTimeout(res, 50));
      }
      const text = readFileSync(logfile, 'utf8');
      expect(text).toContain('INFO:huey.consumer:Master: HUEY CONSUMER');
      expect(text).toContain(`INFO:huey.consumer:Worker-1: executed sleepy: ${r.id}`);
      expect(p.stderr).toContain('INFO:huey.consumer:Master: HUEY CONSUMER');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
