// The console's placements (issue 17) in real headless Chromium at 390×844
// and 1280×800: an operator adds a partner and a placement, marks it paid,
// approves it from the activation queue (competing placements are shown),
// and makes a report link; every page fits the screen and passes axe-core.
// Screenshots: build/screenshots/console-placements-<width>.png, console-partner-<width>.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, shot, signIn } from './browser_lib.mjs';
import { cli, startServer, tempDir } from '../integration/lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const OWNER = ['owner@example.org', 'owner password 123'];

let tmp, server, browser;
before(async () => {
  tmp = tempDir();
  const db = `sqlite:///${tmp.dir}/console.db`;
  assert.equal(cli(['migrate', '--db', db]).status, 0);
  assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
  server = await startServer(db, ['--insecure-cookies']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  tmp?.remove();
});

async function check(context, page, width, name) {
  const over = await page.evaluate((w) => document.documentElement.scrollWidth - w, width);
  assert.ok(over <= 0, `${name} wider than the screen by ${over}px`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE });
  const violations = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags } }))
    .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), WCAG);
  assert.deepEqual(violations, [], name);
  await shot(page, `${name}-${width}.png`, { fullPage: false });
}

// "2027-06-01T10:00" for an input of type datetime-local.
const local = (d) => d.toISOString().slice(0, 16);

test('add a partner and placements, approve from the queue, make a report link', async () => {
  const context = await browser.newContext(VIEWPORTS.desktop);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.url, ...OWNER);
  await Promise.all([page.waitForURL(/\/admin\/placements$/), page.locator('nav a[href="/admin/placements"]:visible').first().click()]);
  await Promise.all([page.waitForURL(/\/admin\/partners$/), page.click('main a[href="/admin/partners"]')]);
  await page.fill('#partner-name', 'Harbour Brewery');
  await page.fill('#partner-email', 'ads@brewery.example');
  await Promise.all([page.waitForURL(/\/admin\/partners\/\d+\?notice=partner-saved$/), page.click('button:has-text("Add partner")')]);
  const now = new Date();
  // Three promoted placements in one window: more than the two the slot shows at once.
  for (const key of ['hl27-008', 'hl27-012', 'hl27-020']) {
    await page.selectOption('#placement-event', key);
    await page.selectOption('#placement-slot', 'promoted');
    await page.fill('#placement-start', local(new Date(now.getTime() - 3600_000)));
    await page.fill('#placement-end', local(new Date(now.getTime() + 2 * 86400_000)));
    await page.fill('#placement-price', '250');
    await Promise.all([page.waitForURL(/notice=placement-created$/), page.click('button:has-text("Add placement")')]);
  }
  assert.equal(await page.locator('table.placements tbody tr').count(), 3);
  assert.match(await page.locator('table.placements tbody tr').first().textContent(), /250\.00 eur/);
  // Mark each paid from the partner's page, then approve them from the queue.
  for (let i = 0; i < 3; i++)
    await Promise.all([page.waitForURL(/notice=placement-moved$/), page.locator('button:has-text("Mark paid")').first().click()]);
  await page.goto(`${server.url}/admin/placements`);
  assert.equal(await page.locator('#approve tbody tr').count(), 3);
  assert.match(await page.locator('div.warning').textContent(), /3 placements \(#1, #2, #3\) compete for the promoted slot/);
  await Promise.all([page.waitForURL(/notice=placement-moved$/), page.locator('#approve button:has-text("Approve")').first().click()]);
  assert.equal(await page.locator('#approve tbody tr').count(), 2);
  assert.equal(await page.locator('#live tbody tr').count(), 1);
  assert.match(await page.locator('#live tbody tr').first().textContent(), /active/);
  // A report link, shown once.
  await page.click('#live tbody tr a[href^="/admin/partners/"]');
  await page.fill('#link-days', '30');
  await Promise.all([page.waitForURL(/\/links$/), page.click('button:has-text("Make a report link")')]);
  const url = await page.inputValue('#link-url');
  assert.match(url, /\/partners\/[A-Za-z0-9_-]{43}$/);
  await context.close();

  for (const options of Object.values(VIEWPORTS)) {
    const ctx = await browser.newContext(options);
    const p = await ctx.newPage();
    p.setDefaultTimeout(15_000);
    await signIn(p, server.url, ...OWNER);
    await p.goto(`${server.url}/admin/placements`);
    await check(ctx, p, options.viewport.width, 'console-placements');
    await p.goto(`${server.url}/admin/partners/1`);
    await check(ctx, p, options.viewport.width, 'console-partner');
    await ctx.close();
  }
});
