// Hostile input in every text field: stored and returned verbatim through the
// JSON API (parameterized SQL), inert on every public and console page
// (escaped HTML, no javascript: links), in query parameters too.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient, cookieFrom } from './console_client.mjs';
import { cli, getJson, request, startServer, tempDir } from './lib.mjs';

const XSS = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
const SQL = `'; DROP TABLE events; -- " OR 1=1 /* \\ %_`;
const PAYLOAD = `${XSS} ${SQL}`;
const SQL_TAG = `' OR 1=1 -- DROP TABLE events /* \\ %_`;  // tags are separated by ';' in CSV
const EVIL_URL = `https://example.org/a"><script>alert(3)</script>`;  // javascript: URLs are refused at import (hardening.test.mjs)
const FIELDS = ['title', 'description', 'venue', 'address', 'room', 'category', 'organizer', 'price'];

function csvCell(v) { return `"${v.replaceAll('"', '""')}"`; }

function assertInert(html, where) {
  assert.ok(!html.includes('<script>alert(1)'), `${where}: raw <script>`);
  assert.ok(!/<img[^>]*onerror/i.test(html), `${where}: raw onerror attribute`);
  assert.ok(!/href="javascript:/i.test(html), `${where}: javascript: link`);
}

describe('hostile input', () => {
  let tmp, db, server;
  const staff = 'security-staff-token-0123456789';
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/security.db`;
    const header = ['key', ...FIELDS, 'tags', 'url', 'starts_at', 'ends_at', 'time_zone', 'capacity', 'registration', 'questions'];
    const row = ['evil', ...FIELDS.map(() => PAYLOAD), `${XSS}; ${SQL_TAG}`, EVIL_URL, '2031-06-11 19:00', '21:00',
      'Europe/Berlin', '10', 'true', `q1 | text | optional | ${XSS.replaceAll('|', '/')}`];
    writeFileSync(path.join(tmp.dir, 'evil.csv'), `${header.join(',')}\n${row.map(csvCell).join(',')}\n`);
    const imp = cli(['import', path.join(tmp.dir, 'evil.csv'), '--db', db, '--publish']);
    assert.equal(imp.status, 0, imp.stdout + imp.stderr);
    process.env.MARQUEE_STAFF_TOKENS = staff;
    server = await startServer(db, ['--registration-rate', '0']);
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('the API returns every field verbatim', async () => {
    const e = (await getJson(`${server.url}/api/v1/events/evil`)).json.event;
    for (const f of FIELDS) assert.equal(e[f], PAYLOAD, f);
    assert.deepEqual(e.tags, [XSS, SQL_TAG]);
    assert.equal(e.url, EVIL_URL);
    const q = await getJson(`${server.url}/api/v1/events?q=${encodeURIComponent("DROP TABLE events; --")}&category=${encodeURIComponent(PAYLOAD)}`);
    assert.equal(q.status, 200);
    assert.deepEqual(q.json.events.map((x) => x.key), ['evil']);
    const odd = await getJson(`${server.url}/api/v1/events?venue=${encodeURIComponent("' OR '1'='1")}`);
    assert.equal(odd.json.total, 0);
  });

  test('public pages and the registration flow render it inert', async () => {
    assertInert((await request(`${server.url}/`)).body.toString(), 'programme');
    assertInert((await request(`${server.url}/?q=${encodeURIComponent(XSS)}`)).body.toString(), 'search');
    const page = (await request(`${server.url}/events/evil`)).body.toString();
    assertInert(page, 'event page');
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assertInert((await request(`${server.url}/events/evil/register`)).body.toString(), 'register form');
    const reg = await request(`${server.url}/api/v1/events/evil/registrations`, { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PAYLOAD, email: 'sql@example.org', answers: { q1: PAYLOAD } }) });
    assert.equal(reg.status, 201);
    const token = JSON.parse(reg.body).token;
    assert.equal(JSON.parse(reg.body).registration.name, PAYLOAD.replace(/\s+/g, ' ').trim());
    assertInert((await request(`${server.url}/r/${token}`)).body.toString(), 'personal page');
    const csv = (await request(`${server.url}/api/v1/events/evil/attendees.csv`, { headers: { authorization: `Bearer ${staff}` } })).body.toString();
    assert.ok(csv.includes(csvCell(PAYLOAD.replace(/\s+/g, ' ').trim())), 'exported verbatim (RFC 4180 quoting)');
  });

  test('console pages render it inert', async () => {
    const email = 'sec@example.org';
    assert.equal(cli(['user', 'add', email, '--role', 'owner', '--db', db], { input: 'security password 1\n' }).status, 0);
    const form = await request(`${server.url}/admin/login`);
    const csrf = [].concat(form.headers['set-cookie']).find((c) => c.startsWith('marquee_login_csrf=')).split(';')[0].split('=')[1];
    // A hostile e-mail comes back in the form, escaped.
    const bad = await request(`${server.url}/admin/login`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_login_csrf=${csrf}` },
      body: new URLSearchParams({ email: XSS, password: 'x', csrf_token: csrf }).toString() });
    assertInert(bad.body.toString(), 'login form');
    const ok = await request(`${server.url}/admin/login`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_login_csrf=${csrf}` },
      body: new URLSearchParams({ email, password: 'security password 1', csrf_token: csrf }).toString() });
    const session = [].concat(ok.headers['set-cookie']).find((c) => c.startsWith('marquee_session=')).split(';')[0];
    assertInert((await request(`${server.url}/admin`, { headers: { cookie: session } })).body.toString(), 'dashboard');

    // Every console page, with hostile text in events, edits, a submission, an import and query parameters.
    const owner = await new ConsoleClient(server.url).signIn(email, 'security password 1');
    const sheet = (await owner.get('/admin/events?q=evil')).body.toString();
    assertInert(sheet, 'sheet');
    const version = sheet.match(/id="row-evil" data-key="evil" data-version="(\d+)"/)[1];
    const edit = await owner.post('/admin/events/evil/cell', { field: 'room', value: `${PAYLOAD} edited`, version }, { headers: { 'hx-request': 'true' } });
    assert.equal(edit.status, 200);
    assertInert(edit.body.toString(), 'sheet row');
    const badCell = await owner.post('/admin/events/evil/cell', { field: 'starts_at', value: XSS, version: String(Number(version) + 1) }, { headers: { 'hx-request': 'true' } });
    assert.equal(badCell.status, 422);
    assertInert(badCell.body.toString(), 'sheet row with an error');
    assert.equal(JSON.parse((await owner.get('/api/v1/admin/events/evil')).body).event.room, `${PAYLOAD} edited`, 'stored verbatim');

    const submitForm = await request(`${server.url}/submit`);
    const sc = cookieFrom(submitForm, 'marquee_submit_csrf').value;
    const submit = (url) => request(`${server.url}/submit`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_submit_csrf=${sc}` },
      body: new URLSearchParams({ csrf_token: sc, website: '', title: PAYLOAD, description: PAYLOAD, venue: PAYLOAD, starts_at: '2031-06-12 20:00',
        time_zone: 'Europe/Berlin', url, host_name: PAYLOAD, host_email: 'host@example.org', note: PAYLOAD }).toString() });
    // Issue 13, item 14: a javascript: link is refused on the form, naming the field.
    const refused = await submit('javascript:alert(4)');
    assert.equal(refused.status, 422);
    assert.match(refused.body.toString(), /scheme (&apos;|&#39;|')javascript:(&apos;|&#39;|') is not allowed/);
    assertInert(refused.body.toString(), 'submission form with an error');
    const sent = await submit(EVIL_URL);
    assert.equal(sent.status, 303);
    assertInert((await request(`${server.url}${sent.headers.location}`)).body.toString(), 'submission status');
    const invalid = await request(`${server.url}/submit`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_submit_csrf=${sc}` },
      body: new URLSearchParams({ csrf_token: sc, website: '', title: PAYLOAD, starts_at: XSS, host_name: PAYLOAD, host_email: XSS }).toString() });
    assert.equal(invalid.status, 422);
    assertInert(invalid.body.toString(), 'submission form with errors');
    const queue = (await owner.get('/admin/submissions')).body.toString();
    assertInert(queue, 'moderation queue');
    const id = queue.match(/href="\/admin\/submissions\/(\d+)"/)[1];
    assertInert((await owner.get(`/admin/submissions/${id}`)).body.toString(), 'submission');

    const report = await owner.upload('/admin/import', { format: 'csv', time_zone: 'Europe/Berlin' },
      { name: `${XSS}.csv`, content: `key,title,starts_at\nx1,${csvCell(PAYLOAD)},${csvCell(XSS)}\n` });
    assertInert(report.body.toString(), 'import report');
    const checkin = await owner.post('/admin/check-in', { code: XSS });
    assertInert(checkin.body.toString(), 'check-in');
    await owner.post('/admin/publish', { note: PAYLOAD });
    for (const page of ['/admin', '/admin/events', `/admin/events?q=${encodeURIComponent(SQL)}&venue=${encodeURIComponent(PAYLOAD)}`,
      '/admin/events/evil', '/admin/publishing', '/admin/snapshots/1', '/admin/snapshots/2', '/admin/rollback/1', '/admin/attendees',
      '/admin/attendees/evil', `/admin/attendees/evil?q=${encodeURIComponent(PAYLOAD)}`, '/admin/audit', '/admin/users',
      '/admin/submissions?state=pending', '/admin/import', '/admin/check-in']) {
      const r = await owner.get(page);
      assert.equal(r.status, 200, page);
      assertInert(r.body.toString(), page);
      assert.match(r.headers['content-security-policy'], /script-src 'self'/, `${page}: CSP`);
    }
    const audit = (await owner.get('/api/v1/admin/audit.csv')).body.toString();
    assert.ok(audit.includes(csvCell(`room: ${PAYLOAD} edited`)), 'the audit log keeps the edit verbatim');
  });
});
