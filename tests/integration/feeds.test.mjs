// The programme as calendar and schedule apps read it: iCalendar feeds parsed
// by ical.js (and re-imported by Marquee), frab schedule.xml validated by
// xmllint against the c3voc XSD and schedule.json by ajv against the c3voc
// JSON Schema (bundled programme and real schedules re-exported), the public
// changelog (page, API, Atom), and frab schedule.json import errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { frabJsonValidator } from './frab_schema.mjs';
import { SHARED_DATA, cli, eventually, getJson, request, startServer, tempDir } from './lib.mjs';
import { parseCalendar } from './mail_lib.mjs';

const XSD = path.join(SHARED_DATA, 'schemas', 'frab', 'schedule.xml.xsd');
const JSON_SCHEMA = path.join(SHARED_DATA, 'schemas', 'frab', 'schedule.schema.json');
const HAVE_SHARED = existsSync(XSD) && existsSync(JSON_SCHEMA);

const text = async (url) => {
  const r = await request(url);
  assert.equal(r.status, 200, url);
  return { body: r.body.toString('utf8'), headers: r.headers };
};

function xmllint(file) {
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stderr };
}

describe('iCalendar feeds (bundled programme)', () => {
  let tmp, server, db;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/marquee.db`;
    server = await startServer(db, ['--registration-rate', '0', '--public-url', 'https://programme.example.org']);
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('/calendar.ics: every public event, stable UIDs, VTIMEZONEs, folded lines, cancellations', async () => {
    const { body, headers } = await text(`${server.url}/calendar.ics`);
    assert.equal(headers['content-type'], 'text/calendar; charset=utf-8');
    assert.ok(headers.etag);
    const cal = parseCalendar(body);
    const { json } = await getJson(`${server.url}/api/v1/events?limit=1000`);
    assert.equal(cal.events.length, json.events.length);
    assert.equal(cal.method, 'PUBLISH');
    const byKey = new Map(json.events.map((e) => [e.key, e]));
    for (const ev of cal.events) {
      const e = byKey.get(ev.key);
      assert.ok(e, ev.key);
      assert.equal(ev.uid, `${e.key}@marquee`);
      assert.equal(ev.summary, e.title);
      if (!e.all_day) {
        assert.equal(ev.start, Date.parse(e.starts_at) / 1000, `${e.key} start`);
        assert.equal(ev.tzid, e.time_zone);
      } else {
        assert.equal(ev.allDay, true);
      }
      assert.equal(ev.status, e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
    }
    const zones = cal.component.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')).sort();
    assert.deepEqual(zones, ['Europe/Berlin', 'Europe/Lisbon']);
    // RFC 5545 §3.1: lines of at most 75 octets, CRLF line ends.
    assert.ok(body.includes('\r\n'));
    for (const line of body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    // The event page links are absolute, from --public-url.
    assert.match(body, /URL:https:\/\/programme\.example\.org\/events\/hl27-001/);
  });

  test('category and tag filters; one event as .ics; 404 for an unknown one', async () => {
    const tours = parseCalendar((await text(`${server.url}/calendar.ics?category=Tours`)).body);
    assert.ok(tours.events.length > 0);
    assert.ok(tours.events.every((e) => e.categories[0] === 'Tours'));
    assert.match(tours.name, /Tours/);
    const outdoor = parseCalendar((await text(`${server.url}/calendar.ics?tag=outdoor`)).body);
    assert.ok(outdoor.events.length > 0 && outdoor.events.every((e) => e.categories.includes('outdoor')));
    const one = parseCalendar((await text(`${server.url}/events/hl27-001.ics`)).body);
    assert.equal(one.events.length, 1);
    assert.equal(one.events[0].uid, 'hl27-001@marquee');
    assert.equal((await request(`${server.url}/events/nope.ics`)).status, 404);
    assert.equal((await request(`${server.url}/events/hl27-001`)).status, 200);  // the page route still works
  });

  test('export then import gives the same events', async () => {
    const file = path.join(tmp.dir, 'calendar.ics');
    writeFileSync(file, (await text(`${server.url}/calendar.ics`)).body);
    const copy = `sqlite:///${tmp.dir}/copy.db`;
    const r = cli(['import', file, '--db', copy]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // Field by field through the API of a second server on the copy.
    const copyServer = await startServer(copy, ['--no-seed']);
    try {
      cli(['publish', '--db', copy]);
      // The copy's own live snapshot, not the bundled programme a server without one falls back to.
      await eventually(async () => (await getJson(`${copyServer.url}/readyz`)).json.source === 'live');
      const original = (await getJson(`${server.url}/api/v1/events?limit=1000`)).json.events;
      const copied = new Map((await getJson(`${copyServer.url}/api/v1/events?limit=1000`)).json.events.map((e) => [e.key, e]));
      assert.equal(copied.size, original.length);
      for (const e of original) {
        const c = copied.get(e.key);
        assert.ok(c, e.key);
        for (const f of ['title', 'description', 'starts_at', 'ends_at', 'time_zone', 'all_day', 'venue', 'room', 'address',
          'category', 'tags', 'organizer', 'status'])
          assert.deepEqual(c[f], e[f], `${e.key}.${f}`);
      }
    } finally {
      await copyServer.stop();
    }
  });

  test('an update keeps the UID and raises SEQUENCE; the personal feed holds the attendee\'s registrations', async () => {
    const before = parseCalendar((await text(`${server.url}/events/hl27-016.ics`)).body).events[0];
    const reg = await request(`${server.url}/api/v1/events/hl27-016/registrations`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ana', email: 'ana@example.org' }) });
    assert.equal(reg.status, 201);
    const token = JSON.parse(reg.body.toString()).token;
    const reg2 = await request(`${server.url}/api/v1/events/hl27-017/registrations`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ana', email: 'ana@example.org' }) });
    assert.ok([201, 202].includes(reg2.status), reg2.body.toString());
    const csv = path.join(tmp.dir, 'move.csv');
    writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone\nhl27-016,Moved walk,2027-06-11 15:00,16:00,Europe/Berlin\n');
    assert.equal(cli(['import', csv, '--db', db, '--publish', '--note', 'The walk starts later; ask mira@example.org']).status, 0);
    const moved = await eventually(async () => {
      const e = parseCalendar((await text(`${server.url}/events/hl27-016.ics`)).body).events[0];
      return e.summary === 'Moved walk' && e;
    });
    assert.equal(moved.uid, before.uid);
    assert.equal(moved.sequence, before.sequence + 1);
    assert.equal(moved.start, Date.UTC(2027, 5, 11, 13, 0) / 1000);
    const feed = parseCalendar((await text(`${server.url}/r/${token}/calendar.ics`)).body);
    assert.deepEqual(feed.events.map((e) => e.key).sort(), ['hl27-016', 'hl27-017']);
    assert.equal(feed.events.find((e) => e.key === 'hl27-016').sequence, moved.sequence);
    assert.equal((await request(`${server.url}/r/not-a-token/calendar.ics`)).status, 404);
    const single = parseCalendar((await text(`${server.url}/r/${token}/event.ics`)).body);
    assert.equal(single.events[0].uid, 'hl27-016@marquee');
    assert.equal(single.events[0].sequence, moved.sequence);

    // The changelog tells the same story: page, JSON and Atom.
    const { json } = await getJson(`${server.url}/api/v1/changelog`);
    const entry = json.changes[0];
    assert.equal(entry.event_key, 'hl27-016');
    assert.equal(entry.badge, 'moved');
    for (const f of ['title', 'starts_at', 'ends_at']) assert.ok(entry.fields.includes(f), entry.fields.join());
    const start = entry.details.find((d) => d.field === 'starts_at');
    assert.equal(start.before, '2027-06-11T11:30:00+02:00');
    assert.equal(start.after, '2027-06-11T15:00:00+02:00');
    assert.equal(json.version, (await getJson(`${server.url}/api/v1/changelog?since=1`)).json.version);
    assert.equal((await getJson(`${server.url}/api/v1/changelog?since=${json.snapshot}`)).json.changes.length, 0);
    assert.equal((await request(`${server.url}/api/v1/changelog?limit=0`)).status, 400);
    const page = (await text(`${server.url}/changelog`)).body;
    assert.match(page, /Start: Friday 11 June 2027, 11:30 CEST → Friday 11 June 2027, 15:00 CEST/);
    const atomFile = path.join(tmp.dir, 'changelog.atom');
    const atom = (await text(`${server.url}/changelog.atom`)).body;
    writeFileSync(atomFile, atom);
    assert.equal(spawnSync('xmllint', ['--noout', atomFile]).status, 0);
    assert.match(atom, /<title>Moved: Moved walk<\/title>/);
    // Issue 14: the publish note is public on the changelog, in its feed and API, e-mail addresses redacted.
    assert.match(page, /<p class="update-note">The walk starts later; ask \[address hidden\]<\/p>/);
    assert.match(atom, /Update \d+: The walk starts later; ask \[address hidden\]/);
    assert.equal(entry.note, 'The walk starts later; ask [address hidden]');
    assert.doesNotMatch(page + atom + JSON.stringify(json), /mira@example\.org/);
  });
});

describe('frab schedule export', { skip: !HAVE_SHARED && 'needs ../shared/data (schemas)' }, () => {
  let tmp;
  before(() => { tmp = tempDir(); });
  after(() => tmp.remove());
  const validateJson = HAVE_SHARED ? frabJsonValidator(JSON_SCHEMA) : null;

  async function exported(name, db, extra = []) {
    const server = await startServer(db, extra);
    try {
      const xml = (await text(`${server.url}/schedule.xml`)).body;
      const json = JSON.parse((await text(`${server.url}/schedule.json`)).body);
      const file = path.join(tmp.dir, `${name}.xml`);
      writeFileSync(file, xml);
      const events = (await getJson(`${server.url}/api/v1/events?limit=1000`)).json.events;
      return { xml, json, file, events };
    } finally {
      await server.stop();
    }
  }

  test('the bundled programme validates (XSD and JSON Schema); the version changes with each publish', async () => {
    const db = `sqlite:///${tmp.dir}/bundled.db`;
    const first = await exported('bundled', db);
    const lint = xmllint(first.file);
    assert.ok(lint.ok, lint.output);
    const v = validateJson(first.json);
    assert.ok(v.valid, JSON.stringify(v.errors.slice(0, 3)));
    const conf = first.json.schedule.conference;
    assert.equal(conf.acronym, 'marquee');
    const events = conf.days.flatMap((d) => Object.values(d.rooms).flat());
    const cancelled = first.events.filter((e) => e.status === 'cancelled').length;
    assert.ok(cancelled > 0);
    assert.equal(events.length, first.events.length - cancelled);  // cancelled events are left out
    assert.equal(new Set(events.map((e) => e.guid)).size, events.length);
    assert.match(first.xml, /<version>1-[0-9a-f]{8}<\/version>/);
    const csv = path.join(tmp.dir, 'retitle.csv');
    writeFileSync(csv, 'key,title,starts_at,ends_at,time_zone\nhl27-001,Renamed,2027-06-11 10:00,12:00,Europe/Berlin\n');
    assert.equal(cli(['import', csv, '--db', db, '--publish']).status, 0);
    const second = await exported('bundled2', db);
    assert.match(second.xml, /<version>2-[0-9a-f]{8}<\/version>/);
    const guidOf = (doc, title) => doc.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat()).find((e) => e.title === title)?.guid;
    assert.equal(guidOf(second.json, 'Renamed'), events.find((e) => e.url.endsWith('/events/hl27-001')).guid);  // stable guid
  });

  for (const [name, file, format] of [
    ['debconf23', 'schedules/xml/giggity_debconf23.xml', 'frab'],
    ['fosdem2025', 'schedules/xml/fosdem_2025.xml', 'frab'],
    ['democon', 'schedules/json/vocschedule_pretalx-democon.json', 'frab-json'],
    ['camp2019', 'schedules/json/vocschedule_frab-camp2019.json', 'frab-json'],
  ]) {
    test(`a real schedule re-exported through Marquee validates: ${name}`, async () => {
      const db = `sqlite:///${tmp.dir}/${name}.db`;
      const r = cli(['import', path.join(SHARED_DATA, file), '--format', format, '--db', db, '--publish']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const out = await exported(name, db, ['--no-seed', '--site-name', `Re-export ${name}`]);
      const lint = xmllint(out.file);
      assert.ok(lint.ok, lint.output.slice(0, 2000));
      const v = validateJson(out.json);
      assert.ok(v.valid, JSON.stringify(v.errors.slice(0, 3)));
      const accepted = Number(r.stdout.match(/(\d+) accepted/)[1]);
      const events = out.json.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());
      assert.equal(events.length, accepted);
    });
  }

  test('the upstream invalid example fails the JSON Schema (the validator really checks)', () => {
    const v = validateJson(JSON.parse(spawnSync('cat', [path.join(SHARED_DATA, 'schedules/json/vocschedule_invalid-example.json')], { encoding: 'utf8' }).stdout));
    assert.equal(v.valid, false);
  });
});

describe('frab schedule.json import errors', () => {
  let tmp;
  before(() => { tmp = tempDir(); });
  after(() => tmp.remove());
  const run = (name, content) => {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, content);
    return cli(['import', file, '--db', `sqlite:///${tmp.dir}/x.db`]);
  };

  test('malformed JSON names line and column; a wrong shape names the JSON path; nothing is written', () => {
    let r = run('broken.json', '{\n  "schedule": {\n    "conference": [1,\n}\n');
    assert.equal(r.status, 2);
    assert.match(r.stdout + r.stderr, /malformed JSON at line 4, column 1/);
    r = run('shape.json', JSON.stringify({ schedule: { version: '1', conference: { title: 'X', days: [{ date: '2031-01-01', rooms: [] }] } } }));
    assert.equal(r.status, 2);
    assert.match(r.stdout + r.stderr, /schedule\.conference\.days\[0\]\.rooms must be an object/);
    r = run('noconf.json', JSON.stringify({ schedule: { version: '1' } }));
    assert.match(r.stdout + r.stderr, /schedule\.conference must be an object/);
    assert.equal(cli(['export', '--db', `sqlite:///${tmp.dir}/x.db`]).stdout.trim().split('\n').length, 1);  // header only
  });

  test('an event without a title or a start is rejected by path; the others are imported', () => {
    const doc = { schedule: { version: '1', conference: { title: 'Demo', acronym: 'demo', time_zone_name: 'Europe/Berlin', days: [{
      index: 1, date: '2031-06-01', day_start: '2031-06-01T04:00:00+02:00', day_end: '2031-06-02T03:59:00+02:00', rooms: { 'Hall': [
        { guid: '11111111-1111-4111-8111-111111111111', id: 1, title: 'Good', date: '2031-06-01T10:00:00+02:00', start: '10:00', duration: '01:00', room: 'Hall' },
        { guid: '22222222-2222-4222-8222-222222222222', id: 2, date: '2031-06-01T11:00:00+02:00', duration: '01:00' },
        { guid: '33333333-3333-4333-8333-333333333333', id: 3, title: 'No start', duration: '01:00' },
      ] } }] } } };
    const r = run('events.json', JSON.stringify(doc, null, 2));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /3 records, 1 accepted, 2 rejected/);
    assert.match(r.stdout, /rooms\["Hall"\]\[1\]: the event has no title/);
    assert.match(r.stdout, /rooms\["Hall"\]\[2\]: the event has neither "date" nor the day's date with "start"/);
  });
});
