// Self-service (issue 21) end to end on SQLite and PostgreSQL: an attendee
// changes their name and answers by the JSON API (validated, refused for an
// unknown token), and gives their place to someone else once the event allows
// it: the answer carries no link, the old token answers 404 at once, the old
// ticket is refused at the door, and both people are e-mailed (real SMTP
// server on loopback, read back with postal-mime): the previous holder
// without a link and with a calendar CANCEL, the new one with their own link.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';
import { deliverMail, readMessages, startSink } from './mail_lib.mjs';

const STAFF = 'self-service-staff-token-0123456789ab';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
const staff = { authorization: `Bearer ${STAFF}` };

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status,questions\n' +
  't1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,10,true,true,published,' +
  '"diet | choice | required | Dietary needs | None; Vegan"\n';

const json = (r) => JSON.parse(r.body.toString());
const send = (url, method, body, headers = {}) => request(url, {
  method, body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json', ...headers },
});

for (const backend of ['sqlite', 'postgres']) {
  describe(`self-service on ${backend}`, () => {
    let tmp, store, server, sink, mailDir, ana;
    const deliver = () => deliverMail(store.url, sink.port).sent;

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'selfservice');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      const imported = cli(['import', file, '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stdout + imported.stderr);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      const r = await send(`${server.url}/api/v1/events/t1/registrations`, 'POST',
        { name: 'Ana Lima', email: 'ana@example.org', answers: { diet: 'None' } });
      assert.equal(r.status, 201, r.body.toString());
      ana = json(r);
      assert.equal(deliver(), 1);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('change the name and answers, validated like a registration', async () => {
      const url = `${server.url}/api/v1/registrations/${ana.token}`;
      const bad = await send(url, 'PATCH', { answers: { diet: 'Carnivore' } });
      assert.equal(bad.status, 422);
      assert.deepEqual(json(bad).errors.map((e) => e.field), ['answers.diet']);
      const ok = await send(url, 'PATCH', { name: 'Ana  Maria Lima', answers: { diet: 'Vegan' } });
      assert.equal(ok.status, 200, ok.body.toString());
      assert.equal(json(ok).result, 'updated');
      assert.equal(json(ok).registration.name, 'Ana Maria Lima');
      assert.deepEqual(json(ok).registration.answers, { diet: 'Vegan' });
      assert.equal(json(ok).registration.email, 'ana@example.org');
      assert.equal((await send(`${server.url}/api/v1/registrations/nope`, 'PATCH', { name: 'X' })).status, 404);
      const page = (await request(`${server.url}/r/${ana.token}`)).body.toString();
      assert.match(page, /Change my name or answers/);
      assert.doesNotMatch(page, /Give my place to someone else/, 'transfers are off by default');
    });

    test('a transfer: not allowed until the event allows it; then a new link and ticket, both told', async () => {
      const url = `${server.url}/api/v1/registrations/${ana.token}/transfer`;
      const bo = { name: 'Bo Berg', email: 'bo@example.org', answers: { diet: 'None' } };
      const refused = await send(url, 'POST', bo);
      assert.equal(refused.status, 409);
      assert.equal(json(refused).type, '/problems/transfers-not-allowed');
      const on = await send(`${server.url}/api/v1/events/t1/operations`, 'PUT', { transfers: true }, staff);
      assert.equal(on.status, 200, on.body.toString());
      assert.equal(json(on).transfers, true);
      assert.equal(json(on).promotion, 'automatic', 'the other settings kept');
      const own = await send(url, 'POST', { ...bo, email: 'ana@example.org' });
      assert.equal(own.status, 422);
      const oldTicket = ana.registration.ticket_code;
      const done = await send(url, 'POST', bo);
      assert.equal(done.status, 200, done.body.toString());
      assert.deepEqual(json(done), { result: 'transferred', to: 'b•••@example.org' }, 'no link in the answer');
      assert.equal((await request(`${server.url}/api/v1/registrations/${ana.token}`)).status, 404, 'the old link stops at once');
      assert.equal((await request(`${server.url}/r/${ana.token}`)).status, 404);
      const door = await send(`${server.url}/api/v1/checkins`, 'POST', { code: oldTicket }, staff);
      assert.equal(door.status, 404, 'the old ticket is refused');
      // A door phone's list knows the old code as passed on, so it refuses it even offline (signed QR codes).
      const list = json(await send(`${server.url}/api/v1/checkin-lists`, 'POST', { name: 'Hall A', events: ['t1'] }, staff));
      const tickets = json(await request(`${server.url}/api/v1/checkin-lists/${list.id}/tickets`, { headers: staff })).tickets;
      const old = tickets.find((t) => t.code === oldTicket);
      assert.deepEqual([old.state, old.passed_on], ['cancelled', true]);
      assert.equal(tickets.filter((t) => !t.passed_on).length, 1, 'one registration');
      // A scan of the old code is refused as passed on, not as unknown.
      const scan = await send(`${server.url}/api/v1/checkin-lists/${list.id}/scans`, 'POST',
        { scans: [{ device: 'gate', scan_id: '1', code: oldTicket, direction: 'entry' }] }, staff);
      assert.equal(scan.status, 200, scan.body.toString());
      assert.equal(json(scan).results[0].outcome, 'refused');
      assert.equal(json(scan).results[0].reason, 'passed_on');

      const since = (await readMessages(mailDir)).length;
      assert.equal(deliver(), 2);
      const msgs = (await readMessages(mailDir)).slice(since);
      const toAna = msgs.find((m) => m.to === 'ana@example.org');
      const toBo = msgs.find((m) => m.to === 'bo@example.org');
      assert.equal(toAna.subject, 'Place passed on: Harbour talk');
      assert.doesNotMatch(toAna.text, /\/r\//, 'no link for the previous holder');
      assert.equal(toAna.calendar?.method, 'CANCEL', 'the event leaves their calendar');
      assert.equal(toAna.calendar.events[0].status, 'CANCELLED');
      assert.equal(toBo.subject, 'Your place: Harbour talk');
      const link = toBo.text.match(/http:\/\/127\.0\.0\.1:9\/r\/([A-Za-z0-9_-]+)/);
      assert.ok(link, toBo.text);
      const mine = json(await request(`${server.url}/api/v1/registrations/${link[1]}`));
      assert.equal(mine.registration.name, 'Bo Berg');
      assert.equal(mine.registration.email, 'bo@example.org');
      assert.notEqual(mine.registration.ticket_code, oldTicket);
      assert.equal(mine.registration.id, ana.registration.id, 'the same place');
      const audit = (await request(`${server.url}/api/v1/admin/audit.csv`, { headers: staff })).body.toString();
      assert.ok(audit.includes(`"attendee","transfer","registration ${ana.registration.id}","ticket ${oldTicket}","ticket ${mine.registration.ticket_code}"`), audit);
      assert.doesNotMatch(audit, /ana@example\.org|bo@example\.org/, 'no personal data in the audit log');
    });
  });
}
