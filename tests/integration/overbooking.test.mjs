// Overbooking and no-show figures (issue 21, no-show management) end to end
// on SQLite and PostgreSQL over HTTP: the setting over the staff API (checked,
// and refused below the confirmed places), registrations up to the place
// limit with the public page never showing more places than the room, the
// door's scan API refusing entry once the room is full, and — once the event
// lies in the past — the no-show figures in the insights as JSON and CSV.
// Release at the door: refused before the event's release time, then the
// places of those not checked in go to waiting-list tickets scanned at the
// door, and a released ticket is refused as released.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'overbook-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status,category\n' +
  'ob1,Rooftop talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Roof,4,true,true,published,Talk\n' +
  'dr1,Cellar concert,2031-06-12 20:00,22:00,Europe/Berlin,Kulturhaus,Cellar,3,true,true,published,Concert\n';
const json = (r) => JSON.parse(r.body.toString());
const staff = { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' };

for (const backend of ['sqlite', 'postgres']) {
  describe(`overbooking and no-shows on ${backend}`, () => {
    let tmp, store, server;
    const tickets = [];
    const operations = () => `${server.url}/api/v1/events/ob1/operations`;
    const places = async () => {
      const html = (await request(`${server.url}/events/ob1/register`)).body.toString();
      return (html.match(/(\d+ of \d+ places left\.|Full – you can join the waiting list\.)/) || [''])[0];
    };

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'overbook');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      assert.equal(cli(['import', file, '--db', store.url, '--publish']).status, 0);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      store?.drop();
      tmp?.remove();
    });

    test('the setting is checked; the place limit is the capacity plus the percent', async () => {
      const bad = await request(operations(), { method: 'PUT', headers: staff, body: JSON.stringify({ overbook_percent: 150 }) });
      assert.equal(bad.status, 422);
      assert.equal(json(bad).errors[0].field, 'overbook_percent');
      const typed = await request(operations(), { method: 'PUT', headers: staff, body: JSON.stringify({ overbook_percent: '50' }) });
      assert.equal(typed.status, 422);
      const ok = await request(operations(), { method: 'PUT', headers: staff, body: JSON.stringify({ overbook_percent: 50 }) });
      assert.equal(ok.status, 200, ok.body.toString());
      const body = json(ok);
      assert.equal(body.overbook_percent, 50);
      assert.equal(body.counts.capacity, 4);
      assert.equal(body.counts.place_limit, 6);
      assert.equal(body.overbooking_risk, null, 'no history yet');
      assert.match(cli(['attendees', 'settings', 'ob1', '--db', store.url]).stdout, /overbooking 50% \(6 places\)/);
    });

    test('registrations up to the place limit; the public page counts against the room', async () => {
      assert.equal(await places(), '4 of 4 places left.');
      const results = [];
      for (let n = 1; n <= 7; n += 1) {
        const r = await request(`${server.url}/api/v1/events/ob1/registrations`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Guest ${n}`, email: `guest${n}@example.org` }),
        });
        results.push(r.status);
        if (r.status === 201) {
          const token = json(r).token;
          tickets.push(json(await request(`${server.url}/api/v1/registrations/${token}`)).registration.ticket_code);
        }
        if (n === 1) assert.equal(await places(), '4 of 4 places left.', 'never more than the room');
        if (n === 4) assert.equal(await places(), '2 of 4 places left.', '6 − 4 free');
      }
      assert.deepEqual(results, [201, 201, 201, 201, 201, 201, 202]);
      assert.equal(await places(), 'Full – you can join the waiting list.');
      const lower = await request(operations(), { method: 'PUT', headers: staff, body: JSON.stringify({ overbook_percent: 0 }) });
      assert.equal(lower.status, 422);
      assert.equal(json(lower).errors[0].field, 'overbook_percent');
      assert.match(json(lower).errors[0].message, /4 places, fewer than the 6 confirmed/);
      assert.equal(json(await request(operations(), { headers: staff })).counts.place_limit, 6);
    });

    test('the door refuses entry once the room is full, and lets one in for one out', async () => {
      const made = await request(`${server.url}/api/v1/checkin-lists`, {
        method: 'POST', headers: staff, body: JSON.stringify({ name: 'Roof door', events: ['ob1'] }),
      });
      assert.equal(made.status, 201, made.body.toString());
      const scans = `${server.url}/api/v1/checkin-lists/${json(made).id}/scans`;
      const scan = async (list) => json(await request(scans, { method: 'POST', headers: staff, body: JSON.stringify({ scans: list }) })).results;
      const first = await scan(tickets.slice(0, 5).map((code, i) => ({ device: 'roof', scan_id: `s${i}`, code })));
      assert.deepEqual(first.map((r) => r.outcome), ['admitted', 'admitted', 'admitted', 'admitted', 'refused']);
      assert.equal(first[4].reason, 'room_full');
      const swap = await scan([{ device: 'roof', scan_id: 'x1', code: tickets[0], direction: 'exit' },
        { device: 'roof', scan_id: 'x2', code: tickets[4] }]);
      assert.deepEqual(swap.map((r) => r.outcome), ['exited', 'admitted']);
    });

    test('no-show figures once the event lies in the past, as JSON and CSV', async () => {
      // Move the event into the past (two weeks ago) so that it counts as started.
      const auth = { authorization: `Bearer ${STAFF}` };
      const got = await request(`${server.url}/api/v1/admin/events/ob1`, { headers: auth });
      const start = new Date(Date.now() - 14 * 86400e3);
      const day = start.toISOString().slice(0, 10);
      const moved = await request(`${server.url}/api/v1/admin/events/ob1`, {
        method: 'PATCH', headers: { ...staff, 'if-match': got.headers.etag },
        body: JSON.stringify({ starts_at: `${day}T19:00:00+02:00`, ends_at: `${day}T21:00:00+02:00` }),
      });
      assert.equal(moved.status, 200, moved.body.toString());
      const from = new Date(start.getTime() - 86400e3).toISOString().slice(0, 10);
      const to = new Date(start.getTime() + 86400e3).toISOString().slice(0, 10);
      const res = await request(`${server.url}/api/v1/admin/insights/no-shows?from=${from}&to=${to}`, { headers: auth });
      assert.equal(res.status, 200, res.body.toString());
      const [row] = json(res).no_shows;
      assert.equal(row.key, 'ob1');
      assert.equal(row.registered, 6);
      assert.equal(row.checked_in, 5);  // four, then one more for the one who left
      assert.equal(row.no_shows, 1);
      assert.equal(row.no_show_rate, 0.1667);
      const cats = json(await request(`${server.url}/api/v1/admin/insights/no-show-categories?from=${from}&to=${to}`, { headers: auth }));
      assert.deepEqual(cats.no_show_categories.map((c) => [c.category, c.events, c.no_shows]), [['Talk', 1, 1]]);
      const csv = await request(`${server.url}/api/v1/admin/insights/no-shows.csv?from=${from}&to=${to}`, { headers: auth });
      assert.match(csv.headers['content-type'], /^text\/csv/);
      const lines = csv.body.toString().trim().split('\r\n');
      assert.equal(lines[0], '"key","title","category","venue","starts_at","registered","reconfirmed","released","cancelled","checked_in","no_shows","no_show_rate"');
      assert.match(lines[1], /^"ob1","Rooftop talk","Talk","Kulturhaus",".*","6","0","0","0","5","1","0.1667"$/);
      // Without a staff token: refused.
      assert.equal((await request(`${server.url}/api/v1/admin/insights/no-shows`)).status, 401);
    });

    test('release at the door: not before its time, then waiting-list tickets take the places', async () => {
      const url = `${server.url}/api/v1/events/dr1`;
      const bad = await request(`${url}/operations`, { method: 'PUT', headers: staff, body: JSON.stringify({ door_release_minutes: 3 }) });
      assert.equal(bad.status, 422);
      assert.equal(json(bad).errors[0].field, 'door_release_minutes');
      assert.equal((await request(`${url}/door-release`, { method: 'POST', headers: staff, body: '{}' })).status, 409, 'off');
      const on = await request(`${url}/operations`, { method: 'PUT', headers: staff, body: JSON.stringify({ door_release_minutes: 15 }) });
      assert.equal(json(on).door_release_minutes, 15);
      const codes = [];
      for (let n = 1; n <= 5; n += 1) {
        const r = await request(`${url}/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Cellar ${n}`, email: `cellar${n}@example.org` }) });
        assert.equal(r.status, n <= 3 ? 201 : 202);
        codes.push(json(await request(`${server.url}/api/v1/registrations/${json(r).token}`)).registration.ticket_code);
      }
      const early = await request(`${url}/door-release`, { method: 'POST', headers: staff, body: '{}' });
      assert.equal(early.status, 409);
      assert.equal(json(early).type, '/problems/door-release-too-early');
      assert.match(json(early).detail, /places can be released from \d\d:\d\d on 2031-06-12/);
      // The concert began 20 minutes ago.
      const got = await request(`${url.replace('/events/', '/admin/events/')}`, { headers: staff });
      const start = new Date(Date.now() - 20 * 60e3);
      const end = new Date(Date.now() + 100 * 60e3);
      const moved = await request(`${url.replace('/events/', '/admin/events/')}`, {
        method: 'PATCH', headers: { ...staff, 'if-match': got.headers.etag },
        body: JSON.stringify({ starts_at: start.toISOString().slice(0, 19) + 'Z', ends_at: end.toISOString().slice(0, 19) + 'Z' }),
      });
      assert.equal(moved.status, 200, moved.body.toString());
      const made = await request(`${server.url}/api/v1/checkin-lists`, { method: 'POST', headers: staff, body: JSON.stringify({ name: 'Cellar door', events: ['dr1'] }) });
      const scans = `${server.url}/api/v1/checkin-lists/${json(made).id}/scans`;
      const scan = async (id, code) => json(await request(scans, { method: 'POST', headers: staff,
        body: JSON.stringify({ scans: [{ device: 'cellar', scan_id: id, code }] }) })).results[0];
      assert.equal((await scan('1', codes[0])).outcome, 'admitted');
      assert.equal((await scan('2', codes[3])).reason, 'waitlisted', 'nothing released yet');
      let places = json(await request(`${url}/door-release`, { headers: staff }));
      assert.deepEqual([places.releasable, places.not_checked_in, places.free, places.waitlisted], [true, 2, 0, 2]);
      const released = await request(`${url}/door-release`, { method: 'POST', headers: staff, body: '{}' });
      assert.equal(released.status, 200, released.body.toString());
      assert.equal(json(released).released, 2);
      assert.equal((await scan('3', codes[1])).reason, 'released');
      assert.equal((await scan('4', codes[3])).outcome, 'admitted');
      assert.equal((await scan('5', codes[4])).outcome, 'admitted');
      places = json(await request(`${url}/door-release`, { headers: staff }));
      assert.deepEqual([places.released, places.free, places.waitlisted], [2, 0, 0]);
      const r = cli(['attendees', 'release-at-door', 'dr1', '--db', store.url]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), '0 places released at the door');
      const audit = json(await request(`${server.url}/api/v1/admin/audit`, { headers: staff })).entries;
      assert.ok(audit.some((e) => e.action === 'door_release' && e.after === '2 places released at the door'));
    });
  });
}
