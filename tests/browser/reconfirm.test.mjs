// Issue 21, "Still coming?" in real headless Chromium on a phone: an asked
// attendee answers "Yes, I'm coming" from their personal page (the question
// goes away, the place stays); another releases their place (the person
// waiting gets it at once). axe-core finds no WCAG 2.2 A/AA violation and
// nothing is wider than the phone. Screenshots: build/screenshots/reconfirm-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot } from './browser_lib.mjs';
import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'c1,Harbour talk: letterpress in the age of screens,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,2,true,true,published\n';
const START = Date.UTC(2031, 5, 11, 17, 0) / 1000;
const json = (r) => JSON.parse(r.body.toString());

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
}

describe('still coming?', () => {
  let tmp, server, browser, db;
  const tokens = {};
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/reconfirm.db`;
    const file = path.join(tmp.dir, 'programme.csv');
    writeFileSync(file, CSV);
    assert.equal(cli(['import', file, '--db', db, '--publish']).status, 0);
    assert.equal(cli(['attendees', 'settings', 'c1', '--db', db, '--reconfirm', '48', '--reconfirm-release', '24']).status, 0);
    server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
    for (const who of ['ana', 'bo', 'cy']) {
      const r = await request(`${server.url}/api/v1/events/c1/registrations`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Person ${who}`, email: `${who}@example.org` }),
      });
      tokens[who] = json(r).token;
    }
    assert.equal(cli(['attendees', 'reconfirm', '--db', db, '--at', String(START - 48 * 3600)]).stdout.trim(), '2 asked, 0 released');
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  test('yes on a phone keeps the place; release gives it to the person waiting', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.ana}`);
    const block = page.locator('.reconfirm');
    assert.ok(await block.isVisible());
    assert.match(await block.innerText(), /Still coming\? Please answer by Tuesday 10 June 2031, 19:00/);
    assert.equal(await page.locator('details.cancel').count(), 1, 'only the release, no second cancel form');
    assert.deepEqual(await axeViolations(page), []);
    await noOverflow(page);
    await shot(page, 'reconfirm-390.png', { fullPage: true });
    await Promise.all([page.waitForURL(/reconfirm=yes/), page.getByRole('button', { name: "Yes, I'm coming" }).click()]);
    assert.match(await page.locator('.notice').innerText(), /your place is kept/);
    assert.equal(await page.locator('.reconfirm').count(), 0);

    await page.goto(`${server.url}/r/${tokens.bo}`);
    await page.getByText("I can't come: release my place").click();
    await Promise.all([page.waitForURL(/reconfirm=released/), page.getByRole('button', { name: 'Yes, release my place' }).click()]);
    assert.match(await page.locator('.notice').innerText(), /Your place is released/);
    assert.deepEqual(await axeViolations(page), []);
    await noOverflow(page);
    await shot(page, 'reconfirm-released-390.png', { fullPage: true });
    const cy = json(await request(`${server.url}/api/v1/registrations/${tokens.cy}`)).registration;
    assert.equal(cy.state, 'confirmed', 'the person waiting got the place');
    await phone.close();
  });
});
