// Engagement analytics end to end (issue 16), on SQLite and PostgreSQL: the
// counts the insights API gives equal the requests made, less bots,
// prefetches and unserved answers; DNT/GPC counted without a visitor id; two
// instances on one store count a visitor once; /go/{key} redirects only to
// the event's own URL; a graceful stop loses nothing; and no client address
// or user agent appears in any table, log line or backup.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'analytics-staff-token-0123456789abcdef';
const UA = (n) => `Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0 AnalyticsTester${n}`;
const ADDRESS = (n) => `198.51.100.${n}`;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,category,url,capacity,registration,waitlist\n' +
  'talk,A talk,2031-06-11 19:00,21:00,Europe/Berlin,Hall,Talks,https://example.org/talk,10,true,false\n' +
  'walk,A walk,2031-06-12 10:00,12:00,Europe/Berlin,Harbour,Walks,,,false,false\n';

const visit = (url, n, headers = {}) => request(url, { headers: { 'user-agent': UA(n), 'x-forwarded-for': ADDRESS(n), ...headers } });

async function insights(base, table, query = '') {
  const r = await request(`${base}/api/v1/admin/insights/${table}${query}`, { headers: { authorization: `Bearer ${STAFF}` } });
  assert.equal(r.status, 200, r.body.toString());
  return JSON.parse(r.body.toString('utf8'));
}

async function csvOf(base, table) {
  const r = await request(`${base}/api/v1/admin/insights/${table}.csv`, { headers: { authorization: `Bearer ${STAFF}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/csv/);
  // csv_record quotes every field (RFC 4180); these rows hold no '"' of their own.
  return r.body.toString('utf8').trim().split('\r\n').map((line) => JSON.parse(`[${line}]`).join(','));
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`analytics (${backend})`, { skip: backend === 'postgres' && !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
    let tmp, store, args;
    const logs = [];
    before(() => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'analytics');
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
      const imported = cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stderr);
      args = ['--no-seed', '--registration-rate', '0', '--trusted-proxy', '127.0.0.1', '--staff-token-file', path.join(tmp.dir, 'staff'),
        '--state-dir', tmp.dir];
    });
    after(() => { store.drop(); tmp.remove(); });

    test('counts equal the requests made, less bots, prefetches and errors; uniques per visitor', async () => {
      const one = await startServer(store.url, [...args, '--analytics-flush-ms', '100000']);
      const two = await startServer(store.url, [...args, '--analytics-flush-ms', '100000']);
      try {
        // Counted: 3 views by visitor 1 (two on one instance, one on the other), 1 by visitor 2, 1 with DNT, 1 with GPC, 1 JSON view.
        assert.equal((await visit(`${one.url}/events/talk`, 1)).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 1)).status, 200);
        assert.equal((await visit(`${two.url}/events/talk`, 1)).status, 200);
        assert.equal((await visit(`${two.url}/events/talk`, 2)).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 3, { dnt: '1' })).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 4, { 'sec-gpc': '1' })).status, 200);
        assert.equal((await visit(`${one.url}/api/v1/events/talk`, 5)).status, 200);
        // Not counted: bots, scripts, no user agent, prefetch, prerender, HEAD, unknown events.
        for (const ua of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.4.0',
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36'])
          assert.equal((await request(`${one.url}/events/talk`, { headers: { 'user-agent': ua } })).status, 200);
        assert.equal((await request(`${one.url}/events/talk`)).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 6, { 'sec-purpose': 'prefetch' })).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 6, { 'sec-purpose': 'prefetch;prerender' })).status, 200);
        // The service worker filling a phone's offline copy (static/site-sw.js) says Purpose: prefetch.
        assert.equal((await visit(`${one.url}/events/talk`, 6, { purpose: 'prefetch' })).status, 200);
        assert.equal((await visit(`${one.url}/events/talk`, 6)).status, 200);  // counted
        assert.equal((await request(`${one.url}/events/talk`, { method: 'HEAD', headers: { 'user-agent': UA(6) } })).status, 200);
        assert.equal((await visit(`${one.url}/events/nope`, 6)).status, 404);
        // Searches: two with results, one with none; a further page of results is not a new search.
        assert.equal((await visit(`${one.url}/?q=Talk`, 1)).status, 200);
        assert.equal((await visit(`${one.url}/api/v1/events?q=talk&category=Talks`, 2)).status, 200);
        assert.equal((await visit(`${one.url}/?q=Klezmer%20%20NIGHT`, 2)).status, 200);
        assert.equal((await visit(`${one.url}/?q=%3DSUM(1)`, 1)).status, 200);  // a formula, for the CSV check
        assert.equal((await visit(`${one.url}/api/v1/events?limit=1`, 2)).status, 200);
        // Calendar saves: the .ics, Google and Outlook through /go; a feed polled 3 times by one client is one subscriber.
        assert.equal((await visit(`${one.url}/events/talk.ics`, 1)).status, 200);
        const google = await visit(`${one.url}/go/talk/google`, 1);
        assert.equal(google.status, 302);
        assert.match(google.headers.location, /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=A%20talk/);
        const outlook = await visit(`${one.url}/go/talk/outlook`, 2);
        assert.equal(outlook.status, 302);
        assert.match(outlook.headers.location, /^https:\/\/outlook\.live\.com\//);
        for (let i = 0; i < 3; i++) assert.equal((await visit(`${one.url}/calendar.ics`, 7)).status, 200);
        // Outbound clicks: only ever to the event's own URL.
        const go = await visit(`${one.url}/go/talk?to=https://evil.example/&url=https://evil.example/`, 2);
        assert.equal(go.status, 302);
        assert.equal(go.headers.location, 'https://example.org/talk');
        assert.equal(go.headers['cache-control'], 'no-store');
        assert.equal((await visit(`${one.url}/go/walk`, 2)).status, 404);  // no URL of its own
        assert.equal((await visit(`${one.url}/go/nope`, 2)).status, 404);
        assert.equal((await visit(`${one.url}/go/https:%2F%2Fevil.example`, 2)).status, 404);
        // The event page's links go through /go.
        const page = (await visit(`${one.url}/events/talk`, 2)).body.toString();
        assert.match(page, /href="\/go\/talk"/);
        assert.match(page, /href="\/go\/talk\/google"/);
        assert.doesNotMatch(page, /example\.org\/talk/);
        // A registration by visitor 2, who viewed the event today: one conversion.
        const reg = await request(`${one.url}/api/v1/events/talk/registrations`, {
          method: 'POST', body: JSON.stringify({ name: 'Ann', email: 'ann@example.org' }),
          headers: { 'content-type': 'application/json', 'user-agent': UA(2), 'x-forwarded-for': ADDRESS(2) },
        });
        assert.equal(reg.status, 201, reg.body.toString());
      } finally {
        // A graceful stop writes what is buffered (the flush interval was never reached).
        assert.equal(await one.stop(), 0);
        assert.equal(await two.stop(), 0);
        logs.push(one.stderr(), two.stderr());
      }
      const reader = await startServer(store.url, args);
      try {
        const { events } = await insights(reader.url, 'events');
        const talk = events.find((e) => e.key === 'talk');
        // 7 views of the first block, visitor 6's page and visitor 2's check of the links.
        assert.equal(talk.views, 9);
        assert.equal(talk.unique_visitors, 4);  // visitors 1, 2, 5 and 6; DNT and GPC are not told apart
        assert.equal(talk.calendar_saves, 3);
        assert.equal(talk.outbound_clicks, 1);
        assert.equal(talk.registrations, 1);
        assert.equal(talk.converted_visitors, 1);
        assert.equal(talk.title, 'A talk');
        assert.equal(talk.capacity, 10);
        assert.ok(!events.some((e) => e.key === 'nope'));
        const { searches } = await insights(reader.url, 'searches');
        assert.deepEqual(searches.map((s) => [s.term, s.filters, s.searches, s.zero_result_searches]).sort(),
          [['=sum(1)', '', 1, 1], ['klezmer night', '', 1, 1], ['talk', '', 1, 0], ['talk', 'category=Talks', 1, 0]]);
        const zero = await insights(reader.url, 'searches', '?zero=1');
        assert.deepEqual(zero.searches.map((s) => s.term), ['=sum(1)', 'klezmer night']);
        // CSV injection (OWASP): a cell that starts a formula gets an apostrophe.
        assert.ok((await csvOf(reader.url, 'searches')).includes("'=sum(1),,1,1,0"));
        const series = await insights(reader.url, 'timeseries');
        assert.equal(series.timeseries.length, 7);
        const today = series.timeseries[6];
        assert.equal(today.views, 9);
        assert.equal(today.searches, 4);
        assert.equal(today.unique_visitors, 5);  // site-wide: visitors 1, 2, 5, 6 and 7 (the feed)
        const csv = await csvOf(reader.url, 'events');
        assert.equal(csv[0], 'key,title,category,venue,views,unique_visitors,calendar_saves,outbound_clicks,registrations,' +
          'converted_visitors,conversion_rate,capacity,confirmed,fill_rate,impressions,placement_clicks');
        assert.match(csv[1], /^talk,A talk,Talks,Hall,9,4,3,1,1,1,0\.1111,10,1,0\.1000,0,0$/);
        assert.equal((await request(`${reader.url}/api/v1/admin/insights/events?from=2026-02-30`, { headers: { authorization: `Bearer ${STAFF}` } })).status, 400);
        assert.equal((await request(`${reader.url}/api/v1/admin/insights/events`)).status, 401);
      } finally {
        assert.equal(await reader.stop(), 0);
        logs.push(reader.stderr());
      }
    });

    test('no client address or user agent in any table, log line or backup', () => {
      const backups = path.join(tmp.dir, 'backups');
      const made = cli(['backup', '--db', store.url, '--backup-dir', backups]);
      assert.equal(made.status, 0, made.stderr);
      const haystacks = [...logs, made.stdout, made.stderr];
      for (const f of readdirSync(backups)) haystacks.push(readFileSync(path.join(backups, f)).toString('latin1'));
      if (backend === 'sqlite') {
        haystacks.push(readFileSync(store.url.replace('sqlite:///', '')).toString('latin1'));
        const dump = spawnSync('sqlite3', [store.url.replace('sqlite:///', ''), '.dump'], { encoding: 'utf8' });
        if (dump.status === 0) haystacks.push(dump.stdout);
      } else {
        const dump = spawnSync('pg_dump', [store.url], { encoding: 'utf8' });
        assert.equal(dump.status, 0, dump.stderr);
        haystacks.push(dump.stdout);
      }
      for (const text of haystacks) {
        assert.doesNotMatch(text, /198\.51\.100\./);
        assert.doesNotMatch(text, /AnalyticsTester/);
      }
    });
  });
}
