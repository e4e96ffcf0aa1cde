// The door's staff API (issue 19) over HTTP on SQLite and PostgreSQL:
// check-in lists made with the operate capability, scans in batches
// (idempotent per device and scan id) with a registration made through the
// public API, live occupancy, and the problems for bad input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'checkin-staff-token-0123456789abcdef';
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
      assert.equal((await call(`${server.url}/api/v1/checkin-lists/999999/scans`, 'POST', { scans: [] })).status, 404);
    });
  });
}
