// GET /metrics on SQLite and PostgreSQL: the Prometheus text format 0.0.4,
// checked by Prometheus's own promtool; a staff token on the main port, none
// on --metrics-listen; requests, registration batches, the snapshot served,
// the store and the outbox counted as they happen.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { getJson, request, SOURCE_DIR, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'metrics-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
// Prometheus's own checker (scripts/setup.sh takes it from Debian's prometheus package).
const PROMTOOL = path.join(SOURCE_DIR, '.tools', 'promtool');

/**
 * One scrape's samples: [{name, labels, value}], after promtool has checked
 * the whole text (syntax, HELP/TYPE, histogram consistency, naming).
 */
function samples(text) {
  assert.ok(existsSync(PROMTOOL), `${PROMTOOL} is missing: run scripts/setup.sh`);
  const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
  assert.equal(check.stdout + check.stderr, '', 'promtool has no lint remarks');
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `sample line: ${line}`);
    const labels = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[k] = v.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
function value(all, name, labels = {}) {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`metrics on ${backend}`, () => {
    let tmp, store, server, metricsUrl;
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'metrics');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      server = await startServer(store.url, ['--metrics-listen', '127.0.0.1:0', '--registration-rate', '0']);
      metricsUrl = server.stdout().match(/metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/)[1];
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      store?.drop();
      tmp?.remove();
    });

    const scrape = async (url = `${server.url}/metrics`, token = STAFF) => {
      const r = await request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      assert.equal(r.status, 200, r.body.toString());
      assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-store');
      return samples(r.body.toString('utf8'));
    };

    test('the main port wants a staff token; the metrics address serves /metrics alone, without one', async () => {
      assert.equal((await request(`${server.url}/metrics`)).status, 401);
      assert.equal((await request(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
      await scrape();
      await scrape(metricsUrl, null);
      assert.equal((await request(metricsUrl.replace('/metrics', '/events/hl27-001'))).status, 404);
    });

    test('requests by route and status, registration batches, the snapshot, the store and the outbox', async () => {
      const before = await scrape(metricsUrl, null);
      const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' };
      for (let i = 0; i < 3; ++i) assert.equal((await request(`${server.url}/events/hl27-001`, { headers: browser })).status, 200);
      assert.equal((await request(`${server.url}/no-such-page`)).status, 404);
      const reg = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
        method: 'POST', body: JSON.stringify({ name: 'Metrics Visitor', email: 'metrics@example.org' }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(reg.status, 201, reg.body.toString());
      const now = await scrape(metricsUrl, null);
      const delta = (name, labels) => value(now, name, labels) - value(before, name, labels);
      assert.equal(delta('marquee_http_requests_total', { route: '/events/{key}', method: 'GET', status: '200' }), 3);
      assert.equal(delta('marquee_http_requests_total', { route: '(unmatched)', status: '404' }), 1);
      assert.equal(delta('marquee_http_requests_total', { route: '/api/v1/events/{key}/registrations', method: 'POST', status: '201' }), 1);
      assert.equal(delta('marquee_http_request_duration_seconds_count', { route: '/events/{key}' }), 3);
      assert.equal(delta('marquee_http_request_duration_seconds_bucket', { route: '/events/{key}', le: '+Inf' }), 3);
      // One registration, one transaction of one.
      assert.equal(delta('marquee_registration_batch_size_count'), 1);
      assert.equal(delta('marquee_registration_batch_size_sum'), 1);
      assert.equal(delta('marquee_registration_batch_size_bucket', { le: '1' }), 1);
      assert.equal(delta('marquee_registration_batch_duration_seconds_count'), 1);
      // The confirmation waits in the outbox (no SMTP here).
      assert.ok(value(now, 'marquee_outbox_pending', { kind: 'registration_confirmed' }) >= 1);
      assert.ok(value(now, 'marquee_outbox_due', { kind: 'registration_confirmed' }) >= 1);
      // The snapshot is the one /readyz names, from the live store.
      const ready = (await getJson(`${server.url}/readyz`)).json;
      assert.equal(value(now, 'marquee_snapshot_number'), ready.snapshot);
      assert.equal(value(now, 'marquee_programme_source', { source: 'live' }), 1);
      assert.equal(value(now, 'marquee_programme_source', { source: 'bundled' }), 0);
      assert.ok(value(now, 'marquee_public_events') >= 150);
      assert.equal(value(now, 'marquee_store_up'), 1);
      assert.ok(value(now, 'marquee_store_connections_opened_total') >= 1);
      assert.equal(value(now, 'marquee_scrape_errors_total'), 0);
      // Three page views were counted for analytics (buffered until the next flush).
      assert.ok(delta('marquee_analytics_signals_total') >= 3);
      assert.equal(value(now, 'marquee_build_info', { version: '0.1.0' }), 1);
    });
  });
}
