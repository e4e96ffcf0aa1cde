// Outgoing webhooks (issue 21) end to end on SQLite and PostgreSQL: an
// endpoint registered over the staff API (its secret shown once); without
// --webhook-allow-private a loopback receiver is refused and nothing is
// lost; with it, a local receiver that drops the first connection, lets the
// second hang past the timeout and answers the third with 500 still sees
// every event (created, cancelled, promoted, checked in, published,
// changed) acknowledged exactly once, every request signed with a valid
// Marquee-Signature (checked here with node's crypto, the way docs/webhooks.md
// tells receivers to); a replay sends the same event again.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'webhooks-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;
const CSV = 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration,waitlist,status\n' +
  'w1,Harbour talk,2031-06-11 19:00,21:00,Europe/Berlin,Kulturhaus,Hall A,1,true,true,published\n';
const staff = { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' };
const json = (r) => JSON.parse(r.body.toString());
const call = (url, method = 'GET', body, headers = staff) =>
  request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

/** Checks a Marquee-Signature header as a receiver should: HMAC-SHA256 of "t.body", constant time, 5 minutes. */
function verify(header, body, secret) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const ok = parts.v1 && parts.v1.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
  return ok && Math.abs(Date.now() / 1000 - Number(parts.t)) <= 300;
}

/** A receiver on loopback: `plan` says what to do with the first requests ('drop', 'hang', a status), then 200. */
function receiver(plan) {
  const requests = [];
  const hanging = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const step = plan.shift() ?? 200;
      requests.push({ body, headers: req.headers, step });
      if (step === 'drop') return req.socket.destroy();
      if (step === 'hang') return hanging.push(res);
      res.writeHead(step, { 'content-type': 'text/plain' }).end(step === 200 ? 'ok' : 'try later');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/hooks/marquee`, requests,
    stop: () => new Promise((r) => { hanging.forEach((h) => h.socket?.destroy()); server.close(r); server.closeAllConnections(); }),
  })));
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`webhooks on ${backend}`, () => {
    let tmp, store, server, hook, secret, hookId;
    const tokens = {};
    const start = (extra) => startServer(store.url, ['--registration-rate', '0', '--no-seed', '--webhook-retry-base-seconds', '1',
      '--webhook-timeout-ms', '700', '--webhook-poll-ms', '100', ...extra]);
    const register = async (who) => {
      const r = await call(`${server.url}/api/v1/events/w1/registrations`, 'POST', { name: `Person ${who}`, email: `${who}@example.org` },
        { 'content-type': 'application/json' });
      assert.ok([201, 202].includes(r.status), r.body.toString());
      tokens[who] = json(r).token;
      return json(r).registration;
    };

    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'webhooks');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      const file = path.join(tmp.dir, 'programme.csv');
      writeFileSync(file, CSV);
      assert.equal(cli(['import', file, '--db', store.url, '--publish']).status, 0);
      hook = await receiver(['drop', 'hang', 500]);
      server = await start([]);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      await hook?.stop();
      store?.drop();
      tmp?.remove();
    });

    test('registering an endpoint: checked fields, the secret once', async () => {
      const bad = await call(`${server.url}/api/v1/admin/webhooks`, 'POST', { url: 'ftp://example.org/x', events: ['registration.gone'] });
      assert.equal(bad.status, 422);
      assert.deepEqual(json(bad).errors.map((e) => e.field), ['url', 'events']);
      assert.equal((await call(`${server.url}/api/v1/admin/webhooks`, 'POST', { url: hook.url })).status, 400);
      assert.equal((await call(`${server.url}/api/v1/admin/webhooks`, 'GET', undefined, {})).status, 401);
      const r = await call(`${server.url}/api/v1/admin/webhooks`, 'POST', { url: hook.url, events: ['*'], description: 'test receiver' });
      assert.equal(r.status, 201, r.body.toString());
      ({ secret } = json(r));
      hookId = json(r).webhook.id;
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      assert.equal(json(r).webhook.events.length, 6);
      const listed = json(await call(`${server.url}/api/v1/admin/webhooks`)).webhooks;
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(secret), 'the secret is shown once only');
    });

    test('a loopback receiver is refused without --webhook-allow-private, and nothing is lost', async () => {
      const ana = await register('ana');
      const d = await eventually(async () => {
        const ds = json(await call(`${server.url}/api/v1/admin/webhooks/${hookId}`)).deliveries;
        // The attempt is counted when the row is claimed and its error written when it is released: wait for both.
        return ds.length === 1 && ds[0].attempts >= 1 && ds[0].last_error && ds[0];
      });
      assert.equal(d.type, 'registration.created');
      assert.match(d.last_error, /non-public address 127\.0\.0\.1/);
      assert.equal(d.state, 'pending', 'retried later');
      assert.equal(hook.requests.length, 0);
      assert.equal(JSON.parse(d.payload).data.registration.id, ana.id);
      assert.equal(await server.stop(), 0);
      server = await start(['--webhook-allow-private']);
    });

    test('through a dropped, a hanging and a failing answer every event arrives once, signed', async () => {
      const bo = await register('bo');  // waits: one place
      assert.equal(bo.state, 'waitlisted');
      assert.equal((await request(`${server.url}/api/v1/registrations/${tokens.ana}/cancel`, { method: 'POST' })).status, 200);
      const code = json(await request(`${server.url}/api/v1/registrations/${tokens.bo}`)).registration.ticket_code;
      const c = await call(`${server.url}/api/v1/checkins`, 'POST', { code });
      assert.equal(c.status, 200, c.body.toString());
      writeFileSync(path.join(tmp.dir, 'programme.csv'), CSV.replace('Hall A', 'Hall B'));
      assert.equal(cli(['import', path.join(tmp.dir, 'programme.csv'), '--db', store.url]).status, 0);
      const p = await call(`${server.url}/api/v1/admin/publish`, 'POST', { note: 'room change' });
      assert.equal(p.status, 201, p.body.toString());

      const want = ['registration.created', 'registration.created', 'registration.cancelled', 'registration.promoted',
        'registration.checked_in', 'event.published', 'event.changed'];
      const acked = await eventually(() => {
        const ok = hook.requests.filter((r) => r.step === 200);
        return ok.length >= want.length && ok;
      }, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(hook.requests.slice(0, 3).map((r) => r.step), ['drop', 'hang', 500], 'the first three attempts failed');
      for (const r of hook.requests) {
        assert.ok(verify(r.headers['marquee-signature'], r.body, secret), `signature of ${r.body}`);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['marquee-event-id'], JSON.parse(r.body).id);
      }
      const ids = acked.map((r) => JSON.parse(r.body).id);
      assert.equal(new Set(ids).size, ids.length, 'each event acknowledged once');
      assert.deepEqual(acked.map((r) => JSON.parse(r.body).type).sort(), [...want].sort());
      const body = (type) => JSON.parse(acked.find((r) => JSON.parse(r.body).type === type).body);
      assert.deepEqual(body('registration.promoted').data.registration, { id: bo.id, event_key: 'w1', state: 'confirmed' });
      assert.equal(body('event.changed').data.event.key, 'w1');
      assert.deepEqual(body('event.changed').data.event.fields, ['room']);
      for (const r of hook.requests) assert.doesNotMatch(r.body, /example\.org|Person/, 'no personal data');
      const view = json(await call(`${server.url}/api/v1/admin/webhooks/${hookId}`));
      assert.equal(view.deliveries.length, want.length);
      assert.ok(view.deliveries.every((d) => d.state === 'delivered'), JSON.stringify(view.deliveries));
      assert.equal(view.webhook.last_status, 200);
      assert.equal(view.webhook.pending, 0);
    });

    test('a replay sends the same event again; a deleted endpoint is gone', async () => {
      const view = json(await call(`${server.url}/api/v1/admin/webhooks/${hookId}`));
      const first = view.deliveries.at(-1);
      const before = hook.requests.length;
      const r = await call(`${server.url}/api/v1/admin/webhooks/deliveries/${first.id}/replay`, 'POST');
      assert.equal(r.status, 200);
      const again = await eventually(() => hook.requests.length > before && hook.requests.at(-1));
      assert.equal(JSON.parse(again.body).id, first.event_id);
      assert.ok(verify(again.headers['marquee-signature'], again.body, secret));
      assert.equal((await call(`${server.url}/api/v1/admin/webhooks/deliveries/999999/replay`, 'POST')).status, 404);
      assert.equal((await call(`${server.url}/api/v1/admin/webhooks/${hookId}`, 'DELETE')).status, 204);
      assert.equal((await call(`${server.url}/api/v1/admin/webhooks/${hookId}`)).status, 404);
    });
  });
}
