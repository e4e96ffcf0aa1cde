// A partner's report end to end (issue 17), on SQLite and PostgreSQL: the
// impressions, clicks and attributed registrations a partner reads at
// /partners/{token} (and in its CSV, and the operators in the staff API) are
// the requests made — a registration counts only for a visitor who clicked
// the placement that day — and a revoked or rotated link answers 404.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'partner-report-staff-token-0123456789';
const UA = (n) => `Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0 PartnerTester${n}`;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,capacity,registration,waitlist\n' +
  'jazz,Harbour Jazz,2031-06-11 19:00,21:00,Europe/Berlin,Pier 5,50,true,false\n';

const json = (r) => JSON.parse(r.body.toString('utf8'));
const staff = (base, method, url, body) => request(`${base}${url}`, {
  method, body: body === undefined ? undefined : JSON.stringify(body),
  headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' },
});
const as = (n) => ({ 'user-agent': UA(n), 'x-forwarded-for': `198.51.100.${n}` });

for (const backend of ['sqlite', 'postgres']) {
  describe(`partner reports (${backend})`, { skip: backend === 'postgres' && !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
    let tmp, store, args;
    before(() => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'partnerreports');
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
      assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']).status, 0);
      args = ['--no-seed', '--registration-rate', '0', '--trusted-proxy', '127.0.0.1', '--staff-token-file',
        path.join(tmp.dir, 'staff'), '--state-dir', tmp.dir, '--analytics-flush-ms', '100000'];
    });
    after(() => { store.drop(); tmp.remove(); });

    test('the partner reads what happened, by the stated rule; revoked and rotated links are gone', async () => {
      const server = await startServer(store.url, args);
      let partner, other, link, placementId;
      try {
        partner = json(await staff(server.url, 'POST', '/api/v1/admin/partners', { name: 'Harbour Brewery' })).partner;
        other = json(await staff(server.url, 'POST', '/api/v1/admin/partners', { name: 'Other Partner' })).partner;
        const now = Date.now();
        const made = await staff(server.url, 'POST', '/api/v1/admin/placements', {
          partner_id: partner.id, event_key: 'jazz', slot: 'featured',
          starts_at: new Date(now - 3600_000).toISOString(), ends_at: new Date(now + 86400_000).toISOString(),
        });
        placementId = json(made).placement.id;
        await staff(server.url, 'POST', `/api/v1/admin/placements/${placementId}/moves`, { move: 'mark_paid' });
        await staff(server.url, 'POST', `/api/v1/admin/placements/${placementId}/moves`, { move: 'approve' });
        const deadline = Date.now() + 5000;
        while (!/class="featured"/.test((await request(`${server.url}/`)).body.toString())) {
          assert.ok(Date.now() < deadline, 'the hero never showed');
          await new Promise((r) => setTimeout(r, 50));
        }
        // Visitor 1 sees the hero, clicks it and registers; visitor 2 sees it and registers without clicking.
        for (const n of [1, 2]) assert.equal((await request(`${server.url}/`, { headers: as(n) })).status, 200);
        assert.equal((await request(`${server.url}/promoted/${placementId}`, { headers: as(1) })).status, 302);
        for (const n of [1, 2]) {
          const reg = await request(`${server.url}/api/v1/events/jazz/registrations`, {
            method: 'POST', body: JSON.stringify({ name: `Guest ${n}`, email: `guest${n}@example.org` }),
            headers: { 'content-type': 'application/json', ...as(n) },
          });
          assert.equal(reg.status, 201, reg.body.toString());
        }
        const created = await staff(server.url, 'POST', `/api/v1/admin/partners/${partner.id}/links`, { expires_in_days: 90 });
        assert.equal(created.status, 201, created.body.toString());
        link = json(created).link;
        assert.match(link.token, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(link.url, `/partners/${link.token}`);
        assert.ok(link.expires_at);
      } finally {
        assert.equal(await server.stop(), 0);  // writes the buffered counts
      }

      const reader = await startServer(store.url, args);
      try {
        const page = await request(`${reader.url}/partners/${link.token}`);
        assert.equal(page.status, 200);
        assert.equal(page.headers['cache-control'], 'private, no-cache');
        assert.equal(page.headers['referrer-policy'], 'no-referrer');
        assert.equal(page.headers['x-robots-tag'], 'noindex');
        const html = page.body.toString();
        assert.match(html, /<meta name="robots" content="noindex, nofollow">/);
        assert.match(html, /Harbour Brewery: placements/);
        assert.match(html, /counts for a placement only when the same visitor also clicked that placement on the same day/);
        assert.match(html, /<span class="insight-value">2<\/span> <span class="insight-label">impressions/);
        assert.match(html, /<span class="insight-value">1<\/span> <span class="insight-label">unique clicks/);
        assert.match(html, /<span class="insight-value">50\.0 %<\/span> <span class="insight-label">CTR/);
        assert.match(html, /<span class="insight-value">1<\/span> <span class="insight-label">attributed registrations/);
        assert.doesNotMatch(html, /Other Partner/);

        const csv = await request(`${reader.url}/partners/${link.token}/report.csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers['content-type'], /^text\/csv/);
        const rows = csv.body.toString().trim().split('\r\n').map((l) => JSON.parse(`[${l}]`));
        assert.deepEqual(rows[0], ['date', 'placement_id', 'slot', 'event_key', 'event_title', 'impressions', 'clicks',
          'unique_clicks', 'ctr', 'attributed_registrations', 'attributed_calendar_saves', 'attributed_outbound_clicks']);
        assert.equal(rows.length, 31);  // the last 30 days, today included
        const today = rows.slice(1).find((r) => r[5] !== '0');
        assert.deepEqual(today.slice(1), [String(placementId), 'featured', 'jazz', 'Harbour Jazz', '2', '1', '1', '0.5000', '1', '0', '0']);
        // The operators read the same figures.
        const api = json(await staff(reader.url, 'GET', `/api/v1/admin/partners/${partner.id}/report`));
        const apiRow = api.rows.find((r) => r.impressions > 0);
        assert.equal(apiRow.attributed_registrations, 1);
        assert.equal(apiRow.unique_clicks, 1);
        assert.equal((await staff(reader.url, 'GET', `/api/v1/admin/partners/${partner.id}/report.csv`)).status, 200);
        assert.equal((await staff(reader.url, 'GET', `/api/v1/admin/partners/${partner.id}/report?from=2026-13-01`)).status, 400);

        // Links: unknown → 404; rotation ends the old one; a revoked one is gone.
        assert.equal((await request(`${reader.url}/partners/${'x'.repeat(43)}`)).status, 404);
        const rotated = json(await staff(reader.url, 'POST', `/api/v1/admin/partners/${partner.id}/links`, { rotate: true })).link;
        assert.equal((await request(`${reader.url}/partners/${link.token}`)).status, 404);
        assert.equal((await request(`${reader.url}/partners/${link.token}/report.csv`)).status, 404);
        assert.equal((await request(`${reader.url}/partners/${rotated.token}`)).status, 200);
        const otherLink = json(await staff(reader.url, 'POST', `/api/v1/admin/partners/${other.id}/links`, {})).link;
        assert.doesNotMatch((await request(`${reader.url}/partners/${otherLink.token}`)).body.toString(), /Harbour Jazz/);
        const listed = json(await staff(reader.url, 'GET', `/api/v1/admin/partners/${partner.id}/links`)).links;
        assert.equal(listed.length, 2);
        assert.ok(listed.every((l) => !('token' in l)));
        assert.equal((await staff(reader.url, 'POST', `/api/v1/admin/partners/${partner.id}/links/${rotated.id}/revoke`)).status, 200);
        assert.equal((await request(`${reader.url}/partners/${rotated.token}`)).status, 404);
        assert.equal((await staff(reader.url, 'POST', `/api/v1/admin/partners/${partner.id}/links/${rotated.id}/revoke`)).status, 404);
        const audit = json(await staff(reader.url, 'GET', '/api/v1/admin/audit')).entries.map((e) => e.action);
        for (const a of ['partner_link_create', 'partner_link_rotate', 'partner_link_revoke']) assert.ok(audit.includes(a), a);
      } finally {
        assert.equal(await reader.stop(), 0);
      }
    });
  });
}
