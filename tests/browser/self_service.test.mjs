// Issue 21, self-service in real headless Chromium on a phone: change the
// answers from the personal page (a wrong value named at its field first),
// then give the place to someone else (the old link stops working). axe-core
// finds no WCAG 2.2 A/AA violation on the forms and pages; nothing is wider
// than the phone; the transfer form at laptop size too. Screenshots:
// build/screenshots/self-service-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot } from './browser_lib.mjs';
import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status,questions\n' +
  's1,Harbour talk: letterpress in the age of screens,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,10,true,true,published,' +
  '"diet | choice | required | Dietary needs | None; Vegetarian; Vegan\naccess | text | optional | Access needs"\n';

const json = (r) => JSON.parse(r.body.toString());

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
}

describe('self-service', () => {
  let tmp, server, browser;
  const tokens = {};
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/self.db`;
    const file = path.join(tmp.dir, 'programme.csv');
    writeFileSync(file, CSV);
    const imported = cli(['import', file, '--db', db, '--publish']);
    assert.equal(imported.status, 0, imported.stdout + imported.stderr);
    assert.equal(cli(['attendees', 'settings', 's1', '--db', db, '--transfers', 'on']).status, 0);
    server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
    for (const who of ['ana', 'cy']) {
      const r = await request(`${server.url}/api/v1/events/s1/registrations`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Person ${who}`, email: `${who}@example.org`, answers: { diet: 'None' } }),
      });
      assert.equal(r.status, 201, r.body.toString());
      tokens[who] = json(r).token;
    }
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  test('change the answers on a phone', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.ana}`);
    await Promise.all([page.waitForURL(/\/edit$/), page.getByRole('link', { name: 'Change my name or answers' }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Change your details');
    assert.equal(await page.locator('#name').inputValue(), 'Person ana', 'prefilled');
    assert.equal(await page.locator('#q-diet').inputValue(), 'None');
    assert.equal(await page.locator('#email').count(), 0, 'the address is not changed here');
    await page.fill('#name', '');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save my details' }).click()]);
    assert.equal(await page.locator('#name').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#errors').textContent(), /Please correct/);
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'self-service-phone-edit-error.png', { fullPage: true });
    await page.fill('#name', 'Ana Lima');
    await page.selectOption('#q-diet', 'Vegan');
    await page.fill('#q-access', 'Step-free entrance, please');
    await Promise.all([page.waitForURL(/\?changed=details$/), page.getByRole('button', { name: 'Save my details' }).click()]);
    assert.equal(await page.locator('.notice').textContent(), 'Your details are saved.');
    const facts = await page.locator('dl.facts').textContent();
    assert.match(facts, /Ana Lima/);
    assert.match(facts, /Vegan/);
    assert.match(facts, /Step-free entrance, please/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'self-service-phone-saved.png', { fullPage: true });
    await phone.close();
  });

  test('give the place to someone else on a phone; the old link stops working', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.ana}`);
    await Promise.all([page.waitForURL(/\/transfer$/), page.getByRole('link', { name: 'Give my place to someone else' }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Give your place to someone else');
    assert.equal(await page.locator('#name').inputValue(), '', 'the new person, not the holder');
    await page.fill('#name', 'Cy Again');
    await page.fill('#email', 'cy@example.org');
    await page.selectOption('#q-diet', 'None');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Give my place to this person' }).click()]);
    assert.match(await page.locator('.alert[role=alert]').first().textContent(), /registered for this event already/);
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'self-service-phone-transfer.png', { fullPage: true });
    await page.fill('#name', 'Bo Berg');
    await page.fill('#email', 'bo@example.org');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Give my place to this person' }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Your place is passed on');
    assert.match(await page.locator('.status').textContent(), /now belongs to Bo Berg \(b•••@example\.org\)/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'self-service-phone-transferred.png', { fullPage: true });
    const gone = await page.goto(`${server.url}/r/${tokens.ana}`);
    assert.equal(gone.status(), 404);
    await phone.close();
  });

  test('the transfer form at laptop size', async () => {
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const page = await laptop.newPage();
    const resp = await page.goto(`${server.url}/r/${tokens.cy}/transfer`);
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Give your place to someone else');
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'self-service-laptop-transfer.png', { fullPage: true });
    await laptop.close();
  });
});
