// Personal agendas (issue 20, first step) over HTTP on SQLite and PostgreSQL:
// a device makes an agenda and keeps its private link; another device reads
// and writes the same agenda, with If-Match against lost updates; the
// agenda's calendar parses in ical.js with the programme's UIDs and follows a
// move (SEQUENCE up); bad input gets problem+json; the store keeps only the
// token's hash.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, psqlRows, request, startServer, tempDir, testStore } from './lib.mjs';
import { parseCalendar } from './mail_lib.mjs';

const json = (r) => JSON.parse(r.body.toString());
const call = (url, method = 'GET', body = undefined, headers = {}) => request(url, {
  method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
});

for (const backend of ['sqlite', 'postgres']) {
  describe(`agendas on ${backend}`, () => {
    let tmp, store, server;
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'agendas');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      server = await startServer(store.url, ['--registration-rate', '0']);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      store?.drop();
      tmp?.remove();
    });

    test('make, share, change with If-Match, and subscribe', async () => {
      const made = await call(`${server.url}/api/v1/agendas`, 'POST');
      assert.equal(made.status, 201, made.body.toString());
      const agenda = json(made);
      assert.match(agenda.token, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(agenda.events, []);
      assert.equal(agenda.revision, 0);
      assert.equal(made.headers.location, `/api/v1/agendas/${agenda.token}`);
      assert.equal(made.headers['cache-control'], 'no-store');
      const self = `${server.url}${agenda.links.self}`;

      // The first device stars three events (one twice, one in upper case).
      const put = await call(self, 'PUT', { events: ['hl27-016', 'hl27-017', 'HL27-016', 'hl27-023'] }, { 'if-match': '"r0"' });
      assert.equal(put.status, 200, put.body.toString());
      assert.deepEqual(json(put).events, ['hl27-016', 'hl27-017', 'hl27-023']);
      assert.equal(json(put).revision, 1);
      assert.equal(put.headers.etag, '"r1"');

      // The second device opens the link: the same agenda; its change based on r1 wins, a stale one gets 412.
      const read = await call(self);
      assert.deepEqual(json(read).events, ['hl27-016', 'hl27-017', 'hl27-023']);
      assert.equal(read.headers.etag, '"r1"');
      assert.equal((await call(self, 'PUT', { events: ['hl27-016', 'hl27-023'] }, { 'if-match': read.headers.etag })).status, 200);
      const stale = await call(self, 'PUT', { events: ['hl27-001'] }, { 'if-match': '"r1"' });
      assert.equal(stale.status, 412);
      assert.equal(stale.headers['content-type'], 'application/problem+json');
      assert.deepEqual(json(stale).agenda.events, ['hl27-016', 'hl27-023']);
      assert.equal(json(stale).agenda.revision, 2);

      // Bad input: named fields, nothing changed.
      const bad = await call(self, 'PUT', { events: ['hl27-016', 'no spaces allowed', 7] });
      assert.equal(bad.status, 422);
      assert.deepEqual(json(bad).errors.map((e) => e.field), ['events[2]']);
      const bad2 = await call(self, 'PUT', { events: ['hl27-016', 'no spaces allowed'] });
      assert.deepEqual(json(bad2).errors.map((e) => e.field), ['events[1]']);
      assert.equal((await call(self, 'PUT', { events: 'hl27-016' })).status, 400);
      assert.equal((await call(self, 'PUT', { events: [] }, { 'if-match': 'r2' })).status, 400);
      assert.equal((await call(self, 'PUT', { events: Array.from({ length: 501 }, (_, i) => `e${i}`) })).status, 422);
      assert.equal(json(await call(self)).revision, 2);
      for (const token of ['not-a-token', 'A'.repeat(43)]) {
        assert.equal((await call(`${server.url}/api/v1/agendas/${token}`)).status, 404);
        assert.equal((await call(`${server.url}/api/v1/agendas/${token}`, 'PUT', { events: [] })).status, 404);
        assert.equal((await call(`${server.url}/agenda/${token}/calendar.ics`)).status, 404);
      }

      // The calendar: the starred events with the programme's UIDs and SEQUENCE; a move raises SEQUENCE.
      const ics = `${server.url}${agenda.links.calendar}`;
      const feed = await request(ics);
      assert.equal(feed.status, 200);
      assert.match(feed.headers['content-type'], /^text\/calendar/);
      assert.equal(feed.headers['cache-control'], 'private, max-age=60');
      const cal = parseCalendar(feed.body.toString());
      assert.deepEqual(cal.events.map((e) => e.key).sort(), ['hl27-016', 'hl27-023']);
      const programme = parseCalendar((await request(`${server.url}/calendar.ics`)).body.toString());
      const walk = programme.events.find((e) => e.key === 'hl27-016');
      assert.equal(cal.events.find((e) => e.key === 'hl27-016').uid, walk.uid);
      const csv = path.join(tmp.dir, 'move.csv');
      writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone\nhl27-016,Moved walk,2027-06-11 15:00,16:00,Europe/Berlin\n');
      assert.equal(cli(['import', csv, '--db', store.url, '--publish']).status, 0);
      const moved = await eventually(async () => {
        const e = parseCalendar((await request(ics)).body.toString()).events.find((x) => x.key === 'hl27-016');
        return e.summary === 'Moved walk' && e;
      });
      assert.equal(moved.uid, walk.uid);
      assert.equal(moved.sequence, walk.sequence + 1);
      assert.equal(moved.start, Date.UTC(2027, 5, 11, 13, 0) / 1000);

      // Only the token's hash is stored, with event keys.
      if (backend === 'postgres') {
        const rows = psqlRows(store.url, "SELECT token_hash, replace(event_keys, E'\\n', ',') FROM agendas");
        assert.equal(rows.length, 1);
        assert.notEqual(rows[0][0], agenda.token);
        assert.equal(rows[0][1], 'hl27-016,hl27-023');
        assert.doesNotMatch(rows.join(), new RegExp(agenda.token));
      }
    });

    test('new agendas are rate-limited per address', async () => {
      let last;
      for (let i = 0; i < 65 && (!last || last.status === 201); ++i) last = await call(`${server.url}/api/v1/agendas`, 'POST');
      assert.equal(last.status, 429);
      assert.ok(Number(last.headers['retry-after']) > 0);
    });
  });
}
