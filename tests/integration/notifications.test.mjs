// Schedule-change notifications end to end: registrations over HTTP, publishes
// from the CLI, delivery by `marquee notify run` and by the worker inside
// `marquee serve` to a real SMTP server on loopback, messages read back with
// real client libraries. Also the failures: refused, timed out, dropped
// connections and rejected recipients.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';
import { ConsoleClient } from './console_client.mjs';
import { readMessages, startSink } from './mail_lib.mjs';

const HEADER = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n';
// Events far in the future so registration stays open; times are local (Europe/Berlin).
function programme(overrides = {}) {
  const rows = {
    e1: ['e1', 'Harbour talk', '2031-06-11 19:00', '21:00', 'Europe/Berlin', 'Kulturhaus', 'Hall A', 10, true, false, 'published'],
    e2: ['e2', 'Dockside walk', '2031-06-12 10:00', '12:00', 'Europe/Berlin', 'Pier 3', 'Gate', 10, true, false, 'published'],
    e3: ['e3', 'Night swim', '2031-06-12 22:00', '23:30', 'Europe/Berlin', 'Beach', '', 10, true, false, 'published'],
    e4: ['e4', 'Quiz', '2031-06-13 18:00', '20:00', 'Europe/Lisbon', 'Tasca', '', 10, true, false, 'published'],
    e5: ['e5', 'Nobody registered', '2031-06-14 18:00', '20:00', 'Europe/Berlin', 'Hall', '', 10, true, false, 'published'],
  };
  for (const [key, patch] of Object.entries(overrides)) Object.assign(rows[key], patch);
  return HEADER + Object.values(rows).map((r) => r.join(',')).join('\n') + '\n';
}

function importAndPublish(dir, db, csv, name) {
  const file = path.join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  const r = cli(['import', file, '--db', db, '--publish']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

function post(url, body) {
  return request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    .then((r) => ({ status: r.status, json: JSON.parse(r.body.toString()) }));
}

function notifyRun(db, port, extra = []) {
  const r = cli(['notify', 'run', '--db', db, '--smtp-url', `smtp://127.0.0.1:${port}`, '--mail-from', 'Harbourlight <programme@harbourlight.example.org>',
    '--public-url', 'http://127.0.0.1:9', '--notify-retry-seconds', '1', ...extra]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const m = r.stdout.match(/(\d+) sent, (\d+) to retry, (\d+) failed, (\d+) skipped/);
  return { sent: +m[1], retried: +m[2], failed: +m[3], skipped: +m[4] };
}

function outbox(db, state = '') {
  const args = ['notify', 'list', '--db', db, '--limit', '1000'];
  if (state) args.push('--state', state);
  return cli(args).stdout.trim().split('\n').filter(Boolean);
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`notifications (${backend})`, { skip: backend === 'postgres' && !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
    let tmp, store, db, server, sink, mailDir;
    const people = {};  // email → token
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'notify');
      db = store.url;
      mailDir = path.join(tmp.dir, 'mail');
      mkdirSync(mailDir);
      importAndPublish(tmp.dir, db, programme(), 'v1');
      // Changes are sent as soon as they are due: folding below comes from
      // several publishes landing before any delivery.
      assert.equal(cli(['notify', 'settings', '--db', db, '--quiet-seconds', '0']).status, 0);
      server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
      for (const [key, who] of [['e1', 'ana'], ['e1', 'bo'], ['e2', 'cy'], ['e2', 'di'], ['e3', 'ed'], ['e3', 'fi'], ['e4', 'gu']]) {
        const r = await post(`${server.url}/api/v1/events/${key}/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
        assert.equal(r.status, 201);
        people[`${who}@example.org`] = r.json.token;
      }
      sink = await startSink(mailDir);
    });
    after(async () => { await server?.stop(); await sink?.stop(); store?.drop(); tmp.remove(); });

    test('confirmations go out once, each with the event as an iCalendar REQUEST', async () => {
      assert.deepEqual(notifyRun(db, sink.port), { sent: 7, retried: 0, failed: 0, skipped: 0 });
      assert.deepEqual(notifyRun(db, sink.port), { sent: 0, retried: 0, failed: 0, skipped: 0 });  // nothing twice
      const msgs = await readMessages(mailDir);
      assert.equal(msgs.length, 7);
      const ana = msgs.find((m) => m.to === 'ana@example.org');
      assert.equal(ana.subject, 'Registered: Harbour talk');
      assert.match(ana.text, /Wednesday 11 June 2031, 19:00–21:00 \(Europe\/Berlin\)/);
      assert.match(ana.text, new RegExp(`/r/${people['ana@example.org']}`));  // the personal link
      assert.equal(ana.header('auto-submitted'), 'auto-generated');
      assert.equal(ana.envelope.from, 'programme@harbourlight.example.org');
      assert.equal(ana.calendar.method, 'REQUEST');
      const [ev] = ana.calendar.events;
      assert.equal(ev.uid, 'e1@marquee');
      assert.equal(ev.sequence, 0);
      assert.equal(ev.tzid, 'Europe/Berlin');
      assert.equal(ev.start, Date.UTC(2031, 5, 11, 17, 0) / 1000);  // 19:00 CEST
      const gu = msgs.find((m) => m.to === 'gu@example.org');
      assert.equal(gu.calendar.events[0].start, Date.UTC(2031, 5, 13, 17, 0) / 1000);  // 18:00 WEST (Lisbon)
      assert.match(gu.text, /\(Europe\/Lisbon\)/);
    });

    test('a publish moving three events sends exactly one message per attendee, folding five edits into one', async () => {
      const before = (await readMessages(mailDir)).length;
      // e1 is edited five times (five publishes) before anything is delivered.
      for (const [i, start] of ['19:15', '19:30', '19:45', '20:00', '20:30'].entries())
        importAndPublish(tmp.dir, db, programme({ e1: { 2: `2031-06-11 ${start}`, 3: '22:30', 6: i === 4 ? 'Hall B' : 'Hall A' } }), `e1-${i}`);
      const preview = cli(['notify', 'preview', '--db', db]).stdout;
      assert.match(preview, /^0 messages$/m);  // all published already
      // e2 changes room, e3 is cancelled, e4 only changes its title (no notice), e5 moves (nobody registered).
      importAndPublish(tmp.dir, db, programme({
        e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall B' }, e2: { 6: 'Boathouse' }, e3: { 10: 'cancelled' },
        e4: { 1: 'Pub quiz' }, e5: { 2: '2031-06-15 18:00', 3: '20:00' },
      }), 'final');
      const pending = outbox(db, 'pending');
      assert.equal(pending.length, 6, outbox(db).join('\n') + cli(['snapshots', '--db', db]).stdout);
      assert.deepEqual(notifyRun(db, sink.port), { sent: 6, retried: 0, failed: 0, skipped: 0 });
      assert.deepEqual(notifyRun(db, sink.port), { sent: 0, retried: 0, failed: 0, skipped: 0 });
      const msgs = (await readMessages(mailDir)).slice(before);
      assert.deepEqual(msgs.map((m) => `${m.to} ${m.subject.split(':')[0]}`).sort(), [
        'ana@example.org Changed', 'bo@example.org Changed', 'cy@example.org Changed', 'di@example.org Changed',
        'ed@example.org Cancelled', 'fi@example.org Cancelled',
      ]);
      const ana = msgs.find((m) => m.to === 'ana@example.org');
      // One message with the net change since what Ana last heard (the confirmation).
      assert.match(ana.text, /Start: was Wednesday 11 June 2031, 19:00 CEST, now Wednesday 11 June 2031, 20:30 CEST/);
      assert.match(ana.text, /End: was Wednesday 11 June 2031, 21:00 CEST, now Wednesday 11 June 2031, 22:30 CEST/);
      assert.match(ana.text, /Room: was Hall A, now Hall B/);
      assert.equal(ana.calendar.method, 'REQUEST');
      const [e1] = ana.calendar.events;
      assert.equal(e1.uid, 'e1@marquee');  // the same entry as the confirmation's…
      assert.equal(e1.sequence, 5);        // …with a higher SEQUENCE: one per publish that changed it
      assert.equal(e1.start, Date.UTC(2031, 5, 11, 18, 30) / 1000);
      const cy = msgs.find((m) => m.to === 'cy@example.org');
      assert.match(cy.text, /Room: was Gate, now Boathouse/);
      assert.doesNotMatch(cy.text, /Start:/);
      const ed = msgs.find((m) => m.to === 'ed@example.org');
      assert.equal(ed.calendar.method, 'CANCEL');
      assert.equal(ed.calendar.events[0].status, 'CANCELLED');
      assert.equal(ed.calendar.events[0].uid, 'e3@marquee');
      assert.ok(ed.calendar.events[0].sequence >= 1);
      // Message-IDs are distinct and derived from the de-duplication keys.
      assert.equal(new Set(msgs.map((m) => m.messageId)).size, 6);
      assert.ok(msgs.every((m) => /^<event\.changed\.\d+\.\d+\.\d+@harbourlight\.example\.org>$/.test(m.messageId)), msgs.map((m) => m.messageId).join());
      // The change was public before anyone was told: every message links the attendee's own page.
      for (const m of msgs) assert.match(m.text, new RegExp(`/r/${people[m.to]}`));
    });

    test('edits that cancel out before delivery send nothing', async () => {
      const before = (await readMessages(mailDir)).length;
      importAndPublish(tmp.dir, db, programme({ e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall C' }, e2: { 6: 'Boathouse' }, e3: { 10: 'cancelled' }, e4: { 1: 'Pub quiz' }, e5: { 2: '2031-06-15 18:00', 3: '20:00' } }), 'undo-1');
      importAndPublish(tmp.dir, db, programme({ e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall B' }, e2: { 6: 'Boathouse' }, e3: { 10: 'cancelled' }, e4: { 1: 'Pub quiz' }, e5: { 2: '2031-06-15 18:00', 3: '20:00' } }), 'undo-2');
      assert.deepEqual(notifyRun(db, sink.port), { sent: 0, retried: 0, failed: 0, skipped: 2 });
      assert.equal((await readMessages(mailDir)).length, before);
      assert.ok(outbox(db, 'skipped').some((l) => /changes were undone/.test(l)));
    });

    test('the worker inside marquee serve delivers a registration cancellation', async () => {
      await server.stop();
      server = await startServer(db, ['--registration-rate', '0', '--no-seed', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'programme@harbourlight.example.org', '--notify-poll-ms', '100', '--public-url', 'http://127.0.0.1:9']);
      const before = (await readMessages(mailDir)).length;
      const r = await request(`${server.url}/api/v1/registrations/${people['gu@example.org']}/cancel`, { method: 'POST' });
      assert.equal(r.status, 200);
      const msgs = await eventually(async () => {
        const all = (await readMessages(mailDir)).slice(before);
        return all.length >= 1 && all;
      }, 20_000);
      assert.equal(msgs.length, 1);
      assert.equal(msgs[0].subject, 'Registration cancelled: Pub quiz');
      assert.equal(msgs[0].calendar.method, 'CANCEL');
      assert.equal(msgs[0].calendar.events[0].uid, 'e4@marquee');
    });

    test('operators preview a publish, see the outbox with counts, preview a message and change the settings', async () => {
      assert.equal(cli(['user', 'add', 'ops@example.org', '--role', 'operations', '--db', db], { input: 'ops password 12345\n' }).status, 0);
      const ops = await new ConsoleClient(server.url).signIn('ops@example.org', 'ops password 12345');
      // A working change not yet published: the publishing page says who would hear of it.
      const file = path.join(tmp.dir, 'pending.csv');
      writeFileSync(file, programme({ e1: { 2: '2031-06-11 20:30', 3: '22:30', 6: 'Hall B' }, e2: { 6: 'Shed' }, e3: { 10: 'cancelled' },
        e4: { 1: 'Pub quiz' }, e5: { 2: '2031-06-15 18:00', 3: '20:00' } }));
      assert.equal(cli(['import', file, '--db', db]).status, 0);
      const publishing = (await ops.get('/admin/publishing')).body.toString();
      assert.match(publishing, /Publishing now writes <strong>2 messages<\/strong>/);
      assert.match(publishing, /Dockside walk<\/a>: Room → 2 attendees/);
      assert.match(cli(['notify', 'preview', '--db', db]).stdout, /e2 changed \(room\): 2 attendees\n2 messages/);

      const page = (await ops.get('/admin/notifications')).body.toString();
      const status = cli(['notify', 'status', '--db', db]).stdout;
      const sent = status.match(/sent (\d+)/)[1];
      assert.match(page, new RegExp(`class="count-sent">${sent}<`));
      const failedFilter = (await ops.get('/admin/notifications?state=sent')).body.toString();
      const id = failedFilter.match(/href="\/admin\/notifications\/(\d+)"/)[1];
      const preview = (await ops.get(`/admin/notifications/${id}`)).body.toString();
      assert.match(preview, /class="subject">[^<]+</);
      assert.match(preview, /BEGIN:VCALENDAR/);
      // Issue 13, item 4: a preview never carries a working personal link.
      assert.doesNotMatch(preview, /\/r\/[A-Za-z0-9_-]{16,}/);
      assert.match(preview, /\/r\/\[personal link hidden\]/);

      const saved = await ops.post('/admin/notifications/settings', { field_starts_at: 'on', field_title: 'on', quiet_seconds: '120', max_delay_seconds: '900' });
      assert.equal(saved.status, 303);
      assert.equal(cli(['notify', 'settings', '--db', db]).stdout, 'fields title,starts_at\nquiet_seconds 120\nmax_delay_seconds 900\n');
      assert.equal((await ops.post('/admin/notifications/settings', { quiet_seconds: '-1', max_delay_seconds: '0' })).status, 422);
      // Back to what the other tests expect.
      assert.equal(cli(['notify', 'settings', '--db', db, '--fields', 'starts_at,ends_at,time_zone,all_day,venue,room,address,status', '--quiet-seconds', '0', '--max-delay-seconds', '3600']).status, 0);
    });
  });
}

describe('delivery failures', () => {
  let tmp, db;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/marquee.db`;
    importAndPublish(tmp.dir, db, programme(), 'v1');
    const server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
    for (const who of ['p1', 'p2', 'p3', 'p4', 'p5', 'bad']) {
      const r = await post(`${server.url}/api/v1/events/e1/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
      assert.equal(r.status, 201);
    }
    await server.stop();
  });
  after(() => tmp.remove());

  test('a refused connection and a server that never answers are retried later, with the reason kept', async () => {
    const dir = path.join(tmp.dir, 'refuse');
    mkdirSync(dir);
    const refusing = await startSink(dir, ['--refuse']);
    assert.deepEqual(notifyRun(db, refusing.port, ['--notify-senders', '1']), { sent: 0, retried: 6, failed: 0, skipped: 0 });
    await refusing.stop();
    assert.ok(outbox(db, 'pending').every((l) => /554/.test(l)), outbox(db).join('\n'));
    const hangDir = path.join(tmp.dir, 'hang');
    mkdirSync(hangDir);
    const hanging = await startSink(hangDir, ['--hang']);
    // Due again after the backoff (1 s base, jitter): wait for it, then one attempt that times out.
    const stats = await eventually(() => {
      const s = notifyRun(db, hanging.port, ['--notify-senders', '6', '--smtp-timeout', '1']);
      return s.retried > 0 && s;
    }, 30_000);
    assert.equal(stats.sent, 0);
    await hanging.stop();
    assert.ok(outbox(db, 'pending').some((l) => /too slow|timed out|Timeout/i.test(l)), outbox(db).join('\n'));
  });

  test('a dropped connection mid-delivery loses nothing and duplicates nothing; a rejected recipient fails visibly', async () => {
    const dir = path.join(tmp.dir, 'drop');
    mkdirSync(dir);
    // The sink dies (SIGKILL) when the third message's data has arrived, before answering it.
    let sink = await startSink(dir, ['--die-at', '3', '--reject', 'bad@']);
    const port = sink.port;
    await eventually(() => {
      notifyRun(db, port, ['--notify-senders', '1']);
      return sink.proc.signalCode === 'SIGKILL';
    }, 30_000);
    const afterCrash = (await readMessages(dir)).length;
    assert.ok(afterCrash >= 1 && afterCrash <= 2, `accepted before the crash: ${afterCrash}`);
    // Restart on the same port; retries (1 s base) drain the rest.
    sink = await startSink(dir, ['--reject', 'bad@'], port);
    await eventually(() => {
      notifyRun(db, port, ['--notify-senders', '2']);
      return outbox(db, 'pending').length === 0;
    }, 60_000);
    await sink.stop();
    const msgs = await readMessages(dir);
    const recipients = msgs.map((m) => m.to).sort();
    assert.deepEqual(recipients, ['p1@example.org', 'p2@example.org', 'p3@example.org', 'p4@example.org', 'p5@example.org']);
    assert.equal(new Set(msgs.map((m) => m.messageId)).size, 5);
    const failed = outbox(db, 'failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0], /550 5\.1\.1 <bad@example\.org>: mailbox unavailable/);
    assert.match(cli(['notify', 'status', '--db', db]).stdout, /sent 5\nfailed 1/);
    // An operator can send it again once the address is fixed at the server.
    const id = failed[0].split(' ')[0];
    assert.equal(cli(['notify', 'retry', id, '--db', db]).status, 0);
    assert.equal(outbox(db, 'failed').length, 0);
  });

  test('STARTTLS is used when the server offers it (verified against the given CA), with AUTH', async () => {
    const dir = path.join(tmp.dir, 'tls');
    mkdirSync(dir);
    const key = path.join(tmp.dir, 'key.pem'), cert = path.join(tmp.dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const sink = await startSink(dir, ['--tls-key', key, '--tls-cert', cert, '--auth', 'marquee:s3cret pass']);
    assert.equal(cli(['notify', 'retry', '999999', '--db', db]).status, 1);
    // Wrong credentials: the server's 535 is kept and the message waits for a retry.
    process.env.MARQUEE_SMTP_PASSWORD = 'wrong';
    let s = notifyRun(db, sink.port, ['--smtp-ca-file', cert, '--smtp-require-tls', '--smtp-user', 'marquee']);
    assert.deepEqual(s, { sent: 0, retried: 1, failed: 0, skipped: 0 });
    assert.match(outbox(db, 'pending')[0], /535/);
    assert.equal(cli(['notify', 'retry', outbox(db, 'pending')[0].split(' ')[0], '--db', db]).status, 1);  // pending, not failed
    // The row retried in the previous test is due again after its backoff; this server accepts the address.
    process.env.MARQUEE_SMTP_PASSWORD = 's3cret pass';
    s = await eventually(() => {
      const r = notifyRun(db, sink.port, ['--smtp-ca-file', cert, '--smtp-require-tls', '--smtp-user', 'marquee']);
      return r.sent === 1 && r;
    }, 30_000);
    delete process.env.MARQUEE_SMTP_PASSWORD;
    await sink.stop();
    const msgs = await readMessages(dir);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].to, 'bad@example.org');
    assert.equal(msgs[0].envelope.user, 'marquee');
    for (const m of msgs) assert.equal(m.envelope.secure, true);
  });
});

describe('several delivery workers on one PostgreSQL', { skip: !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
  test('two `notify run` processes at once deliver each row exactly once', async () => {
    const tmp = tempDir();
    const store = testStore('postgres', tmp.dir, 'workers');
    const dir = path.join(tmp.dir, 'mail');
    mkdirSync(dir);
    try {
      const csv = HEADER + 'big,Big talk,2031-06-11 19:00,21:00,Europe/Berlin,Hall,,500,true,false,published\n';
      importAndPublish(tmp.dir, store.url, csv, 'big');
      const server = await startServer(store.url, ['--registration-rate', '0', '--no-seed']);
      const posts = [];
      for (let i = 0; i < 240; i++)
        posts.push(post(`${server.url}/api/v1/events/big/registrations`, { name: `P ${i}`, email: `p${i}@example.org` }));
      assert.ok((await Promise.all(posts)).every((r) => r.status === 201));
      await server.stop();
      const sink = await startSink(dir);
      const { spawn } = await import('node:child_process');
      const run = () => new Promise((resolve) => {
        const p = spawn(process.env.MARQUEE_BIN, ['notify', 'run', '--db', store.url, '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
          '--mail-from', 'programme@example.org', '--notify-senders', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (d) => { out += d; });
        p.once('exit', (code) => resolve({ code, sent: Number((out.match(/(\d+) sent/) || [])[1]) }));
      });
      const [a, b] = await Promise.all([run(), run()]);
      await sink.stop();
      assert.equal(a.code, 0);
      assert.equal(b.code, 0);
      assert.equal(a.sent + b.sent, 240);
      const msgs = await readMessages(dir);
      assert.equal(msgs.length, 240);
      assert.equal(new Set(msgs.map((m) => m.to)).size, 240);
    } finally {
      store.drop();
      tmp.remove();
    }
  });
});

describe('after an SMTP outage', () => {
  test('notify run --now sends what waits out its backoff at once', async () => {
    const tmp = tempDir();
    try {
      const db = `sqlite:///${tmp.dir}/outage.db`;
      importAndPublish(tmp.dir, db, programme(), 'v1');
      const server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
      for (const who of ['o1', 'o2', 'o3']) {
        const r = await post(`${server.url}/api/v1/events/e2/registrations`, { name: `Person ${who}`, email: `${who}@example.org` });
        assert.equal(r.status, 201);
      }
      await server.stop();
      mkdirSync(path.join(tmp.dir, 'refuse'));
      const refusing = await startSink(path.join(tmp.dir, 'refuse'), ['--refuse']);
      // The outage: every attempt refused, the next one an hour away.
      const refused = cli(['notify', 'run', '--db', db, '--smtp-url', `smtp://127.0.0.1:${refusing.port}`,
        '--mail-from', 'Harbourlight <programme@harbourlight.example.org>', '--public-url', 'http://127.0.0.1:9', '--notify-retry-seconds', '3600']);
      assert.match(refused.stdout, /0 sent, 3 to retry/, refused.stdout + refused.stderr);
      await refusing.stop();
      mkdirSync(path.join(tmp.dir, 'ok'));
      const sink = await startSink(path.join(tmp.dir, 'ok'));
      const run = (extra) => cli(['notify', 'run', '--db', db, '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'Harbourlight <programme@harbourlight.example.org>', '--public-url', 'http://127.0.0.1:9', ...extra]);
      assert.match(run([]).stdout, /^0 sent, 0 to retry/m, 'nothing is due yet');
      const now = run(['--now']);
      assert.equal(now.status, 0, now.stderr);
      assert.match(now.stdout, /3 pending messages made due now/);
      assert.match(now.stdout, /3 sent, 0 to retry, 0 failed, 0 skipped/);
      assert.equal((await readMessages(path.join(tmp.dir, 'ok'))).length, 3);
      await sink.stop();
      const help = cli(['notify', 'run', '--help']).stdout;
      assert.match(help, /--notify-max-age-hours INT=168\b/, 'the default is shown in hours (7 days)');
    } finally {
      tmp.remove();
    }
  });
});

describe('send me my link again', () => {
  test('the link goes to the address only; the page is the same for a registered and an unknown address; limits apply', async () => {
    const tmp = tempDir();
    try {
      const db = `sqlite:///${tmp.dir}/lost.db`;
      importAndPublish(tmp.dir, db, programme(), 'v1');
      mkdirSync(path.join(tmp.dir, 'mail'));
      const sink = await startSink(path.join(tmp.dir, 'mail'));
      const server = await startServer(db, ['--registration-rate', '0', '--no-seed', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
        '--mail-from', 'programme@harbourlight.example.org', '--notify-poll-ms', '100', '--public-url', 'http://127.0.0.1:9']);
      try {
        const reg = await post(`${server.url}/api/v1/events/e2/registrations`, { name: 'Lena Lost', email: 'lena@example.org' });
        assert.equal(reg.status, 201);
        const token = reg.json.token;
        await eventually(async () => (await readMessages(path.join(tmp.dir, 'mail'))).length >= 1, 20_000).catch((e) => {
          throw new Error(`${e.message}\n${server.stderr()}`);
        });  // the confirmation
        const form = await request(`${server.url}/registration/lost-link?event=e2`);
        assert.equal(form.status, 200);
        assert.match(form.body.toString(), /Dockside walk/);
        const ask = (email) => request(`${server.url}/registration/lost-link`, { method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, event: 'e2' }).toString() });
        const known = await ask('Lena@Example.org');
        const unknown = await ask('nobody@example.org');
        assert.equal(known.status, 200);
        assert.equal(unknown.status, 200);
        const strip = (html, email) => html.replaceAll(email, 'ADDRESS');
        assert.equal(strip(known.body.toString(), 'Lena@Example.org'), strip(unknown.body.toString(), 'nobody@example.org'),
          'the same page whether or not the address is registered');
        // Registering again with the same address: the same page, and the link again.
        const again = await request(`${server.url}/events/e2/register`, { method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ name: 'Someone', email: 'lena@example.org' }).toString() });
        assert.equal(again.status, 200);
        assert.match(again.body.toString(), /Check your inbox/);
        assert.doesNotMatch(again.body.toString(), /already registered for this event/);
        // With mail delivery the form confirms by e-mail only: a new address gets the very same page.
        const fresh = await request(`${server.url}/events/e2/register`, { method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ name: 'Nina New', email: 'nina@example.org' }).toString() });
        assert.equal(fresh.status, 200);
        assert.equal(strip(fresh.body.toString(), 'nina@example.org'), strip(again.body.toString(), 'lena@example.org'),
          'the same answer whether or not the address was registered');
        const msgs = await eventually(async () => {
          const all = await readMessages(path.join(tmp.dir, 'mail'));
          return all.length >= 4 && all;
        }, 20_000).catch(async (e) => {
          const all = await readMessages(path.join(tmp.dir, 'mail'));
          throw new Error(`${e.message}: ${all.map((m) => m.subject).join(' | ')}\n${outbox(db).join('\n')}\n${server.stderr()}`);
        });
        const links = msgs.filter((m) => m.subject === 'Your registration: Dockside walk');
        assert.equal(links.length, 2);
        for (const m of links) {
          assert.equal(m.to, 'lena@example.org');
          assert.match(m.text, new RegExp(`/r/${token}`));
        }
        assert.ok(!msgs.some((m) => m.to === 'nobody@example.org'));
        assert.ok(msgs.some((m) => m.to === 'nina@example.org' && m.subject === 'Registered: Dockside walk'), 'the new registrant is confirmed by e-mail');
        // At most 3 requests per address per hour: the 4th is refused, for any address.
        assert.equal((await ask('lena@example.org')).status, 200);
        const limited = await ask('lena@example.org');
        assert.equal(limited.status, 429);
        assert.ok(Number(limited.headers['retry-after']) > 0);
        const api = await request(`${server.url}/api/v1/registrations/resend-link`, { method: 'POST',
          headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'someone.else@example.org' }) });
        assert.equal(api.status, 202);
      } finally {
        await server.stop();
        await sink.stop();
      }
    } finally {
      tmp.remove();
    }
  });
});
