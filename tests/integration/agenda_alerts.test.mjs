// E-mail alerts for a personal agenda (issue 20) end to end on SQLite and
// PostgreSQL: the API over HTTP, publishes from the CLI, delivery by
// `marquee notify run` and by the worker inside `marquee serve` to a real SMTP
// server on loopback, messages read back with postal-mime. Opt-in is required
// (nothing is sent before the link is used, and a GET of the link changes
// nothing); several changes fold into one message; the RFC 8058 one-click
// unsubscribe works in one POST; erasure removes the address from the store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';
import { deliverMail, readMessages, startSink } from './mail_lib.mjs';

const STAFF = 'alerts-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const HEADER = 'key,title,starts_at,ends_at,time_zone,venue,room,status\n';
function programme(overrides = {}) {
  const rows = {
    e1: ['e1', 'Harbour talk', '2031-06-11 19:00', '21:00', 'Europe/Berlin', 'Kulturhaus', 'Hall A', 'published'],
    e2: ['e2', 'Dockside walk', '2031-06-12 10:00', '12:00', 'Europe/Berlin', 'Pier 3', 'Gate', 'published'],
    e3: ['e3', 'Night swim', '2031-06-12 22:00', '23:30', 'Europe/Berlin', 'Beach', 'Shore', 'published'],
  };
  for (const [key, patch] of Object.entries(overrides)) Object.assign(rows[key], patch);
  return HEADER + Object.values(rows).map((r) => r.join(',')).join('\n') + '\n';
}

const json = (r) => JSON.parse(r.body.toString());
const call = (url, method = 'GET', body = undefined, headers = {}) => request(url, {
  method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
});

for (const backend of ['sqlite', 'postgres']) {
  describe(`agenda alerts on ${backend}`, () => {
    let tmp, store, server, sink, mailDir, token, confirmUrl, unsubscribeUrl;
    let version = 0;
    const publish = (overrides) => {
      const file = path.join(tmp.dir, `v${++version}.csv`);
      writeFileSync(file, programme(overrides));
      const r = cli(['import', file, '--db', store.url, '--publish']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    };
    const notifyRun = () => deliverMail(store.url, sink.port, { publicUrl: server.url });
    const outboxKinds = () => cli(['notify', 'list', '--db', store.url, '--limit', '1000']).stdout;
    const alertsOf = (t) => `${server.url}/api/v1/agendas/${t}/alerts`;
    const newAgenda = async (events) => {
      const made = json(await call(`${server.url}/api/v1/agendas`, 'POST'));
      assert.equal((await call(`${server.url}/api/v1/agendas/${made.token}`, 'PUT', { events })).status, 200);
      return made.token;
    };
    const dump = () => {
      const r = backend === 'sqlite'
        ? spawnSync('sqlite3', [store.url.replace('sqlite:///', ''), '.dump'], { encoding: 'utf8' })
        : spawnSync('pg_dump', [store.url], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'alerts');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      publish({});
      // Changes are told at once (no quiet period) so each step below is one `notify run`.
      assert.equal(cli(['notify', 'settings', '--db', store.url, '--quiet-seconds', '0']).status, 0);
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      sink = await startSink(mailDir);
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      token = await newAgenda(['e1', 'e2']);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await sink?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('asking for alerts: a masked answer, field errors, and a confirmation message', async () => {
      assert.deepEqual(json(await call(alertsOf(token))), { state: 'none', email: null });
      const bad = await call(alertsOf(token), 'POST', { email: 'not an address' });
      assert.equal(bad.status, 422);
      assert.match(bad.headers['content-type'], /application\/problem\+json/);
      assert.equal(json(bad).errors[0].field, 'email');
      assert.equal((await call(alertsOf(token), 'POST', 'nope')).status, 400);
      assert.equal((await call(alertsOf('A'.repeat(43)), 'POST', { email: 'ada@example.org' })).status, 404);

      const asked = await call(alertsOf(token), 'POST', { email: 'Ada@Example.org' });
      assert.equal(asked.status, 202, asked.body.toString());
      assert.deepEqual(json(asked), { state: 'pending', email: 'a•••@example.org' });
      assert.equal(asked.headers['cache-control'], 'no-store');
      assert.doesNotMatch(asked.body.toString(), /ada@/i);

      assert.deepEqual(notifyRun(), { sent: 1, retried: 0, failed: 0, skipped: 0 });
      const [m] = await readMessages(mailDir);
      assert.equal(m.to, 'ada@example.org');
      assert.match(m.subject, /^Confirm alerts for your agenda/);
      assert.equal(m.header('List-Unsubscribe'), undefined, 'not a list message until confirmed');
      confirmUrl = m.text.match(/(http:\/\/\S+\/alerts\/confirm\/[A-Za-z0-9_-]{43})/)[1];
      assert.ok(m.html.includes(`href="${confirmUrl}"`));
    });

    test('opt-in is required: before the link is used, a change of a starred event sends nothing', async () => {
      // Link scanners fetch links: the GET shows a button and changes nothing.
      const page = await request(confirmUrl);
      assert.equal(page.status, 200);
      assert.match(page.body.toString(), /<form class="register-form" method="post" action="\/alerts\/confirm\/[A-Za-z0-9_-]{43}">/);
      assert.match(page.body.toString(), /a•••@example\.org/);
      assert.equal(json(await call(alertsOf(token))).state, 'pending');

      publish({ e1: { 6: 'Hall B' } });
      assert.doesNotMatch(outboxKinds(), /agenda_alert/);
      assert.deepEqual(notifyRun(), { sent: 0, retried: 0, failed: 0, skipped: 0 });

      const confirmed = await request(confirmUrl, { method: 'POST' });
      assert.equal(confirmed.status, 200);
      assert.match(confirmed.body.toString(), /E-mail alerts are on/);
      assert.equal(json(await call(alertsOf(token))).state, 'confirmed');
      // Asking again for the same address sends nothing more.
      const again = await call(alertsOf(token), 'POST', { email: 'ada@example.org' });
      assert.equal(again.status, 200);
      assert.equal(json(again).state, 'confirmed');
      assert.deepEqual(notifyRun(), { sent: 0, retried: 0, failed: 0, skipped: 0 });
    });

    test('several changes of starred events fold into one message with a one-click unsubscribe', async () => {
      const before = (await readMessages(mailDir)).length;
      publish({ e1: { 2: '2031-06-11 20:00', 3: '22:00', 6: 'Hall B' } });
      // Before publishing, the preview (CLI and console) counts one message for the alert following both changed events.
      const pending = path.join(tmp.dir, 'pending.csv');
      writeFileSync(pending, programme({ e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall C' }, e2: { 7: 'cancelled' }, e3: { 6: 'Dunes' } }));
      assert.equal(cli(['import', pending, '--db', store.url]).status, 0);
      const preview = cli(['notify', 'preview', '--db', store.url]).stdout;
      assert.match(preview, /^e1 changed \([a-z_, ]+\): 0 attendees, followed by 1 agenda alert$/m, preview);
      assert.match(preview, /^e2 changed \(status\): 0 attendees, followed by 1 agenda alert$/m, preview);
      assert.doesNotMatch(preview, /^e3 /m, 'nobody follows or attends e3');
      assert.match(preview, /^1 message \(0 to attendees, 1 to agenda alerts: one per alert, however many of its events change\)$/m);
      assert.equal(cli(['user', 'add', 'alerts-ops@example.org', '--role', 'operations', '--db', store.url],
        { input: 'ops password 12345\n' }).status, 0);
      const ops = await new ConsoleClient(server.url).signIn('alerts-ops@example.org', 'ops password 12345');
      const page = (await ops.get('/admin/publishing')).body.toString();
      assert.match(page, /Publishing now writes <strong>1 message<\/strong>/);
      assert.match(page, /Harbour talk<\/a>: [^<]+ → 0 attendees, followed by 1 agenda alert<\/li>/);
      assert.match(page, /Of these, 1 message goes to the agenda alert that follows these events/);
      publish({ e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall C' }, e2: { 7: 'cancelled' }, e3: { 6: 'Dunes' } });
      assert.equal(outboxKinds().match(/agenda_alert/g).length, 1, outboxKinds());
      assert.deepEqual(notifyRun(), { sent: 1, retried: 0, failed: 0, skipped: 0 });
      const msgs = (await readMessages(mailDir)).slice(before);
      assert.equal(msgs.length, 1);
      const [m] = msgs;
      assert.equal(m.to, 'ada@example.org');
      assert.equal(m.subject, '2 events on your agenda changed');
      assert.match(m.text, /Harbour talk has changed:/);
      assert.match(m.text, /Room: was Hall B, now Hall C/);
      assert.match(m.text, /20:30/);
      assert.match(m.text, /Dockside walk is cancelled\./);
      assert.doesNotMatch(m.text, /Night swim/, 'an event not starred is not in the message');
      assert.match(m.header('List-Unsubscribe'), /^<http:\/\/127\.0\.0\.1:\d+\/alerts\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
      assert.equal(m.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      unsubscribeUrl = m.header('List-Unsubscribe').slice(1, -1);
      assert.ok(m.text.includes(unsubscribeUrl));
      assert.ok(m.text.includes(`${server.url}/agenda#t=${token}`));
    });

    test('the one-click unsubscribe works in one POST, without a session or a form', async () => {
      const page = await request(unsubscribeUrl);
      assert.equal(page.status, 200);
      assert.match(page.body.toString(), /Stop alerts/);
      assert.equal(json(await call(alertsOf(token))).state, 'confirmed', 'a GET changes nothing');
      const r = await request(unsubscribeUrl, { method: 'POST', body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.status, 200);
      assert.match(r.body.toString(), /E-mail alerts are off/);
      assert.deepEqual(json(await call(alertsOf(token))), { state: 'none', email: null });
      assert.equal((await request(unsubscribeUrl, { method: 'POST' })).status, 200, 'a second click is harmless');
      assert.equal((await request(confirmUrl, { method: 'POST' })).status, 410, 'the confirmation link of an ended alert');
      const before = (await readMessages(mailDir)).length;
      publish({ e1: { 2: '2031-06-11 21:00', 3: '23:00', 6: 'Hall C' }, e2: { 7: 'cancelled' }, e3: { 6: 'Dunes' } });
      assert.deepEqual(notifyRun(), { sent: 0, retried: 0, failed: 0, skipped: 0 });
      assert.equal((await readMessages(mailDir)).length, before);
      assert.doesNotMatch(dump(), /ada@example\.org/, 'the address is gone from the store');
    });

    test('the worker inside marquee serve sends the confirmation at once; erasure removes the address', async () => {
      await server.stop();
      server = await startServer(store.url, ['--registration-rate', '0', '--no-seed', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'programme@harbourlight.example.org', '--notify-poll-ms', '60000', '--public-url', 'http://127.0.0.1:9']);
      const other = await newAgenda(['e3']);
      const before = (await readMessages(mailDir)).length;
      assert.equal((await call(alertsOf(other), 'POST', { email: 'bo@example.org' })).status, 202);
      // The poll is a minute: only the wake-up after the request can deliver this in time.
      const [m] = await eventually(async () => {
        const all = (await readMessages(mailDir)).slice(before);
        return all.length >= 1 && all;
      }, 20_000);
      assert.equal(m.to, 'bo@example.org');
      const url = m.text.match(/http:\/\/127\.0\.0\.1:9(\/alerts\/confirm\/[A-Za-z0-9_-]{43})/)[1];
      assert.equal((await request(`${server.url}${url}`, { method: 'POST' })).status, 200);
      assert.match(dump(), /bo@example\.org/);

      const staff = { authorization: `Bearer ${STAFF}` };
      assert.equal((await call(`${server.url}/api/v1/alerts/erase`, 'POST', { email: 'bo@example.org' })).status, 401);
      const erased = await call(`${server.url}/api/v1/alerts/erase`, 'POST', { email: 'BO@example.org' }, staff);
      assert.equal(erased.status, 200, erased.body.toString());
      assert.deepEqual(json(erased), { erased: 1 });
      assert.equal(json(await call(alertsOf(other))).state, 'none');
      assert.doesNotMatch(dump(), /bo@example\.org/);
      assert.equal(json(await call(`${server.url}/api/v1/alerts/erase`, 'POST', { email: 'not an address' }, staff)).status, 422);
      // The same from the command line.
      const cliErase = cli(['attendees', 'erase-alerts', 'nobody@example.org', '--db', store.url]);
      assert.equal(cliErase.status, 0, cliErase.stderr);
      assert.match(cliErase.stdout, /erased the address from 0 agenda alerts/);
    });
  });
}
