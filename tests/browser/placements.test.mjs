// Partner placements on screen (issue 17) in real headless Chromium at
// 390×844 and 1280×800: the featured hero and the promoted cards are
// labelled "Promoted" with the partner, keep the event's real day, time and
// place, fit the screen, and pass axe-core (WCAG 2.2 A/AA); so does the
// partner's report page, and a revoked report link is a 404. Screenshots:
// build/screenshots/placements-<width>.png, partner-report-<width>.png.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, shot } from './browser_lib.mjs';
import { request, startServer, tempDir } from '../integration/lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const STAFF = 'placements-browser-staff-token-0123456789';

let tmp, server, browser, partnerId;

async function staff(method, url, body) {
  const r = await request(`${server.url}${url}`, {
    method, body: JSON.stringify(body),
    headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' },
  });
  assert.ok(r.status === 200 || r.status === 201, `${method} ${url}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString('utf8'));
}

// A placement of `key` in `slot`, open from an hour ago for three days, paid and approved.
async function place(partner, key, slot) {
  const now = Date.now();
  const { placement } = await staff('POST', '/api/v1/admin/placements', {
    partner_id: partner, event_key: key, slot,
    starts_at: new Date(now - 3600_000).toISOString(), ends_at: new Date(now + 3 * 86400_000).toISOString(),
  });
  await staff('POST', `/api/v1/admin/placements/${placement.id}/moves`, { move: 'mark_paid' });
  await staff('POST', `/api/v1/admin/placements/${placement.id}/moves`, { move: 'approve' });
  return placement.id;
}

before(async () => {
  tmp = tempDir();
  writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
  server = await startServer(`sqlite:///${tmp.dir}/marquee.db`, ['--staff-token-file', path.join(tmp.dir, 'staff')]);
  browser = await launchBrowser();
  // The bundled demo programme: two featured events (one with a long title) and one promoted.
  const { partner } = await staff('POST', '/api/v1/admin/partners', { name: 'Harbour Brewery & Co.' });
  partnerId = partner.id;
  await place(partner.id, 'hl27-008', 'featured');
  await place(partner.id, 'hl27-012', 'featured');
  await place(partner.id, 'hl27-020', 'promoted');
});
after(async () => {
  await browser?.close();
  await server?.stop();
  tmp?.remove();
});

for (const [, options] of Object.entries(VIEWPORTS)) {
  test(`the featured hero and promoted cards at ${options.viewport.width}×${options.viewport.height}`, async () => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Changes reach the site on the programme's next wake-up (at most the poll interval).
    const deadline = Date.now() + 5000;
    for (;;) {
      assert.equal((await page.goto(`${server.url}/`)).status(), 200);
      // All three placements are in once the hero has two cards and the promoted row one
      // (a wake-up between two approvals would show only the first).
      const ready = (await page.locator('section.featured .featured-card').count()) === 2
        && (await page.locator('section.promoted .promoted-card').count()) === 1;
      if (ready || Date.now() > deadline) break;
      await page.waitForTimeout(100);
    }
    const hero = page.locator('section.featured');
    assert.equal(await hero.locator('h2').textContent(), 'Featured');
    const cards = hero.locator('.featured-card');
    assert.equal(await cards.count(), 2);
    for (let i = 0; i < 2; i++) {
      const card = cards.nth(i);
      assert.match(await card.locator('.promoted-label').innerText(), /^PROMOTED · Harbour Brewery & Co\.$/i);
      assert.ok(await card.locator('.promoted-label').isVisible());
      assert.match(await card.locator('time').textContent(), /^\w{3} \d{1,2} \w{3}, \d{2}:\d{2}/);  // the real day and time
      assert.match(await card.locator('a.event-title').getAttribute('href'), /^\/promoted\/\d+$/);
    }
    const promoted = page.locator('section.promoted .promoted-card');
    assert.equal(await promoted.count(), 1);
    assert.ok(await promoted.locator('.promoted-label').isVisible());
    // The hero comes before the search form; the programme follows the promoted cards.
    const order = await page.evaluate(() => ['section.featured', 'form.filters', 'section.promoted', 'section.day']
      .map((s) => document.querySelector(s).getBoundingClientRect().top));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `top edges ${order}`);
    const over = await page.evaluate((w) => document.documentElement.scrollWidth - w, options.viewport.width);
    assert.ok(over <= 0, `wider than the screen by ${over}px`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Runtime.evaluate', { expression: AXE });
    const violations = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags } }))
      .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), WCAG);
    assert.deepEqual(violations, []);
    await shot(page, `placements-${options.viewport.width}.png`, { fullPage: false });
    // A click goes through /promoted to the event's own page.
    await Promise.all([page.waitForURL(/\/events\/hl27-0(08|12)$/), cards.first().locator('a.event-title').click()]);
    await context.close();
  });
}

async function axe(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE });
  return page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags } }))
    .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), WCAG);
}

test('the partner report page on a phone and a laptop; a revoked link is a 404', async () => {
  const { link } = await staff('POST', `/api/v1/admin/partners/${partnerId}/links`, { expires_in_days: 30 });
  for (const options of Object.values(VIEWPORTS)) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const resp = await page.goto(`${server.url}${link.url}`);
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Harbour Brewery & Co.: placements');
    assert.equal(await page.locator('article.report-placement').count(), 3);
    await page.waitForSelector('.report-chart canvas');  // uPlot drew the charts
    assert.match(await page.locator('.partner-report .hint').first().textContent(), /also clicked that placement on the same day/);
    const over = await page.evaluate((w) => document.documentElement.scrollWidth - w, options.viewport.width);
    assert.ok(over <= 0, `wider than the screen by ${over}px`);
    assert.deepEqual(await axe(context, page), []);
    await shot(page, `partner-report-${options.viewport.width}.png`, { fullPage: false });
    await context.close();
  }
  await staff('POST', `/api/v1/admin/partners/${partnerId}/links/${link.id}/revoke`, {});
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  const gone = await page.goto(`${server.url}${link.url}`);
  assert.equal(gone.status(), 404);
  assert.match(await page.locator('h1').textContent(), /Not found/);
  await context.close();
});
