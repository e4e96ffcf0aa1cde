// The Insights page in real Chromium at phone and laptop widths (issue 16):
// after real visits (views, a search, a calendar save, a registration), the
// chart is drawn with its series, the tables show the figures, the page fits
// the screen, axe-core finds no WCAG 2.2 A/AA violation, and the CSV
// download has the documented columns. Without JavaScript the tables remain.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir } from '../integration/lib.mjs';
import { launchBrowser, shot, signIn, VIEWPORTS } from './browser_lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VIEWER = ['viewer@example.org', 'viewer password 123'];
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,category,url,capacity,registration,waitlist\n' +
  'talk,A talk about harbours,2031-06-11 19:00,21:00,Europe/Berlin,Hall,Talks,https://example.org/talk,10,true,false\n' +
  'walk,A walk along the quay,2031-06-12 10:00,12:00,Europe/Berlin,Harbour,Walks,,,false,false\n';

async function axe(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE });
  return page.evaluate(async () => (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
}

describe('the Insights page in the browser', () => {
  let tmp, server, browser;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/insights.db`;
    writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
    assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', db, '--publish']).status, 0);
    assert.equal(cli(['user', 'add', VIEWER[0], '--role', 'viewer', '--db', db], { input: `${VIEWER[1]}\n` }).status, 0);
    server = await startServer(db, ['--no-seed', '--registration-rate', '0', '--analytics-flush-ms', '100', '--trusted-proxy', '127.0.0.1']);
    const visit = (p, n, extra = {}) => request(`${server.url}${p}`, { headers: { 'user-agent': UA, 'x-forwarded-for': `203.0.113.${n}`, ...extra } });
    for (let n = 1; n <= 5; n++) await visit('/events/talk', n);
    await visit('/events/walk', 1);
    await visit('/?q=harbour', 2);
    await visit('/?q=opera', 3);
    await visit('/events/talk.ics', 4);
    await visit('/go/talk', 5);
    const reg = await request(`${server.url}/api/v1/events/talk/registrations`, {
      method: 'POST', body: JSON.stringify({ name: 'Ann', email: 'ann@example.org' }),
      headers: { 'content-type': 'application/json', 'user-agent': UA, 'x-forwarded-for': '203.0.113.1' },
    });
    assert.equal(reg.status, 201);
    // The places board (read every 2 s) has the registration once the page says so; a request without a
    // User-Agent is not counted.
    await eventually(async () => (await request(`${server.url}/events/talk`)).body.toString().includes('9 places left'));
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  for (const [name, device] of Object.entries(VIEWPORTS)) {
    test(`a viewer reads the figures, chart and tables (${name})`, async () => {
      const context = await browser.newContext({ ...device, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, ...VIEWER);
      // The flush runs every 100 ms: the figures are in the store by the time they are read back.
      let views = '';
      for (let i = 0; i < 50 && views !== '6'; i++) {
        await page.goto(`${server.url}/admin/insights`);
        views = (await page.locator('.insight-cards li').first().locator('.insight-value').textContent()).trim();
        if (views !== '6') await page.waitForTimeout(100);
      }
      assert.equal(views, '6');
      // Navigation reaches the page at every width.
      assert.ok(await page.locator('a[href="/admin/insights"][aria-current="page"]').count() >= 1);
      // The chart: uPlot drew a canvas with a legend entry per series.
      await page.waitForSelector('#insights-chart canvas');
      const legend = await page.locator('#insights-chart .u-legend .u-series .u-label').allTextContents();
      for (const label of ['Views', 'Unique visitors', 'Calendar saves', 'Outbound clicks', 'Registrations'])
        assert.ok(legend.includes(label), `legend has ${label}: ${legend}`);
      const chartWidth = await page.locator('#insights-chart canvas').evaluate((c) => c.getBoundingClientRect().width);
      assert.ok(chartWidth <= device.viewport.width, `chart ${chartWidth} px on a ${device.viewport.width} px screen`);
      // The tables.
      const top = page.locator('#events table tbody tr').first();
      assert.deepEqual((await top.locator('td').allTextContents()).map((t) => t.trim()),
        ['A talk about harbours', '5', '5', '1', '1', '1', '20.0 %', '10.0 %']);
      assert.match(await page.locator('#zero-searches').textContent(), /opera/);
      assert.match(await page.locator('#categories').textContent(), /Talks/);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= device.viewport.width, `the page is ${scroll} px wide on a ${device.viewport.width} px screen`);
      assert.deepEqual(await axe(page), [], 'the Insights page has no axe violations');
      await shot(page, `insights-${name}.png`, { fullPage: true });
      await page.locator("#insights-chart").scrollIntoViewIfNeeded();
      await shot(page, `insights-chart-${name}.png`);
      // The CSV download: documented columns.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#events a[download]')]);
      const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
      assert.equal(csv[0], ['key', 'title', 'category', 'venue', 'views', 'unique_visitors', 'calendar_saves', 'outbound_clicks',
        'registrations', 'converted_visitors', 'conversion_rate', 'capacity', 'confirmed', 'fill_rate', 'impressions',
        'placement_clicks'].map((c) => `"${c}"`).join(','));
      assert.match(csv[1], /^"talk","A talk about harbours","Talks","Hall","5","5","1","1","1","1","0\.2000","10","1","0\.1000","0","0"$/);
      await context.close();
    });
  }

  test('without JavaScript the tables are still there', async () => {
    const context = await browser.newContext({ ...VIEWPORTS.phone, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, server.url, ...VIEWER);
    await page.goto(`${server.url}/admin/insights`);
    assert.equal(await page.locator('#insights-chart canvas').count(), 0);
    assert.match(await page.locator('#timeseries table').textContent(), /\d{4}-\d{2}-\d{2}/);
    assert.match(await page.locator('#events table').textContent(), /A talk about harbours/);
    await context.close();
  });
});
