// The door's staff API (issue 19) over HTTP on SQLite and PostgreSQL:
// check-in lists made with the operate capability, scans in batches
// (idempotent per device and scan id) with a registration made through the
// public API, live occupancy, and the problems for bad input; lists changed,
// door users held to their lists, the tickets for offline devices; and the
// console's pages (forms, live occupancy with the alarm, duplicates, the
// printable door list).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'checkin-staff-token-0123456789abcdef';
const USERS = { 'owner@example.org': ['owner', 'owner password 123'], 'gate-a@example.org': ['door', 'gate a password 1'],
  'gate-b@example.org': ['door', 'gate b password 1'], 'viewer@example.org': ['viewer', 'viewer password 1'] };
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const json = (r) => JSON.parse(r.body.toString('utf8'));
const call = (url, method = 'GET', body = undefined, token = STAFF) => request(url, {
  method, body: body === undefined ? undefined : JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

for (const backend of ['sqlite', 'postgres']) {
  describe(`check-in lists on ${backend}`, () => {
    let tmp, store, server, ticket, name;
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'checkins');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      assert.equal(cli(['migrate', '--db', store.url]).status, 0);
      for (const [email, [role, password]] of Object.entries(USERS))
        assert.equal(cli(['user', 'add', email, '--role', role, '--db', store.url], { input: `${password}\n` }).status, 0);
      server = await startServer(store.url, ['--registration-rate', '0', '--registration-confirmation', 'page']);
      name = `Door Visitor ${backend}`;
      const reg = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
        method: 'POST', body: JSON.stringify({ name, email: `door-${backend}@example.org` }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(reg.status, 201, reg.body.toString());
      const token = json(reg).links.self.split('/').pop();
      ticket = json(await request(`${server.url}/api/v1/registrations/${token}`)).registration.ticket_code;
      assert.ok(ticket);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      store?.drop();
      tmp?.remove();
    });

    test('a list, scans with re-entry, replays, occupancy; problems for bad input', async () => {
      assert.equal((await call(`${server.url}/api/v1/checkin-lists`, 'GET', undefined, null)).status, 401);
      const bad = await call(`${server.url}/api/v1/checkin-lists`, 'POST', { name: '', events: ['no-such-event'] });
      assert.equal(bad.status, 422);
      assert.deepEqual(json(bad).errors.map((e) => e.field), ['name', 'events']);
      assert.equal((await call(`${server.url}/api/v1/checkin-lists`, 'POST', undefined)).status, 400);

      const made = await call(`${server.url}/api/v1/checkin-lists`, 'POST',
        { name: 'Harbour stage', events: ['hl27-023'], allow_reentry: true, room_capacity: 1, alarm_percent: 100 });
      assert.equal(made.status, 201, made.body.toString());
      const list = json(made);
      assert.deepEqual(list.events, ['hl27-023']);
      assert.equal(list.allow_reentry, true);
      const listed = json(await call(`${server.url}/api/v1/checkin-lists`)).checkin_lists;
      assert.ok(listed.some((l) => l.id === list.id && l.name === 'Harbour stage'));

      const scans = `${server.url}/api/v1/checkin-lists/${list.id}/scans`;
      // The code as a person might type it: lower case with a dash.
      const typed = `${ticket.slice(0, 4)}-${ticket.slice(4)}`.toLowerCase();
      const first = await call(scans, 'POST', { scans: [
        { device: 'phone-1', scan_id: '1', code: typed, direction: 'entry', at: '2027-06-11T17:00:00Z' },
        { device: 'phone-2', scan_id: '1', code: ticket },
        { device: 'phone-1', scan_id: '2', code: 'NOTATICKET' },
      ] });
      assert.equal(first.status, 200, first.body.toString());
      const [inside, again, unknown] = json(first).results;
      assert.equal(inside.outcome, 'admitted');
      assert.equal(inside.attendee.name, name);
      assert.equal(inside.event_key, 'hl27-023');
      assert.equal(again.outcome, 'refused');
      assert.equal(again.reason, 'already_inside');
      assert.equal(again.presence.entered_device, 'phone-1');
      assert.equal(again.presence.entered_at, '2027-06-11T17:00:00Z');
      assert.equal(unknown.reason, 'unknown_code');
      assert.equal(unknown.attendee, null);

      let status = json(await call(`${server.url}/api/v1/checkin-lists/${list.id}/status`));
      assert.equal(status.inside, 1);
      assert.equal(status.alarm, true);  // 1 inside of a room for 1 at 100 %
      assert.equal(status.venues.length, 1);

      // Out, in again (re-entry); the first upload again changes nothing.
      const second = json(await call(scans, 'POST', { scans: [
        { device: 'phone-1', scan_id: '3', code: ticket, direction: 'exit' },
        { device: 'phone-1', scan_id: '4', code: ticket, direction: 'entry' },
        { device: 'phone-1', scan_id: '1', code: typed, direction: 'entry', at: '2027-06-11T17:00:00Z' },
      ] })).results;
      assert.deepEqual(second.map((r) => r.outcome), ['exited', 'admitted', 'admitted']);
      assert.equal(second[2].replayed, true);
      status = json(await call(`${server.url}/api/v1/checkin-lists/${list.id}/status`));
      assert.deepEqual([status.inside, status.entries, status.exits], [1, 2, 1]);

      const invalid = await call(scans, 'POST', { scans: [{ device: 'phone-1', scan_id: '5', code: ticket, direction: 'sideways' }] });
      assert.equal(invalid.status, 422);
      assert.equal(json(invalid).errors[0].field, 'scans[0].direction');
      assert.equal((await call(`${server.url}/api/v1/checkin-lists/999999/status`)).status, 404);
      assert.equal((await call(`${server.url}/api/v1/checkin-lists/999999/scans`, 'POST', { scans: [{ device: 'd', scan_id: '1', code: ticket }] })).status, 404);
    });

    test('lists changed, door users held to their lists, tickets for offline devices', async () => {
      const made = json(await call(`${server.url}/api/v1/checkin-lists`, 'POST',
        { name: 'Gate A', events: ['hl27-023'], door_users: ['gate-a@example.org'] }));
      assert.deepEqual(made.door_users, ['gate-a@example.org']);
      const other = json(await call(`${server.url}/api/v1/checkin-lists`, 'POST', { name: 'Gate B', events: ['hl27-023'] }));
      const bad = await call(`${server.url}/api/v1/checkin-lists/${made.id}`, 'PUT', { name: 'Gate A', events: ['hl27-023'], door_users: ['viewer@example.org'] });
      assert.equal(bad.status, 422);
      assert.match(json(bad).errors[0].message, /cannot check tickets in/);
      const changed = await call(`${server.url}/api/v1/checkin-lists/${made.id}`, 'PUT',
        { name: 'Gate A (north)', events: ['hl27-023'], allow_reentry: true, door_users: ['gate-a@example.org'] });
      assert.equal(changed.status, 200, changed.body.toString());
      assert.equal(json(changed).name, 'Gate A (north)');
      assert.equal(json(changed).allow_reentry, true);
      assert.equal((await call(`${server.url}/api/v1/checkin-lists/999999`, 'PUT', { name: 'x', events: ['hl27-023'] })).status, 404);

      // gate-a sees and scans only its list, with its session and CSRF token; gate-b (no list) may use any.
      const gateA = await new ConsoleClient(server.url).signIn('gate-a@example.org', USERS['gate-a@example.org'][1]);
      const session = (c) => ({ cookie: `marquee_session=${c.session}`, 'x-csrf-token': c.csrf, 'content-type': 'application/json' });
      const mine = json(await request(`${server.url}/api/v1/checkin-lists`, { headers: session(gateA) })).checkin_lists;
      assert.deepEqual(mine.map((l) => l.name), ['Gate A (north)']);
      const refused = await request(`${server.url}/api/v1/checkin-lists/${other.id}/scans`, {
        method: 'POST', headers: session(gateA), body: JSON.stringify({ scans: [{ device: 'a', scan_id: '1', code: ticket }] }) });
      assert.equal(refused.status, 403);
      assert.match(json(refused).detail, /assigned to other check-in lists/);
      const admitted = await request(`${server.url}/api/v1/checkin-lists/${made.id}/scans`, {
        method: 'POST', headers: session(gateA), body: JSON.stringify({ scans: [{ device: 'a', scan_id: '1', code: ticket }] }) });
      assert.equal(json(admitted).results[0].outcome, 'admitted');
      const noCsrf = await request(`${server.url}/api/v1/checkin-lists/${made.id}/scans`, {
        method: 'POST', headers: { ...session(gateA), 'x-csrf-token': 'wrong' }, body: JSON.stringify({ scans: [{ device: 'a', scan_id: '2', code: ticket }] }) });
      assert.equal(noCsrf.status, 403);
      const gateB = await new ConsoleClient(server.url).signIn('gate-b@example.org', USERS['gate-b@example.org'][1]);
      assert.ok(json(await request(`${server.url}/api/v1/checkin-lists`, { headers: session(gateB) })).checkin_lists.length >= 2);

      // The tickets a door device keeps for offline checks: code, name, state, inside.
      const t = await request(`${server.url}/api/v1/checkin-lists/${made.id}/tickets`, { headers: session(gateA) });
      assert.equal(t.status, 200);
      assert.equal(t.headers['cache-control'], 'no-store');
      const body = json(t);
      const mineTicket = body.tickets.find((x) => x.code === ticket);
      assert.equal(mineTicket.entered_device, 'a');
      assert.match(mineTicket.entered_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      delete mineTicket.entered_at;
      assert.deepEqual(mineTicket, { code: ticket, name, event_key: 'hl27-023', state: 'confirmed', passed_on: false, inside: true, entries: 1, exits: 0,
        entered_device: 'a' });
      assert.equal(body.events[0].key, 'hl27-023');
      assert.equal((await request(`${server.url}/api/v1/checkin-lists/${other.id}/tickets`, { headers: session(gateA) })).status, 403);
      // A door user has no view of the console's lists; a viewer sees them but cannot change them.
      assert.equal((await gateA.get('/admin/checkin-lists')).status, 403);
      const viewer = await new ConsoleClient(server.url).signIn('viewer@example.org', USERS['viewer@example.org'][1]);
      assert.equal((await viewer.get('/admin/checkin-lists')).status, 200);
      assert.equal((await viewer.post(`/admin/checkin-lists/${made.id}`, { name: 'x', event: 'hl27-023' })).status, 403);
      assert.equal((await viewer.get(`/admin/checkin-lists/${made.id}/print`)).status, 403);
    });

    test('console: make and change a list, live occupancy with the alarm, duplicates, the door list', async () => {
      const owner = await new ConsoleClient(server.url).signIn('owner@example.org', USERS['owner@example.org'][1]);
      const invalid = await owner.post('/admin/checkin-lists', { name: '', room_capacity: 'many' });
      assert.equal(invalid.status, 422);
      assert.match(invalid.body.toString(), /Room capacity: a whole number of people/);
      const none = await owner.post('/admin/checkin-lists', { name: 'Nothing' });
      assert.equal(none.status, 422);
      assert.match(none.body.toString(), /Events: select at least one event/);
      const made = await owner.post('/admin/checkin-lists', [['name', 'Console door <main>'], ['event', 'hl27-023'],
        ['room_capacity', '2'], ['alarm_percent', '50'], ['door_user', 'gate-b@example.org'], ['opens_at', '2027-06-11T08:00']]);
      assert.equal(made.status, 303, made.body.toString());
      const page = made.headers.location.split('?')[0];
      const id = page.split('/').pop();
      let html = (await owner.get(made.headers.location)).body.toString();
      assert.match(html, /Console door &lt;main&gt;/);
      assert.match(html, /Check-in list created/);
      assert.match(html, /door users: gate-b@example.org/);
      assert.match(html, /open 2027-06-11 08:00 to any time \(Europe\/Berlin\)/);
      assert.match(html, /value="2027-06-11T08:00"/);  // the edit form shows the local time it was given
      const listed = await call(`${server.url}/api/v1/checkin-lists`);
      assert.equal(json(listed).checkin_lists.find((l) => String(l.id) === id).opens_at, '2027-06-11T06:00:00Z');

      // One person in: 1 of 2 is the 50 % alarm; the fragment polled every second says so.
      const live = async () => (await owner.get(`${page}/live`, { 'hx-request': 'true' })).body.toString();
      assert.match(await live(), /<span class="big">0<\/span> inside of 2 \(0 %\)/);
      assert.doesNotMatch(await live(), /role="alert"/);
      json(await call(`${server.url}/api/v1/checkin-lists/${id}/scans`, 'POST', { scans: [
        { device: 'console-gate', scan_id: '1', code: ticket, at: '2027-06-11T09:00:00Z' },
        { device: 'offline-phone', scan_id: '1', code: ticket, at: '2027-06-11T09:05:00Z', offline: true },
      ] }));
      html = await live();
      assert.match(html, /class="checkin-live alarm"/);
      assert.match(html, /<span class="big">1<\/span> inside of 2 \(50 %\)/);
      assert.match(html, /Alarm: at or above 50 %/);
      assert.match(html, /1 flagged duplicate</);
      const rows = (await owner.get('/admin/checkin-lists/occupancy', { 'hx-request': 'true' })).body.toString();
      assert.match(rows, /^<tbody id="checkin-rows"/);
      assert.match(rows, new RegExp(`<tr class="alarm">\\s*<th scope="row"><a href="/admin/checkin-lists/${id}">`));

      // The list page: the duplicate flagged with the attendee's name; the latest scans.
      html = (await owner.get(page)).body.toString();
      const flagged = html.slice(html.indexOf('id="duplicates"'), html.indexOf('Latest scans'));
      assert.match(flagged, new RegExp(name));
      assert.match(flagged, /offline-phone/);
      // A viewer sees the figures but not who.
      const viewer = await new ConsoleClient(server.url).signIn('viewer@example.org', USERS['viewer@example.org'][1]);
      const seen = (await viewer.get(page)).body.toString();
      assert.doesNotMatch(seen, new RegExp(name));
      assert.match(seen, new RegExp(`ticket …${ticket.slice(-4)}`));
      assert.doesNotMatch(seen, /Change this list/);

      // A change through the form; a bad one keeps what was typed and says why.
      const rejected = await owner.post(page, [['name', 'Renamed door'], ['event', 'hl27-023'], ['alarm_percent', '0']]);
      assert.equal(rejected.status, 422);
      assert.match(rejected.body.toString(), /Alarm level: must be 1 to 100/);
      assert.match(rejected.body.toString(), /value="Renamed door"/);
      const saved = await owner.post(page, [['name', 'Renamed door'], ['event', 'hl27-023'], ['allow_reentry', '1']]);
      assert.equal(saved.status, 303);
      html = (await owner.get(page)).body.toString();
      assert.match(html, /<h1>Renamed door<\/h1>/);
      assert.match(html, /re-entry allowed/);
      assert.doesNotMatch(html, /door users:/);  // unticked: nobody assigned
      assert.match(html, /<span class="big">1<\/span> inside/);  // occupancy stays

      // The printable door list: names, codes in groups of four, state, a box to tick.
      const print = await owner.get(`${page}/print`);
      assert.equal(print.status, 200);
      const doorList = print.body.toString();
      assert.match(doorList, /<h1>Renamed door<\/h1>/);
      assert.ok(doorList.includes(ticket.match(/.{1,4}/g).join(' ')), 'the ticket code, grouped');
      assert.match(doorList, new RegExp(`<td>${name}</td>`));
      assert.match(doorList, /confirmed \(inside\)/);
      assert.equal((await owner.get('/admin/checkin-lists/999999')).status, 404);
    });
  });
}
