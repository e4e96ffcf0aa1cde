// Issue 21, messages to attendees in real headless Chromium: an owner on a
// phone chooses an event, those who gave an answer, writes the message,
// counts and previews it, sends a test to themself (the SMTP sink receives
// it), then sends it; the list shows it with its recipients; a scheduled one
// is cancelled from the list at laptop size. An attendee opens the
// unsubscribe link on a phone: a GET changes nothing, the button does.
// axe-core finds no WCAG 2.2 A/AA violation; nothing is wider than the
// screen. Screenshots: build/screenshots/messages-*.png, unsubscribe-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, axeViolations, launchBrowser, shot, signIn } from './browser_lib.mjs';
import { cli, eventually, request, startServer, tempDir } from '../integration/lib.mjs';
import { readMessages, startSink } from '../integration/mail_lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status,questions\n' +
  'b1,Harbour talk: letterpress in the age of screens,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,10,true,true,published,' +
  '"diet | choice | required | Dietary needs | None; Vegetarian; Vegan"\n' +
  'b2,Dockside walk,2031-06-12 10:00,12:00,Europe/Berlin,Pier 3,Gate,10,true,false,published,\n';

const json = (r) => JSON.parse(r.body.toString());

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
}

describe('messages to attendees', () => {
  let tmp, server, browser, sink, mailDir;
  const tokens = {};
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/messages.db`;
    const file = path.join(tmp.dir, 'programme.csv');
    writeFileSync(file, CSV);
    const imported = cli(['import', file, '--db', db, '--publish']);
    assert.equal(imported.status, 0, imported.stdout + imported.stderr);
    assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
    mailDir = path.join(tmp.dir, 'mail');
    mkdirSync(mailDir);
    sink = await startSink(mailDir);
    server = await startServer(db, ['--registration-rate', '0', '--no-seed', '--insecure-cookies', '--smtp-url',
      `smtp://127.0.0.1:${sink.port}`, '--mail-from', 'programme@harbourlight.example.org', '--notify-poll-ms', '200',
      '--public-url', 'http://127.0.0.1:9']);
    for (const [who, diet] of [['ana', 'Vegan'], ['bo', 'None'], ['cy', 'Vegan']]) {
      const r = await request(`${server.url}/api/v1/events/b1/registrations`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Person ${who}`, email: `${who}@example.org`, answers: { diet } }),
      });
      assert.equal(r.status, 201, r.body.toString());
      tokens[who] = json(r).token;
    }
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await server?.stop(); await sink?.stop(); tmp?.remove(); });

  test('count, preview, test and send on a phone', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, ...OWNER);
    await page.goto(`${server.url}/admin/messages`);
    assert.equal(await page.locator('h1').textContent(), 'Messages to attendees');
    await page.getByLabel(/Harbour talk/).check();
    await page.fill('#m-answers', 'diet=Vegan');
    await page.fill('#m-subject', 'Vegan lunch at the pier');
    await page.fill('#m-body', 'Lunch is **free** for you at 12:30.');
    assert.equal(await page.getByRole('button', { name: /^Send to/ }).count(), 0, 'no send before a count');
    await page.getByRole('button', { name: 'Count and preview' }).click();
    await page.waitForSelector('.message-count');
    assert.match(await page.locator('.message-count').innerText(), /2 people would receive this message/);
    assert.match(await page.locator('.message-preview pre').innerText(), /Hello Person ana,[\s\S]*Lunch is \*\*free\*\*/);
    assert.equal(await page.locator('#m-subject').inputValue(), 'Vegan lunch at the pier', 'the form keeps its values');
    await noOverflow(page);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'messages-390.png', { fullPage: true });

    const before = (await readMessages(mailDir)).length;
    await page.getByRole('button', { name: `Send a test to ${OWNER[0]}` }).click();
    await page.waitForSelector('text=Test sent to');
    const [test] = await eventually(async () => {
      const all = (await readMessages(mailDir)).slice(before);
      return all.length >= 1 && all;
    });
    assert.equal(test.to, OWNER[0]);
    assert.equal(test.subject, '[Test] Vegan lunch at the pier');

    await Promise.all([page.waitForURL(/notice=message-sent/), page.getByRole('button', { name: 'Send to 2 people now' }).click()]);
    assert.match(await page.locator('[role=status], .notice').first().innerText(), /Message sent/);
    const row = page.locator('table.messages-list tbody tr').first();
    assert.match(await row.innerText(), /Vegan lunch at the pier[\s\S]*sent[\s\S]*2/);
    const sent = await eventually(async () => {
      const all = (await readMessages(mailDir)).slice(before + 1).filter((m) => m.subject === 'Vegan lunch at the pier');
      return all.length >= 2 && all;
    });
    assert.deepEqual(sent.map((m) => m.to).sort(), ['ana@example.org', 'cy@example.org']);
    await noOverflow(page);
    await phone.close();
  });

  test('schedule and cancel at laptop size', async () => {
    const laptop = await browser.newContext(VIEWPORTS.desktop);
    const page = await laptop.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, server.url, ...OWNER);
    await page.goto(`${server.url}/admin/messages`);
    await page.getByLabel(/Dockside walk/).check();
    await page.getByLabel(/Harbour talk/).check();
    await page.fill('#m-subject', 'See you tomorrow');
    await page.fill('#m-body', 'Doors open at 18:30.');
    await page.fill('#m-send-at', '2031-06-10T09:00');
    await page.getByRole('button', { name: 'Count and preview' }).click();
    await Promise.all([page.waitForURL(/notice=message-scheduled/), page.getByRole('button', { name: 'Schedule for 3 people' }).click()]);
    const row = page.locator('table.messages-list tbody tr').first();
    assert.match(await row.innerText(), /See you tomorrow[\s\S]*2031-06-10 09:00[\s\S]*scheduled/);
    assert.deepEqual(await axeViolations(page), []);
    await noOverflow(page);
    await shot(page, 'messages-1280.png', { fullPage: true });
    await Promise.all([page.waitForURL(/notice=message-cancelled/), row.getByRole('button', { name: /Cancel the message/ }).click()]);
    assert.match(await page.locator('table.messages-list tbody tr').first().innerText(), /cancelled/);
    await laptop.close();
  });

  test('the unsubscribe page on a phone', async () => {
    const phone = await browser.newContext(VIEWPORTS.phone);
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/r/${tokens.bo}`);
    await Promise.all([page.waitForURL(/\/unsubscribe$/), page.getByRole('link', { name: /Stop reminders and messages/ }).click()]);
    assert.equal(await page.locator('h1').textContent(), 'Stop reminders and messages?');
    assert.deepEqual(await axeViolations(page), []);
    await noOverflow(page);
    await shot(page, 'unsubscribe-390.png', { fullPage: true });
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.waitForSelector('h1:text("You are unsubscribed")');
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${server.url}/r/${tokens.bo}`);
    assert.equal(await page.getByRole('link', { name: /Reminders and messages are off/ }).count(), 1);
    await phone.close();
  });
});
