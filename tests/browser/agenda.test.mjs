// Issue 20, "My agenda" in real headless Chromium: stars on the programme and
// on event pages, the agenda by day with an overlap flagged and a walk
// between venues noted, a sync link opened in a second browser (another
// device) showing the same agenda, a change there reaching the first; axe-core
// finds no WCAG 2.2 A/AA violation at phone and laptop size; nothing wider
// than the screen. Screenshots: build/screenshots/agenda-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot } from './browser_lib.mjs';
import { request, startServer, tempDir } from '../integration/lib.mjs';



describe('my agenda', () => {
  let tmp, server, browser, overlap, other;
  before(async () => {
    tmp = tempDir();
    server = await startServer(`sqlite:///${tmp.dir}/agenda.db`);
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
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

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
});
