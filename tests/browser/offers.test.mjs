// Issue 21, waiting-list offers in real headless Chromium: a place offered
// to a waitlisted attendee is accepted on a phone from the personal page; a
// second one is declined at laptop size; the console's attendee list shows
// the waiting-list settings and the open offer, and offers a place by hand.
// axe-core finds no WCAG 2.2 A/AA violation on these pages; nothing is wider
// than the phone. Screenshots: build/screenshots/offer-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot, signIn } from './browser_lib.mjs';
import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const STAFF = 'offers-browser-staff-token-0123456789';
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'o1,Harbour talk: letterpress in the age of screens,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,1,true,true,published\n';

const json = (r) => JSON.parse(r.body.toString());
const post = (url, body, headers = {}) => request(url, {
  method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json', ...headers },
});

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
}

describe('waiting-list offers', () => {
  let tmp, db, server, browser;
  const tokens = {};
  const ids = {};
  const register = async (who) => {
    const r = await post(`${server.url}/api/v1/events/o1/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
    assert.ok([201, 202].includes(r.status), r.body.toString());
    tokens[who] = json(r).token;
    ids[who] = json(r).registration.id;
  };

  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/offers.db`;
    const file = path.join(tmp.dir, 'programme.csv');
    writeFileSync(file, CSV);
    assert.equal(cli(['import', file, '--db', db, '--publish']).status, 0);
    assert.equal(cli(['attendees', 'settings', 'o1', '--db', db, '--promotion', 'offer', '--offer-hours', '12']).status, 0);
    server = await startServer(db, ['--registration-rate', '0', '--no-seed'], undefined, { env: { MARQUEE_STAFF_TOKENS: STAFF } });
    for (const who of ['ana', 'bo', 'cy', 'dee']) await register(who);
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  test('accept a held place on a phone', async () => {
    assert.equal((await post(`${server.url}/api/v1/registrations/${tokens.ana}/cancel`)).status, 200);
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.bo}`);
    assert.equal(await page.locator('h1').textContent(), 'A place is free for you');
    assert.match(await page.locator('.status').textContent(), /held for you until \w+day \d+ \w+ 20\d\d, \d\d:\d\d \(Europe\/Berlin\)/);
    assert.equal(await page.locator('.cancel summary', { hasText: 'Cancel my registration' }).count(), 0, 'declining is the way out');
    const accept = page.getByRole('button', { name: 'Accept the place' });
    const box = await accept.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 300, `a big target: ${JSON.stringify(box)}`);
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'offer-phone-open.png', { fullPage: true });
    await Promise.all([page.waitForURL(/\?offer=accepted$/), accept.click()]);
    assert.equal(await page.locator('h1').textContent(), "You're registered");
    assert.equal(await page.locator('.notice').textContent(), 'The place is yours: your registration is confirmed.');
    assert.equal(await page.locator('.ticket .qr svg').count(), 1, 'the ticket is there');
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'offer-phone-accepted.png', { fullPage: true });
    await phone.close();
  });

  test('decline at laptop size: the place goes to the next person', async () => {
    assert.equal((await post(`${server.url}/api/v1/registrations/${tokens.bo}/cancel`)).status, 200);
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const page = await laptop.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.cy}`);
    await page.getByText("I can't come: decline").click();
    await shot(page, 'offer-laptop-decline.png', { fullPage: true });
    assert.deepEqual(await axeViolations(page), []);
    await Promise.all([page.waitForURL(/\?offer=declined$/), page.getByRole('button', { name: 'Yes, decline the place' }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Registration cancelled');
    assert.match(await page.locator('.notice').textContent(), /goes to the next person waiting/);
    const dee = json(await request(`${server.url}/api/v1/registrations/${tokens.dee}`));
    assert.equal(dee.offer.state, 'open', 'dee is offered the place now');
    await laptop.close();
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`the console's waiting list at ${name} size: settings, the open offer, an offer by hand`, async () => {
      if (name === 'phone') {
        assert.equal(cli(['user', 'add', 'ops@example.org', '--role', 'operations', '--db', db], { input: 'ops password 12345\n' }).status, 0);
        await register('eve');
      }
      const context = await browser.newContext(viewport);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, 'ops@example.org', 'ops password 12345');
      await page.goto(`${server.url}/admin/attendees/o1`);
      assert.match(await page.locator('details.waiting-list-settings summary').textContent(), /offered for 12 h · transfers off · reminders as installed/);
      assert.match(await page.locator('table.attendees').textContent(), /place offered until/);
      await noOverflow(page);
      assert.deepEqual(await axeViolations(page), []);
      await shot(page, `offer-console-${name}.png`, { fullPage: true });
      if (name === 'desktop') {
        // eve waits behind dee's open offer: offered by hand with one more place.
        const row = page.locator('tr', { hasText: 'eve@example.org' });
        await Promise.all([page.waitForURL(/notice=offer-made/), row.getByRole('button', { name: 'Offer a place (+1 place)' }).click()]);
        assert.match(await page.locator('.notice').textContent(), /Place offered/);
        assert.match(await page.locator('tr', { hasText: 'eve@example.org' }).textContent(), /place offered until/);
        assert.match(await page.locator('main').textContent(), /Places: 2/);
      }
      await context.close();
    });
  }
});
