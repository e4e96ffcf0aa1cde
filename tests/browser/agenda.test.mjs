// Issue 20, "My agenda" in real headless Chromium: stars on the programme and
// on event pages, the agenda by day with an overlap flagged and a walk
// between venues noted, a sync link opened in a second browser (another
// device) showing the same agenda, a change there reaching the first; axe-core
// finds no WCAG 2.2 A/AA violation at phone and laptop size; nothing wider
// than the screen. E-mail alerts for the agenda against a real SMTP server on
// loopback: ask with the keyboard, confirm on the linked page, get the alert
// of a published move, stop it on the one-click page. Screenshots:
// build/screenshots/agenda-*.png, alert-*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot } from './browser_lib.mjs';
import { cli, eventually, request, startServer, tempDir } from '../integration/lib.mjs';
import { readMessages, startSink } from '../integration/mail_lib.mjs';

const STAFF = 'agenda-staff-token-0123456789abcdef';

describe('my agenda', () => {
  let tmp, server, browser, overlap, other, sink, mailDir;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/agenda.db`;
    mailDir = `${tmp.dir}/mail`;
    mkdirSync(mailDir);
    sink = await startSink(mailDir);
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    assert.equal(cli(['notify', 'settings', '--db', db, '--quiet-seconds', '0']).status, 0);
    server = await startServer(db, ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--mail-from', 'programme@example.org',
      '--notify-poll-ms', '100', '--public-url', 'http://127.0.0.1:9'], undefined, { env: { MARQUEE_STAFF_TOKENS: STAFF } });
    // Two events that overlap and a third on the same day that does not, from the bundled programme.
    const events = JSON.parse((await request(`${server.url}/api/v1/events?limit=500`)).body.toString()).events
      .filter((e) => e.status !== 'cancelled' && !e.all_day).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    for (let i = 0; i < events.length && !overlap; ++i)
      for (let j = i + 1; j < events.length && !overlap; ++j)
        if (events[j].starts_at < events[i].ends_at && events[i].local_starts_at.slice(0, 10) === events[j].local_starts_at.slice(0, 10))
          overlap = [events[i], events[j]];
    assert.ok(overlap, 'two overlapping events in the bundled programme');
    other = events.find((e) => e.local_starts_at.slice(0, 10) === overlap[0].local_starts_at.slice(0, 10) &&
      (e.starts_at >= overlap[1].ends_at && e.starts_at >= overlap[0].ends_at));
    assert.ok(other, 'a later event the same day');
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); await sink?.stop(); tmp?.remove(); });

  test('star, see the agenda with its overlap, sync to a second device and back', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    for (const e of [...overlap, other]) {
      await page.goto(`${server.url}/events/${e.key}`);
      const star = page.locator('.star-row .star');
      assert.equal(await star.getAttribute('aria-pressed'), 'false');
      await star.click();
      assert.equal(await star.getAttribute('aria-pressed'), 'true');
    }
    await shot(page, 'agenda-phone-event-starred.png');
    // The programme shows the stars too.
    await page.goto(`${server.url}/`);
    await page.waitForSelector('li.event-card .star');
    await page.click('.site-header nav a[href="/agenda"]');
    await page.waitForSelector('#agenda[data-ready="1"]');
    await page.waitForSelector('#agenda-alerts:not([hidden])');
    const items = page.locator('.agenda-item');
    assert.equal(await items.count(), 3);
    assert.equal(await page.locator('.agenda-item.overlap').count(), 2);
    assert.match(await page.locator('.agenda-item.overlap .clash').first().textContent(), new RegExp(`Overlaps with ${overlap[1].title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'agenda-phone.png', { fullPage: true });

    // A sync link; the second device opens it and sees the same agenda.
    await page.click('#agenda-sync-start');
    // The link appears once the agenda is made and this device's stars are sent.
    await page.waitForFunction(() => document.getElementById('agenda-link').value.includes('#t='));
    const link = await page.inputValue('#agenda-link');
    assert.match(link, /\/agenda#t=[A-Za-z0-9_-]{43}$/);
    const token = link.split('#t=')[1];
    assert.deepEqual(JSON.parse((await request(`${server.url}/api/v1/agendas/${token}`)).body.toString()).events.sort(),
      [...overlap, other].map((e) => e.key).sort());
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const second = await laptop.newPage();
    second.setDefaultTimeout(15_000);
    await second.goto(link);
    await second.waitForSelector('#agenda[data-ready="1"]');
    await second.waitForSelector('#agenda-alerts:not([hidden])');
    assert.equal(new URL(second.url()).hash, '', 'the token leaves the address bar');
    assert.equal(await second.locator('.agenda-item').count(), 3);
    assert.deepEqual(await axeViolations(second), []);
    await shot(second, 'agenda-laptop.png', { fullPage: true });
    // Unstarring there reaches the first device on its next visit.
    await second.locator('.agenda-item .star').last().click();
    await second.waitForFunction(() => document.querySelectorAll('.agenda-item').length === 2);
    await second.waitForFunction(async (t) => (await (await fetch(`/api/v1/agendas/${t}`)).json()).events.length === 2, token);
    await page.reload();
    await page.waitForSelector('#agenda[data-ready="1"]');
    assert.equal(await page.locator('.agenda-item').count(), 2);
    // The calendar link of the agenda.
    const ics = await request(`${server.url}/agenda/${token}/calendar.ics`);
    assert.equal(ics.status, 200);
    assert.equal((ics.body.toString().match(/BEGIN:VEVENT/g) || []).length, 2);
    await phone.close();
    await laptop.close();
  });

  test('e-mail alerts: ask by keyboard, confirm on the linked page, get the alert of a move, stop it in one click', async () => {
    const messages = async (n) => eventually(async () => {
      const all = await readMessages(mailDir);
      return all.length >= n && all;
    }, 20_000);
    const local = (url) => `${server.url}${new URL(url).pathname}`;
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/events/${other.key}`);
    await page.click('.star-row .star');
    await page.goto(`${server.url}/agenda`);
    await page.waitForSelector('#agenda[data-ready="1"]');
    await page.waitForSelector('#agenda-alerts:not([hidden])');
    assert.ok(await page.isHidden('#agenda-alerts-stop'));
    // A wrong address is named at the field; the right one, sent with Enter, asks for confirmation.
    await page.focus('#alert-email');
    await page.keyboard.type('nope');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert-email-error:not([hidden])');
    assert.equal(await page.getAttribute('#alert-email', 'aria-invalid'), 'true');
    await page.fill('#alert-email', 'ada@example.org');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('agenda-alerts-state').textContent.includes('Almost done'));
    assert.match(await page.textContent('#agenda-alerts-state'), /a•••@example\.org/);
    assert.ok(await page.isVisible('#agenda-link'), 'asking for alerts made the sync link');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'agenda-phone-alerts.png', { fullPage: true });

    // The confirmation message's link shows a button; pressing it (keyboard) confirms.
    const [confirmation] = await messages(1);
    assert.equal(confirmation.to, 'ada@example.org');
    const confirmUrl = confirmation.text.match(/(http:\/\/\S+\/alerts\/confirm\/[A-Za-z0-9_-]{43})/)[1];
    await page.goto(local(confirmUrl));
    assert.equal(await page.textContent('h1'), 'Confirm e-mail alerts');
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'alert-confirm-phone.png', { fullPage: true });
    await page.focus('main form button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(await page.textContent('h1'), 'E-mail alerts are on');
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${server.url}/agenda`);
    await page.waitForFunction(() => document.getElementById('agenda-alerts-state').textContent.includes('Alerts go to'));
    assert.ok(await page.isVisible('#agenda-alerts-stop'));
    assert.ok(await page.isHidden('#agenda-alerts-form'));

    // The event moves to another room and is published: one alert with a one-click unsubscribe.
    const auth = { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' };
    const current = await request(`${server.url}/api/v1/admin/events/${other.key}`, { headers: auth });
    const patched = await request(`${server.url}/api/v1/admin/events/${other.key}`, { method: 'PATCH',
      body: JSON.stringify({ room: 'The Loft' }), headers: { ...auth, 'if-match': current.headers.etag } });
    assert.equal(patched.status, 200, patched.body.toString());
    assert.equal((await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{}', headers: auth })).status, 201);
    const alert = (await messages(2))[1];
    assert.match(alert.subject, new RegExp(`^Changed: ${other.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(alert.text, /Room: .*now The Loft/);
    const unsubscribe = alert.header('List-Unsubscribe').slice(1, -1);
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const desk = await laptop.newPage();
    desk.setDefaultTimeout(15_000);
    await desk.goto(local(unsubscribe));
    assert.equal(await desk.textContent('h1'), 'Stop e-mail alerts?');
    assert.deepEqual(await axeViolations(desk), []);
    await shot(desk, 'alert-unsubscribe-laptop.png', { fullPage: true });
    await Promise.all([desk.waitForNavigation(), desk.click('main form button')]);
    assert.equal(await desk.textContent('h1'), 'E-mail alerts are off');
    await page.reload();
    await page.waitForFunction(() => !document.getElementById('agenda-alerts-form').hidden);
    assert.ok(await page.isHidden('#agenda-alerts-stop'));
    await phone.close();
    await laptop.close();
  });
});
