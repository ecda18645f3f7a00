// The web app example (examples/web-app) end to end: huey-consumer started
// from the app's huey.config.js with an embedded simpledb, the app's HTTP
// server in another process, and real HTTP requests that enqueue tasks and
// read their results.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { Spawned, consumer, requireBuild } from './helpers.js';

const APP = 'examples/web-app';
const running: Spawned[] = [];

beforeAll(requireBuild);
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.dispose()));
});

/** GETs `url` until it answers 200 (the task has run); fails after `timeoutMs`. */
async function resultOf(url: string, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(url);
    if (res.status === 200) return ((await res.json()) as { value: unknown }).value;
    expect(res.status).toBe(202);
    if (Date.now() > deadline) throw new Error(`${url} still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('examples/web-app', () => {
  it('POST enqueues, the consumer (from huey.config.js) runs it, GET returns the result', async () => {
    const port = await freePort();
    // vitest's NODE_ENV=test would make the app's huey eager (that is the config's test mode).
    const env = { HUEY_URL: undefined, NODE_ENV: 'development' };
    const c = consumer(['--config', `${APP}/huey.config.js`, '--simpledb', String(port)], env);
    running.push(c);
    await c.waitFor('ready; stop with Ctrl+C');
    expect(c.output).toMatch(/\+ sendWelcome\n\+ sumReport/);
    expect(c.output).toMatch(/workers=4 worker-type=async/);

    const web = new Spawned(process.execPath, [`${APP}/server.js`], { ...env, HUEY_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
    running.push(web);
    await web.waitFor(/web app listening on http:\/\/127\.0\.0\.1:\d+/);
    const base = /web app listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(web.stdout)?.[1] as string;

    const report = await fetch(`${base}/reports`, { method: 'POST', body: JSON.stringify([1, 2, 3.5]) });
    expect(report.status).toBe(202);
    const { id } = (await report.json()) as { id: string };
    expect(await resultOf(`${base}/results/${id}`)).toBe(6.5);
    // Asked again: the result is still there.
    expect(await resultOf(`${base}/results/${id}`)).toBe(6.5);

    const welcome = await fetch(`${base}/welcome?to=ada@example.com`, { method: 'POST' });
    const welcomeId = ((await welcome.json()) as { id: string }).id;
    expect(await resultOf(`${base}/results/${welcomeId}`)).toBe('sent "Welcome!" to ada@example.com');

    const bad = await fetch(`${base}/reports`, { method: 'POST', body: JSON.stringify({ not: 'a list' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'send a JSON list of numbers' });

    web.signal('SIGINT');
    expect((await web.waitExit()).code).toBe(0);
    c.signal('SIGINT');
    expect((await c.waitExit()).code).toBe(0);
  });
});
