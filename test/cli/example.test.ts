// The getting-started example as the README walks through it: huey-consumer
// with --simpledb (nothing else running) in one terminal and the producer in
// another; and `npm start`'s script, which runs the whole example on its own.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { Spawned, consumer, requireBuild } from './helpers.js';

const running: Spawned[] = [];

beforeAll(requireBuild);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.dispose()));
});

describe('getting started', () => {
  it('huey-consumer main.js --simpledb <port> and producer.js: the producer gets its result', async () => {
    const port = await freePort();
    const env = { HUEY_URL: `redis://127.0.0.1:${port}` };
    const c = consumer(['examples/getting-started/main.js', '--simpledb', String(port), '-k', 'process', '-w', '2'], env);
    running.push(c);
    await c.waitFor(`simpledb (embedded) listening on 127.0.0.1:${port}`);
    await c.waitFor('ready; stop with Ctrl+C');
    expect(c.output).toContain('+ print_time (* * * * *)');

    const prod = new Spawned(process.execPath, ['examples/getting-started/producer.js', '7'], env);
    running.push(prod);
    const { code } = await prod.waitExit();
    expect(code).toBe(0);
    expect(prod.stdout).toMatch(/Enqueued job to count 7 beans \(task [0-9a-f-]{36}\)\nResult: Counted 7 beans\n/);
    await c.waitFor('-- counted 7 beans --');

    c.signal('SIGINT');
    expect((await c.waitExit()).code).toBe(0);
    expect(c.output).toContain('simpledb (embedded) stopped');
  });

  it('--simpledb <port> without HUEY_URL: the module is pointed at the embedded server', async () => {
    const port = await freePort();
    // HUEY_URL unset: config.js would use its default port, not this one, without the consumer's help.
    const c = consumer(['examples/getting-started/main.js', '--simpledb', String(port)], { HUEY_URL: undefined });
    running.push(c);
    await c.waitFor('ready; stop with Ctrl+C');
    expect(c.output).toContain(`huey "getting-started" on redis://127.0.0.1:${port}/0`);
    expect(c.output).not.toContain('warning: --simpledb');

    const prod = new Spawned(process.execPath, ['examples/getting-started/producer.js', '3'], { HUEY_URL: `redis://127.0.0.1:${port}` });
    running.push(prod);
    expect((await prod.waitExit()).code).toBe(0);
    expect(prod.stdout).toContain('Result: Counted 3 beans');

    c.signal('SIGINT');
    expect((await c.waitExit()).code).toBe(0);
  });

  it('--simpledb <port> with HUEY_URL elsewhere: the banner warns', async () => {
    const port = await freePort();
    let other = await freePort();
    while (other === port) other = await freePort();
    const c = consumer(['examples/getting-started/main.js', '--simpledb', String(port)], { HUEY_URL: `redis://127.0.0.1:${other}` });
    running.push(c);
    await c.waitFor('ready; stop with Ctrl+C');
    expect(c.output).toContain(
      `warning: --simpledb listens on 127.0.0.1:${port} but huey "getting-started" uses redis://127.0.0.1:${other}/0`,
    );
    c.signal('SIGINT');
    expect((await c.waitExit()).code).toBe(0);
  });

  it('producer.js with nothing listening: says so and exits 1 instead of waiting forever', async () => {
    const port = await freePort();
    const prod = new Spawned(process.execPath, ['examples/getting-started/producer.js', '5'], { HUEY_URL: `redis://127.0.0.1:${port}` });
    running.push(prod);
    // Generous deadline: before the fix it never exited at all.
    const { code } = await prod.waitExit(20_000);
    expect(code).toBe(1);
    expect(prod.stderr).toContain(`Cannot reach redis://127.0.0.1:${port}/0: is the consumer (with --simpledb) or a server running?`);
    expect(prod.stdout).not.toContain('Enqueued job');
  });

  it('run.js (npm start) runs every example, prints the results and events, and exits 0', async () => {
    const run = new Spawned(process.execPath, ['examples/getting-started/run.js']);
    running.push(run);
    const { code } = await run.waitExit(60_000);
    expect(run.stderr).toBe('');
    expect(code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('result: count_beans(100) -> "Counted 100 beans"');
    expect(out).toContain('result: count_beans(200), scheduled -> "Counted 200 beans"');
    expect(out).toContain('result: flaky_count(300) -> "Counted 300 beans on the last try"');
    expect(out).toContain('result: pipeline -> [3,6,10]');
    expect(out).toContain('result: print_time ran');
    expect(out).toMatch(/result: fibonacci\(25\) -> \{"n":25,"value":75025,/);
    for (const status of ['started', 'finished', 'scheduled', 'error-task', 'retrying']) {
      expect(out).toMatch(new RegExp(`event: ${status} `));
    }
    expect(out).toMatch(/done\.\n$/);
  }, 70_000);
});
