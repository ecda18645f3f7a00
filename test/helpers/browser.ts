// Debian's chromium driven by playwright-core, for the dashboard tests: a
// fresh profile per launch, no network chatter of its own. Where chromium is
// missing the suite is skipped with a visible message, unless REQUIRE_REDIS=1
// (what .ci/run sets, after installing chromium), which makes it a failure.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
const REQUIRE = process.env.REQUIRE_REDIS === '1';
if (!installed) {
  const msg = `${CHROMIUM} is missing: the dashboard's browser tests are skipped`;
  if (REQUIRE) console.error(`${msg}, but REQUIRE_REDIS=1 makes them fail`);
  else console.warn(`\n*** ${msg} (apt-get install -y chromium) ***\n`);
}

export const describeWithBrowser: typeof describe = installed || REQUIRE ? describe : (describe.skip as typeof describe);

/** A browser with a fresh profile; close() also removes the profile. */
export async function launchBrowser(options: { width?: number; height?: number; httpCredentials?: { username: string; password: string } } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'huey-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}
