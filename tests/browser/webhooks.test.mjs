// Issue 21, outgoing webhooks in the console, in real headless Chromium: an
// owner on a phone adds an endpoint (a local receiver), sees its secret once,
// a registration's delivery arrives and shows as delivered with status 200,
// a replay sends it again; the list and the deliveries at laptop size; a bad
// address is refused naming the field. axe-core finds no WCAG 2.2 A/AA
// violation and nothing is wider than the screen. Screenshots:
// build/screenshots/webhooks-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot, signIn } from './browser_lib.mjs';
import { cli, eventually, request, startServer, tempDir } from '../integration/lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'h1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,10,true,true,published\n';

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
}

describe('webhooks console', () => {
  let tmp, server, browser, receiver, receiverUrl;
  const received = [];
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/webhooks.db`;
    const file = path.join(tmp.dir, 'programme.csv');
    writeFileSync(file, CSV);
    assert.equal(cli(['import', file, '--db', db, '--publish']).status, 0);
    assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { received.push(JSON.parse(body)); res.end('ok'); });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks/marquee-events-from-the-harbourlight-festival`;
    server = await startServer(db, ['--registration-rate', '0', '--no-seed', '--insecure-cookies', '--webhook-allow-private',
      '--webhook-poll-ms', '100', '--webhook-retry-base-seconds', '1']);
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); receiver?.close(); tmp?.remove(); });

  test('add an endpoint on a phone, see the secret once, a delivery and a replay', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, ...OWNER);
    await page.goto(`${server.url}/admin/webhooks`);
    assert.equal(await page.locator('h1').textContent(), 'Webhooks');
    // A bad address first.
    await page.fill('#w-url', 'ftp://example.org/in');
    await page.getByLabel('registration.created').check();
    await page.evaluate(() => document.querySelector('#w-url').setAttribute('type', 'text'));  // past the browser's own check
    await page.getByRole('button', { name: 'Add' }).click();
    await page.waitForSelector('.alert');
    assert.match(await page.locator('.alert').innerText(), /Address: an http:\/\/ or https:\/\/ address/);
    await page.fill('#w-url', receiverUrl);
    await page.getByLabel('registration.created').check();
    await page.fill('#w-description', 'Door list sync');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.waitForSelector('.secret-once');
    const secret = await page.locator('code.secret').innerText();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await axeViolations(page), []);
    await noOverflow(page);
    await shot(page, 'webhooks-390.png', { fullPage: true });
    await page.goto(`${server.url}/admin/webhooks`);
    assert.equal(await page.locator('code.secret').count(), 0, 'shown once');
    assert.ok(!(await page.content()).includes(secret));

    const r = await request(`${server.url}/api/v1/events/h1/registrations`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person ana', email: 'ana@example.org' }),
    });
    assert.equal(r.status, 201);
    await eventually(() => received.length >= 1);
    assert.equal(received[0].type, 'registration.created');
    await page.goto(`${server.url}/admin/webhooks`);
    assert.match(await page.locator('table.webhooks-list tbody tr').first().innerText(), /200/);
    await page.locator('table.webhooks-list a.url').first().click();
    await page.waitForSelector('table.deliveries-list');
    assert.match(await page.locator('table.deliveries-list tbody tr').first().innerText(), /registration\.created[\s\S]*delivered/);
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await Promise.all([page.waitForURL(/notice=webhook-replayed/), page.getByRole('button', { name: /^Replay/ }).first().click()]);
    await eventually(() => received.length >= 2);
    assert.equal(received[1].id, received[0].id, 'the same event again');
    await phone.close();
  });

  test('the list and the deliveries at laptop size', async () => {
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const page = await laptop.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, ...OWNER);
    await page.goto(`${server.url}/admin/webhooks`);
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'webhooks-1280.png', { fullPage: true });
    await page.locator('table.webhooks-list a.url').first().click();
    await page.waitForSelector('table.deliveries-list');
    await page.locator('table.deliveries-list details summary').first().click();
    assert.match(await page.locator('table.deliveries-list details pre').first().innerText(), /"type":"registration.created"/);
    await noOverflow(page);
    await shot(page, 'webhook-deliveries-1280.png', { fullPage: true });
    await laptop.close();
  });
});
