// Issue 13's pages in real headless Chromium, on a phone and on a laptop:
// "send me my link again", the register page's link to it, the console's
// backup warning and "Send all pending now". Every page: no horizontal
// overflow, no Content-Security-Policy violation in the console, and no
// serious or critical axe-core finding. Screenshots under build/screenshots/.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser, shot } from './browser_lib.mjs';

import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const OWNER = ['owner@example.org', 'owner password 123'];


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A page that records CSP violations and console errors. */
async function openPage(device) {
  // bypassCSP only lets the test inject axe-core; violations of the page's own
  // resources are still reported through the securitypolicyviolation event.
  const context = await browser.newContext({ ...device, bypassCSP: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, context, problems };
}

async function check(page, problems, label) {
  // Against the device's width: on a phone the layout viewport grows with
  // content that is too wide, so window.innerWidth would hide the overflow.
  const width = page.viewportSize().width;
  const overflow = await page.evaluate((w) => document.documentElement.scrollWidth - w, width);
  assert.ok(overflow <= 0, `${label}: wider than the screen by ${overflow}px`);
  assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused to/i.test(p)), [], `${label}: CSP violations`);
  // axe-core, injected through the CDP (the page's CSP forbids inline scripts, rightly).
  const cdp = await page.context().newCDPSession(page);
  const { readFileSync } = await import('node:fs');
  await cdp.send('Runtime.evaluate', { expression: readFileSync(AXE, 'utf8') });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(result, [], `${label}: axe-core`);
}

for (const [name, device] of Object.entries(VIEWPORTS)) {
  describe(`hardening pages on a ${name}`, () => {
    let tmp, server, db;
    before(async () => {
      tmp = tempDir();
      db = `sqlite:///${tmp.dir}/h.db`;
      assert.equal(cli(['migrate', '--db', db]).status, 0);
      assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
      server = await startServer(db, ['--insecure-cookies', '--backup-dir', `${tmp.dir}/backups`]);
    });
    after(async () => { await server?.stop(); tmp?.remove(); });

    test('send me my link again: from the register page to "check your inbox"', async () => {
      const { page, context, problems } = await openPage(device);
      await page.goto(`${server.url}/events/hl27-005/register`);
      await check(page, problems, 'register');
      await Promise.all([page.waitForURL(/lost-link/), page.click('text=Get your link again')]);
      assert.match(await page.locator('h1').textContent(), /Get your registration link again/);
      await check(page, problems, 'lost-link form');
      await shot(page, `lost-link-${name}.png`, { fullPage: true });
      await page.fill('input[name=email]', 'someone@example.org');
      await page.click('form button[type=submit]');
      await page.waitForSelector('text=Check your inbox');
      await check(page, problems, 'lost-link sent');
      await shot(page, `lost-link-sent-${name}.png`, { fullPage: true });
      await context.close();
    });

    test('public pages and a personal page keep to the Content-Security-Policy', async () => {
      const reg = await request(`${server.url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
        body: JSON.stringify({ name: `Csp ${name}`, email: `csp-${name}@example.org` }), headers: { 'content-type': 'application/json' } });
      const token = JSON.parse(reg.body).token;
      const { page, context, problems } = await openPage(device);
      for (const p of ['/', '/events/hl27-005', `/r/${token}`, '/changelog', '/submit']) {
        await page.goto(`${server.url}${p}`);
        assert.deepEqual(problems.filter((x) => /Content Security Policy|Refused to/i.test(x)), [], `${p}: CSP violations`);
      }
      await context.close();
    });

    test('console: the backup warning, and "Send all pending now"', async () => {
      const { page, context, problems } = await openPage(device);
      await page.goto(`${server.url}/admin/login`);
      await page.fill('input[name=email]', OWNER[0]);
      await page.fill('input[name=password]', OWNER[1]);
      await Promise.all([page.waitForURL(`${server.url}/admin`), page.click('form button[type=submit]')]);
      await page.goto(`${server.url}/admin/publishing`);
      assert.match(await page.locator('.warning').first().textContent(), /not encrypted/);
      await check(page, problems, 'publishing');
      await shot(page, `console-backups-warning-${name}.png`, { fullPage: true });
      // Confirmations wait in the outbox (no SMTP here): the button is offered.
      await page.goto(`${server.url}/admin/notifications`);
      await Promise.all([page.waitForURL(/notice=sent-now/), page.click('text=Send all pending now')]);
      assert.match(await page.locator('body').textContent(), /Every pending message is due now/);
      await check(page, problems, 'notifications');
      await shot(page, `console-send-now-${name}.png`, { fullPage: true });
      await context.close();
    });
  });
}
