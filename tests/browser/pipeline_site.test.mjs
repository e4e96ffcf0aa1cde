// The pipeline's static review site in real headless Chromium, opened from
// disk (file://) on a phone and on a laptop: every page loads without console
// errors, the navigation works, counts below the threshold read "<5", and no
// personal value of the drive is anywhere in the DOM (text or attributes).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { cli, tempDir } from '../integration/lib.mjs';
import { personalValues } from '../integration/pipeline_lib.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(process.env.MARQUEE_BUILD_DIR || '.', 'screenshots');
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};

let browser, tmp, project, personal;
before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: run scripts/setup.sh`);
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir('marquee-site-');
  project = path.join(tmp.dir, 'drive');
  assert.equal(cli(['pipeline', 'init', project, '--example']).status, 0);
  const r = cli(['pipeline', 'build', project]);
  assert.equal(r.status, 0, r.stderr);
  personal = [...personalValues(project)].map((v) => v.toLowerCase());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
});
after(async () => { await browser?.close(); tmp?.remove(); });

for (const [name, device] of Object.entries(VIEWPORTS)) {
  describe(`pipeline site on a ${name}`, () => {
    test('schedule, summaries and corrections: no errors, no personal data', async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('requestfailed', (req) => problems.push(`failed: ${req.url()}`));
      const site = path.join(project, 'out/public/site');
      await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
      await assert.doesNotReject(page.locator('h1', { hasText: 'Harbour Days 2026 registrations' }).waitFor());
      // The stylesheet loaded (relative link): the table is styled.
      assert.equal(await page.locator('.summary-table').first().evaluate((t) => getComputedStyle(t).borderCollapse), 'collapse');
      assert.doesNotMatch(await page.locator('#session-opening-talk').innerText(), /waiting/);
      assert.match(await page.locator('#session-harbour-walk-sat').innerText(), /25 \(\+\d+ waiting\)\s+25/);
      const cancelled = page.locator('#session-knots-workshop-sun');
      assert.match(await cancelled.innerText(), /Cancelled/);
      assert.match(await page.locator('#session-lighthouse-talk').innerText(), /Changed after lock[\s\S]*room: Saal 2 → Saal 1/);
      await page.screenshot({ path: path.join(SHOTS, `pipeline-schedule-${name}.png`), fullPage: false });
      const seen = [];
      for (const label of ['Summaries', 'Corrections', 'Schedule']) {
        await Promise.all([page.waitForURL(new RegExp(`${label === 'Schedule' ? 'index' : label.toLowerCase()}\\.html$`)),
          page.locator('nav a', { hasText: label }).click()]);
        assert.equal(await page.locator('nav a[aria-current=page]').innerText(), label);
        if (label === 'Summaries') {
          const regions = await page.locator('#summary-region').innerText();
          assert.match(regions, /Travelling from/);
          assert.match(regions, /<5/);
          await page.screenshot({ path: path.join(SHOTS, `pipeline-summaries-${name}.png`) });
        }
        if (label === 'Corrections') {
          const text = await page.locator('main').innerText();
          assert.match(text, /changed \(personal field, value not published\)/);
          assert.match(text, /the instructor is ill/);
        }
        seen.push(await page.evaluate(() => document.documentElement.outerHTML + '\n' + document.body.innerText));
      }
      const dom = seen.join('\n').toLowerCase();
      for (const v of personal) assert.ok(!dom.includes(v), `the DOM contains a personal value: ${v}`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  });
}
