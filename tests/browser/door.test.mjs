// Issue 19, the proof of the door app in real headless Chromium with a fake
// camera: the video is made in the test (Debian's ffmpeg) from a real
// ticket's QR code, which carries its Ed25519-signed payload. The door page
// reads it and admits the attendee; a second read is refused as already
// inside; an exit then a re-entry work on a re-entry list. Offline (the
// browser context's network cut), codes typed or found by name are decided on
// the phone, kept in IndexedDB, the page reloads from the service worker,
// and everything is sent when the network returns; a second phone that was
// offline too gets its duplicate flagged; a forged QR code is refused.
// Screenshots at 390×844 and 1280×800: build/screenshots/door-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser, shot, signIn } from './browser_lib.mjs';
import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const STAFF = 'door-staff-token-0123456789abcdef0123';
const DOOR = ['door@example.org', 'door password 1234'];
const DOOR2 = ['door2@example.org', 'door password 5678'];  // sign-ins are limited to 5 per account and window
const PEOPLE = ['Ana Lúcia Gate', 'Bruno Offline', 'Carla Nomen'];
const staff = (url, method = 'GET', body = undefined) => request(url, {
  method, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${STAFF}` },
});
const json = (r) => JSON.parse(r.body.toString());

describe('the door app on a phone', () => {
  let tmp, db, server, browser, list, tickets = [];
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/door.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    for (const [email, password] of [DOOR, DOOR2])
      assert.equal(cli(['user', 'add', email, '--role', 'door', '--db', db], { input: `${password}\n` }).status, 0);
    server = await startServer(db, ['--registration-rate', '0', '--registration-confirmation', 'page'], undefined,
      { env: { MARQUEE_STAFF_TOKENS: STAFF } });
    for (const [i, name] of PEOPLE.entries()) {
      const reg = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
        method: 'POST', body: JSON.stringify({ name, email: `door${i}@example.org` }), headers: { 'content-type': 'application/json' },
      });
      assert.equal(reg.status, 201, reg.body.toString());
      const token = json(reg).links.self.split('/').pop();
      tickets.push({ name, token, code: json(await request(`${server.url}/api/v1/registrations/${token}`)).registration.ticket_code });
    }
    const made = await staff(`${server.url}/api/v1/checkin-lists`, 'POST',
      { name: 'Harbour stage door', events: ['hl27-023'], allow_reentry: true });
    assert.equal(made.status, 201);
    list = json(made).id;
    // The fake camera: Ana's ticket QR code (the PNG her personal page offers) as a Y4M video.
    const png = await request(`${server.url}/r/${tickets[0].token}/ticket.png`);
    assert.equal(png.status, 200);
    writeFileSync(path.join(tmp.dir, 'ticket.png'), png.body);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', path.join(tmp.dir, 'ticket.png'),
      '-vf', 'scale=440:440:flags=neighbor,pad=640:480:100:20:white,format=yuv420p', '-r', '10', '-t', '1',
      '-f', 'yuv4mpegpipe', path.join(tmp.dir, 'ticket.y4m')], { timeout: 60_000 });
    browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${path.join(tmp.dir, 'ticket.y4m')}`]);
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  const status = async () => json(await staff(`${server.url}/api/v1/checkin-lists/${list}/status`));
  const headline = (page) => page.locator('#door-result .headline');
  // Nothing wider than the screen: the page never scrolls sideways.
  const fits = async (page, what) => assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, `${what} is wider than the screen`);
  // What each page logged (door.js warns on a failed check or sync), for the message of a wait that timed out.
  const logs = new WeakMap();
  const watch = (page) => {
    logs.set(page, []);
    page.on('console', (m) => logs.get(page).push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.get(page).push(`pageerror: ${e.message}`));
    return page;
  };
  const waitHeadline = async (page, re) => {
    try {
      await page.waitForFunction(
        (src) => new RegExp(src).test(document.querySelector('#door-result .headline')?.textContent ?? ''), re.source, { timeout: 20_000 });
    } catch (e) {
      const seen = await page.evaluate(() => ({
        result: document.querySelector('#door-result')?.textContent?.trim(), net: document.querySelector('#door-net')?.textContent,
        pending: document.querySelector('#door-pending')?.textContent, onLine: navigator.onLine, url: location.href,
      })).catch((err) => ({ unreadable: String(err) }));
      throw new Error(`${e.message}\nwaited for ${re}; the page shows ${JSON.stringify(seen)}; its console: ${JSON.stringify(logs.get(page) ?? [])}`);
    }
  };

  // Clicks the match named `name` under the search box; when none comes, the error says what the page
  // shows (the box, the matches, the phone's tickets) and what it logged.
  const clickMatch = async (page, name) => {
    const button = page.locator(`#door-matches button:has-text("${name}")`);
    try {
      await button.waitFor({ timeout: 20_000 });
    } catch (e) {
      const seen = await page.evaluate(async () => {
        const db = await window.idb.openDB('marquee-door', 1);
        return {
          search: document.querySelector('#door-search')?.value, code: document.querySelector('#door-code')?.value,
          focused: document.activeElement?.id, boxHidden: document.querySelector('#door-search-box')?.hidden,
          matches: document.querySelector('#door-matches')?.textContent, tickets: (await db.getAll('tickets')).map((t) => t.name),
          onLine: navigator.onLine,
        };
      }).catch((err) => ({ unreadable: String(err) }));
      throw new Error(`${e.message}\nwaited for the match ${name}; the page shows ${JSON.stringify(seen)}; its console: ${JSON.stringify(logs.get(page) ?? [])}`);
    }
    await button.click();
  };

  test('the camera reads a signed ticket: admitted, already inside, out, in again', async () => {
    const context = await browser.newContext({ ...VIEWPORTS.phone, permissions: ['camera'] });
    const page = watch(await context.newPage());
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, DOOR[0], DOOR[1]);
    await page.goto(`${server.url}/door`);  // one list: straight to its scanner
    assert.equal(new URL(page.url()).pathname, `/door/${list}`);
    await page.waitForSelector('#main[data-ready="1"]');
    await shot(page, 'door-phone-ready.png');
    await page.click('#door-camera-start');
    await waitHeadline(page, /Admitted/);
    assert.match(await page.locator('#door-result .detail').textContent(), new RegExp(PEOPLE[0]));
    await shot(page, 'door-phone-admitted.png');
    await fits(page, 'the scanner with the camera on');
    // The code stays in front of the camera: the next read is refused, with when and where.
    await waitHeadline(page, /Already inside/);
    assert.match(await page.locator('#door-result .detail').textContent(), /came in at \d\d:\d\d through door-/);
    await shot(page, 'door-phone-already-inside.png');
    await page.click('.door-direction label:has-text("Out")');
    await waitHeadline(page, /Let out/);
    await page.click('.door-direction label:has-text("In")');
    await waitHeadline(page, /Admitted/);
    await page.click('#door-camera-stop');
    const s = await status();
    assert.deepEqual([s.inside, s.entries, s.exits], [1, 2, 1]);
    await context.close();
  });

  test('offline: typed and found by name, kept on the phone, reloaded from the service worker, sent when back online', async () => {
    const context = await browser.newContext({ ...VIEWPORTS.phone });
    const page = watch(await context.newPage());
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, DOOR[0], DOOR[1]);
    await page.goto(`${server.url}/door/${list}`);
    await page.waitForSelector('#main[data-ready="1"]');
    // The service worker controls the page and the phone holds the list's tickets.
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForSelector('#main[data-ready="1"]');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(async () => {
      const db = await window.idb.openDB('marquee-door', 1);
      return (await db.count('tickets')) >= 3;
    });

    await context.setOffline(true);
    await page.waitForFunction(() => navigator.onLine === false);  // the page knows before the first scan
    await page.fill('#door-code', tickets[1].code.toLowerCase());
    await page.click('#door-form button[type=submit]');
    await waitHeadline(page, /Admitted \(offline\)/);
    assert.match(await page.locator('#door-net').textContent(), /Offline/);
    // The scan is over (kept, counted) before the search box is typed in: at its end the page focuses the code box
    // again, and a fill caught between its focus and its typing once put the name there (CI, stop 62).
    await page.waitForFunction(() => /^1 scan waiting to be sent$/.test(document.querySelector('#door-pending').textContent));
    await page.fill('#door-search', 'nomen');
    await clickMatch(page, 'Carla Nomen');
    await waitHeadline(page, /Admitted \(offline\)/);
    await page.waitForFunction(() => document.activeElement?.id === 'door-code');  // the next ticket, typed or scanned
    await page.waitForFunction(() => /2 scans waiting to be sent/.test(document.querySelector('#door-pending').textContent));
    await page.fill('#door-code', tickets[1].code);
    await page.click('#door-form button[type=submit]');
    await waitHeadline(page, /Already inside/);  // decided on the phone as well
    await shot(page, 'door-phone-offline.png');
    await fits(page, 'the scanner offline');
    assert.equal((await status()).inside, 1, 'nothing sent while offline');
    // Without a network the page comes from the service worker's copy, the queue from IndexedDB. (The server is
    // not asked again after this reload: on a busy machine the reloaded page's upload was seen reaching the
    // server although the context was offline, a gap in the emulation; the phone's queue is what this checks.)
    const cached = await page.evaluate(async (p) => !!(await (await caches.open('marquee-door-pages-v1')).match(p)), `/door/${list}`);
    assert.ok(cached, 'the door page is kept by the service worker');
    await page.reload();
    await page.waitForSelector('#main[data-ready="1"]');
    await page.waitForFunction(() => /2 scans waiting to be sent/.test(document.querySelector('#door-pending').textContent));

    await context.setOffline(false);
    await page.waitForSelector('#door-pending', { state: 'hidden' });
    const s = await status();
    assert.deepEqual([s.inside, s.entries, s.duplicates], [3, 4, 0]);

    // A forged QR code (a signature by another key) is refused, online too.
    await page.fill('#door-code', `MQT1.${Buffer.from(`${tickets[1].code}\nhl27-023\n9999999999`).toString('base64url')}.${'A'.repeat(86)}`);
    await page.click('#door-form button[type=submit]');
    await waitHeadline(page, /Unknown code/);
    // Signing out takes the list's tickets off the phone.
    await Promise.all([page.waitForURL(/\/admin\/login/), page.click('.door-foot button[type=submit]')]);
    assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), []);
    await context.close();
  });

  test('two phones offline let the same person in: the earlier scan holds, the other is flagged', async () => {
    const reg = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
      method: 'POST', body: JSON.stringify({ name: 'Dora Twice', email: 'dora@example.org' }), headers: { 'content-type': 'application/json' },
    });
    const token = json(reg).links.self.split('/').pop();
    const code = json(await request(`${server.url}/api/v1/registrations/${token}`)).registration.ticket_code;
    const phones = [];
    for (const _ of [1, 2]) {
      const context = await browser.newContext({ ...VIEWPORTS.phone });
      const page = watch(await context.newPage());
      page.setDefaultTimeout(20_000);
      await signIn(page, server.url, DOOR2[0], DOOR2[1]);
      await page.goto(`${server.url}/door/${list}`);
      await page.waitForSelector('#main[data-ready="1"]');
      await page.waitForFunction(async (c) => {
        const db = await window.idb.openDB('marquee-door', 1);
        return !!(await db.get('tickets', [document.getElementById('main').dataset.list, c]));
      }, code);
      await context.setOffline(true);
      await page.waitForFunction(() => navigator.onLine === false);
      phones.push({ context, page });
    }
    for (const { page } of phones) {
      await page.fill('#door-code', code);
      await page.click('#door-form button[type=submit]');
      await waitHeadline(page, /Admitted \(offline\)/);
    }
    for (const { context, page } of phones) {
      await context.setOffline(false);
      await page.waitForSelector('#door-pending', { state: 'hidden' });
    }
    const s = await status();
    assert.equal(s.inside, 4, 'Dora counted once');
    assert.equal(s.duplicates, 1, 'the other phone\'s entry flagged');
    // A phone whose session ended lets nobody in on its own: it says so and asks to sign in again.
    const { context, page } = phones[0];
    await context.clearCookies();
    await page.fill('#door-code', tickets[2].code);
    await page.click('#door-form button[type=submit]');
    await waitHeadline(page, /Signed out/);
    assert.match(await page.locator('#door-net').textContent(), /Signed out/);
    assert.equal(await page.locator('#door-pending').isHidden(), true, 'nothing decided on the phone');
    assert.equal((await status()).inside, s.inside);
    for (const { context: c } of phones) await c.close();
  });

  test('the door page at laptop size, and without JavaScript', async () => {
    const context = await browser.newContext({ ...VIEWPORTS.desktop });
    const page = watch(await context.newPage());
    await signIn(page, server.url, DOOR[0], DOOR[1]);
    await page.goto(`${server.url}/door/${list}`);
    await page.waitForSelector('#main[data-ready="1"]');
    await shot(page, 'door-desktop.png');
    await fits(page, 'the scanner on a laptop');
    // A name typed while a scan is being checked (its answer held back here until then): the end of the check leaves
    // the focus and the text in the search box. Bruno is inside already, so the scan changes nothing.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/\/scans$/, async (route) => { await held; await route.continue(); });
    const sent = page.waitForRequest(/\/scans$/);
    await page.fill('#door-code', tickets[1].code);
    await page.click('#door-form button[type=submit]');
    await sent;
    await page.focus('#door-search');
    await page.keyboard.type('nom');
    assert.deepEqual(await page.evaluate(() => [document.querySelector('#door-result .headline')?.textContent,
      document.querySelector('#door-result').dataset.checking]), ['Ready', 'true'], 'the answer is still held back');
    release();
    await waitHeadline(page, /Already inside/);
    await page.waitForFunction(() => document.querySelector('#door-result').dataset.checking === 'false');
    assert.deepEqual(await page.evaluate(() => [document.activeElement?.id, document.querySelector('#door-search').value]),
      ['door-search', 'nom'], 'the search box keeps the focus and the name typed');
    await page.unroute(/\/scans$/);
    // With nothing else touched meanwhile, the code box takes the focus back for the next ticket.
    await page.fill('#door-search', '');
    await page.fill('#door-code', tickets[1].code);
    await page.click('#door-form button[type=submit]');
    await page.waitForFunction(() => document.activeElement?.id === 'door-code');
    await context.close();
    const plain = await browser.newContext({ ...VIEWPORTS.phone, javaScriptEnabled: false });
    const p = await plain.newPage();
    await signIn(p, server.url, DOOR[0], DOOR[1]);
    await p.goto(`${server.url}/door/${list}`);
    await p.fill('#door-code', tickets[2].code);
    await p.click('.door-direction label:has-text("Out")');
    await Promise.all([p.waitForURL(`${server.url}/door/${list}`), p.click('#door-form button[type=submit]')]);
    assert.match(await headline(p).textContent(), /Let out/);
    assert.match(await p.locator('#door-result .detail').textContent(), /Carla Nomen/);
    await shot(p, 'door-phone-no-javascript.png');
    assert.equal((await status()).inside, 3);
    await plain.close();
  });

  test('a ticket given up in a transfer is refused by the phone offline', async () => {
    assert.equal(cli(['attendees', 'settings', 'hl27-023', '--db', db, '--transfers', 'on']).status, 0);
    const reg = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
      method: 'POST', body: JSON.stringify({ name: 'Dana Gives', email: 'dana@example.org' }), headers: { 'content-type': 'application/json' },
    });
    assert.equal(reg.status, 201, reg.body.toString());
    const token = json(reg).token;
    const oldCode = json(reg).registration.ticket_code;
    const moved = await request(`${server.url}/api/v1/registrations/${token}/transfer`, {
      method: 'POST', body: JSON.stringify({ name: 'Emil Gets', email: 'emil@example.org' }), headers: { 'content-type': 'application/json' },
    });
    assert.equal(moved.status, 200, moved.body.toString());
    const context = await browser.newContext({ ...VIEWPORTS.phone });
    const page = watch(await context.newPage());
    page.setDefaultTimeout(20_000);
    await signIn(page, server.url, DOOR2[0], DOOR2[1]);
    await page.goto(`${server.url}/door/${list}`);
    await page.waitForSelector('#main[data-ready="1"]');
    await page.waitForFunction(async (code) => {
      const idb = await window.idb.openDB('marquee-door', 1);
      return (await idb.getAll('tickets')).some((t) => t.code === code && t.passed_on);
    }, oldCode);
    await context.setOffline(true);
    await page.waitForFunction(() => navigator.onLine === false);  // the page knows before the first scan
    await page.fill('#door-code', oldCode);
    await page.click('#door-form button[type=submit]');
    await waitHeadline(page, /Ticket passed on/);
    await shot(page, 'door-phone-passed-on.png');
    await context.setOffline(false);
    await context.close();
  });
});
