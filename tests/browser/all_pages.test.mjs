// Issue 14, the proof: every public page, every console page and the
// pipeline's static site, at 390×844, 768×1024 and 1280×800 in real headless
// Chromium: nothing wider than the screen, every console page reachable from
// the navigation at every width, and axe-core reports no violation of WCAG
// 2.2 A/AA. Screenshots: build/screenshots/walk-<width>-<page>.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { WALK_VIEWPORTS, axeViolations, launchBrowser, shot } from './browser_lib.mjs';
import { cli, request, startServer, tempDir } from '../integration/lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const STAFF = 'walk-staff-token-0123456789abcdef0123';


async function overflow(page) {
  const width = page.viewportSize().width;
  return page.evaluate((w) => {
    const over = document.documentElement.scrollWidth - w;
    if (over <= 0) return null;
    // Name the widest elements that stick out, to say what to fix.
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 1 && getComputedStyle(el).position !== 'fixed')
      .filter((el) => !el.closest('.sheet-scroll, table.list, table.snapshots, table.issues, table.outbox, .day-tabs'))
      .slice(0, 4).map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
    return `${over}px (${culprits.join(', ')})`;
  }, width);
}

async function look(page, label, width) {
  const problems = [];
  const over = await overflow(page);
  if (over) problems.push(`wider than the screen by ${over}`);
  const axe = await axeViolations(page);
  if (axe.length) problems.push(...axe.map((v) => `axe ${v}`));
  await shot(page, `walk-${width}-${label}.png`, { fullPage: false });
  return problems.map((p) => `${label} at ${width}: ${p}`);
}

describe('every page at three widths', () => {
  let tmp, server, browser, token, submission, pipelineSite, checkinList;
  const pages = {};
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/walk.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
    server = await startServer(db, ['--registration-rate', '0', '--registration-confirmation', 'page'], undefined,
      { env: { MARQUEE_STAFF_TOKENS: STAFF } });
    const reg = await request(`${server.url}/api/v1/events/hl27-008/registrations`, {
      method: 'POST', body: JSON.stringify({ name: 'Ana Lúcia', email: 'ana@example.org', answers: { children: '2', photos: 'no' } }),
      headers: { 'content-type': 'application/json' },
    });
    token = JSON.parse(reg.body.toString()).token;
    assert.ok(token, reg.body.toString());
    // A check-in list at its alarm level, with a flagged duplicate (issue 19).
    const staff = (p, body) => request(`${server.url}${p}`, { method: 'POST', body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${STAFF}` } });
    const code = JSON.parse((await request(`${server.url}/api/v1/registrations/${token}`)).body.toString()).registration.ticket_code;
    const list = await staff('/api/v1/checkin-lists', { name: 'Kulturwerft door', events: ['hl27-008'], room_capacity: 1 });
    assert.equal(list.status, 201, list.body.toString());
    checkinList = JSON.parse(list.body.toString()).id;
    assert.equal((await staff(`/api/v1/checkin-lists/${checkinList}/scans`, { scans: [{ device: 'gate', scan_id: '1', code },
      { device: 'phone', scan_id: '1', code, offline: true }] })).status, 200);
    // A submission to moderate.
    const form = await request(`${server.url}/submit`);
    const csrf = [].concat(form.headers['set-cookie']).find((c) => c.startsWith('marquee_submit_csrf=')).split(';')[0].split('=')[1];
    const sub = await request(`${server.url}/submit`, {
      method: 'POST', body: new URLSearchParams({ csrf_token: csrf, website: '', title: 'Lantern workshop', starts_at: '2027-06-12 18:00',
        ends_at: '20:00', time_zone: 'Europe/Berlin', venue: 'Kulturwerft', host_name: 'Hugo Host', host_email: 'hugo@example.org',
        description: 'Make a lantern.' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_submit_csrf=${csrf}` },
    });
    submission = sub.headers.location;
    assert.match(submission ?? '', /^\/submissions\//, `submission accepted: ${sub.status} ${sub.body}`);
    // The pipeline's static site.
    const drive = path.join(tmp.dir, 'drive');
    assert.equal(cli(['pipeline', 'init', drive, '--example']).status, 0);
    assert.equal(cli(['pipeline', 'build', drive]).status, 0);
    pipelineSite = path.join(drive, 'out/public/site');
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); tmp?.remove(); });

  test('dark mode (prefers-color-scheme) keeps every colour readable', async () => {
    const context = await browser.newContext({ ...WALK_VIEWPORTS.laptop, colorScheme: 'dark' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = [];
    for (const [label, url] of Object.entries({ programme: '/', event: '/events/hl27-008', register: '/events/hl27-008/register',
      personal: `/r/${token}`, changelog: '/changelog', submit: '/submit', agenda: '/agenda', offline: '/offline' })) {
      await page.goto(`${server.url}${url}`);
      problems.push(...await look(page, `dark-${label}`, 'laptop'));
    }
    await page.goto(`${server.url}/admin/login`);
    await page.fill('input[name=email]', OWNER[0]);
    await page.fill('input[name=password]', OWNER[1]);
    await Promise.all([page.waitForURL(/\/admin$/), page.click('form button[type=submit]')]);
    for (const [label, url] of Object.entries({ dashboard: '/admin', events: '/admin/events', publishing: '/admin/publishing',
      notifications: '/admin/notifications', 'check-in': '/admin/check-in', settings: '/admin/settings' })) {
      await page.goto(`${server.url}${url}`);
      problems.push(...await look(page, `dark-console-${label}`, 'laptop'));
    }
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(21, 21, 24)', 'the dark palette applies');
    await context.close();
    assert.deepEqual(problems, []);
  });

  for (const [width, device] of Object.entries(WALK_VIEWPORTS)) {
    test(`public pages at ${width}`, async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems = [];
      const walk = {
        programme: '/', day: '/?day=2027-06-13', search: '/?q=walk&category=Tours', event: '/events/hl27-008',
        register: '/events/hl27-008/register', personal: `/r/${token}`, changelog: '/changelog', submit: '/submit',
        'submission-status': submission, 'lost-link': '/registration/lost-link', 'not-found': '/events/no-such-event',
        agenda: '/agenda', offline: '/offline',
      };
      for (const [label, url] of Object.entries(walk)) {
        await page.goto(`${server.url}${url}`);
        problems.push(...await look(page, label, width));
      }
      for (const file of ['index.html', 'summaries.html', 'corrections.html']) {
        await page.goto(pathToFileURL(path.join(pipelineSite, file)).href);
        problems.push(...await look(page, `pipeline-${file.replace('.html', '')}`, width));
      }
      await context.close();
      assert.deepEqual(problems, []);
    });

    test(`console pages at ${width}, each reached from the navigation`, async () => {
      const context = await browser.newContext(device);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems = [];
      await page.goto(`${server.url}/admin/login`);
      problems.push(...await look(page, 'console-login', width));
      await page.fill('input[name=email]', OWNER[0]);
      await page.fill('input[name=password]', OWNER[1]);
      await Promise.all([page.waitForURL(/\/admin$/), page.click('form button[type=submit]')]);
      const navLinks = async () => {
        if (await page.locator('.console-menu summary').isVisible()) {
          if (!(await page.locator('.console-menu').getAttribute('open') !== null)) await page.click('.console-menu summary');
        }
        return page.locator('nav[aria-label="Console"] a').filter({ visible: true });
      };
      const labels = await (await navLinks()).allTextContents();
      assert.ok(labels.length >= 11, `navigation: ${labels}`);
      for (const label of labels) {
        // The door scanner is an app of its own, with its own bar: back to the console from there.
        if (!(await page.locator('nav[aria-label="Console"]').count())) await page.goto(`${server.url}/admin`);
        const link = (await navLinks()).filter({ hasText: new RegExp(`^${label}$`) });
        // Wait for the page the link names (waitForLoadState alone may see the page being left).
        const href = await link.getAttribute('href');
        // (/door goes straight to the scanner when there is one list.)
        await Promise.all([page.waitForURL((u) => u.pathname === href || u.pathname.startsWith(`${href}/`), { waitUntil: 'load' }),
          link.click()]);
        assert.equal(await page.locator('h1').count() > 0, true, `${label} has a heading`);
        problems.push(...await look(page, `console-${label.toLowerCase().replace(/\W+/g, '-')}`, width));
      }
      const deeper = {
        'event-form': '/admin/events/hl27-008', 'new-event': '/admin/events/new', attendee: '/admin/attendees/hl27-008',
        snapshot: '/admin/snapshots/1', 'demo-remove': '/admin/demo', 'submission': '/admin/submissions/1',
        'bulk-confirm': null, 'checkin-list-new': '/admin/checkin-lists/new', 'checkin-list': `/admin/checkin-lists/${checkinList}`,
        'door-list-print': `/admin/checkin-lists/${checkinList}/print`, 'door-scanner': `/door/${checkinList}`,
      };
      for (const [label, url] of Object.entries(deeper)) {
        if (!url) continue;
        await page.goto(`${server.url}${url}`);
        problems.push(...await look(page, `console-${label}`, width));
        if (label === 'attendee') {
          // The attendee list keeps Check-in on screen (issue 14: it was pushed off on a phone).
          const box = await page.locator('table.attendees button', { hasText: 'Check in' }).first().boundingBox();
          if (!box || box.x + box.width > page.viewportSize().width) problems.push(`console-attendee at ${width}: Check-in is off screen`);
        }
      }
      await context.close();
      assert.deepEqual(problems, []);
    });
  }
});
