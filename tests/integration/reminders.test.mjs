// Reminders before an event (issue 21) end to end on SQLite and PostgreSQL:
// registrations over HTTP, the reminder job from the CLI with `--at` as the
// clock seam (the instant it acts at), delivery by `marquee notify run` to a
// real SMTP server on loopback, messages read back with postal-mime. Right
// times (nothing more than an hour early, each reminder once), only confirmed
// attendees (not waitlisted, cancelled or erased), nothing after the start,
// the ticket code and the personal link in the message; the settings from the
// CLI and the console.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, request, startServer, tempDir, testStore } from './lib.mjs';
import { deliverMail, readMessages, startSink } from './mail_lib.mjs';

const HEADER = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n';
const CSV = HEADER +
  'r1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,2,true,true,published\n' +
  'r2,Dockside walk,2031-06-12 10:00,12:00,Europe/Berlin,Pier 3,Gate,10,true,false,published\n';
const START = Date.UTC(2031, 5, 11, 17, 0) / 1000;  // 19:00 CEST
const HOUR = 3600;

const json = (r) => JSON.parse(r.body.toString());
const post = (url, body) => request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

for (const backend of ['sqlite', 'postgres']) {
  describe(`reminders on ${backend}`, () => {
    let tmp, store, server, sink, mailDir;
    const tokens = {};
    const remind = (at) => {
      const r = cli(['notify', 'remind', '--db', store.url, '--at', String(at)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return Number(r.stdout.match(/(\d+) reminders written/)[1]);
    };
    // Delivery now, or `at` an instant (UTC seconds): reminders are due at their moment, in 2031.
    const deliver = (at, extra = []) => {
      const { sent, skipped } = deliverMail(store.url, sink.port, { extra: [...(at ? ['--at', String(at)] : []), ...extra] });
      return { sent, skipped };
    };

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'reminders');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      assert.equal(cli(['import', file, '--db', store.url, '--publish']).status, 0);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      for (const [key, who] of [['r1', 'ana'], ['r1', 'bo'], ['r1', 'cy'], ['r2', 'di']]) {
        const r = await post(`${server.url}/api/v1/events/${key}/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
        assert.ok([201, 202].includes(r.status), r.body.toString());
        tokens[who] = json(r).token;
      }
      assert.equal(deliver().sent, 4);  // the registration confirmations, out of the way
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('settings: off by default, set and refused from the CLI', () => {
      assert.equal(cli(['notify', 'reminders', '--db', store.url]).stdout, 'reminders off\n');
      const bad = cli(['notify', 'reminders', '--db', store.url, '--set', 'tomorrow']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /'tomorrow' is not a duration/);
      assert.equal(remind(START - 24 * HOUR), 0, 'nothing while reminders are off');
      const set = cli(['notify', 'reminders', '--db', store.url, '--set', '2h, 24h']);
      assert.equal(set.stdout, 'reminders 24h, 2h\n');
    });

    test('24 hours before: confirmed attendees only, once, with their ticket code and link', async () => {
      assert.equal(remind(START - 24 * HOUR - 61 * 60), 0, 'more than an hour early');
      assert.equal(remind(START - 24 * HOUR - 30 * 60), 2, 'ana and bo hold the two places; cy waits');
      assert.equal(remind(START - 24 * HOUR - 29 * 60), 0, 'each reminder is written once');
      const before = (await readMessages(mailDir)).length;
      assert.deepEqual(deliver(START - 24 * HOUR - 60), { sent: 0, skipped: 0 }, 'not before the moment');
      assert.deepEqual(deliver(undefined, ['--now']), { sent: 0, skipped: 0 }, 'nor with --now (as after an SMTP outage)');
      assert.deepEqual(deliver(START - 24 * HOUR), { sent: 2, skipped: 0 });
      const msgs = (await readMessages(mailDir)).slice(before);
      assert.deepEqual(msgs.map((m) => m.to).sort(), ['ana@example.org', 'bo@example.org']);
      const ana = msgs.find((m) => m.to === 'ana@example.org');
      assert.equal(ana.subject, 'Reminder: Harbour talk, Wednesday 11 June 2031, 19:00–21:00 (Europe/Berlin)');
      assert.match(ana.text, /starts in about 24 hours/);
      const reg = json(await request(`${server.url}/api/v1/registrations/${tokens.ana}`)).registration;
      assert.ok(ana.text.includes(`Your ticket code: ${reg.ticket_code}`), ana.text);
      assert.ok(ana.text.includes(`http://127.0.0.1:9/r/${tokens.ana}`));
      assert.equal(ana.calendar, null, 'no calendar entry: the attendee has it from the confirmation');
      // Non-essential: a one-click unsubscribe (RFC 8058).
      assert.equal(ana.header('List-Unsubscribe'), `<http://127.0.0.1:9/r/${tokens.ana}/unsubscribe>`);
      assert.equal(ana.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    });

    test('2 hours before: a cancellation in between is skipped, the promoted attendee is reminded', async () => {
      assert.equal(remind(START - 2 * HOUR - 10 * 60), 2);
      // bo cancels after the reminder was written: cy gets the place (and the 2 h reminder at the next run).
      const c = await request(`${server.url}/api/v1/registrations/${tokens.bo}/cancel`, { method: 'POST' });
      assert.equal(c.status, 200);
      assert.equal(remind(START - 2 * HOUR - 5 * 60), 1);
      assert.deepEqual(deliver(), { sent: 2, skipped: 0 }, 'bo\'s cancellation and cy\'s place, now');
      const before = (await readMessages(mailDir)).length;
      const result = deliver(START - 2 * HOUR + 60);
      const msgs = (await readMessages(mailDir)).slice(before).filter((m) => m.subject.startsWith('Reminder:'));
      assert.deepEqual(msgs.map((m) => m.to).sort(), ['ana@example.org', 'cy@example.org']);
      assert.match(msgs[0].text, /starts in about 2 hours/, 'the time left, a minute after the moment');
      assert.equal(result.skipped, 1, 'bo\'s reminder: the registration is cancelled');
      assert.match(cli(['notify', 'list', '--db', store.url, '--state', 'skipped']).stdout, /reminder r1 .*no longer confirmed/);
    });

    test('nothing at or after the start, and nothing once switched off', async () => {
      assert.equal(remind(START), 0);
      assert.equal(remind(START + HOUR), 0);
      // A reminder written, then switched off before its moment: skipped.
      assert.equal(cli(['notify', 'reminders', '--db', store.url, '--set', '24h, 2h, 30m']).status, 0);
      assert.equal(remind(START - 40 * 60), 2);  // ana and cy, 30 minutes before
      assert.equal(cli(['notify', 'reminders', '--db', store.url, '--set', '24h, 2h']).status, 0);
      assert.deepEqual(deliver(START - 30 * 60), { sent: 0, skipped: 2 });
      assert.match(cli(['notify', 'list', '--db', store.url, '--state', 'skipped']).stdout, /30m before the start were switched off/);
    });

    test('the console saves the reminders with the other notification settings, and refuses a bad value', async () => {
      assert.equal(cli(['user', 'add', 'ops@example.org', '--role', 'operations', '--db', store.url], { input: 'ops password 12345\n' }).status, 0);
      const ops = await new ConsoleClient(server.url).signIn('ops@example.org', 'ops password 12345');
      const page = (await ops.get('/admin/notifications')).body.toString();
      assert.match(page, /name="reminders" value="24h, 2h"/);
      const form = { field_starts_at: 'on', field_room: 'on', quiet_seconds: '0', max_delay_seconds: '3600' };
      assert.equal((await ops.post('/admin/notifications/settings', { ...form, reminders: 'whenever' })).status, 422);
      assert.equal((await ops.post('/admin/notifications/settings', form)).status, 303, 'a form without the field');
      assert.equal(cli(['notify', 'reminders', '--db', store.url]).stdout, 'reminders 24h, 2h\n', 'leaves the reminders as they are');
      assert.equal(cli(['notify', 'reminders', '--db', store.url]).stdout, 'reminders 24h, 2h\n');
      assert.equal((await ops.post('/admin/notifications/settings', { ...form, reminders: '3h' })).status, 303);
      assert.equal(cli(['notify', 'reminders', '--db', store.url]).stdout, 'reminders 3h\n');
    });

    test("an event's own reminders replace the installation's, when written and when sent", async () => {
      // The installation reminds 3 hours before (the console test above); the Dockside walk 5 hours before, its own.
      const START2 = Date.UTC(2031, 5, 12, 8, 0) / 1000;  // 10:00 CEST
      const own = cli(['attendees', 'settings', 'r2', '--db', store.url, '--reminders', '5h']);
      assert.equal(own.status, 0, own.stderr);
      assert.match(own.stdout, /reminders 5h/);
      assert.equal(cli(['attendees', 'settings', 'r2', '--db', store.url, '--reminders', 'soon']).status, 2);
      assert.equal(remind(START2 - 5 * HOUR - 10 * 60), 1, "di's 5 h reminder");
      const before = (await readMessages(mailDir)).length;
      assert.deepEqual(deliver(START2 - 5 * HOUR), { sent: 1, skipped: 0 }, 'sent: 5 h is the event\'s own offset');
      const [m] = (await readMessages(mailDir)).slice(before);
      assert.equal(m.to, 'di@example.org');
      assert.match(m.text, /starts in about 5 hours/);
      // di unsubscribes from its link: the next reminder is written but skipped at delivery.
      const link = m.header('List-Unsubscribe').slice(1, -1).replace('http://127.0.0.1:9', server.url);
      assert.equal((await request(link, { method: 'POST', body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 200);
      assert.equal(remind(START2 - 4 * HOUR - 10 * 60), 0, 'no 4 h reminder is set');
      assert.equal(cli(['attendees', 'settings', 'r2', '--db', store.url, '--reminders', '5h, 4h']).status, 0);
      assert.equal(remind(START2 - 4 * HOUR - 10 * 60), 1);
      assert.deepEqual(deliver(START2 - 4 * HOUR), { sent: 0, skipped: 1 });
      assert.match(cli(['notify', 'list', '--db', store.url, '--state', 'skipped']).stdout, /reminder r2 .*opted out of non-essential/);
      assert.equal((await request(link.replace('/unsubscribe', '/resubscribe'), { method: 'POST' })).status, 200);
      // Switched off for this event after the 3 h reminder was written: skipped at delivery.
      assert.equal(cli(['attendees', 'settings', 'r2', '--db', store.url, '--reminders', 'default']).status, 0);
      assert.equal(remind(START2 - 3 * HOUR - 10 * 60), 1, 'back to the installation\'s 3 h');
      assert.equal(cli(['attendees', 'settings', 'r2', '--db', store.url, '--reminders', 'off']).status, 0);
      assert.deepEqual(deliver(START2 - 3 * HOUR), { sent: 0, skipped: 1 });
      assert.match(cli(['notify', 'list', '--db', store.url, '--state', 'skipped']).stdout, /reminder r2 .*3h before the start were switched off/);
    });
  });
}
