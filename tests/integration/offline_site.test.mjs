// Issue 20 over HTTP on SQLite and PostgreSQL: the public site as an
// installable web app — the service worker with its precache list (every
// file listed is served and its revision changes with its bytes), the web
// app manifest with icons drawn at build time, the offline manifest of the
// live snapshot (every page it lists answers 200; a publish changes the
// snapshot and hash); places left from /api/v1/availability, current
// without a publish; "also at this venue" and "at the same time" on an
// event's page. (Fetches marked "Purpose: prefetch", as the worker's, are
// not counted as views: analytics.test.mjs.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';

const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist\n' +
  'talk,Harbour talk,2031-06-11 19:00,20:00,Europe/Berlin,Hall,Room 1,3,true,false\n' +
  'later,Later at the hall,2031-06-11 21:00,22:00,Europe/Berlin,Hall,Room 2,,false,false\n' +
  'cellar,Cellar jazz,2031-06-11 19:30,21:30,Europe/Berlin,Cellar,,,false,false\n' +
  'next,Next day,2031-06-12 10:00,11:00,Europe/Berlin,Hall,,,false,false\n' +
  'odd.key_1,Odd key,2031-06-12 12:00,13:00,Europe/Berlin,Park,,,false,false\n';

const text = (r) => r.body.toString();
const json = (r) => JSON.parse(r.body.toString());

// Width and height from a PNG's IHDR chunk (PNG specification §11.2.2).
function pngSize(buf) {
  assert.equal(buf.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG signature');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`the offline site on ${backend}`, () => {
    let tmp, store, server;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'offline');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      const imported = cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stderr);
      server = await startServer(store.url, ['--no-seed', '--registration-rate', '0', '--site-name', 'Harbour Days']);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      store?.drop();
      tmp?.remove();
    });

    test('the service worker precaches the static files by revision', async () => {
      const sw = await request(`${server.url}/sw.js`);
      assert.equal(sw.status, 200);
      assert.match(sw.headers['content-type'], /^text\/javascript/);
      assert.equal(sw.headers['cache-control'], 'no-cache');
      const m = /^self\.__WB_MANIFEST = (\[.*\]);\n/.exec(text(sw));
      assert.ok(m, 'the first line is the precache list');
      const list = JSON.parse(m[1]);
      assert.ok(list.some((e) => e.url === '/static/offline.js'));
      for (const { url, revision } of list) {
        const file = await request(`${server.url}${url}`);
        assert.equal(file.status, 200, url);
        assert.equal(`"${revision}"`, file.headers.etag, `${url}: the revision is the file's ETag`);
      }
      assert.match(text(sw), /workbox\.precaching\.precacheAndRoute/);
    });

    test('the web app manifest names the festival and its icons are PNGs of the stated size', async () => {
      const r = await request(`${server.url}/manifest.webmanifest`);
      assert.equal(r.status, 200);
      assert.match(r.headers['content-type'], /^application\/manifest\+json/);
      const m = json(r);
      assert.equal(m.name, 'Harbour Days');
      assert.equal(m.start_url, '/');
      assert.equal(m.display, 'standalone');
      for (const icon of m.icons.filter((i) => i.type === 'image/png')) {
        const png = await request(`${server.url}${icon.src}`);
        assert.equal(png.status, 200);
        assert.equal(png.headers['content-type'], 'image/png');
        assert.deepEqual(pngSize(png.body), icon.sizes.split('x').map(Number));
      }
      assert.ok(m.icons.some((i) => i.purpose === 'maskable'));
      const page = text(await request(`${server.url}/`));
      assert.match(page, /<link rel="manifest" href="\/manifest.webmanifest">/);
      assert.match(page, /<html lang="en" data-copy="live">/);
    });

    test('the offline manifest lists what to keep; every page answers; a publish changes it', async () => {
      const first = json(await request(`${server.url}/offline/manifest.json`));
      assert.ok(first.snapshot >= 1);
      assert.match(first.content_hash, /^[0-9a-f]{64}$/);
      assert.match(first.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const p of ['/', '/offline', '/agenda', '/?day=2031-06-11', '/?day=2031-06-12', '/events/talk', '/events/odd.key_1'])
        assert.ok(first.pages.includes(p), p);
      assert.deepEqual(first.data, ['/api/v1/events', '/api/v1/availability']);
      for (const p of [...first.pages, ...first.data]) {
        const r = await request(`${server.url}${p}`, { headers: { purpose: 'prefetch' } });
        assert.equal(r.status, 200, p);
      }
      const offline = text(await request(`${server.url}/offline`));
      assert.match(offline, /id="offline-view"/);
      assert.match(offline, /<title>Not kept offline – Harbour Days<\/title>/);

      const csv = path.join(tmp.dir, 'move.csv');
      writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone,venue\nnext,Next day moved,2031-06-12 15:00,16:00,Europe/Berlin,Hall\n');
      assert.equal(cli(['import', csv, '--db', store.url, '--publish']).status, 0);
      const second = await eventually(async () => {
        const m = json(await request(`${server.url}/offline/manifest.json`));
        return m.snapshot > first.snapshot && m;
      });
      assert.notEqual(second.content_hash, first.content_hash);
    });

    test('places left change without a publish, from memory', async () => {
      const before = json(await request(`${server.url}/api/v1/availability`));
      assert.match(before.as_of, /Z$/);
      assert.deepEqual(Object.keys(before.events), ['talk'], 'only events that take registrations');
      assert.deepEqual(before.events.talk, { state: 'places_left', left: 3, text: '3 places left', register: 'Register' });
      for (let n = 0; n < 3; ++n) {
        const r = await request(`${server.url}/api/v1/events/talk/registrations`, {
          method: 'POST', body: JSON.stringify({ name: `Guest ${n}`, email: `guest${n}@example.org` }),
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(r.status, 201, text(r));
      }
      const full = await eventually(async () => {
        const a = json(await request(`${server.url}/api/v1/availability`));
        return a.events.talk.state === 'full' && a;
      });
      assert.deepEqual(full.events.talk, { state: 'full', left: null, text: 'Full – no places left', register: '' });
      assert.match(text(await request(`${server.url}/events/talk`)), /id="places">Full – no places left</);
      // One event, as its page polls it; an event without registrations has no entry; an unknown one is a 404 problem.
      const one = json(await request(`${server.url}/api/v1/availability?event=talk`));
      assert.deepEqual(one.events, { talk: full.events.talk });
      assert.deepEqual(json(await request(`${server.url}/api/v1/availability?event=cellar`)).events, {});
      const unknown = await request(`${server.url}/api/v1/availability?event=nope`);
      assert.equal(unknown.status, 404);
      assert.match(unknown.headers['content-type'], /^application\/problem\+json/);
    });

    test('the event page suggests the same venue that day and what runs at the same time', async () => {
      const page = text(await request(`${server.url}/events/talk`));
      const venue = /<section class="suggestions" aria-labelledby="same-venue">([\s\S]*?)<\/section>/.exec(page);
      assert.ok(venue, 'an "also at" list');
      assert.match(venue[1], /Also at Hall that day/);
      assert.match(venue[1], /href="\/events\/later"/);
      assert.doesNotMatch(venue[1], /href="\/events\/next"/, 'not the next day');
      const same = /<section class="suggestions" aria-labelledby="same-time">([\s\S]*?)<\/section>/.exec(page);
      assert.ok(same, 'an "at the same time" list');
      assert.match(same[1], /href="\/events\/cellar"/);
      assert.doesNotMatch(same[1], /href="\/events\/later"/);
      assert.match(page, /data-key="talk" data-starts-at="2031-06-11T17:00:00Z" data-ends-at="2031-06-11T18:00:00Z"/);
      assert.match(page, /data-where="Hall, Room 1" data-status="published"/);
      const lone = text(await request(`${server.url}/events/odd.key_1`));
      assert.doesNotMatch(lone, /class="suggestions"/, 'nothing to suggest: no section');
    });
  });
}
