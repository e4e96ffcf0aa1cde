// The admin console in real headless Chromium (Debian chromium driven by
// playwright-core), on a phone and on a laptop: sign in, edit a title in the
// sheet, see the error and the warning of bad dates on the cell, publish and
// see the change on the public page, roll back, approve a host submission and
// see it after publishing, and a door user who can check in but cannot open
// the sheet.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser, shot } from './browser_lib.mjs';

import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const DOOR = ['door@example.org', 'door password 1234'];


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function signIn(page, url, [email, password]) {
  await page.goto(`${url}/admin/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(new RegExp(`^${url}/(admin|door)$`)), page.click('form button[type=submit]')]);
}

for (const [name, device] of Object.entries(VIEWPORTS)) {
  describe(`console on a ${name}`, () => {
    let tmp, server, db;
    before(async () => {
      tmp = tempDir();
      db = `sqlite:///${tmp.dir}/console.db`;
      assert.equal(cli(['migrate', '--db', db]).status, 0);
      for (const [[email, password], role] of [[OWNER, 'owner'], [DOOR, 'door']])
        assert.equal(cli(['user', 'add', email, '--role', role, '--db', db], { input: `${password}\n` }).status, 0);
      server = await startServer(db, ['--insecure-cookies']);
    });
    after(async () => { await server?.stop(); tmp?.remove(); });

    test('edit in the sheet, bad dates on the cell, publish, see it public, roll back', async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, OWNER);
      assert.match(await page.locator('h1').textContent(), /Dashboard/);
      await shot(page, `console-dashboard-${name}.png`);

      await page.goto(`${server.url}/admin/events?q=typography`);
      const title = page.locator('#row-hl27-001 td[data-field=title]');
      const newTitle = `Typography Tales (${name} edit)`;
      if (name === 'desktop') {
        await title.focus();
        await page.keyboard.press('Enter');
      } else {
        await title.tap();
      }
      const input = page.locator('#row-hl27-001 td[data-field=title] input[name=value]');
      await input.fill(newTitle);
      await input.press('Enter');
      await page.locator('#row-hl27-001 td[data-field=title] .v', { hasText: newTitle }).waitFor();
      if (name === 'desktop') {
        // The edited cell keeps the focus; arrow keys move along the row.
        await page.waitForFunction(() => document.activeElement?.getAttribute('data-field') === 'title');
        await page.keyboard.press('ArrowRight');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-field')), 'starts_at');
      }

      const start = page.locator('#row-hl27-001 td[data-field=starts_at]');
      await start.click();
      const startInput = page.locator('#row-hl27-001 td[data-field=starts_at] input[name=value]');
      await startInput.fill('2027-02-30 19:00');
      await startInput.press('Enter');
      await page.locator('#row-hl27-001 td[data-field=starts_at] .cell-error').waitFor();
      assert.match(await page.locator('#row-hl27-001 td[data-field=starts_at] .cell-error').textContent(), /not a date/);
      // Issue 14: the refused edit keeps what was typed; Escape clears the error.
      const kept = page.locator('#row-hl27-001 td[data-field=starts_at] input[name=value]');
      assert.equal(await kept.inputValue(), '2027-02-30 19:00');
      assert.equal(await kept.getAttribute('aria-invalid'), 'true');
      await kept.press('Escape');
      await page.locator('#row-hl27-001 td[data-field=starts_at]:not(.has-error) .v', { hasText: '2027-06-11 10:00' }).waitFor();
      assert.equal(await page.locator('#row-hl27-001 td[data-field=starts_at] .cell-error').count(), 0);
      await page.locator('#row-hl27-001 td[data-field=starts_at]').click();
      const again = page.locator('#row-hl27-001 td[data-field=starts_at] input[name=value]');
      await again.fill('2020-06-11 10:00');
      await again.press('Enter');
      await page.locator('#row-hl27-001 td[data-field=starts_at] .cell-warning').waitFor();
      assert.match(await page.locator('#row-hl27-001 td[data-field=starts_at] .cell-warning').textContent(), /past/);
      await shot(page, `console-sheet-${name}.png`);
      // Put the date back for the public page.
      await page.locator('#row-hl27-001 td[data-field=starts_at]').click();
      const back = page.locator('#row-hl27-001 td[data-field=starts_at] input[name=value]');
      await back.fill('2027-06-11 10:00');
      await back.press('Enter');
      await page.locator('#row-hl27-001 td[data-field=starts_at]:not(.has-warning) .v', { hasText: '2027-06-11 10:00' }).waitFor();

      await page.goto(`${server.url}/admin/publishing`);
      assert.match(await page.locator('.change-count').textContent(), /^[1-9]/);
      await page.fill('#f-note', 'title fix');
      await Promise.all([page.waitForURL(/notice=published/), page.click('.publish-form button[type=submit]')]);
      assert.match(await page.locator('.notice').textContent(), /Published/);
      const publicPage = await context.newPage();
      await publicPage.goto(`${server.url}/events/hl27-001`);
      assert.equal(await publicPage.locator('h1').textContent(), newTitle);

      await page.locator('a', { hasText: 'Roll back to this' }).first().click();
      assert.match(await page.locator('h1').textContent(), /Roll back to snapshot/);
      assert.match(await page.locator('.changes').textContent(), /hl27-001/);
      await Promise.all([page.waitForURL(/notice=rolled-back/), page.click('button.danger')]);
      await publicPage.reload();
      assert.match(await publicPage.locator('h1').textContent(), /^Guided walk: Ümlaut & Accent: Typography Tales$/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width));
      assert.ok(overflow <= 0, `publishing page overflows by ${overflow}px`);

      // The notifications page: counts, the outbox, the settings form; usable on a phone.
      await page.goto(`${server.url}/admin/notifications`);
      assert.equal(await page.locator('h1').textContent(), 'Notifications');
      assert.match(await page.locator('.count-pending').textContent(), /^\d+$/);
      assert.ok(await page.locator('input[name=field_starts_at]').isChecked());
      await shot(page, `console-notifications-${name}.png`, { fullPage: true });
      const notifyOverflow = await page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width));
      assert.ok(notifyOverflow <= 0, `notifications page overflows by ${notifyOverflow}px`);
      await context.close();
    });

    test('a host submits an event; an editor approves it; it is public after publishing', async () => {
      const hostContext = await browser.newContext(device);
      const host = await hostContext.newPage();
      host.setDefaultTimeout(15_000);
      await host.goto(`${server.url}/submit`);
      await host.fill('#f-title', `Harbour Jam (${name})`);
      await host.fill('#f-starts_at', '2027-06-12 20:00');
      await host.fill('#f-ends_at', '2027-06-12 22:00');
      await host.fill('#f-venue', 'Pier 5');
      await host.fill('#f-host_name', 'Ana Host');
      await host.fill('#f-host_email', 'ana@example.org');
      const trap = await host.locator('#f-website').boundingBox();
      assert.ok(!trap || trap.x + trap.width <= 0, 'the honeypot field is off screen');
      await Promise.all([host.waitForURL(/\/submissions\//), host.click('form button[type=submit]')]);
      assert.equal(await host.locator('.state').textContent(), 'pending');
      const statusUrl = host.url();

      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, OWNER);
      await page.goto(`${server.url}/admin/submissions`);
      await page.click(`a:has-text("Harbour Jam (${name})")`);
      await page.fill('#f-title', `Harbour Jam Session (${name})`);
      await Promise.all([page.waitForURL(/notice=approved/), page.click('button:has-text("Approve")')]);
      await host.goto(statusUrl);
      assert.equal(await host.locator('.state').textContent(), 'approved');
      const eventHref = await host.locator('a[href^="/events/"]').getAttribute('href');

      await page.goto(`${server.url}/admin/publishing`);
      await Promise.all([page.waitForURL(/notice=published/), page.click('.publish-form button[type=submit]')]);
      await host.goto(`${server.url}${eventHref}`);
      assert.equal(await host.locator('h1').textContent(), `Harbour Jam Session (${name})`);
      await shot(host, `console-submission-${name}.png`);
      await context.close();
      await hostContext.close();
    });

    test('saving the event form untouched records no change (issue 14: CRLF from the textarea)', async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, OWNER);
      const etag = async () => (await page.request.get(`${server.url}/api/v1/admin/events/hl27-001`)).headers().etag;
      const before = await etag();
      assert.ok(before);
      await page.goto(`${server.url}/admin/events/hl27-001`);
      assert.match(await page.locator('#f-description').inputValue(), /\n/, 'a description with several lines');
      await Promise.all([page.waitForLoadState(), page.click('form button[type=submit]:has-text("Save")')]);
      assert.equal(await page.locator('.alert, .field-error').count(), 0, 'the form was accepted');
      assert.equal(await etag(), before, 'the stored event did not change');
      await context.close();
    });

    test('the navigation is visible and complete at this width (issue 14)', async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, OWNER);
      if (name === 'phone') await page.click('summary:has-text("Menu")');
      for (const label of ['Dashboard', 'Events', 'Import', 'Submissions', 'Publishing', 'Notifications', 'Attendees',
        'Check-in', 'Users', 'Settings', 'Audit log']) {
        const link = page.locator('nav[aria-label="Console"] a', { hasText: new RegExp(`^${label}$`) }).filter({ visible: true });
        assert.equal(await link.count(), 1, `${label} is visible in the navigation on a ${name}`);
      }
      await page.locator('nav[aria-label="Console"] a', { hasText: /^Import$/ }).filter({ visible: true }).click();
      await page.waitForURL(/\/admin\/import$/);
      await context.close();
    });

    test('door staff check tickets in but cannot open the sheet', async () => {
      const reg = await request(`${server.url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
        body: JSON.stringify({ name: `Guest ${name}`, email: `guest-${name}@example.org` }), headers: { 'content-type': 'application/json' } });
      assert.ok([201, 202].includes(reg.status), reg.body.toString());
      const code = JSON.parse(reg.body).registration.ticket_code;
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, server.url, DOOR);
      assert.match(page.url(), /\/door$/, 'door staff land on the door scanner');
      // No check-in list yet: the scanner's chooser points to the console's check-in page.
      await Promise.all([page.waitForURL(/\/admin\/check-in$/), page.click('a[href="/admin/check-in"]')]);
      await page.fill('#f-code', code);
      await Promise.all([page.waitForLoadState(), page.click('form.event-form button[type=submit]')]);
      await page.locator('.checkin-outcome').waitFor();
      assert.equal(await page.locator('.checkin-outcome .headline').textContent(), `✓ Checked in: Guest ${name}`);
      await shot(page, `console-checkin-${name}.png`);
      const sheet = await page.goto(`${server.url}/admin/events`);
      assert.equal(sheet.status(), 403);
      assert.match(await page.locator('body').textContent(), /may not do this/);
      await context.close();
    });
  });
}
