// Waiting-list offers (issue 21) end to end on SQLite and PostgreSQL: the
// staff API switches an event to offers; a cancellation holds the freed place
// for the next person waiting (the public availability counts it taken, a
// newcomer is waitlisted); the offer e-mail (real SMTP server on loopback,
// read back with postal-mime) carries the deadline and the personal link;
// accept on the personal page, decline by the API, expiry by the CLI with
// `--at` as the clock seam; an offer answered before its e-mail went out is
// skipped; offers by hand through the staff API and the console.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';
import { deliverMail, readMessages, startSink } from './mail_lib.mjs';

const STAFF = 'offers-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'o1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,1,true,true,published\n';

const json = (r) => JSON.parse(r.body.toString());
const post = (url, body, headers = {}) => request(url, {
  method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json', ...headers },
});
const staff = { authorization: `Bearer ${STAFF}` };

for (const backend of ['sqlite', 'postgres']) {
  describe(`waiting-list offers on ${backend}`, () => {
    let tmp, store, server, sink, mailDir;
    const tokens = {};
    const ids = {};
    const deliver = () => deliverMail(store.url, sink.port);
    const newMail = async (since) => (await readMessages(mailDir)).slice(since);
    const register = async (who) => {
      const r = await post(`${server.url}/api/v1/events/o1/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
      assert.ok([201, 202].includes(r.status), r.body.toString());
      tokens[who] = json(r).token;
      ids[who] = json(r).registration.id;
      return json(r).registration.state;
    };
    const view = async (who) => json(await request(`${server.url}/api/v1/registrations/${tokens[who]}`));

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'offers');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      assert.equal(cli(['import', file, '--db', store.url, '--publish']).status, 0);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      assert.equal(await register('ana'), 'confirmed');
      assert.equal(await register('bo'), 'waitlisted');
      assert.equal(await register('cy'), 'waitlisted');
      assert.equal(deliver().sent, 3);  // the registration answers, out of the way
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('the staff API switches the event to offers, validated and for staff only', async () => {
      const url = `${server.url}/api/v1/events/o1/operations`;
      assert.equal(json(await request(url, { headers: staff })).promotion, 'automatic');
      assert.equal((await request(url, { method: 'PUT', body: '{"promotion":"offer"}' })).status, 401);
      const bad = await request(url, { method: 'PUT', headers: staff, body: JSON.stringify({ promotion: 'lottery', offer_hours: 500 }) });
      assert.equal(bad.status, 422);
      assert.deepEqual(json(bad).errors.map((e) => e.field), ['promotion', 'offer_hours']);
      const ok = await request(url, { method: 'PUT', headers: staff, body: JSON.stringify({ promotion: 'offer', offer_hours: 6 }) });
      assert.equal(ok.status, 200, ok.body.toString());
      assert.equal(json(ok).promotion, 'offer');
      assert.equal(json(ok).offer_hours, 6);
      assert.match(cli(['attendees', 'settings', 'o1', '--db', store.url]).stdout, /promotion offer, offers open 6 hours, transfers off/);
    });

    test('a cancellation holds the place for bo: not free for the public, e-mailed with the deadline', async () => {
      const since = (await readMessages(mailDir)).length;
      const t0 = Date.now() / 1000;
      assert.equal((await post(`${server.url}/api/v1/registrations/${tokens.ana}/cancel`)).status, 200);
      const bo = await view('bo');
      assert.equal(bo.registration.state, 'waitlisted');
      assert.equal(bo.offer.state, 'open');
      const expires = Date.parse(bo.offer.expires_at) / 1000;
      assert.ok(Math.abs(expires - (t0 + 6 * 3600)) < 60, `about 6 hours from now: ${bo.offer.expires_at}`);
      await eventually(async () => json(await request(`${server.url}/api/v1/availability`)).events.o1.state !== 'places_left');
      assert.equal(await register('dee'), 'waitlisted', 'the held place is not for newcomers');
      const sent = deliver();
      assert.equal(sent.sent, 3, 'ana\'s cancellation, bo\'s offer, dee\'s waiting-list answer');
      const offerMail = (await newMail(since)).find((m) => m.to === 'bo@example.org');
      assert.match(offerMail.subject, /^A place is free for you: Harbour talk \(answer by .* \(Europe\/Berlin\)\)/);
      assert.ok(offerMail.text.includes(`http://127.0.0.1:9/r/${tokens.bo}`), offerMail.text);
      assert.match(offerMail.text, /held for you until/);
    });

    test('bo accepts on the personal page and is registered', async () => {
      const page = (await request(`${server.url}/r/${tokens.bo}`)).body.toString();
      assert.match(page, /A place is free for you/);
      assert.match(page, /action="\/r\/[^"]+\/offer\/accept"/);
      const r = await request(`${server.url}/r/${tokens.bo}/offer/accept`, { method: 'POST', body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.status, 303);
      assert.equal(r.headers.location, `/r/${tokens.bo}?offer=accepted`);
      const after = (await request(`${server.url}${r.headers.location}`)).body.toString();
      assert.match(after, /The place is yours/);
      assert.match(after, /<h1>You&apos;re registered<\/h1>/);
      assert.equal((await view('bo')).registration.state, 'confirmed');
      const since = (await readMessages(mailDir)).length;
      assert.equal(deliver().sent, 1);
      assert.match((await newMail(since))[0].subject, /^You have a place: Harbour talk/);
      const again = await post(`${server.url}/api/v1/registrations/${tokens.bo}/offer/accept`);
      assert.equal(again.status, 409);
      assert.equal(json(again).type, '/problems/no-open-offer');
    });

    test('cy declines by the API before the offer e-mail went out: it is skipped, and dee is offered the place', async () => {
      assert.equal((await post(`${server.url}/api/v1/registrations/${tokens.bo}/cancel`)).status, 200);
      assert.equal((await view('cy')).offer.state, 'open');
      const d = await post(`${server.url}/api/v1/registrations/${tokens.cy}/offer/decline`);
      assert.equal(d.status, 200, d.body.toString());
      assert.equal(json(d).registration.state, 'cancelled');
      assert.equal((await view('dee')).offer.state, 'open');
      const since = (await readMessages(mailDir)).length;
      const sent = deliver();
      assert.equal(sent.skipped, 1, 'cy\'s offer e-mail: answered before delivery');
      const to = (await newMail(since)).map((m) => `${m.to} ${m.subject.split(':')[0]}`).sort();
      assert.deepEqual(to, ['bo@example.org Registration cancelled', 'cy@example.org Registration cancelled',
        'dee@example.org A place is free for you']);
      assert.match(cli(['notify', 'list', '--db', store.url, '--state', 'skipped']).stdout, /place_offered o1 .*answered, withdrawn or expired/);
    });

    test('an unanswered offer expires at its deadline (clock seam): the registration ends, the place is free again', async () => {
      const expires = Date.parse((await view('dee')).offer.expires_at) / 1000;
      const early = cli(['attendees', 'expire-offers', '--db', store.url, '--at', String(expires - 1)]);
      assert.equal(early.stdout, '0 offers expired\n');
      const due = cli(['attendees', 'expire-offers', '--db', store.url, '--at', String(expires)]);
      assert.equal(due.stdout, '1 offers expired\n', due.stderr);
      assert.equal((await view('dee')).registration.state, 'cancelled');
      const since = (await readMessages(mailDir)).length;
      assert.equal(deliver().sent, 1);
      const m = (await newMail(since))[0];
      assert.equal(m.subject, 'Offer expired: Harbour talk');
      assert.match(m.text, /not taken in time/);
      const late = await post(`${server.url}/api/v1/registrations/${tokens.dee}/offer/accept`);
      assert.equal(late.status, 409);
      assert.equal(await register('eve'), 'confirmed', 'nobody waits: the place is free for anyone');
    });

    test('offers by hand: refused without a free place unless one is added, through the API and the console', async () => {
      assert.equal(await register('fay'), 'waitlisted');
      assert.equal(await register('gus'), 'waitlisted');
      const url = `${server.url}/api/v1/events/o1/offers`;
      assert.equal((await post(url, { registration_id: ids.fay })).status, 401);
      const full = await post(url, { registration_id: ids.fay }, staff);
      assert.equal(full.status, 409);
      assert.equal(json(full).type, '/problems/no-free-place');
      assert.match(json(full).detail, /every one of the 1 places is taken or held/);
      const made = await post(url, { registration_id: ids.fay, add_place: true }, staff);
      assert.equal(made.status, 201, made.body.toString());
      assert.equal(json(made).capacity, 2);
      assert.equal(json(made).place_added, true);
      assert.equal(json(made).offer.actor, 'staff token');
      assert.equal((await post(url, { registration_id: ids.eve }, staff)).status, 409, 'eve is not waiting');
      // The console: gus is offered a place with one more added.
      assert.equal(cli(['user', 'add', 'ops@example.org', '--role', 'operations', '--db', store.url], { input: 'ops password 12345\n' }).status, 0);
      const ops = await new ConsoleClient(server.url).signIn('ops@example.org', 'ops password 12345');
      const page = (await ops.get('/admin/attendees/o1')).body.toString();
      assert.match(page, /place offered until/, 'fay\'s open offer');
      assert.match(page, /Offer a place \(\+1 place\)/, 'no place is free for gus');
      assert.equal((await ops.post('/admin/attendees/o1/offers', { registration_id: String(ids.gus), add_place: '1' })).status, 303);
      assert.equal((await view('gus')).offer.state, 'open');
      const settings = await ops.post('/admin/attendees/o1/operations', { promotion: 'offer', offer_hours: '0' });
      assert.equal(settings.status, 422);
      assert.match(settings.body.toString(), /Offer hours: a whole number of hours from 1 to 168/);
      const audit = (await request(`${server.url}/api/v1/admin/audit.csv`, { headers: staff })).body.toString();
      assert.match(audit, new RegExp(`"staff token","offer_place","registration ${ids.fay}","","offer \\d+ until 20\\d\\d-[^"]+Z; capacity raised to 2"`), audit);
      assert.match(audit, /"staff token","event_operations","event o1","promotion=automatic, offer_hours=12, transfers=off","promotion=offer, offer_hours=6, transfers=off"/);
    });
  });
}
