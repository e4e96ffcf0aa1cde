// The public read path over real HTTP: JSON API, caching, compression,
// problem+json errors, HTML pages and escaping.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';

import { cli, eventually, getJson, request, SOURCE_DIR, startServer, tempDir } from './lib.mjs';

describe('public API and pages on the bundled programme', () => {
  let tmp, server, db;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/marquee.db`;
    // Hostile content next to the bundled programme: it must come out escaped.
    const csv = 'key,title,description,starts_at,ends_at,time_zone,venue,category,url\n' +
      'xss-1,"<script>alert(1)</script> & ""quotes""","Hello <img src=x onerror=alert(2)> [click](javascript:alert(3)) **bold**",' +
      '2027-06-13 12:00,13:00,Europe/Berlin,"Venue <b>",Talks,"https://example.org/?a=""><script>alert(4)</script>"\n';
    writeFileSync(path.join(tmp.dir, 'xss.csv'), csv);
    server = await startServer(db);  // seeds the bundled programme on first start
    const imp = cli(['import', path.join(tmp.dir, 'xss.csv'), '--db', db, '--publish']);
    assert.equal(imp.status, 0, imp.stdout + imp.stderr);
    // The server picks the new snapshot up by polling: the tests below compare
    // responses with each other, so they start once it serves it (a swap
    // between two requests gave a list without xss-1 and its gzip with it).
    await eventually(async () => (await request(`${server.url}/api/v1/events/xss-1`)).status === 200);
  });
  after(async () => { const code = await server.stop(); tmp.remove(); assert.equal(code, 0); });

  test('healthz', async () => {
    const r = await request(`${server.url}/healthz`);
    assert.equal(r.status, 200);
  });

  test('the whole programme without filters, sorted by start', async () => {
    const { status, json, headers } = await getJson(`${server.url}/api/v1/events`);
    assert.equal(status, 200);
    assert.match(headers['content-type'], /application\/json/);
    const bundled = readFileSync(path.join(SOURCE_DIR, 'data/programme.csv'), 'utf8').match(/\r\nhl27-/g).length;
    assert.ok(json.events.length >= bundled && json.total === json.events.length, `${json.events.length}`);
    assert.ok(bundled >= 150);
    for (let i = 1; i < json.events.length; i++) assert.ok(json.events[i - 1].starts_at <= json.events[i].starts_at);
    const cancelled = json.events.filter((e) => e.status === 'cancelled');
    assert.ok(cancelled.length >= 2, 'bundled programme has cancelled events');
    const zones = new Set(json.events.map((e) => e.time_zone));
    assert.ok(zones.has('Europe/Berlin') && zones.has('Europe/Lisbon'));
    const e = json.events.find((x) => x.key === 'hl27-001');
    assert.equal(e.local_starts_at, '2027-06-11T10:00:00+02:00');
    assert.equal(e.starts_at, '2027-06-11T08:00:00Z');
  });

  test('filters: dates, category, tag, venue, q', async () => {
    const day = (await getJson(`${server.url}/api/v1/events?from=2027-06-12&to=2027-06-12`)).json;
    assert.ok(day.total > 10);
    for (const e of day.events) assert.ok(e.local_starts_at.startsWith('2027-06-12'), e.local_starts_at);
    const music = (await getJson(`${server.url}/api/v1/events?category=music`)).json;
    assert.ok(music.total > 0 && music.events.every((e) => e.category === 'Music'));
    const lisbon = (await getJson(`${server.url}/api/v1/events?tag=LISBON`)).json;
    assert.ok(lisbon.total > 0 && lisbon.events.every((e) => e.time_zone === 'Europe/Lisbon'));
    const venue = (await getJson(`${server.url}/api/v1/events?venue=${encodeURIComponent('Armazém 16')}`)).json;
    assert.ok(venue.total > 0 && venue.events.every((e) => e.venue === 'Armazém 16'));
    const q = (await getJson(`${server.url}/api/v1/events?q=${encodeURIComponent('umlaut typography')}`)).json;
    assert.ok(q.total > 0 && q.events.every((e) => /Ümlaut/.test(e.title + e.description)));
    const instant = (await getJson(`${server.url}/api/v1/events?from=2027-06-15T00:00:00%2B02:00`)).json;
    assert.ok(instant.events.every((e) => e.ends_at >= '2027-06-14T22:00:00Z'));
  });

  test('cursor pagination walks every event exactly once', async () => {
    const all = (await getJson(`${server.url}/api/v1/events`)).json.events.map((e) => e.key);
    const seen = [];
    let cursor = '';
    for (let pages = 0; pages < 100; pages++) {
      const page = (await getJson(`${server.url}/api/v1/events?limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
      assert.ok(page.events.length <= 40);
      seen.push(...page.events.map((e) => e.key));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    assert.deepEqual(seen, all);
  });

  test('bad parameters are RFC 9457 problems', async () => {
    for (const qs of ['limit=5000', 'limit=0', 'limit=abc', 'from=31/02/2027', 'cursor=nonsense']) {
      const r = await getJson(`${server.url}/api/v1/events?${qs}`);
      assert.equal(r.status, 400, qs);
      assert.equal(r.headers['content-type'], 'application/problem+json');
      assert.equal(r.json.status, 400);
      assert.ok(r.json.detail.length > 10, r.json.detail);
    }
    const missing = await getJson(`${server.url}/api/v1/events/no-such-event`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.type, '/problems/event-not-found');
    const method = await request(`${server.url}/api/v1/events`, { method: 'DELETE' });
    assert.equal(method.status, 405);
    assert.equal(method.headers.allow, 'GET');
  });

  test('ETag revalidation, gzip and brotli', async () => {
    const plain = await request(`${server.url}/api/v1/events/hl27-001`);
    assert.equal(plain.status, 200);
    assert.ok(plain.headers.etag);
    assert.match(plain.headers['cache-control'], /max-age/);
    const again = await request(`${server.url}/api/v1/events/hl27-001`, { headers: { 'if-none-match': plain.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);

    const list = await request(`${server.url}/api/v1/events`);
    const gz = await request(`${server.url}/api/v1/events`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(zlib.gunzipSync(gz.body), list.body);
    const br = await request(`${server.url}/api/v1/events`, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(zlib.brotliDecompressSync(br.body), list.body);
    const refused = await request(`${server.url}/api/v1/events`, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.equal(refused.headers.vary, 'Accept-Encoding');
    const head = await request(`${server.url}/api/v1/events`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), list.body.length);
    assert.equal(head.body.length, 0);
  });

  test('OpenAPI document describes exactly the API routes', async () => {
    const { json } = await getJson(`${server.url}/api/v1/openapi.json`);
    assert.equal(json.openapi, '3.1.0');
    const documented = Object.entries(json.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const routes = cli(['routes']).stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))
      .filter((r) => r.includes(' /api/') || r === 'GET /metrics').sort();
    assert.deepEqual(documented, routes);
  });

  test('HTML pages: programme grouped by day, event page in the venue zone, everything escaped', async () => {
    const home = (await request(`${server.url}/`)).body.toString();
    assert.match(home, /<h2 id="day-2027-06-11">Friday 11 June 2027<\/h2>/);
    assert.match(home, /<meta name="viewport"/);
    const page = (await request(`${server.url}/events/hl27-001`)).body.toString();
    assert.match(page, /Friday 11 June 2027, 10:00–/);
    assert.match(page, /Europe\/Berlin, CEST/);
    assert.match(page, /<strong>Ümlaut &amp; Accent: Typography Tales<\/strong>/);  // Markdown rendered

    const xss = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await request(`${server.url}/events/xss-1`);
        if (r.status === 200) return r.body.toString();
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error('imported event never appeared');
    })();
    assert.ok(!xss.includes('<script>alert(1)'), 'title escaped');
    assert.match(xss, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/);
    assert.ok(!xss.includes('<img src=x'), 'raw HTML in Markdown dropped');
    assert.ok(!xss.includes('href="javascript:'), 'javascript: links dropped');
    assert.match(xss, /Venue &lt;b&gt;/);
    assert.match(xss, /<strong>bold<\/strong>/);

    const search = (await request(`${server.url}/?q=script&category=Talks`)).body.toString();
    assert.match(search, /1 of \d+ events match/);
    assert.match(search, /value="script"/);
    const missing = await request(`${server.url}/events/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers['content-type'], /text\/html/);
  });

  test('oversized request bodies are refused', async () => {
    const r = await request(`${server.url}/api/v1/events`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 97),
      headers: { 'content-type': 'text/plain' } }).catch((e) => ({ status: 'reset', error: e }));
    assert.ok(r.status === 413 || r.status === 'reset', String(r.status));
  });
});

// Issue 22: from 2,000 events the full list is made in pieces and kept only compressed;
// a client without gzip or brotli gets it inflated a piece at a time, with its length.
describe('the full event list of a large programme', () => {
  let tmp, server;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/large.db`;
    const rows = Array.from({ length: 2500 }, (_, i) =>
      `talk-${i},"Talk ${i}: ""quoted"" — Straße",2027-06-${String(1 + (i % 28)).padStart(2, '0')} ${String(8 + (i % 10)).padStart(2, '0')}:00,Europe/Berlin`);
    writeFileSync(path.join(tmp.dir, 'large.csv'), `key,title,starts_at,time_zone\n${rows.join('\n')}\n`);
    const imp = cli(['import', path.join(tmp.dir, 'large.csv'), '--db', db, '--publish']);
    assert.equal(imp.status, 0, imp.stdout + imp.stderr);
    server = await startServer(db);
  });
  after(async () => { const code = await server.stop(); tmp.remove(); assert.equal(code, 0); });

  test('identity, gzip and brotli carry the same bytes under one ETag; HEAD and 304 as for any list', async () => {
    const url = `${server.url}/api/v1/events`;
    const plain = await request(url);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(Number(plain.headers['content-length']), plain.body.length);
    assert.ok(plain.body.length > 1_000_000, `a list of ${plain.body.length} bytes`);
    const list = JSON.parse(plain.body.toString('utf8'));
    assert.equal(list.events.length, 2500);
    assert.equal(list.total, 2500);
    assert.equal(list.next_cursor, null);
    assert.equal(new Set(list.events.map((e) => e.key)).size, 2500);
    assert.equal(list.events.find((e) => e.key === 'talk-7').title, 'Talk 7: "quoted" — Straße');
    const starts = list.events.map((e) => e.starts_at);
    assert.deepEqual(starts, [...starts].sort(), 'in programme order');

    const gz = await request(url, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(zlib.gunzipSync(gz.body).equals(plain.body));
    const br = await request(url, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(zlib.brotliDecompressSync(br.body).equals(plain.body));
    assert.equal(gz.headers.etag, plain.headers.etag);
    assert.equal(br.headers.etag, plain.headers.etag);

    const head = await request(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), plain.body.length);
    assert.equal(head.body.length, 0);
    const again = await request(url, { headers: { 'if-none-match': plain.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    // Another request after all that: the server is still answering in order.
    assert.ok((await request(url)).body.equals(plain.body));
  });

  test('the full list is the pages of 1,000 put together, and a search without a limit answers every match', async () => {
    const full = (await getJson(`${server.url}/api/v1/events`)).json;
    const paged = [];
    let cursor = '';
    for (let i = 0; i < 10; ++i) {
      const page = (await getJson(`${server.url}/api/v1/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
      paged.push(...page.events);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    assert.deepEqual(paged, full.events);
    const search = (await getJson(`${server.url}/api/v1/events?q=talk`)).json;
    assert.equal(search.total, 2500);
    assert.deepEqual(search.events, full.events);
  });
});
