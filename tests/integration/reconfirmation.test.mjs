// Reconfirmation (issue 21, no-show management) end to end on SQLite and
// PostgreSQL: the event's settings over the staff API (checked) and the CLI;
// the job with `--at` as the clock seam asks confirmed attendees "Still
// coming?" at the moment (the real SMTP sink receives it with the personal
// link and the deadline); "yes" over the API keeps the place; at the deadline
// the silent attendee's place goes to the person waiting, and both are told.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';
import { deliverMail, readMessages, startSink } from './mail_lib.mjs';

const STAFF = 'reconfirm-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'r1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,2,true,true,published\n';
const START = Date.UTC(2031, 5, 11, 17, 0) / 1000;  // 19:00 CEST
const HOUR = 3600;
const json = (r) => JSON.parse(r.body.toString());
const staff = { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' };

for (const backend of ['sqlite', 'postgres']) {
  describe(`reconfirmation on ${backend}`, () => {
    let tmp, store, server, sink, mailDir;
    const tokens = {};
    const run = (at) => {
      const r = cli(['attendees', 'reconfirm', '--db', store.url, '--at', String(at)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return r.stdout.trim();
    };
    const deliver = (at) => deliverMail(store.url, sink.port, { extra: at ? ['--at', String(at)] : [] });
    const state = async (who) => json(await request(`${server.url}/api/v1/registrations/${tokens[who]}`)).registration.state;

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'reconfirm');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      assert.equal(cli(['import', file, '--db', store.url, '--publish']).status, 0);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      for (const who of ['ana', 'bo', 'cy']) {
        const r = await request(`${server.url}/api/v1/events/r1/registrations`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Person ${who}`, email: `${who}@example.org` }),
        });
        assert.ok([201, 202].includes(r.status), r.body.toString());
        tokens[who] = json(r).token;
      }
      assert.equal(deliver().sent, 3);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('settings: checked over the API, shown by the CLI', async () => {
      const url = `${server.url}/api/v1/events/r1/operations`;
      const bad = await request(url, { method: 'PUT', headers: staff, body: JSON.stringify({ reconfirm_hours: 48, reconfirm_release_hours: 48 }) });
      assert.equal(bad.status, 422);
      assert.equal(json(bad).errors[0].field, 'reconfirm_release_hours');
      const ok = await request(url, { method: 'PUT', headers: staff, body: JSON.stringify({ reconfirm_hours: 48, reconfirm_release_hours: 24 }) });
      assert.equal(ok.status, 200, ok.body.toString());
      assert.equal(json(ok).reconfirm_hours, 48);
      assert.equal(json(ok).reconfirm_release_hours, 24);
      assert.match(cli(['attendees', 'settings', 'r1', '--db', store.url]).stdout, /reconfirm 48h, release 24h/);
    });

    test('asked at the moment, with the link and the deadline; yes keeps the place', async () => {
      assert.equal(run(START - 48 * HOUR - 60), '0 asked, 0 released');
      assert.equal(run(START - 48 * HOUR), '2 asked, 0 released', 'ana and bo hold the places; cy waits');
      assert.equal(run(START - 47 * HOUR), '0 asked, 0 released');
      const before = (await readMessages(mailDir)).length;
      assert.equal(deliver(START - 48 * HOUR).sent, 2);
      const msgs = (await readMessages(mailDir)).slice(before);
      assert.deepEqual(msgs.map((m) => m.to).sort(), ['ana@example.org', 'bo@example.org']);
      const ana = msgs.find((m) => m.to === 'ana@example.org');
      assert.equal(ana.subject, 'Still coming? Harbour talk, Wednesday 11 June 2031, 19:00–21:00 (Europe/Berlin)');
      assert.ok(ana.text.includes(`http://127.0.0.1:9/r/${tokens.ana}`));
      assert.match(ana.text, /Without an answer by Tuesday 10 June 2031, 19:00 \(Europe\/Berlin\), your place goes to someone waiting/);
      assert.equal(ana.header('List-Unsubscribe'), undefined, 'essential: no unsubscribe');
      const yes = await request(`${server.url}/api/v1/registrations/${tokens.ana}/reconfirm`, { method: 'POST' });
      assert.equal(yes.status, 200, yes.body.toString());
      assert.equal(json(yes).result, 'reconfirmed');
      assert.equal(json(await request(`${server.url}/api/v1/registrations/${tokens.ana}/reconfirm`, { method: 'POST' })).result,
        'already_reconfirmed');
      const waiting = await request(`${server.url}/api/v1/registrations/${tokens.cy}/reconfirm`, { method: 'POST' });
      assert.equal(waiting.status, 409);
      assert.equal(json(waiting).type, '/problems/not-confirmed');
      assert.equal((await request(`${server.url}/api/v1/registrations/nope/reconfirm`, { method: 'POST' })).status, 404);
    });

    test('at the deadline the silent place goes to the person waiting; both are told', async () => {
      assert.equal(run(START - 24 * HOUR - 60), '0 asked, 0 released');
      assert.equal(run(START - 24 * HOUR), '0 asked, 1 released');
      assert.equal(await state('bo'), 'cancelled');
      assert.equal(await state('cy'), 'confirmed');
      assert.equal(await state('ana'), 'confirmed');
      const before = (await readMessages(mailDir)).length;
      assert.equal(deliver().sent, 2);
      const msgs = (await readMessages(mailDir)).slice(before);
      const bo = msgs.find((m) => m.to === 'bo@example.org');
      assert.equal(bo.subject, 'Place released: Harbour talk');
      assert.match(bo.text, /did not confirm that you are still coming/);
      assert.equal(bo.icsMethod ?? bo.calendar?.method, 'CANCEL');
      assert.ok(msgs.some((m) => m.to === 'cy@example.org' && /^You have a place/.test(m.subject)));
      assert.equal(run(START - 23 * HOUR), '0 asked, 0 released', 'cy was promoted after the moment: not asked');
    });
  });
}
