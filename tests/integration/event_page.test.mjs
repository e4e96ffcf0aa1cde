// Issue 14: the public event page tells visitors what they can do — places
// left (never the capacity as if it were free), a Register button only when
// there is something to register for, Add to calendar, a map link, Open
// Graph tags — and /favicon.ico answers. Both stores: the places come from
// the store's counters through the availability board.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';

const CSV = 'key,title,description,starts_at,ends_at,time_zone,venue,address,capacity,registration,waitlist\n' +
  'two,Two places,"A **talk** about\nharbours.",2031-06-11 19:00,21:00,Europe/Berlin,Hall,"Am Kai 1, 20457 Hamburg",2,true,true\n' +
  'one,One place,,2031-06-12 19:00,21:00,Europe/Berlin,Hall,,1,true,false\n' +
  'walkin,Walk in,,2031-06-13 19:00,21:00,Europe/Berlin,Hall,,120,false,false\n' +
  'past,Already started,,2020-06-13 19:00,21:00,Europe/Berlin,Hall,,10,true,false\n' +
  'day,All day fair,,2031-06-14,,Europe/Berlin,Park,,,false,false\n';

const text = (r) => r.body.toString();

function register(url, key, n) {
  return request(`${url}/api/v1/events/${key}/registrations`, {
    method: 'POST', body: JSON.stringify({ name: `Guest ${n}`, email: `guest${n}@example.org` }),
    headers: { 'content-type': 'application/json' },
  });
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`the event page on ${backend}`, () => {
    let tmp, store, server;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'eventpage');
      assert.ok(store, 'a PostgreSQL test cluster (scripts/with-postgres.sh)');
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      const imported = cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stderr);
      server = await startServer(store.url, ['--no-seed', '--registration-rate', '0', '--public-url', 'https://programme.example.org']);
    });
    after(async () => { await server?.stop(); store?.drop(); tmp?.remove(); });

    test('places left count down, then the button joins the waiting list', async () => {
      const page = async () => text(await request(`${server.url}/events/two`));
      assert.match(await page(), /<dt>Places<\/dt><dd class="places" id="places">2 places left<\/dd>/);
      assert.match(await page(), /<a class="button" href="\/events\/two\/register">Register<\/a>/);
      assert.doesNotMatch(await page(), />2<\/dd>/, 'the capacity alone is never shown as if it were free');
      assert.equal((await register(server.url, 'two', 1)).status, 201);
      await eventually(async () => { assert.match(await page(), /1 place left</); return true; });
      assert.equal((await register(server.url, 'two', 2)).status, 201);
      await eventually(async () => { assert.match(await page(), /<dd class="places full" id="places">Full – join the waiting list<\/dd>/); return true; });
      assert.match(await page(), /href="\/events\/two\/register">Join the waiting list<\/a>/);
      const cache = (await request(`${server.url}/events/two`)).headers['cache-control'];
      assert.equal(cache, 'public, max-age=5', 'browsers keep a page with places briefly');
    });

    test('a full event without a waiting list, a started one and a walk-in one show no Register button', async () => {
      assert.equal((await register(server.url, 'one', 3)).status, 201);
      await eventually(async () => { assert.match(text(await request(`${server.url}/events/one`)), /Full – no places left/); return true; });
      const full = text(await request(`${server.url}/events/one`));
      assert.doesNotMatch(full, /class="button"/);
      const past = text(await request(`${server.url}/events/past`));
      assert.match(past, /Registration is closed/);
      assert.doesNotMatch(past, /class="button"/);
      const walkin = text(await request(`${server.url}/events/walkin`));
      assert.match(walkin, /No registration needed \(room for 120\)/);
      assert.doesNotMatch(walkin, /class="button"/);
    });

    test('add to calendar, map, Open Graph, favicon', async () => {
      const html = text(await request(`${server.url}/events/two`));
      assert.match(html, /<a href="\/events\/two\.ics" download>/);
      assert.equal((await request(`${server.url}/events/two.ics`)).status, 200);
      // The calendar links pass through Marquee (/go, counted by analytics), which answers 302 to the service.
      const target = async (page, service) => {
        assert.match(page, new RegExp(`href="/go/[a-z0-9-]+/${service}"`));
        const r = await request(`${server.url}${page.match(new RegExp(`href="(/go/[a-z0-9-]+/${service})"`))[1]}`);
        assert.equal(r.status, 302);
        return new URL(r.headers.location);
      };
      const g = await target(html, 'google');
      assert.equal(g.origin + g.pathname, 'https://calendar.google.com/calendar/render');
      assert.equal(g.searchParams.get('text'), 'Two places');
      assert.equal(g.searchParams.get('dates'), '20310611T170000Z/20310611T190000Z', '19:00–21:00 Berlin summer time in UTC');
      assert.equal(g.searchParams.get('location'), 'Hall, Am Kai 1, 20457 Hamburg');
      assert.equal(g.searchParams.get('details'), 'https://programme.example.org/events/two');
      const outlook = await target(html, 'outlook');
      assert.equal(outlook.origin, 'https://outlook.live.com');
      assert.equal(outlook.searchParams.get('startdt'), '2031-06-11T19:00:00+02:00');
      assert.equal(outlook.searchParams.get('enddt'), '2031-06-11T21:00:00+02:00');
      const map = new URL(html.match(/href="(https:\/\/www\.openstreetmap\.org\/search[^"]+)"/)[1].replaceAll('&amp;', '&'));
      assert.equal(map.searchParams.get('query'), 'Am Kai 1, 20457 Hamburg');
      assert.match(html, /<meta property="og:title" content="Two places">/);
      assert.match(html, /<meta property="og:url" content="https:\/\/programme\.example\.org\/events\/two">/);
      assert.match(html, /<meta property="og:description" content="A talk about harbours\.">/);
      assert.match(html, /<meta name="twitter:card" content="summary">/);
      const day = text(await request(`${server.url}/events/day`));
      const gd = await target(day, 'google');
      assert.equal(gd.searchParams.get('dates'), '20310614/20310615', 'an all-day event is whole days, the end exclusive');
      assert.doesNotMatch(day, /openstreetmap/, 'no address, no map link');
      const icon = await request(`${server.url}/favicon.ico`);
      assert.equal(icon.status, 200);
      assert.equal(icon.headers['content-type'], 'image/svg+xml');
      assert.match(html, /<link rel="icon" href="\/static\/favicon.svg">/);
    });
  });
}

describe('the programme page (issue 14)', () => {
  let tmp, server;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/programme.db`;
    const rows = ['key,title,starts_at,ends_at,time_zone,venue'];
    rows.push('old-1,Last year,2020-06-10 10:00,11:00,Europe/Berlin,Hall');
    for (let i = 0; i < 60; ++i) rows.push(`walk-${i},Harbour walk ${i},2031-06-11 ${String(8 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')},,Europe/Berlin,Quay`);
    rows.push('fair-1,Book fair,2031-06-12 10:00,18:00,Europe/Berlin,Hall');
    writeFileSync(path.join(tmp.dir, 'p.csv'), `${rows.join('\n')}\n`);
    assert.equal(cli(['import', path.join(tmp.dir, 'p.csv'), '--db', db, '--publish']).status, 0);
    server = await startServer(db, ['--no-seed']);
  });
  after(async () => { await server?.stop(); tmp?.remove(); });

  test('it opens on the first upcoming day; past days are one tab away and marked', async () => {
    const home = text(await request(`${server.url}/`));
    assert.match(home, /<h2 id="day-2031-06-11">Wednesday 11 June 2031<\/h2>/);
    assert.doesNotMatch(home, /Last year/, 'past events are not on the first page');
    assert.match(home, /<a href="\/\?day=2020-06-10" class="past"[^>]*>Wed 10 Jun/);
    assert.match(home, /<a href="\/\?day=2031-06-11" aria-current="page"/);
    assert.match(home, /60 events on Wednesday 11 June 2031 · 62 in the programme\./);
    const past = text(await request(`${server.url}/?day=2020-06-10`));
    assert.match(past, /Last year/);
    assert.match(past, /\(past\)/);
    assert.equal((await request(`${server.url}/?day=2031-01-01`)).status, 404);
  });

  test('search results come in pages with a link to the next', async () => {
    const first = text(await request(`${server.url}/?q=walk`));
    assert.match(first, /60 of 62 events match; showing 50\./);
    assert.equal((first.match(/class="event-card/g) || []).length, 50);
    const next = first.match(/<a href="(\/\?q=walk&amp;cursor=[^"]+)" rel="next">More results<\/a>/)[1].replaceAll('&amp;', '&');
    const second = text(await request(`${server.url}${next}`));
    assert.equal((second.match(/class="event-card/g) || []).length, 10);
    assert.doesNotMatch(second, /rel="next"/);
    assert.match(second, /<a href="\/\?q=walk">First page<\/a>/);
    assert.match(first, /<div class="search-row">\s*<input id="q"[^>]*>\s*<button type="submit">Search<\/button>/, 'input and button side by side');
  });
});
