// Issue 14 on both stores over HTTP: the console import takes a CSV with its
// own columns plus the TOML mapping the CLI uses, puts what to do next above
// the issues, lists every committed import with its counts, and reverts one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, startServer, tempDir, testStore } from './lib.mjs';

const OWNER = ['owner@example.org', 'owner password 123'];
const text = (r) => r.body.toString();

const CSV = 'Ref;Name;Von;Bis\n1;Lantern walk;2031-12-01 18:00;2031-12-01 20:00\n2;Choir evening;2031-12-02 19:00;2031-12-02 21:00\n3;Market day;2020-12-03 10:00;2020-12-03 18:00\n';
const MAPPING = '[source]\ndelimiter = ";"\ntime_zone = "Europe/Berlin"\ndate_order = "ymd"\nkey_namespace = "winter"\nrecord_id = ["Ref"]\n\n[columns]\ntitle = "Name"\nstarts_at = "Von"\nends_at = "Bis"\n';

/** Multipart with the data file and the mapping file. */
function uploadWithMapping(client, csv, mapping) {
  const boundary = `----marquee${Date.now()}`;
  const part = (name, value, file) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"` : ''}\r\n\r\n${value}\r\n`);
  const body = Buffer.concat([part('csrf_token', client.csrf), part('format', ''), part('time_zone', 'Europe/Berlin'),
    part('file', csv, 'winter markets.csv'), part('mapping', mapping, 'winter.toml'), Buffer.from(`--${boundary}--\r\n`)]);
  return fetch(`${client.url}/admin/import`, {
    method: 'POST', body, headers: { cookie: `marquee_session=${client.session}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  }).then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) }));
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`console import and revert on ${backend}`, () => {
    let tmp, store, server, owner;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'importconsole');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      assert.equal(cli(['migrate', '--db', store.url]).status, 0);
      assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', store.url], { input: `${OWNER[1]}\n` }).status, 0);
      server = await startServer(store.url, ['--no-seed']);
      owner = await new ConsoleClient(server.url).signIn(...OWNER);
    });
    after(async () => { await server?.stop(); store?.drop(); tmp?.remove(); });

    test('a CSV with its own columns imports with its mapping; the next step comes before the issues', async () => {
      const form = text(await owner.get('/admin/import'));
      assert.match(form, /<input id="f-mapping" type="file" name="mapping"/);
      assert.match(form, /accept="[^"]*\.json/);
      assert.match(form, /None yet\./);
      const withoutMapping = await owner.upload('/admin/import', { format: '', time_zone: 'Europe/Berlin' }, { name: 'winter markets.csv', content: CSV });
      assert.equal(withoutMapping.status, 422, 'Marquee\'s own columns are missing');
      const dry = await uploadWithMapping(owner, CSV, MAPPING);
      assert.equal(dry.status, 200, text(dry));
      assert.match(text(dry), /<dd class="accepted">3<\/dd>/);
      const token = text(dry).match(/name="token" value="([^"]+)"/)[1];
      const done = await owner.post('/admin/import/commit', { token });
      assert.equal(done.status, 200);
      const page = text(done);
      assert.match(page, /<dd class="inserted">3<\/dd>/);
      assert.ok(page.indexOf('Review and publish') < page.indexOf('<h2>Issues</h2>'), 'the next step is above the issues');
      assert.match(page, /href="\/admin\/import\/runs\/\d+\/revert">Undo this import…/);
    });

    test('committed imports are listed and one can be reverted', async () => {
      const list = text(await owner.get('/admin/import'));
      const m = list.match(/<td class="file-name">winter markets\.csv <span class="meta">csv<\/span><\/td><td>owner@example\.org<\/td><td>3 new, 0 changed, 0 unchanged<\/td>\s*<td><a href="\/admin\/import\/runs\/(\d+)\/revert">Revert…<\/a>/);
      assert.ok(m, 'the import is listed with its counts and a Revert link');
      const confirm = await owner.get(`/admin/import/runs/${m[1]}/revert`);
      assert.match(text(confirm), /Revert the import of winter markets\.csv\?/);
      assert.equal((await owner.get('/admin/events')).body.toString().match(/(\d+) of \d+ events/)[1], '3');
      const reverted = await owner.post(`/admin/import/runs/${m[1]}/revert`, {});
      assert.equal(reverted.status, 200, text(reverted));
      assert.match(text(reverted), /0 put back, 3 removed, 0 kept/);
      assert.equal((await owner.get('/admin/events')).body.toString().match(/(\d+) of \d+ events/)[1], '0');
      assert.match(text(await owner.get('/admin/import')), /reverted \d{4}-\d\d-\d\dT[\d:]+Z by owner@example\.org/);
      assert.match(text(await owner.get('/admin/audit')), /revert_import/);
      assert.equal((await owner.post(`/admin/import/runs/${m[1]}/revert`, {})).status, 409, 'not twice');
    });
  });
}
