// Issue 14: the festival settings on both stores, over HTTP — the owner's
// Settings page (name, default time zone, public URL, contact, logo), what
// every page and feed shows after a save, the audit entry, rejected input
// that changes nothing, and server flags that take precedence.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const OWNER = ['owner@example.org', 'owner password 123'];
const EDITOR = ['editor@example.org', 'editor password 12'];

const text = (res) => res.body.toString();

for (const backend of ['sqlite', 'postgres']) {
  describe(`festival settings on ${backend}`, () => {
    let tmp, store, server, owner;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'settings');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      assert.equal(cli(['migrate', '--db', store.url]).status, 0);
      for (const [[email, password], role] of [[OWNER, 'owner'], [EDITOR, 'editor']])
        assert.equal(cli(['user', 'add', email, '--role', role, '--db', store.url], { input: `${password}\n` }).status, 0);
      server = await startServer(store.url);
      owner = await new ConsoleClient(server.url).signIn(...OWNER);
    });
    after(async () => { await server?.stop(); store?.drop(); tmp?.remove(); });

    test('only owners reach the Settings page; it lists every field and the zones', async () => {
      const page = await owner.get('/admin/settings');
      assert.equal(page.status, 200);
      for (const id of ['s-name', 's-zone', 's-url', 's-contact', 's-logo']) assert.match(text(page), new RegExp(`id="${id}"`));
      assert.match(text(page), /<option>Europe\/Lisbon<\/option>/);
      assert.match(text(page), /<option value="" selected>Not set/);
      const editor = await new ConsoleClient(server.url).signIn(...EDITOR);
      assert.equal((await editor.get('/admin/settings')).status, 403);
      assert.equal((await editor.upload('/admin/settings', { name: 'Mine' }, { name: '', content: '', field: 'logo' })).status, 403);
    });

    test('a save shows everywhere at once: header, title, footer, logo, feeds, zone defaults, audit', async () => {
      const saved = await owner.upload('/admin/settings', {
        name: '  Harbour Lights Festival ', time_zone: 'Europe/Lisbon', public_url: 'https://programme.example.org/',
        contact_email: 'Info@Example.org',
      }, { name: 'logo.png', content: PNG, field: 'logo' });
      assert.equal(saved.status, 303, text(saved));
      assert.equal(saved.headers.location, '/admin/settings?notice=settings-saved');

      const home = text(await request(`${server.url}/`));
      assert.match(home, /<title>Programme[^<]* – Harbour Lights Festival<\/title>/);
      assert.match(home, /class="brand"[^>]*><img class="logo" src="(\/logo\?v=[0-9a-f]{16})" alt="" height="32">Harbour Lights Festival<\/a>/);
      assert.match(home, /<a href="mailto:info@example.org">info@example.org<\/a>/);
      const logoHref = home.match(/src="(\/logo\?v=[0-9a-f]{16})"/)[1];
      const logo = await request(`${server.url}${logoHref}`);
      assert.equal(logo.status, 200);
      assert.equal(logo.headers['content-type'], 'image/png');
      assert.match(logo.headers['cache-control'], /immutable/);
      assert.deepEqual(logo.body, PNG);
      const event = text(await request(`${server.url}/events/hl27-002`));
      assert.match(event, / – Harbour Lights Festival<\/title>/);

      const ics = text(await request(`${server.url}/calendar.ics`));
      assert.match(ics, /https:\/\/programme\.example\.org\/events\/hl27-002/);
      const console = text(await owner.get('/admin/events'));
      assert.match(console, /<a class="brand" href="\/admin">Harbour Lights Festival console<\/a>/);
      assert.match(text(await owner.get('/admin/events/new')), /id="f-time_zone" name="time_zone" value="Europe\/Lisbon"/);
      assert.match(text(await request(`${server.url}/submit`)), /<option selected>Europe\/Lisbon<\/option>/);

      const audit = text(await owner.get('/admin/audit'));
      assert.match(audit, /settings[\s\S]*name, time_zone, public_url, contact_email, logo/);
      const again = await owner.get('/admin/settings');
      assert.match(text(again), /id="s-name" name="name" value="Harbour Lights Festival"/);
      assert.match(text(again), /<option selected>Europe\/Lisbon<\/option>/);
      assert.match(text(again), /Remove the logo/);
    });

    test('bad input is refused field by field and changes nothing', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
      const bad = await owner.upload('/admin/settings', {
        name: 'Evil', time_zone: 'Mars/Base', public_url: 'javascript:alert(1)', contact_email: 'nope',
      }, { name: 'logo.svg', content: svg, field: 'logo' });
      assert.equal(bad.status, 422);
      const body = text(bad);
      assert.match(body, /Unknown time zone &quot;Mars\/Base&quot;/);
      assert.match(body, /The public URL must be an absolute http/);
      assert.match(body, /not a valid e-mail address/);
      assert.match(body, /must be a PNG, JPEG, GIF or WebP image/);
      assert.match(body, /id="s-name" name="name" value="Evil"/, 'what was typed is kept');
      assert.match(text(await request(`${server.url}/`)), /<title>Programme[^<]* – Harbour Lights Festival<\/title>/);
    });

    test('removing the logo removes it from every page and /logo answers 404', async () => {
      const r = await owner.upload('/admin/settings', {
        name: 'Harbour Lights Festival', time_zone: 'Europe/Lisbon', public_url: 'https://programme.example.org',
        contact_email: 'info@example.org', remove_logo: '1',
      }, { name: '', content: '', field: 'logo' });
      assert.equal(r.status, 303, text(r));
      assert.doesNotMatch(text(await request(`${server.url}/`)), /class="logo"/);
      assert.equal((await request(`${server.url}/logo`)).status, 404);
      assert.match(text(await owner.get('/admin/audit')), /logo: none/);
    });

    test('flags given to the server win over the settings, and the page says so', async () => {
      await server.stop();
      server = await startServer(store.url, ['--site-name', 'Flag Fest', '--time-zone', 'Europe/Berlin']);
      owner = await new ConsoleClient(server.url).signIn(...OWNER);
      assert.match(text(await request(`${server.url}/`)), /<title>Programme[^<]* – Flag Fest<\/title>/);
      assert.match(text(await request(`${server.url}/`)), /mailto:info@example.org/, 'the stored contact still applies');
      const page = text(await owner.get('/admin/settings'));
      assert.match(page, /Now <strong>Flag Fest<\/strong>, set by <code>--site-name<\/code>/);
      assert.match(page, /id="s-name" name="name" value="Harbour Lights Festival"/, 'the stored value stays editable');
      assert.match(text(await owner.get('/admin/events/new')), /id="f-time_zone" name="time_zone" value="Europe\/Berlin"/);
    });
  });
}
