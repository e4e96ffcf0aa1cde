// Messages to a chosen set of attendees (issue 21) end to end on SQLite and
// PostgreSQL: registrations over HTTP, the staff API counts and previews a
// message, sends a test to the operator, then sends it; the server's own
// delivery worker hands every message to a real SMTP server on loopback and
// exactly the chosen set receives it (read back with postal-mime), with
// RFC 8058 List-Unsubscribe headers. A one-click unsubscribe (the POST a mail
// provider sends) stops reminders and messages but not the cancellation
// confirmation. Scheduled messages are cancelled or sent by the CLI job at
// their time; bad drafts are RFC 9457 problems naming the field.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';
import { readMessages, startSink } from './mail_lib.mjs';

const STAFF = 'messages-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status,questions\n' +
  'm1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,2,true,true,published,' +
  '"diet | choice | optional | Dietary needs | None; Vegan"\n' +
  'm2,Dockside walk,2031-06-12 10:00,12:00,Europe/Berlin,Pier 3,Gate,10,true,false,published,\n';

const json = (r) => JSON.parse(r.body.toString());
const staff = { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' };
const call = (url, method = 'GET', body, headers = staff) =>
  request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

for (const backend of ['sqlite', 'postgres']) {
  describe(`messages to attendees on ${backend}`, () => {
    let tmp, store, server, sink, mailDir;
    const tokens = {};
    // The messages the sink received after the first `since`, once there are `count` of them.
    const mailAfter = (since, count) => eventually(async () => {
      const all = (await readMessages(mailDir)).slice(since);
      return all.length >= count && all;
    }, 20_000);
    const mailCount = async () => (await readMessages(mailDir)).length;
    const draft = (extra) => ({
      events: ['m1', 'm2'], states: ['confirmed'], subject: 'Doors open at 18:30',
      body: 'Please come **early**: the hall is [next to the pier](https://example.org/map).', ...extra,
    });

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'messages');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      const imported = cli(['import', file, '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stdout + imported.stderr);
      const user = cli(['user', 'add', 'ops@example.org', '--role', 'operations', '--db', store.url], { input: 'ops password 12345\n' });
      assert.equal(user.status, 0, user.stderr);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'programme@harbourlight.example.org', '--notify-poll-ms', '200', '--public-url', 'http://127.0.0.1:9']);
      for (const [key, who, diet] of [['m1', 'ana', 'Vegan'], ['m1', 'bo', 'None'], ['m1', 'cy', 'Vegan'], ['m2', 'di', undefined]]) {
        const r = await call(`${server.url}/api/v1/events/${key}/registrations`, 'POST',
          { name: `Person ${who}`, email: `${who}@example.org`, ...(diet ? { answers: { diet } } : {}) },
          { 'content-type': 'application/json' });
        assert.ok([201, 202].includes(r.status), r.body.toString());
        tokens[who] = json(r).token;
      }
      await mailAfter(0, 4);  // the registration answers, out of the way
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('count, preview and a test to the operator; nothing is stored', async () => {
      const p = await call(`${server.url}/api/v1/admin/messages/preview`, 'POST',
        draft({ events: ['m1'], states: ['confirmed', 'waitlisted'], answers: [{ question: 'diet', value: 'Vegan' }] }));
      assert.equal(p.status, 200, p.body.toString());
      const body = json(p);
      assert.equal(body.recipients, 2, 'ana (confirmed) and cy (waiting), both Vegan');
      assert.equal(body.preview.subject, 'Doors open at 18:30');
      assert.match(body.preview.text, /Hello Person ana,/);
      assert.match(body.preview.text, /Please come \*\*early\*\*/);
      assert.match(body.preview.html, /<strong>early<\/strong>/);
      assert.match(body.preview.text, /\/r\/PERSONAL-LINK\/unsubscribe/, 'links are placeholders');
      const outside = await call(`${server.url}/api/v1/admin/messages/test`, 'POST', draft({ email: 'someone@example.net' }));
      assert.equal(outside.status, 422, 'tests go to the team only');
      assert.match(json(outside).detail, /not a console user's address/);
      const before = await mailCount();
      const t = await call(`${server.url}/api/v1/admin/messages/test`, 'POST', draft({ email: 'ops@example.org' }));
      assert.equal(t.status, 200, t.body.toString());
      assert.equal(json(t).accepted, true);
      const [m] = await mailAfter(before, 1);
      assert.equal(m.to, 'ops@example.org');
      assert.equal(m.subject, '[Test] Doors open at 18:30');
      assert.match(m.text, /^Hello Alex Example,/, 'a stand-in name, not the attendee\'s');
      assert.deepEqual(json(await call(`${server.url}/api/v1/admin/messages`)).messages, []);
    });

    test('sending reaches exactly the chosen set, with a one-click unsubscribe', async () => {
      const before = await mailCount();
      const keyed = { ...staff, 'idempotency-key': 'retry-after-a-lost-answer' };
      const r = await call(`${server.url}/api/v1/admin/messages`, 'POST', draft(), keyed);
      assert.equal(r.status, 201, r.body.toString());
      const { message } = json(r);
      const retry = await call(`${server.url}/api/v1/admin/messages`, 'POST', draft(), keyed);
      assert.equal(json(retry).message.id, message.id, 'the retry returns the first message');
      assert.equal(message.state, 'sent');
      assert.equal(message.recipients, 3, 'ana, bo (m1) and di (m2); cy waits');
      const msgs = await mailAfter(before, 3);
      await new Promise((res) => setTimeout(res, 300));
      assert.equal((await mailCount()) - before, 3, 'no one else');
      assert.deepEqual(msgs.map((m) => m.to).sort(), ['ana@example.org', 'bo@example.org', 'di@example.org']);
      const ana = msgs.find((m) => m.to === 'ana@example.org');
      assert.equal(ana.subject, 'Doors open at 18:30');
      assert.match(ana.text, /a message about Harbour talk/);
      assert.match(ana.html, /<strong>early<\/strong>/);
      assert.ok(ana.text.includes(`http://127.0.0.1:9/r/${tokens.ana}`), 'the personal link');
      assert.equal(ana.header('List-Unsubscribe'), `<http://127.0.0.1:9/r/${tokens.ana}/unsubscribe>`);
      assert.equal(ana.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.equal(ana.calendar, null);
      const listed = json(await call(`${server.url}/api/v1/admin/messages/${message.id}`)).message;
      assert.equal(listed.recipients, 3);
    });

    test('one-click unsubscribe stops messages, not the cancellation confirmation', async () => {
      // A link scanner's GET changes nothing; the provider's POST does.
      const page = await request(`${server.url}/r/${tokens.ana}/unsubscribe`);
      assert.equal(page.status, 200);
      assert.match(page.body.toString(), /Stop reminders and messages\?/);
      const one = await request(`${server.url}/r/${tokens.ana}/unsubscribe`, {
        method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(one.status, 200);
      assert.match(one.body.toString(), /You are unsubscribed/);
      assert.equal((await request(`${server.url}/r/not-a-token/unsubscribe`, { method: 'POST' })).status, 404);
      const p = json(await call(`${server.url}/api/v1/admin/messages/preview`, 'POST', draft({ events: ['m1'] })));
      assert.equal(p.recipients, 1);
      assert.equal(p.opted_out, 1);
      let before = await mailCount();
      const r = await call(`${server.url}/api/v1/admin/messages`, 'POST', draft({ events: ['m1'], subject: 'Second' }));
      assert.equal(json(r).message.recipients, 1);
      const [second] = await mailAfter(before, 1);
      assert.equal(second.to, 'bo@example.org');
      // Essential mail still reaches ana.
      before = await mailCount();
      assert.equal((await request(`${server.url}/api/v1/registrations/${tokens.ana}/cancel`, { method: 'POST' })).status, 200);
      const answers = await mailAfter(before, 2);  // ana's cancellation and cy's place
      assert.ok(answers.some((m) => m.to === 'ana@example.org' && /^Registration cancelled/.test(m.subject)));
      assert.ok(answers.every((m) => !m.header('List-Unsubscribe')), 'essential mail has no unsubscribe');
      // Back in, from the page.
      const again = await request(`${server.url}/r/${tokens.bo}/resubscribe`, { method: 'POST' });
      assert.equal(again.status, 200);
    });

    test('scheduled: cancelled before its time, or sent by the job at its time', async () => {
      const later = await call(`${server.url}/api/v1/admin/messages`, 'POST', draft({ send_at: '2031-06-11T08:00:00Z', subject: 'Tomorrow' }));
      assert.equal(later.status, 201, later.body.toString());
      const m = json(later).message;
      assert.equal(m.state, 'scheduled');
      assert.equal(m.send_at, '2031-06-11T08:00:00Z');
      const wall = await call(`${server.url}/api/v1/admin/messages`, 'POST', draft({ send_at: '2031-06-11T12:00', subject: 'Noon' }));
      const noon = json(wall).message;
      assert.equal(noon.send_at, '2031-06-11T10:00:00Z', 'a wall time in the festival zone (the events\' Europe/Berlin, CEST)');
      const c = await call(`${server.url}/api/v1/admin/messages/${noon.id}/cancel`, 'POST');
      assert.equal(c.status, 200);
      assert.equal(json(c).message.state, 'cancelled');
      const again = await call(`${server.url}/api/v1/admin/messages/${noon.id}/cancel`, 'POST');
      assert.equal(again.status, 409);
      assert.equal(json(again).type, '/problems/message-not-scheduled');
      const early = cli(['attendees', 'send-messages', '--db', store.url, '--at', String(Date.UTC(2031, 5, 11, 7) / 1000)]);
      assert.equal(early.stdout, '0 messages sent\n');
      const before = await mailCount();
      const at = String(Date.UTC(2031, 5, 11, 13) / 1000);
      const due = cli(['attendees', 'send-messages', '--db', store.url, '--at', at]);
      assert.equal(due.stdout, '1 messages sent\n', due.stderr);
      const listed = cli(['attendees', 'messages', '--db', store.url]).stdout;
      assert.match(listed, new RegExp(`^${m.id}\\tsent\\t2031-06-11T08:00:00Z\\t3\\tTomorrow\\t`, 'm'), listed);
      assert.match(listed, new RegExp(`^${noon.id}\\tcancelled\\t`, 'm'));
      // The rows are due at that instant (the clock seam): one delivery pass as of then.
      const run = cli(['notify', 'run', '--at', at, '--db', store.url, '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'programme@harbourlight.example.org', '--public-url', 'http://127.0.0.1:9']);
      assert.equal(run.status, 0, run.stderr);
      const msgs = await mailAfter(before, 3);
      assert.deepEqual(msgs.map((x) => x.to).sort(), ['bo@example.org', 'cy@example.org', 'di@example.org'],
        'ana cancelled (cy has her place now)');
    });

    test('bad drafts are problems naming each field; the API is staff only', async () => {
      const bad = await call(`${server.url}/api/v1/admin/messages`, 'POST',
        { events: ['m1', 'nope'], states: ['cancelled'], subject: '', body: 'x', send_at: 'soon' });
      assert.equal(bad.status, 422);
      assert.equal(bad.headers['content-type'], 'application/problem+json');
      const fields = json(bad).errors.map((e) => e.field);
      assert.deepEqual(fields, ['subject', 'states', 'events', 'send_at']);
      assert.equal((await call(`${server.url}/api/v1/admin/messages`, 'POST', undefined)).status, 400);
      assert.equal((await call(`${server.url}/api/v1/admin/messages`, 'GET', undefined, {})).status, 401);
      assert.equal((await call(`${server.url}/api/v1/admin/messages/999999`)).status, 404);
    });
  });
}
