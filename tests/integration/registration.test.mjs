// Registration over real HTTP on a real store: answers, idempotent retries,
// waiting list, cancellation, check-in, exports, erasure, bad input.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import jsQR from 'jsqr';
import { PNG } from 'pngjs';

import { cli, getJson, request, startServer, tempDir } from './lib.mjs';

const STAFF = 'door-staff-token-for-tests-0123456789';

function post(url, body, headers = {}) {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  return request(url, { method: 'POST', body: data, headers: { 'content-type': 'application/json', ...headers } })
    .then((r) => ({ ...r, json: r.body.length ? JSON.parse(r.body.toString()) : null }));
}

describe('registrations over HTTP', () => {
  let tmp, server, db, url;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/marquee.db`;
    const csv = 'key,title,starts_at,ends_at,time_zone,venue,capacity,registration,waitlist,questions\n' +
      'two,Two places,2031-06-11 19:00,21:00,Europe/Berlin,Hall,2,true,true,' +
      '"dietary | choice | required | Dietary needs | None; Vegetarian; Vegan\naccess | text | optional | Accessibility\nphotos | yes_no | optional | Photos ok?"\n' +
      'one,One place,2031-06-12 19:00,21:00,Europe/Berlin,Hall,1,true,false,\n' +
      'open,No registration,2031-06-13 19:00,21:00,Europe/Berlin,Hall,,false,false,\n';
    writeFileSync(path.join(tmp.dir, 'events.csv'), csv);
    assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', db, '--publish']).status, 0);
    process.env.MARQUEE_STAFF_TOKENS = STAFF;
    server = await startServer(db, ['--registration-rate', '0', '--no-seed']);
    url = server.url;
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('validation names each invalid field (422) and bad bodies are 400', async () => {
    const bad = await post(`${url}/api/v1/events/two/registrations`, { name: '', email: 'not-an-email', answers: { dietary: 'Fish', nope: 'x' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.headers['content-type'], 'application/problem+json');
    const fields = bad.json.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['answers.dietary', 'answers.nope', 'email', 'name']);
    const missing = await post(`${url}/api/v1/events/two/registrations`, { name: 'Ann', email: 'ann@example.org' });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.json.errors.map((e) => e.field), ['answers.dietary']);
    for (const body of ['{not json', '[1,2]', '{"name": 5}', '{"answers": []}']) {
      const r = await post(`${url}/api/v1/events/two/registrations`, body);
      assert.equal(r.status, 400, body);
      assert.match(r.json.detail, /JSON|must be/);
    }
    const unknown = await post(`${url}/api/v1/events/nope/registrations`, { name: 'A', email: 'a@example.org' });
    assert.equal(unknown.status, 404);
    const closed = await post(`${url}/api/v1/events/open/registrations`, { name: 'A', email: 'a@example.org' });
    assert.equal(closed.status, 409);
    assert.equal(closed.json.type, '/problems/registration-closed');
    const huge = await request(`${url}/api/v1/events/two/registrations`, { method: 'POST', body: Buffer.alloc(3 << 20, 32) })
      .catch(() => ({ status: 413 }));
    assert.equal(huge.status, 413);
  });

  test('confirm, idempotent replay, waiting list, duplicate e-mail, cancel with promotion', async () => {
    const body = (who) => ({ name: `Person ${who}`, email: `${who}@Example.org`, answers: { dietary: 'vegan', photos: true } });
    const a = await post(`${url}/api/v1/events/two/registrations`, body('a'), { 'idempotency-key': 'k-a' });
    assert.equal(a.status, 201);
    assert.equal(a.json.registration.state, 'confirmed');
    assert.equal(a.json.registration.email, 'a@example.org');
    assert.deepEqual(a.json.registration.answers, { dietary: 'Vegan', photos: 'yes' });
    assert.match(a.headers.location, /^\/api\/v1\/registrations\//);
    assert.ok(a.json.token.length >= 40);

    const replay = await post(`${url}/api/v1/events/two/registrations`, body('a'), { 'idempotency-key': 'k-a' });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.json.registration.id, a.json.registration.id);
    assert.equal(replay.json.token, a.json.token);
    const reused = await post(`${url}/api/v1/events/two/registrations`, body('z'), { 'idempotency-key': 'k-a' });
    assert.equal(reused.status, 422);

    const dup = await post(`${url}/api/v1/events/two/registrations`, body('a'));
    assert.equal(dup.status, 409);
    assert.equal(dup.json.type, '/problems/already-registered');

    const b = await post(`${url}/api/v1/events/two/registrations`, body('b'));
    assert.equal(b.status, 201);
    const c = await post(`${url}/api/v1/events/two/registrations`, body('c'));
    assert.equal(c.status, 202);
    assert.equal(c.json.registration.state, 'waitlisted');
    const d = await post(`${url}/api/v1/events/two/registrations`, body('d'));
    assert.equal(d.status, 202);

    const full = await post(`${url}/api/v1/events/one/registrations`, { name: 'X', email: 'x@example.org' });
    assert.equal(full.status, 201);
    const nope = await post(`${url}/api/v1/events/one/registrations`, { name: 'Y', email: 'y@example.org' });
    assert.equal(nope.status, 409);
    assert.equal(nope.json.type, '/problems/event-full');

    const cancel = await post(`${url}/api/v1/registrations/${a.json.token}/cancel`, '');
    assert.equal(cancel.status, 200);
    assert.equal(cancel.json.registration.state, 'cancelled');
    assert.equal(cancel.json.promoted_waitlisted, true);
    const again = await post(`${url}/api/v1/registrations/${a.json.token}/cancel`, '');
    assert.equal(again.status, 409);
    assert.equal(again.json.type, '/problems/already-cancelled');
    const wrong = await post(`${url}/api/v1/registrations/not-a-real-token/cancel`, '');
    assert.equal(wrong.status, 404);

    const cNow = (await getJson(`${url}/api/v1/registrations/${c.json.token}`)).json.registration;
    assert.equal(cNow.state, 'confirmed', 'first on the waiting list promoted');
    assert.deepEqual(cNow.moves.map((m) => `${m.from}>${m.to}:${m.actor}`), ['null>waitlisted:attendee', 'waitlisted>confirmed:promotion']);
    const dNow = (await getJson(`${url}/api/v1/registrations/${d.json.token}`)).json.registration;
    assert.equal(dNow.state, 'waitlisted');

    // Issue 14: the personal page says the waiting-list place; a cancelled
    // registration offers no calendar entry; the ticket is a PNG too, and it
    // reads back as the ticket code.
    const dPage = (await request(`${url}/r/${d.json.token}`)).body.toString();
    assert.match(dPage, /You are number 1 on the waiting list\./, 'c was promoted, so d is first now');
    const aPage = (await request(`${url}/r/${a.json.token}`)).body.toString();
    assert.match(aPage, /Registration cancelled/);
    assert.doesNotMatch(aPage, /event\.ics/);
    const cPage = (await request(`${url}/r/${c.json.token}`)).body.toString();
    assert.match(cPage, /href="\/r\/[^"]+\/event\.ics" download>Add to calendar/);
    assert.match(cPage, /href="\/r\/[^"]+\/ticket\.png" download>image \(PNG\)/);
    const png = await request(`${url}/r/${c.json.token}/ticket.png`);
    assert.equal(png.status, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.match(png.headers['content-disposition'], /filename="ticket-[0-9A-Z]+\.png"/);
    const image = PNG.sync.read(png.body);
    const rgba = new Uint8ClampedArray(image.width * image.height * 4);
    for (let i = 0; i < image.width * image.height; ++i) {
      const v = image.data[i * 4];  // pngjs expands greyscale to RGBA
      rgba.set([v, v, v, 255], i * 4);
    }
    const decoded = jsQR(rgba, image.width, image.height);
    assert.ok(decoded, 'a QR code is found in the PNG');
    // The QR code holds the ticket signed for door devices (issue 19): "MQT1." message "." Ed25519 signature,
    // the message being code, event and validity (the signature is checked by the door tests).
    const [prefix, message, signature] = decoded.data.split('.');
    assert.equal(prefix, 'MQT1');
    const [code, event, until] = Buffer.from(message, 'base64url').toString().split('\n');
    assert.deepEqual([code, event], [cNow.ticket_code, 'two']);
    assert.ok(Number(until) > Date.now() / 1000, 'valid until after the event');
    assert.equal(Buffer.from(signature, 'base64url').length, 64);
    assert.equal((await request(`${url}/r/${a.json.token}/ticket.png`)).status, 404, 'no ticket once cancelled');
    // The same e-mail may register again after cancelling.
    const back = await post(`${url}/api/v1/events/two/registrations`, body('a'));
    assert.equal(back.status, 202);
  });

  test('check-in needs a staff token; a second scan says when', async () => {
    const r = await post(`${url}/api/v1/events/one/registrations`, { name: 'Door', email: 'door@example.org' });
    assert.equal(r.status, 409);  // still full
    const regs = (await request(`${url}/api/v1/events/one/attendees`, { headers: { authorization: `Bearer ${STAFF}` } }));
    const code = JSON.parse(regs.body).registrations[0].ticket_code;
    const anon = await post(`${url}/api/v1/checkins`, { code });
    assert.equal(anon.status, 401);
    assert.match(anon.headers['www-authenticate'], /Bearer/);
    const wrongToken = await post(`${url}/api/v1/checkins`, { code }, { authorization: 'Bearer not-the-token-at-all' });
    assert.equal(wrongToken.status, 401);
    const first = await post(`${url}/api/v1/checkins`, { code: code.toLowerCase() }, { authorization: `Bearer ${STAFF}` });
    assert.equal(first.status, 200);
    assert.equal(first.json.checked_in, true);
    const second = await post(`${url}/api/v1/checkins`, { code }, { authorization: `Bearer ${STAFF}` });
    assert.equal(second.status, 409);
    assert.equal(second.json.type, '/problems/already-checked-in');
    assert.equal(second.json.checked_in_at, first.json.attendee.checked_in_at);
    assert.match(second.json.detail, /already checked in at \d{4}-/);
    const unknown = await post(`${url}/api/v1/checkins`, { code: 'ZZZZZZZZZZZZ' }, { authorization: `Bearer ${STAFF}` });
    assert.equal(unknown.status, 404);
  });

  test('exports with answers as columns; erasure removes the person everywhere', async () => {
    const auth = { authorization: `Bearer ${STAFF}` };
    const csv = (await request(`${url}/api/v1/events/two/attendees.csv`, { headers: auth })).body.toString();
    const lines = csv.trim().split('\r\n');
    assert.match(lines[0], /"Dietary needs \[dietary\]","Accessibility \[access\]","Photos ok\? \[photos\]"/);
    assert.ok(lines.some((l) => l.includes('"b@example.org"') && l.includes('"Vegan"')));
    const xlsx = await request(`${url}/api/v1/attendees.xlsx`, { headers: auth });
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');  // a zip container
    assert.equal((await request(`${url}/api/v1/attendees.csv`)).status, 401);

    const list = JSON.parse((await request(`${url}/api/v1/events/two/attendees`, { headers: auth })).body);
    const b = list.registrations.find((r) => r.email === 'b@example.org');
    const erased = await post(`${url}/api/v1/attendees/${b.id}/erase`, '', auth);
    assert.equal(erased.status, 200);
    const after = (await request(`${url}/api/v1/events/two/attendees.csv`, { headers: auth })).body.toString();
    assert.ok(!after.includes('b@example.org') && !after.includes('Person b'));
    const counts = JSON.parse((await request(`${url}/api/v1/events/two/attendees`, { headers: auth })).body).counts;
    assert.equal(counts.confirmed, 2, 'the place stays');
    const cliExport = cli(['attendees', 'export', '--db', db]).stdout;
    assert.ok(!cliExport.includes('b@example.org'));
    assert.equal((await post(`${url}/api/v1/attendees/999999/erase`, '', auth)).status, 404);
  });

  test('personal page, ticket, calendar and HTML form', async () => {
    const form = await request(`${url}/events/two/register`);
    assert.equal(form.status, 200);
    assert.match(form.body.toString(), /Full – you can join the waiting list/);
    const post422 = await request(`${url}/events/two/register`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=&email=bad' });
    assert.equal(post422.status, 422);
    assert.match(post422.body.toString(), /Please correct/);
    const ok = await request(`${url}/events/two/register`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Fran+%C3%87ois&email=fran%40example.org&q_dietary=None&q_photos=no' });
    assert.equal(ok.status, 303);
    const page = await request(`${url}${ok.headers.location}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(page.body.toString(), /Fran Çois/);
    const token = ok.headers.location.split('/').pop();
    const ics = (await request(`${url}/r/${token}/event.ics`)).body.toString();
    assert.match(ics, /BEGIN:VEVENT[\s\S]*UID:two@marquee[\s\S]*DTSTART;TZID=Europe\/Berlin:20310611T190000/);
    assert.equal((await request(`${url}/r/${token}/ticket.svg`)).status, 404, 'no ticket while waitlisted');
  });
});

describe('rate limit', () => {
  test('429 with Retry-After past the configured rate', async () => {
    const tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/rl.db`;
    const server = await startServer(db, ['--registration-rate', '3']);
    try {
      const statuses = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await post(`${server.url}/api/v1/events/hl27-003/registrations`, { name: `R${i}`, email: `r${i}@example.org` });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses.slice(3), [429, 429]);
      assert.ok(Number(last.headers['retry-after']) >= 1);
      assert.ok(statuses.slice(0, 3).every((s) => s !== 429));
    } finally {
      await server.stop();
      tmp.remove();
    }
  });
});
