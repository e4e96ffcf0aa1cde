// The programme on a phone-sized screen in real headless Chromium (Debian
// chromium driven by playwright-core): open, search, open an event.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { startServer, tempDir } from '../integration/lib.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(process.env.MARQUEE_BUILD_DIR || '.', 'screenshots');

let tmp, server, browser;
before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: run scripts/setup.sh`);
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir();
  server = await startServer(`sqlite:///${tmp.dir}/marquee.db`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  tmp?.remove();
});

test('browse, search and open an event at 390x844', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const resp = await page.goto(`${server.url}/`);
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('h1').textContent(), 'Programme');
  const days = await page.locator('section.day h2').allTextContents();
  assert.ok(days.length >= 5, `days: ${days}`);
  assert.equal(days[0], 'Friday 11 June 2027');
  // Nothing wider than the phone screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  await page.screenshot({ path: path.join(SHOTS, 'programme.png') });

  await page.fill('#q', 'typography');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(page.url(), /\?q=typography/);
  const status = await page.locator('.result-count').textContent();
  assert.match(status, /^\d+ of \d+ events match\.$/);
  const titles = await page.locator('.event-title').allTextContents();
  assert.ok(titles.length > 0 && titles.every((t) => /Typography/.test(t)), titles.join(' | '));
  await page.screenshot({ path: path.join(SHOTS, 'search.png'), fullPage: false });

  await Promise.all([page.waitForNavigation(), page.locator('.event-title').first().click()]);
  assert.match(page.url(), /\/events\/hl27-/);
  assert.match(await page.locator('h1').textContent(), /Typography Tales/);
  const when = await page.locator('.facts dd').first().textContent();
  assert.match(when, /\d{2}:\d{2}–\d{2}:\d{2}/);
  assert.match(when, /Europe\/(Berlin|Lisbon)/);
  await page.screenshot({ path: path.join(SHOTS, 'event.png'), fullPage: true });
  await context.close();
});
