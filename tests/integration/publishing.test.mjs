// Publishing over HTTP: edits are invisible until a publish; revalidation by
// deploy token; rollback; a second instance follows within a second
// (PostgreSQL: LISTEN/NOTIFY; SQLite: a signal file watched by inotify; polling set to a minute).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, getJson, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'publishing-staff-token-0123456789';
const DEPLOY = 'publishing-deploy-token-0123456789';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
process.env.MARQUEE_DEPLOY_TOKENS = DEPLOY;

function post(url, body, token) {
  return request(url, { method: 'POST', body: JSON.stringify(body ?? {}),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
    .then((r) => ({ status: r.status, json: r.body.length ? JSON.parse(r.body.toString()) : null }));
}


for (const backend of ['sqlite', 'postgres']) {
  describe(`publishing on ${backend}`, () => {
    let tmp, store, a, b, csv;
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'publishing');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      // Instances must learn of publishes through notifications (PostgreSQL's NOTIFY,
      // SQLite's signal file): polling is a minute.
      const poll = '60000';
      a = await startServer(store.url, ['--poll-ms', poll]);
      b = await startServer(store.url, ['--poll-ms', poll]);
      csv = path.join(tmp.dir, 'new.csv');
      writeFileSync(csv, 'key,title,starts_at,time_zone\nnew-talk,New talk,2031-06-11 19:00,Europe/Berlin\n');
    });
    after(async () => {
      if (a) await a.stop();
      if (b) await b.stop();
      store?.drop();
      tmp.remove();
    });

    test('an import is not served until published; revalidate needs the deploy token', async () => {
      assert.equal(cli(['import', csv, '--db', store.url]).status, 0);
      assert.equal((await request(`${a.url}/api/v1/events/new-talk`)).status, 404);
      const pending = await request(`${a.url}/api/v1/admin/diff`, { headers: { authorization: `Bearer ${STAFF}` } });
      assert.deepEqual(JSON.parse(pending.body).changes, [{ event_key: 'new-talk', change: 'added', fields: [] }]);
      assert.equal((await post(`${a.url}/api/v1/revalidate`, {}, STAFF)).status, 401, 'a staff token is not a deploy token');
      assert.equal((await post(`${a.url}/api/v1/revalidate`, {})).status, 401);

      const before = (await getJson(`${b.url}/api/v1/events`)).json.generation;
      const published = await post(`${a.url}/api/v1/revalidate`, { note: 'from CI' }, DEPLOY);
      assert.equal(published.status, 201);
      assert.equal(published.json.snapshot.number, before + 1);
      assert.equal(published.json.snapshot.note, 'from CI');
      // The publishing instance swaps before it answers.
      assert.equal((await request(`${a.url}/api/v1/events/new-talk`)).status, 200);
      // The other instance within a second.
      await eventually(async () => (await request(`${b.url}/api/v1/events/new-talk`)).status === 200, 1000);
      const again = await post(`${a.url}/api/v1/revalidate`, {}, DEPLOY);
      assert.equal(again.status, 200);
      assert.equal(again.json.unchanged, true);
    });

    test('rollback on one instance is served by both', async () => {
      const list = JSON.parse((await request(`${b.url}/api/v1/admin/snapshots`, { headers: { authorization: `Bearer ${STAFF}` } })).body);
      assert.ok(list.snapshots.length >= 2);
      const previous = list.snapshots[1].number;
      const rolled = await post(`${b.url}/api/v1/admin/rollback`, { snapshot: previous, note: 'oops' }, STAFF);
      assert.equal(rolled.status, 201);
      assert.equal(rolled.json.snapshot.kind, 'rollback');
      assert.equal(rolled.json.snapshot.based_on, previous);
      assert.deepEqual(rolled.json.changes, [{ event_key: 'new-talk', change: 'removed', fields: [] }]);
      assert.equal((await request(`${b.url}/api/v1/events/new-talk`)).status, 404);
      await eventually(async () => (await request(`${a.url}/api/v1/events/new-talk`)).status === 404, 1000);
      const changelog = JSON.parse((await request(`${a.url}/api/v1/admin/snapshots/${rolled.json.snapshot.number}`,
        { headers: { authorization: `Bearer ${STAFF}` } })).body);
      assert.equal(changelog.changes[0].change, 'removed');
      assert.equal((await post(`${a.url}/api/v1/admin/rollback`, { snapshot: 9999 }, STAFF)).status, 404);
    });
  });
}
