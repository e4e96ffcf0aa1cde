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
  // Issue 14: one day at a time (the first upcoming one), every day a tab away.
  const days = await page.locator('section.day h2').allTextContents();
  assert.deepEqual(days, ['Friday 11 June 2027']);
  const tabs = await page.locator('nav.day-tabs a').allTextContents();
  assert.equal(tabs.length, 5, `tabs: ${tabs}`);
  assert.match(tabs[0], /^Fri 11 Jun \d+$/);
  assert.equal(await page.locator('nav.day-tabs a[aria-current=page]').count(), 1);
  // Nothing wider than the phone screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width));
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

test('register on a phone, open the ticket, cancel', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/events/hl27-008`);
  await Promise.all([page.waitForNavigation(), page.click('a.button:has-text("Register")')]);
  assert.match(page.url(), /\/events\/hl27-008\/register$/);
  assert.match(await page.locator('.places').textContent(), /places left/);
  // Submitting without the required answer shows the error next to the form.
  await page.fill('#name', 'Ana Lúcia');
  await page.fill('#email', 'ana@example.org');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.locator('.alert').textContent(), /required/);
  assert.equal(await page.inputValue('#name'), 'Ana Lúcia', 'values are kept');
  await page.fill('#q-children', 'Two, aged 4 and 7');
  await page.check('input[name=q_photos][value=no]');
  await page.screenshot({ path: path.join(SHOTS, 'register.png'), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(page.url(), /\/r\/[A-Za-z0-9_-]{40,}$/);
  assert.equal(await page.locator('h1').textContent(), "You're registered");
  const code = (await page.locator('.ticket-code').textContent()).trim();
  assert.match(code, /^[0-9A-Z]{12}$/);
  const qrBox = await page.locator('.ticket .qr svg').boundingBox();
  assert.ok(qrBox && qrBox.width >= 150 && qrBox.width <= 390, `QR width ${qrBox?.width}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width));
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  await page.screenshot({ path: path.join(SHOTS, 'ticket.png'), fullPage: true });
  const personal = page.url();
  const svg = await page.request.get(`${personal}/ticket.svg`);
  assert.equal(svg.status(), 200);
  assert.match(await svg.text(), /^<svg[^>]*viewBox="0 0 \d+ \d+"/);

  await page.click('details.cancel summary');
  await Promise.all([page.waitForNavigation(), page.click('button.danger')]);
  assert.equal(page.url(), personal);
  assert.equal(await page.locator('h1').textContent(), 'Registration cancelled');
  assert.equal(await page.locator('.ticket').count(), 0);
  await page.screenshot({ path: path.join(SHOTS, 'cancelled.png'), fullPage: true });
  await context.close();
});

test('the changelog page after a move, at 390x844: readable, linked, no overflow', async () => {
  const { cli, eventually, request } = await import('../integration/lib.mjs');
  const { writeFileSync } = await import('node:fs');
  const csv = path.join(tmp.dir, 'move.csv');
  writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone,venue,room\nhl27-002,Lecture: Småland to St. Pauli,2027-06-11 20:00,21:30,Europe/Berlin,Elbe Hall,Room 2\n');
  assert.equal(cli(['import', csv, '--db', `sqlite:///${tmp.dir}/marquee.db`, '--publish']).status, 0);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // The server swaps to the new snapshot within its poll interval (asked over
  // plain HTTP: the browser would keep a cached copy for max-age).
  await eventually(async () => (await request(`${server.url}/changelog`)).body.toString().includes('change-moved'));
  await page.goto(`${server.url}/changelog`);
  const item = page.locator('.change-moved').first();
  assert.equal(await page.locator('h1').textContent(), 'Programme changes');
  assert.match(await item.textContent(), /Start: Friday 11 June 2027, 19:00 CEST → Friday 11 June 2027, 20:00 CEST/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width));
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  await page.screenshot({ path: path.join(SHOTS, 'changelog.png') });
  await Promise.all([page.waitForNavigation(), item.locator('a').click()]);
  assert.match(page.url(), /\/events\/hl27-002$/);
  assert.deepEqual(errors, []);
  await context.close();
});
