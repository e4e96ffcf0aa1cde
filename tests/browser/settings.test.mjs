// The Settings page in real Chromium at phone and laptop widths (issue 14):
// an owner uploads a logo and renames the festival; the public header shows
// both without overflowing; axe-core finds no WCAG 2.2 A/AA violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, startServer, tempDir } from '../integration/lib.mjs';
import { launchBrowser, shot, VIEWPORTS } from './browser_lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const OWNER = ['owner@example.org', 'owner password 123'];
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// axe-core goes in through the CDP: the page's CSP forbids inline scripts, rightly.
async function axe(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE });
  return page.evaluate(async () => (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
}

async function noOverflow(page, width, what) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${what} is ${scroll} px wide on a ${width} px screen`);
}

describe('festival settings in the browser', () => {
  let tmp, server, browser;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/settings.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
    server = await startServer(db);
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  for (const [name, device] of Object.entries(VIEWPORTS)) {
    test(`an owner names the festival and uploads a logo (${name})`, async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${server.url}/admin/login`);
      await page.fill('input[name=email]', OWNER[0]);
      await page.fill('input[name=password]', OWNER[1]);
      await Promise.all([page.waitForURL(/\/admin$/), page.click('button[type=submit]')]);
      await page.goto(`${server.url}/admin/settings`);
      assert.deepEqual(await axe(page), [], 'the Settings page has no axe violations');
      await noOverflow(page, device.viewport.width, 'the Settings page');
      const festival = `Harbour Lights ${name}`;
      await page.fill('#s-name', festival);
      await page.selectOption('#s-zone', 'Europe/Lisbon');
      await page.fill('#s-contact', 'info@example.org');
      const logo = path.join(tmp.dir, 'logo.png');
      (await import('node:fs')).writeFileSync(logo, PNG);
      await page.setInputFiles('#s-logo', logo);
      await Promise.all([page.waitForURL(/notice=settings-saved/), page.click('button:has-text("Save settings")')]);
      assert.match(await page.locator('.notice').innerText(), /Settings saved/);
      assert.equal(await page.locator('#s-zone').inputValue(), 'Europe/Lisbon');
      await shot(page, `settings-${name}.png`, { fullPage: true });

      await page.goto(`${server.url}/`);
      await page.locator('.site-header .brand').waitFor();
      assert.equal((await page.locator('.site-header .brand').innerText()).trim(), festival);
      assert.equal(await page.locator('.site-header .brand img.logo').evaluate((img) => img.complete && img.naturalWidth), 1);
      assert.match(await page.locator('.site-footer').innerText(), /Questions\? info@example\.org/);
      await noOverflow(page, device.viewport.width, 'the programme');
      await shot(page, `settings-home-${name}.png`);
      await context.close();
    });
  }
});
