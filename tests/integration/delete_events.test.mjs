// Issue 14 on both stores over HTTP: delete events (refused for events with
// registrations, restorable from the audit log), select every event that
// matches the filter across pages, bulk changes of fixed-value fields from a
// list, and removing the demo programme in one confirmed, audited move that
// imports mention until it is done.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const VIEWER = ['viewer@example.org', 'viewer password 12'];
const text = (r) => r.body.toString();

for (const backend of ['sqlite', 'postgres']) {
  describe(`deleting events on ${backend}`, () => {
    let tmp, store, server, owner;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'delete');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      assert.equal(cli(['migrate', '--db', store.url]).status, 0);
      for (const [[email, password], role] of [[OWNER, 'owner'], [VIEWER, 'viewer']])
        assert.equal(cli(['user', 'add', email, '--role', role, '--db', store.url], { input: `${password}\n` }).status, 0);
      server = await startServer(store.url, ['--registration-rate', '0']);  // seeds the demo programme
      owner = await new ConsoleClient(server.url).signIn(...OWNER);
    });
    after(async () => { await server?.stop(); store?.drop(); tmp?.remove(); });

    test('imports say the demo is still there; the dashboard offers to remove it', async () => {
      const csv = path.join(tmp.dir, 'own.csv');
      writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone,category,capacity,registration\n' +
        'own-1,Our opening,2031-06-11 19:00,21:00,Europe/Berlin,Talks,10,true\n' +
        'own-2,Our walk,2031-06-12 10:00,12:00,Europe/Berlin,Tours,,false\n' +
        'own-3,Our film,2031-06-13 20:00,22:00,Europe/Berlin,Film,,false\n');
      const r = cli(['import', csv, '--db', store.url]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /note: this store still holds the demo programme \(153 events/);
      const dash = text(await owner.get('/admin'));
      assert.match(dash, /This store still holds the demo programme<\/strong> \(153 events of the fictional/);
      assert.match(dash, /href="\/admin\/demo">Remove the demo programme…/);
      const staged = await owner.upload('/admin/import', { format: '', time_zone: 'Europe/Berlin' }, { name: 'own.csv', content: 'key,title,starts_at,time_zone\nown-9,Nine,2031-06-14 10:00,Europe/Berlin\n' });
      assert.match(text(staged), /Note: this store still holds the demo programme/);
    });

    test('a registration keeps its event; the others go, audited and restorable', async () => {
      const reg = await request(`${server.url}/api/v1/events/hl27-008/registrations`, {
        method: 'POST', body: JSON.stringify({ name: 'Ann', email: 'ann@example.org', answers: { children: '2', photos: 'no' } }),
        headers: { 'content-type': 'application/json' },
      });
      assert.ok([201, 202].includes(reg.status), text(reg));
      // Step 1 (the sheet's form) asks for confirmation and lists the events.
      const ask = await owner.post('/admin/events/bulk', [['action', 'delete'], ['select', 'hl27-008:1'], ['select', 'hl27-009:1']]);
      assert.equal(ask.status, 200);
      assert.match(text(ask), /<h1>Delete 2 events\?<\/h1>/);
      assert.match(text(ask), /name="confirm" value="delete"/);
      assert.ok((await owner.get('/admin/events/hl27-009')).status === 200, 'nothing deleted yet');
      const done = await owner.post('/admin/events/bulk', [['action', 'delete'], ['confirm', 'delete'], ['select', 'hl27-008:1'], ['select', 'hl27-009:1']]);
      assert.equal(done.status, 409, 'one was refused');
      assert.match(text(done), /1 event deleted, 1 kept/);
      assert.match(text(done), /hl27-008\): kept: it has 1 registration: cancel the event instead/);
      assert.equal((await owner.get('/admin/events/hl27-009')).status, 404);
      // The audit log names it and restores it.
      const audit = text(await owner.get('/admin/audit'));
      const id = audit.match(/delete_event<\/td><td>event hl27-009[\s\S]*?name="audit" value="(\d+)"/)[1];
      const viewer = await new ConsoleClient(server.url).signIn(...VIEWER);
      assert.doesNotMatch(text(await viewer.get('/admin/audit')), /Restore/, 'viewers cannot restore');
      assert.equal((await viewer.post('/admin/events/restore', { audit: id })).status, 403);
      const restored = await owner.post('/admin/events/restore', { audit: id });
      assert.equal(restored.status, 303);
      assert.equal(restored.headers.location, '/admin/events/hl27-009?notice=restored-event');
      assert.equal((await owner.get('/admin/events/hl27-009')).status, 200);
      assert.equal((await owner.post('/admin/events/restore', { audit: id })).status, 409, 'twice is refused');
    });

    test('select all matching the filter across pages; fixed-value fields are chosen from a list', async () => {
      const sheet = text(await owner.get('/admin/events?category=Film'));
      const shown = Number(sheet.match(/(\d+) of \d+ events in the working state/)[1]);
      assert.ok(shown >= 2);
      assert.match(sheet, /<input type="hidden" name="category" value="Film">/);
      assert.match(sheet, /all \d+ events matching the filter/);
      const ask = await owner.post('/admin/events/bulk', [['scope', 'all'], ['category', 'Film'], ['action', 'set:status']]);
      assert.equal(ask.status, 200);
      assert.match(text(ask), new RegExp(`Set Status for ${shown} events`));
      assert.match(text(ask), /<select id="b-value" name="value"><option>cancelled<\/option><option>draft<\/option><option>published<\/option><\/select>/);
      const selects = [...text(ask).matchAll(/name="select" value="([^"]+)"/g)].map((m) => ['select', m[1]]);
      assert.equal(selects.length, shown);
      const applied = await owner.post('/admin/events/bulk', [['action', 'set:status'], ['value', 'draft'], ...selects]);
      assert.equal(applied.status, 200, text(applied));
      assert.match(text(applied), new RegExp(`${shown} changed, 0 not changed`));
      const drafts = text(await owner.get('/admin/events?category=Film&status=draft'));
      assert.match(drafts, new RegExp(`^\\s*<p class="result-count">${shown} of`, 'm'));
      const cat = text(await owner.post('/admin/events/bulk', [['action', 'set:category'], ['select', 'own-2:1']]));
      assert.match(cat, /<datalist id="b-values">[\s\S]*<option value="Film">/);
    });

    test('the publishing diff groups the changes by kind, fields by their labels', async () => {
      const sheet = text(await owner.get('/admin/events?q=hl27-010'));
      const v = sheet.match(/data-key="hl27-010" data-version="(\d+)"/)[1];
      const before = sheet.match(/data-key="hl27-010"[\s\S]*?data-field="title" data-label="Title" data-value="([^"]+)"/)[1];
      assert.equal((await owner.post('/admin/events/hl27-010/cell', { field: 'title', value: 'A live event, renamed', version: v })).status, 303);
      const page = text(await owner.get('/admin/publishing'));
      const headings = [...page.matchAll(/<h3>(\w+) \(/g)].map((m) => m[1]);
      const changed = page.indexOf('<h3>Changed ('), added = page.indexOf('<h3>Added ('), removed = page.indexOf('<h3>Removed (');
      assert.ok(changed >= 0 && added > changed && removed > added, `changed, then added, then removed: ${headings}`);
      assert.ok(page.includes(`<dt>Title</dt><dd><del>${before}</del> → <ins>A live event, renamed</ins></dd>`), 'the field by its label');
    });

    test('the demo programme goes in one confirmed move; the festival\'s own events stay', async () => {
      const confirm = text(await owner.get('/admin/demo'));
      assert.match(confirm, /Remove 1\d\d events/);
      const removed = await owner.post('/admin/demo', {});
      assert.equal(removed.status, 200, 'hl27-008 has a registration and stays');
      assert.match(text(removed), /deleted; these stay because people registered for them/);
      assert.match(text(removed), /hl27-008/);
      const sheet = text(await owner.get('/admin/events'));
      // own-1..3 (own-9 was only staged), hl27-008 (registered) and hl27-009 (restored by hand: no longer demo).
      assert.match(sheet, /5 of 5 events/);
      assert.match(text(await owner.get('/admin/audit')), /remove_demo/);
      // What stays of the demo is only what people registered for, and the dashboard says so.
      assert.match(text(await owner.get('/admin')), /still holds the demo programme<\/strong> \(1 event of the fictional/);
    });
  });
}