// The admin console over HTTP on both stores: the sheet (inline edits with
// versions, errors and warnings on the cell, conflicts, bulk changes), the
// event form, the two-step import, publishing and rollback, backups with a
// confirmed restore, host submissions and moderation, attendees and check-in,
// users, and which role reaches which console route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient, cookieFrom, rowVersion } from './console_client.mjs';
import { cli, eventually, getJson, request, startServer, tempDir, testStore } from './lib.mjs';

const USERS = {
  'owner@example.org': ['owner', 'owner password 123'],
  'editor@example.org': ['editor', 'editor password 12'],
  'ops@example.org': ['operations', 'ops password 12345'],
  'door@example.org': ['door', 'door password 1234'],
  'viewer@example.org': ['viewer', 'viewer password 12'],
};

// core/roles.cpp, restated: what each role may do.
function roleCan(role, capability, write) {
  if (capability === 'signed_in') return true;
  switch (role) {
    case 'owner': return true;
    case 'editor': return capability === 'view' || capability === 'content';
    case 'operations': return ['view', 'operate', 'attendees', 'check_in'].includes(capability);
    case 'door': return capability === 'check_in';
    case 'viewer': return !write && capability === 'view';
  }
  return false;
}

async function submitPublic(url, fields, address = undefined) {
  const form = await request(`${url}/submit`);
  const csrf = cookieFrom(form, 'marquee_submit_csrf').value;
  return request(`${url}/submit`, {
    method: 'POST', body: new URLSearchParams({ csrf_token: csrf, website: '', ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_submit_csrf=${csrf}`, ...(address ? { 'x-test': address } : {}) },
  });
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`console on ${backend}`, () => {
    let tmp, store, server, owner;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'console');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      assert.equal(cli(['migrate', '--db', store.url]).status, 0);
      for (const [email, [role, password]] of Object.entries(USERS)) {
        const r = cli(['user', 'add', email, '--role', role, '--db', store.url], { input: `${password}\n` });
        assert.equal(r.status, 0, r.stderr);
      }
      server = await startServer(store.url, ['--backup-dir', `${tmp.dir}/backups`, '--submission-limit', '4']);
      owner = await new ConsoleClient(server.url).signIn('owner@example.org', USERS['owner@example.org'][1]);
    });
    after(async () => { await server.stop(); store.drop(); tmp.remove(); });

    test('sheet: inline edit, error and warning on the cell, conflict with the other change, CSRF', async () => {
      const sheet = (await owner.get('/admin/events')).body.toString();
      assert.match(sheet, /153 of 153 events/);
      const v = rowVersion(sheet, 'hl27-002');
      const htmx = { 'hx-request': 'true' };
      const ok = await owner.post('/admin/events/hl27-002/cell', { field: 'title', value: 'Harbour <b>Opening</b>', version: v }, { headers: htmx });
      assert.equal(ok.status, 200);
      const row = ok.body.toString();
      assert.match(row, /^<tr id="row-hl27-002"/);
      assert.match(row, /Harbour &lt;b&gt;Opening&lt;\/b&gt;/);
      assert.equal(rowVersion(row, 'hl27-002'), String(Number(v) + 1));
      const bad = await owner.post('/admin/events/hl27-002/cell', { field: 'starts_at', value: '2027-02-30 19:00', version: String(Number(v) + 1) }, { headers: htmx });
      assert.equal(bad.status, 422);
      assert.match(bad.body.toString(), /data-field="starts_at"[^>]*class="cell has-error"><span class="v">[^<]*<\/span><small class="cell-error" role="alert">not a date or date-time: &apos;2027-02-30 19:00&apos;/);
      const past = await owner.post('/admin/events/hl27-002/cell', { field: 'starts_at', value: '2020-01-01 10:00', version: String(Number(v) + 1) }, { headers: htmx });
      assert.equal(past.status, 200);
      assert.match(past.body.toString(), /data-field="starts_at"[^>]*has-warning[^>]*>.*?<small class="cell-warning">⚠ [^<]*past/);
      const stale = await owner.post('/admin/events/hl27-002/cell', { field: 'title', value: 'Mine', version: v }, { headers: htmx });
      assert.equal(stale.status, 409);
      assert.match(stale.body.toString(), /someone else changed this event[^<]*Your value was: Mine/);
      assert.match(stale.body.toString(), /Harbour &lt;b&gt;Opening/, 'their value is shown');
      const noCsrf = await owner.post('/admin/events/hl27-002/cell', { field: 'title', value: 'x', version: v }, { csrf: false });
      assert.equal(noCsrf.status, 403);
      const plain = await owner.post('/admin/events/hl27-002/cell', { field: 'title', value: 'Harbour Opening', version: String(Number(v) + 2) });
      assert.equal(plain.status, 303, 'without htmx the post redirects back');
      const audit = await owner.get('/api/v1/admin/audit');
      const edits = JSON.parse(audit.body).entries.filter((e) => e.action === 'edit' && e.target === 'event hl27-002');
      assert.ok(edits.length >= 3);
      assert.match(edits[0].after, /title: Harbour Opening/);
    });

    test('sheet filters, bulk change with per-row versions, the event form with its conflict', async () => {
      const filtered = (await owner.get('/admin/events?venue=Kulturwerft&sort=title')).body.toString();
      const keys = [...filtered.matchAll(/id="row-([a-z0-9-]+)" data-key="[^"]*" data-version="(\d+)"/g)];
      assert.ok(keys.length >= 2, 'the venue has several events');
      const [a, b] = keys;
      const res = await owner.post('/admin/events/bulk', [['select', `${a[1]}:${a[2]}`], ['select', `${b[1]}:0`], ['field', 'room'], ['value', 'Hall 9']]);
      assert.equal(res.status, 409, 'one row was stale');
      const text = res.body.toString();
      assert.match(text, /1 changed, 1 not changed/);
      assert.match(text, new RegExp(`${b[1]}\\): not changed: someone else edited it`));
      const ev = await owner.get(`/admin/events/${a[1]}`);
      assert.match(ev.body.toString(), /name="room" value="Hall 9"/);
      const version = ev.body.toString().match(/name="version" value="(\d+)"/)[1];
      const form = Object.fromEntries([...ev.body.toString().matchAll(/<input id="f-([a-z_]+)" name="[a-z_]+" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&').replace(/&apos;/g, "'").replace(/&quot;/g, '"')]));
      form.description = 'Edited in the form';
      form.status = 'published';
      const saved = await owner.post(`/admin/events/${a[1]}`, { ...form, version });
      assert.equal(saved.status, 303);
      const again = await owner.post(`/admin/events/${a[1]}`, { ...form, title: 'Older copy', version });
      assert.equal(again.status, 409);
      assert.match(again.body.toString(), /Edit conflict/);
      assert.match(again.body.toString(), /name="title" value="Older copy"/, 'the typed values stay in the form');
      const created = await owner.post('/admin/events/new', { key: 'console-made', title: 'Made in the console', starts_at: '2027-06-14 18:00', ends_at: '2027-06-14 19:00', time_zone: 'Europe/Berlin', status: 'published' });
      assert.equal(created.status, 303);
      assert.equal(created.headers.location, '/admin/events/console-made?notice=created');
      const dup = await owner.post('/admin/events/new', { key: 'console-made', title: 'Again', starts_at: '2027-06-14 18:00', time_zone: 'Europe/Berlin', status: 'draft' });
      assert.equal(dup.status, 422);
      const csv = await owner.get('/admin/export/events.csv');
      assert.match(csv.headers['content-type'], /text\/csv/);
      assert.match(csv.body.toString(), /"console-made","Made in the console"/);
    });

    test('import: dry-run report by line and field, commit once, discard', async () => {
      const csv = 'key,title,starts_at,ends_at,time_zone,venue\n' +
        'imp-1,Imported one,2027-06-13 10:00,2027-06-13 11:00,Europe/Berlin,Hall\n' +
        'imp-2,Bad date,2027-02-31 10:00,,Europe/Berlin,Hall\n' +
        'imp-3,LOUD TITLE,2027-06-13 12:00,2027-06-13 13:00,Europe/Berlin,Hall\n';
      const dry = await owner.upload('/admin/import', { format: '', time_zone: 'Europe/Berlin' }, { name: 'late.csv', content: csv });
      assert.equal(dry.status, 200);
      const report = dry.body.toString();
      assert.match(report, /class="records">3</);
      assert.match(report, /class="accepted">2</);
      assert.match(report, /<tr class="error"><td>3<\/td><td>starts_at<\/td>/);
      assert.match(report, /<tr class="warning"><td>4<\/td><td>title<\/td>/);
      assert.equal((await owner.get('/admin/events/imp-1')).status, 404, 'a dry run writes no event');
      const token = report.match(/name="token" value="([^"]+)"/)[1];
      const committed = await owner.post('/admin/import/commit', { token });
      assert.equal(committed.status, 200);
      assert.match(committed.body.toString(), /class="inserted">2</);
      assert.equal((await owner.post('/admin/import/commit', { token })).status, 409, 'a second commit imports nothing');
      assert.equal((await owner.get('/admin/events/imp-1')).status, 200);
      const again = await owner.upload('/admin/import', { format: 'csv', time_zone: 'Europe/Berlin' }, { name: 'x.csv', content: csv.replace('imp-1', 'imp-9') });
      const t2 = again.body.toString().match(/name="token" value="([^"]+)"/)[1];
      assert.equal((await owner.post('/admin/import/discard', { token: t2 })).status, 303);
      assert.equal((await owner.post('/admin/import/commit', { token: t2 })).status, 409);
      assert.equal((await owner.get('/admin/events/imp-9')).status, 404);
      const broken = await owner.upload('/admin/import', { format: 'ics', time_zone: 'Europe/Berlin' }, { name: 'bad.ics', content: 'not a calendar' });
      assert.equal(broken.status, 422);
      assert.doesNotMatch(broken.body.toString(), /name="token"/);
      const badZone = await owner.upload('/admin/import', { format: '', time_zone: 'Mars/Base' }, { name: 'late.csv', content: csv });
      assert.equal(badZone.status, 422);
    });

    test('publishing: diff with before and after, publish with a note, rollback after confirmation', async () => {
      const page = (await owner.get('/admin/publishing')).body.toString();
      assert.match(page, /<del>Harbour &lt;b&gt;Opening&lt;\/b&gt;|<ins>Harbour Opening<\/ins>/);
      const pub = await owner.post('/admin/publish', { note: 'console launch' });
      assert.equal(pub.status, 303);
      assert.equal(pub.headers.location, '/admin/publishing?notice=published');
      await eventually(async () => (await getJson(`${server.url}/api/v1/events/imp-1`)).status === 200);
      const live = (await owner.get('/admin/publishing')).body.toString().match(/class="live-number">(\d+)</)[1];
      const confirm = await owner.get(`/admin/rollback/${Number(live) - 1}`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.body.toString(), /Rolling back makes this snapshot/);
      assert.match(confirm.body.toString(), /imp-1/);
      const rb = await owner.post(`/admin/rollback/${Number(live) - 1}`, { note: 'too early' });
      assert.equal(rb.status, 303);
      await eventually(async () => (await getJson(`${server.url}/api/v1/events/imp-1`)).status === 404);
      const audit = JSON.parse((await owner.get('/api/v1/admin/audit')).body).entries.map((e) => e.action);
      assert.ok(audit.includes('publish') && audit.includes('rollback') && audit.includes('import'));
    });

    test('backups: take, download, restore only after typing RESTORE', async () => {
      assert.equal((await owner.post('/admin/backups')).status, 303);
      const page = (await owner.get('/admin/publishing')).body.toString();
      const name = page.match(/href="\/admin\/backups\/(marquee-backup-[^"/]+)"/)[1];
      const file = await owner.get(`/admin/backups/${name}`);
      assert.equal(file.status, 200);
      assert.equal(file.body[0], 0x1f, 'gzip');
      assert.equal((await owner.get('/admin/backups/..%2F..%2Fetc%2Fpasswd')).status, 404);
      const created = await owner.post('/admin/events/new', { key: 'after-backup', title: 'After the backup', starts_at: '2027-06-15 18:00', time_zone: 'Europe/Berlin', status: 'draft' });
      assert.equal(created.status, 303, created.body.toString().match(/field-error[^<]*<\/p>/g)?.join(' '));
      const refused = await owner.post(`/admin/backups/${name}/restore`, { confirm: 'restore' });
      assert.equal(refused.status, 422);
      assert.equal((await owner.get('/admin/events/after-backup')).status, 200);
      const done = await owner.post(`/admin/backups/${name}/restore`, { confirm: 'RESTORE' });
      assert.equal(done.status, 303);
      owner = await new ConsoleClient(server.url).signIn('owner@example.org', USERS['owner@example.org'][1]);
      assert.equal((await owner.get('/admin/events/after-backup')).status, 404, 'the store is as the backup was');
      const audit = JSON.parse((await owner.get('/api/v1/admin/audit')).body).entries.map((e) => e.action);
      assert.ok(audit.includes('restore'));
    });

    test('host submissions: validation, honeypot, status link, approve after editing, reject with a reason, rate limit', async () => {
      const invalid = await submitPublic(server.url, { title: '', host_name: '', host_email: 'nope' });
      assert.equal(invalid.status, 422);
      assert.match(invalid.body.toString(), /a title is required/);
      assert.match(invalid.body.toString(), /is not an e-mail address/);
      const honey = await submitPublic(server.url, { title: 'Spam', starts_at: '2027-06-12 20:00', host_name: 'Bot', host_email: 'bot@example.org', website: 'http://spam.example' });
      assert.equal(honey.status, 422);
      const noCsrf = await request(`${server.url}/submit`, { method: 'POST', body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(noCsrf.status, 403);
      const sent = await submitPublic(server.url, { title: 'Harbour Jam', starts_at: '2027-06-12 20:00', ends_at: '2027-06-12 22:00', time_zone: 'Europe/Berlin', venue: 'Pier 5', host_name: 'Ana', host_email: 'Ana@Example.org', note: 'Bring drums' });
      assert.equal(sent.status, 303);
      const statusUrl = sent.headers.location;
      assert.match(statusUrl, /^\/submissions\/[A-Za-z0-9_-]{40,}$/);
      const status = await request(`${server.url}${statusUrl}`);
      assert.match(status.body.toString(), /class="state">pending</);
      assert.equal(status.headers['referrer-policy'], 'no-referrer');
      assert.equal(status.headers['cache-control'], 'no-store');
      const change = await submitPublic(server.url, { key: 'hl27-003', room: 'Deck B', host_name: 'Bo', host_email: 'bo@example.org' });
      assert.equal(change.status, 303);
      const unknown = await submitPublic(server.url, { key: 'no-such-event', room: 'x', host_name: 'Bo', host_email: 'bo@example.org' });
      assert.equal(unknown.status, 422);

      const queue = (await owner.get('/admin/submissions')).body.toString();
      const ids = [...queue.matchAll(/href="\/admin\/submissions\/(\d+)">([^<]+)</g)].map((m) => [m[1], m[2]]);
      const jam = ids.find(([, t]) => t === 'Harbour Jam')[0];
      const roomChange = ids.find(([, t]) => t !== 'Harbour Jam')[0];
      const shown = (await owner.get(`/admin/submissions/${jam}`)).body.toString();
      assert.match(shown, /Bring drums/);
      assert.match(shown, /ana@example\.org/);
      // Issue 14: moderation shows field labels, not column names.
      assert.match(shown, /<label for="f-starts_at">Start[ <]/);
      assert.doesNotMatch(shown, /<label for="f-image_url">image_url/);
      const badEdit = await owner.post(`/admin/submissions/${jam}/approve`, { title: 'Harbour Jam Session', starts_at: 'soon', seen_version: '0' });
      assert.equal(badEdit.status, 422);
      const approved = await owner.post(`/admin/submissions/${jam}/approve`, { title: 'Harbour Jam Session', seen_version: '0' });
      assert.equal(approved.status, 303);
      assert.equal(approved.headers.location, '/admin/submissions?notice=approved');
      assert.equal((await owner.post(`/admin/submissions/${jam}/approve`, { seen_version: '0' })).headers.location, '/admin/submissions?notice=decided');
      const decided = (await request(`${server.url}${statusUrl}`)).body.toString();
      assert.match(decided, /class="state">approved</);
      const key = decided.match(/href="\/events\/([a-z0-9-]+)"/)[1];
      const working = (await owner.get(`/admin/events/${key}`)).body.toString();
      assert.match(working, /value="Harbour Jam Session"/);
      assert.match(working, /name="venue" value="Pier 5"/);
      const noReason = await owner.post(`/admin/submissions/${roomChange}/reject`, { reason: ' ' });
      assert.equal(noReason.status, 422);
      const rejected = await owner.post(`/admin/submissions/${roomChange}/reject`, { reason: 'Deck B is closed <for repairs>' });
      assert.equal(rejected.status, 303);
      const rejectedStatus = (await request(`${server.url}${change.headers.location}`)).body.toString();
      assert.match(rejectedStatus, /class="state">rejected</);
      assert.match(rejectedStatus, /Deck B is closed &lt;for repairs&gt;/);
      await owner.post('/admin/publish', { note: 'with the jam' });
      await eventually(async () => (await getJson(`${server.url}/api/v1/events/${key}`)).status === 200);

      // The limit (4 per hour here) counts every post from the address and survives a restart.
      let last;
      for (let i = 0; i < 3; i++) last = await submitPublic(server.url, { title: `Extra ${i}`, starts_at: '2027-06-12 20:00', host_name: 'Cy', host_email: 'cy@example.org' });
      assert.equal(last.status, 429);
      assert.ok(Number(last.headers['retry-after']) > 0);
      await server.stop();
      server = await startServer(store.url, ['--backup-dir', `${tmp.dir}/backups`, '--submission-limit', '4']);
      owner = await new ConsoleClient(server.url).signIn('owner@example.org', USERS['owner@example.org'][1]);
      const later = await submitPublic(server.url, { title: 'After restart', starts_at: '2027-06-12 20:00', host_name: 'Cy', host_email: 'cy@example.org' });
      assert.equal(later.status, 429);
    });

    test('attendees, door check-in, users and the role of each console route', async () => {
      // A registration to check in.
      const reg = await request(`${server.url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
        body: JSON.stringify({ name: 'Dora Door', email: 'dora@example.org' }), headers: { 'content-type': 'application/json' } });
      assert.ok([201, 202].includes(reg.status), reg.body.toString());
      const code = JSON.parse(reg.body).registration.ticket_code;
      const list = (await owner.get('/admin/attendees/hl27-005?q=dora')).body.toString();
      assert.match(list, /Dora Door/);
      assert.match(list, new RegExp(`<code>${code}</code>`));
      const door = await new ConsoleClient(server.url).signIn('door@example.org', USERS['door@example.org'][1]);
      assert.equal((await door.get('/admin/events')).status, 403, 'door staff cannot open the sheet');
      const inPage = await door.get('/admin/check-in');
      assert.equal(inPage.status, 200);
      assert.doesNotMatch(inPage.body.toString(), /href="\/admin\/events"/, 'the menu hides the sheet');
      // Issue 14: the door names its event; any case, spaces and dashes; local times; a plain refusal.
      assert.match(inPage.body.toString(), /<select id="f-event" name="event">\s*<option value="" selected>Any event<\/option>/);
      assert.match(inPage.body.toString(), /<option value="hl27-005">[^<]+ · /);
      const otherDoor = await door.post('/admin/check-in', { code, event: 'hl27-008' });
      assert.equal(otherDoor.status, 409);
      assert.match(otherDoor.body.toString(), /✗ Refused: ticket for another event/);
      assert.match(otherDoor.body.toString(), /<option value="hl27-008" selected>/, 'the door keeps its event');
      const typed = `${code.slice(0, 4).toLowerCase()} ${code.slice(4, 8)}-${code.slice(8).toLowerCase()}`;
      const checked = await door.post('/admin/check-in', { code: typed, event: 'hl27-005' });
      assert.equal(checked.status, 200);
      assert.match(checked.body.toString(), /✓ Checked in: Dora Door/);
      assert.match(checked.body.toString(), /<p class="detail">[^<]+ · Friday 11 June 2027, [\d:–]+ \(Europe\/(Berlin|Lisbon)\)<\/p>/);
      const twice = await door.post('/admin/check-in', { code });
      assert.equal(twice.status, 409);
      assert.match(twice.body.toString(), /✗ Refused: already checked in/);
      assert.match(twice.body.toString(), /Dora Door came in at \w+day \d+ \w+ \d{4}, \d\d:\d\d \(Europe\/(Berlin|Lisbon)\)/);

      const editor = await new ConsoleClient(server.url).signIn('editor@example.org', USERS['editor@example.org'][1]);
      assert.equal((await editor.get('/admin/users')).status, 403);
      const added = await owner.post('/admin/users', { email: 'new@example.org', role: 'viewer', password: 'a long new password' });
      assert.equal(added.status, 303);
      const users = (await owner.get('/admin/users')).body.toString();
      const ownerId = users.match(/action="\/admin\/users\/(\d+)"(?:(?!action=)[^])*?aria-label="Role of owner@example\.org"/)[1];
      const demote = await owner.post(`/admin/users/${ownerId}`, { role: 'viewer' });
      assert.equal(demote.status, 422);
      assert.match(demote.body.toString(), /at least one enabled owner must remain/);
      const editorId = users.match(/action="\/admin\/users\/(\d+)"(?:(?!action=)[^])*?aria-label="Role of editor@example\.org"/)[1];
      assert.equal((await owner.post(`/admin/users/${editorId}`, { role: 'editor', disabled: '1' })).status, 303);
      assert.equal((await editor.get('/admin')).status, 303, 'disabling ends the sessions');

      // Each role reaches exactly the console and staff routes its capabilities allow.
      const routes = cli(['routes']).stdout.trim().split('\n').map((l) => l.split(' '))
        .filter(([, pattern, access, cap]) => (access === 'console' || access === 'staff') && cap !== 'signed_in');
      const samples = { '{key}': 'hl27-001', '{token}': 'x', '{id}': '999999', '{number}': '999999', '{name}': 'none', '{file}': 'x' };
      const clients = {};
      for (const [email, [role, password]] of Object.entries(USERS)) {
        if (role === 'editor') continue;  // disabled above
        clients[role] = await new ConsoleClient(server.url).signIn(email, password);
      }
      let checkedRoutes = 0;
      for (const [method, pattern, , capability] of routes) {
        if (pattern.includes('restore') || pattern.endsWith('/publish') || pattern.endsWith('/rollback') || pattern.startsWith('/admin/users/')) continue;
        const path = pattern.replace(/\{[a-z]+\}/g, (m) => samples[m]);
        for (const [role, client] of Object.entries(clients)) {
          const write = method !== 'GET';
          const r = method === 'GET' ? await client.get(path)
            : await request(`${server.url}${path}`, { method, body: '{}', headers: { cookie: `marquee_session=${client.session}`, 'x-csrf-token': client.csrf, 'content-type': 'application/json' } });
          const allowed = r.status !== 403 && r.status !== 401 && !(r.status === 303 && r.headers.location === '/admin/login');
          assert.equal(allowed, roleCan(role, capability, write), `${role} ${method} ${pattern} (${capability}) → ${r.status}`);
          checkedRoutes++;
        }
      }
      assert.ok(checkedRoutes >= 4 * 40, `checked ${checkedRoutes}`);
    });
  });
}
