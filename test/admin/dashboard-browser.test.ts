// The dashboard in a real browser (chromium via playwright-core): the
// overview updates by server push, a failed task appears without a reload,
// retry from the page runs it to the end, read-only hides every action,
// and off loopback it insists on credentials. DASHBOARD_SCREENSHOT=path
// saves the overview (how docs/dashboard.png is made).
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/admin/dashboard/server.js';
import { RedisHuey, silentLogger } from '../../src/huey/index.js';
import type { Consumer } from '../../src/huey/consumer/consumer.js';
import { startServer, type Server } from '../../src/server/index.js';
import { describeWithBrowser, launchBrowser } from '../helpers/browser.js';
import { ROOT, Spawned, requireBuild } from '../cli/helpers.js';

/** Polls wait this long: on a loaded machine the first push can take seconds. */
const SLOW = { timeout: 15_000 };

describeWithBrowser('dashboard in a browser', { timeout: 90_000 }, () => {
  let server: Server;
  let huey: RedisHuey;
  let consumer: Consumer;
  let dash: Dashboard;
  let browser: BrowserContext;
  let fixed = false;
  const name = `dash-${process.pid}`;

  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    huey = new RedisHuey(name, { url: `redis://127.0.0.1:${server.port}`, logger: silentLogger, readTimeout: 0.2 });
    huey.task((a: number, b: number) => a + b, { name: 'add' });
    huey.task(
      (order: number) => {
        if (!fixed) throw new Error(`payment gateway refused order ${order}`);
        return { order, charged: true };
      },
      { name: 'charge' },
    );
    consumer = huey.createConsumer({ workers: 2 });
    await consumer.start();
    dash = await startDashboard(huey, { port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    await consumer?.stop();
    await huey?.close();
    await server?.close();
  });

  const stat = (page: Page, label: string) => page.locator('.stat', { has: page.locator('.l', { hasText: new RegExp(`^${label}$`) }) }).locator('.n');

  it('shows a failing task as it happens, and retrying it from the page runs it to the end', async () => {
    const page = await browser.newPage();
    await page.goto(dash.url);
    await expect.poll(() => page.locator('#live').getAttribute('class'), SLOW).toContain('on');
    await expect.poll(() => stat(page, 'consumers').textContent(), SLOW).toBe('1');
    await expect.poll(() => stat(page, 'errors').textContent(), SLOW).toBe('0');

    const charge = huey.registry.find('charge');
    expect(charge).toBeDefined();
    const failed = await huey.enqueue(new (await import('../../src/huey/task.js')).QueueTask({ name: 'charge', args: [1042] }));
    const id = failed!.id;
    // No reload: the count and the event arrive by server push.
    await expect.poll(() => stat(page, 'errors').textContent(), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => page.locator('.events li', { hasText: 'error-task' }).count(), SLOW).toBeGreaterThan(0);

    await page.click('#nav a[href="#/errors"]');
    const row = page.locator('tr', { hasText: 'charge' });
    await expect.poll(() => row.count(), SLOW).toBe(1);
    expect(await row.textContent()).toContain('payment gateway refused order 1042');
    fixed = true;
    await row.locator('button', { hasText: 'Retry' }).click();
    await expect.poll(() => page.locator('#toast').textContent(), SLOW).toContain(id);
    await expect.poll(() => page.locator('tr', { hasText: 'charge' }).count(), { timeout: 15_000 }).toBe(0);

    await page.goto(`${dash.url}#/task/${id}`);
    await expect.poll(() => page.locator('#task-state').textContent(), { timeout: 15_000 }).toBe('finished');
    expect(await page.locator('pre').first().textContent()).toContain('"charged": true');
    await page.close();
  });

  it('looks right on a laptop and on a phone (no sideways scrolling), with the chart drawn', async () => {
    for (let i = 0; i < 12; i++) await huey.enqueue(new (await import('../../src/huey/task.js')).QueueTask({ name: 'add', args: [i, i] }));
    const page = await browser.newPage();
    await page.goto(dash.url);
    await expect.poll(() => page.locator('svg rect').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: resolve(ROOT, process.env.DASHBOARD_SCREENSHOT), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('read-only: no action on any page, and the API refuses them', async () => {
    const ro = await startDashboard(huey, { port: 0, readOnly: true });
    try {
      const page = await browser.newPage();
      for (const view of ['', '#/errors', '#/pending', '#/results']) {
        await page.goto(ro.url + view);
        await expect.poll(() => page.locator('table, .cards').count(), SLOW).toBeGreaterThan(0);
        expect(await page.locator('button').count()).toBe(0);
      }
      const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
      const status = await page.evaluate(async (token) => {
        const r = await fetch('/api/action', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token ?? '' }, body: '{"action":"flush","what":"errors"}' });
        return r.status;
      }, csrf);
      expect(status).toBe(403);
      await page.close();
    } finally {
      await ro.close();
    }
  });

  it('rejects a POST without the page token or from another origin', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${dash.url}api/action`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"action":"flush","what":"queue"}' });
    expect((await post({})).status).toBe(403);
    const html = await (await fetch(dash.url)).text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] as string;
    expect((await post({ 'x-csrf-token': token, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': token })).status).toBe(200);
  });

  it('off loopback: refuses to start without credentials, then enforces them', async () => {
    requireBuild();
    const bin = resolve(ROOT, 'dist/bin/huey.js');
    const url = `redis://127.0.0.1:${server.port}`;
    const refused = new Spawned(process.execPath, [bin, 'dashboard', '--host', '0.0.0.0', '--port', '0', '--url', url, '--name', name]);
    expect((await refused.waitExit()).code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to serve the dashboard on 0\.0\.0\.0 without --auth/);

    const guarded = new Spawned(process.execPath, [bin, 'dashboard', '--host', '0.0.0.0', '--port', '0', '--auth', 'ops:s3cret-pass', '--url', url, '--name', name]);
    try {
      await guarded.waitFor(/on http:\/\/0\.0\.0\.0:\d+\//);
      const port = Number(/0\.0\.0\.0:(\d+)/.exec(guarded.stderr)?.[1]);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/`, { headers: { authorization: `Basic ${Buffer.from('ops:wrong').toString('base64')}` } })).status).toBe(401);
      const withAuth = await launchBrowser({ httpCredentials: { username: 'ops', password: 's3cret-pass' } });
      try {
        const page = await withAuth.newPage();
        await page.goto(`${base}/`);
        await expect.poll(() => page.locator('#live').getAttribute('class'), SLOW).toContain('on');
        // The controls render with the first overview, which may come after the stream is on.
        await expect.poll(() => page.locator('button', { hasText: 'Pause' }).count(), SLOW).toBe(1);
      } finally {
        await withAuth.close();
      }
    } finally {
      await guarded.dispose();
    }
  });
});
