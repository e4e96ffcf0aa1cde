// Partner placements end to end (issue 17), on SQLite and PostgreSQL: the
// staff API (checks, versions, moves, audit), the public programme page and
// JSON list marking promoted events, an approval or a pause on one instance
// showing on another without a publish, the click link, and the impressions
// and clicks counted for the partner.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'placements-staff-token-0123456789abcdef';
const UA = (n) => `Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0 PlacementTester${n}`;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,category\n' +
  'jazz,Harbour Jazz,2031-06-11 19:00,21:00,Europe/Berlin,Pier 5,Music\n' +
  'folk,Folk Night,2031-06-12 20:00,22:00,Europe/Berlin,Hall,Music\n' +
  'play,A Play,2031-06-12 18:00,20:00,Europe/Berlin,Theatre,Theatre\n';

const staff = (base, method, url, body, headers = {}) => request(`${base}${url}`, {
  method,
  body: body === undefined ? undefined : JSON.stringify(body),
  headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json', ...headers },
});
const json = (r) => JSON.parse(r.body.toString('utf8'));
const visit = (url, n) => request(url, { headers: { 'user-agent': UA(n), 'x-forwarded-for': `198.51.100.${n}` } });

// Polls `check` (bounded: 5 s) until it holds: another instance learns of a change through NOTIFY or its poll.
async function eventually(check, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`placements (${backend})`, { skip: backend === 'postgres' && !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
    let tmp, store, args;
    before(() => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'placements');
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
      const imported = cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']);
      assert.equal(imported.status, 0, imported.stderr);
      args = ['--no-seed', '--trusted-proxy', '127.0.0.1', '--staff-token-file', path.join(tmp.dir, 'staff'),
        '--state-dir', tmp.dir, '--analytics-flush-ms', '100000'];
    });
    after(() => { store.drop(); tmp.remove(); });

    test('the staff API checks, versions and moves; the public pages mark what shows, on every instance', async () => {
      const one = await startServer(store.url, args);
      const two = await startServer(store.url, args);
      let placementId;
      try {
        // Partners: checked, then created.
        const bad = await staff(one.url, 'POST', '/api/v1/admin/partners', { name: '', contact_email: 'nope' });
        assert.equal(bad.status, 422);
        assert.match(bad.headers['content-type'], /^application\/problem\+json/);
        assert.deepEqual(json(bad).errors.map((e) => e.field), ['name', 'contact_email']);
        const made = await staff(one.url, 'POST', '/api/v1/admin/partners', { name: 'Harbour Brewery', contact_email: 'Ads@Brewery.example' });
        assert.equal(made.status, 201, made.body.toString());
        const partner = json(made).partner;
        assert.equal(partner.contact_email, 'ads@brewery.example');
        assert.equal((await request(`${one.url}/api/v1/admin/partners`)).status, 401);  // staff only

        // Placements: an unknown event is refused; the window without an offset is the event's local time.
        const now = Date.now();
        const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const window = { starts_at: iso(now - 3600_000), ends_at: iso(now + 3 * 86400_000) };
        const unknown = await staff(one.url, 'POST', '/api/v1/admin/placements', { partner_id: partner.id, event_key: 'nope', slot: 'featured', ...window });
        assert.equal(unknown.status, 422);
        assert.deepEqual(json(unknown).errors.map((e) => e.field), ['event_key']);
        const local = await staff(one.url, 'POST', '/api/v1/admin/placements',
          { partner_id: partner.id, event_key: 'folk', slot: 'promoted', starts_at: '2031-06-01T10:00', ends_at: '2031-06-12T20:00' });
        assert.equal(local.status, 201, local.body.toString());
        assert.equal(json(local).placement.starts_at, '2031-06-01T08:00:00Z');  // 10:00 CEST
        assert.equal(json(local).placement.local_starts_at, '2031-06-01T10:00:00+02:00');
        const created = await staff(one.url, 'POST', '/api/v1/admin/placements',
          { partner_id: partner.id, event_key: 'jazz', slot: 'featured', price_cents: 25000, ...window });
        assert.equal(created.status, 201, created.body.toString());
        const placement = json(created).placement;
        placementId = placement.id;
        assert.equal(placement.state, 'draft');
        assert.equal(created.headers.etag, '"v1"');

        // Edits need the version read; a stale one gets the current placement back.
        const url = `/api/v1/admin/placements/${placement.id}`;
        assert.equal((await staff(one.url, 'PATCH', url, { priority: 2 })).status, 428);
        const edited = await staff(one.url, 'PATCH', url, { priority: 2, share_of_voice: 80 }, { 'if-match': '"v1"' });
        assert.equal(edited.status, 200, edited.body.toString());
        assert.equal(edited.headers.etag, '"v2"');
        const stale = await staff(one.url, 'PATCH', url, { priority: 9 }, { 'if-match': '"v1"' });
        assert.equal(stale.status, 412);
        assert.equal(json(stale).current.priority, 2);

        // The life cycle: not approvable before it is paid; paid outside Stripe, then approved.
        const early = await staff(one.url, 'POST', `${url}/moves`, { move: 'approve' });
        assert.equal(early.status, 409);
        assert.match(json(early).detail, /only a paid placement can be approved/);
        assert.equal((await staff(one.url, 'POST', `${url}/moves`, { move: 'fly' })).status, 422);
        // Nothing shows yet, anywhere.
        assert.doesNotMatch((await visit(`${two.url}/`, 1)).body.toString(), /Featured/);
        assert.equal((await staff(one.url, 'POST', `${url}/moves`, { move: 'mark_paid' })).status, 200);
        const approved = await staff(one.url, 'POST', `${url}/moves`, { move: 'approve' });
        assert.equal(approved.status, 200);
        assert.equal(json(approved).placement.state, 'scheduled');
        assert.equal(json(approved).placement.effective_state, 'active');
        assert.equal(json(approved).placement.showing, true);
        const detail = json(await staff(one.url, 'GET', url));
        assert.deepEqual(detail.history.map((h) => h.action), ['create', 'edit', 'payment_succeeded', 'approve']);
        assert.equal(detail.history[3].actor, 'staff token');

        // The other instance shows it without a publish: the hero, labelled, linking through /promoted.
        await eventually(async () => /Featured/.test((await visit(`${two.url}/`, 1)).body.toString()), 'the hero on instance two');
        const home = (await visit(`${two.url}/`, 1)).body.toString();
        assert.match(home, /<section class="featured"/);
        assert.match(home, new RegExp(`href="/promoted/${placement.id}">Harbour Jazz</a>`));
        assert.match(home, /Promoted<span class="partner"> · Harbour Brewery<\/span>/);
        const page = await visit(`${two.url}/`, 2);
        assert.equal(page.headers['cache-control'], 'private, max-age=30');
        // The JSON list marks it (and only it).
        const list = json(await visit(`${two.url}/api/v1/events`, 1));
        assert.deepEqual(list.events.find((e) => e.key === 'jazz').promoted, { slot: 'featured', partner: 'Harbour Brewery' });
        assert.equal(list.events.find((e) => e.key === 'play').promoted, null);
        // A search that matches it leads with it only when it is a promoted (list) placement: featured stays in the hero.
        assert.doesNotMatch((await visit(`${two.url}/?q=jazz`, 1)).body.toString(), /class="featured"/);

        // A click is counted and goes to the event's own page; an unknown id is a 404.
        const click = await visit(`${two.url}/promoted/${placement.id}`, 1);
        assert.equal(click.status, 302);
        assert.equal(click.headers.location, '/events/jazz');
        assert.equal((await visit(`${two.url}/promoted/999999`, 1)).status, 404);

        // Paused on instance two: gone from instance one at once.
        assert.equal((await staff(two.url, 'POST', `${url}/moves`, { move: 'pause' })).status, 200);
        await eventually(async () => !/Featured/.test((await visit(`${one.url}/`, 3)).body.toString()), 'the hero gone on instance one');
        assert.equal(json(await visit(`${one.url}/api/v1/events`, 3)).events.find((e) => e.key === 'jazz').promoted, null);
        assert.equal((await visit(`${one.url}/promoted/${placement.id}`, 3)).status, 404);
      } finally {
        assert.equal(await one.stop(), 0);
        assert.equal(await two.stop(), 0);
      }
      // Impressions and the click reached analytics (flushed at the graceful stop).
      const reader = await startServer(store.url, args);
      try {
        const r = await staff(reader.url, 'GET', '/api/v1/admin/insights/events');
        assert.equal(r.status, 200);
        const jazz = json(r).events.find((e) => e.key === 'jazz');
        assert.ok(jazz.impressions >= 3, `impressions ${jazz.impressions}`);  // the hero served 3 times or more (the polls)
        assert.equal(jazz.placement_clicks, 1);
        // Audited.
        const audit = json(await staff(reader.url, 'GET', '/api/v1/admin/audit'));
        const actions = audit.entries.map((e) => e.action);
        for (const a of ['partner_create', 'placement_create', 'placement_edit', 'placement_payment_succeeded', 'placement_approve', 'placement_pause'])
          assert.ok(actions.includes(a), `${a} in ${actions}`);
      } finally {
        assert.equal(await reader.stop(), 0);
      }
      assert.ok(placementId > 0);
    });
  });
}
