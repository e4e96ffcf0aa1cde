// Registration under concurrency, on SQLite and on PostgreSQL: many clients
// against two `marquee serve` processes sharing one store, with retries and
// cancellations mixed in; then a kill -9 in the middle of a storm. The
// invariants are checked against the store afterwards (not timed).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'concurrency-staff-token-0123456789';
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const EVENTS = [
  { key: 'c1', capacity: 1, waitlist: true },
  { key: 'c3', capacity: 3, waitlist: true },
  { key: 'c5', capacity: 5, waitlist: false },
  { key: 'c8', capacity: 8, waitlist: true },
  { key: 'c10', capacity: 10, waitlist: false },
  { key: 'c4', capacity: 4, waitlist: true },
];

function eventsCsv() {
  return 'key,title,starts_at,ends_at,time_zone,capacity,registration,waitlist\n' +
    EVENTS.map((e) => `${e.key},Event ${e.key},2031-06-11 19:00,21:00,Europe/Berlin,${e.capacity},true,${e.waitlist}`).join('\n') + '\n';
}


function post(url, body, headers = {}) {
  return request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } })
    .then((r) => ({ status: r.status, json: r.body.length ? JSON.parse(r.body.toString()) : null }));
}

async function pool(tasks, concurrency) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tasks.length) {
      const i = next++;
      try { results[i] = await tasks[i](); } catch (e) { results[i] = { error: e }; }
    }
  }));
  return results;
}

// Deterministic pseudo-random numbers, so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

async function attendees(url, key) {
  const r = await request(`${url}/api/v1/events/${key}/attendees`, { headers: { authorization: `Bearer ${STAFF}` } });
  assert.equal(r.status, 200);
  return JSON.parse(r.body.toString());
}

async function checkInvariants(url, received) {
  const rows = new Map();
  for (const e of EVENTS) {
    const list = await attendees(url, e.key);
    const holding = list.registrations.filter((r) => r.state === 'confirmed' || r.state === 'checked_in');
    const waiting = list.registrations.filter((r) => r.state === 'waitlisted');
    assert.ok(holding.length <= e.capacity, `${e.key}: ${holding.length} confirmed > capacity ${e.capacity}`);
    assert.equal(list.counts.confirmed, holding.length, `${e.key}: counter matches rows`);
    assert.equal(list.counts.waitlisted, waiting.length, `${e.key}: waitlist counter matches rows`);
    if (!e.waitlist) assert.equal(waiting.length, 0);
    // Nobody waits while a place is free, and promotions went first come, first served.
    if (waiting.length > 0) assert.equal(holding.length, e.capacity, `${e.key}: waitlisted while places are free`);
    const promoted = list.registrations.filter((r) => r.moves.some((m) => m.actor === 'promotion')).map((r) => r.id);
    if (promoted.length && waiting.length)
      assert.ok(Math.max(...promoted) < Math.min(...waiting.map((r) => r.id)), `${e.key}: promotion out of order`);
    for (const r of list.registrations) rows.set(r.id, r);
  }
  // Every 201/202 a client received is a row.
  for (const r of received) assert.ok(rows.has(r.id), `registration ${r.id} answered ${r.status} but not stored`);
  return rows;
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`registration storm on ${backend}`, () => {
    let tmp, store, servers = [];
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'storm');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      writeFileSync(path.join(tmp.dir, 'events.csv'), eventsCsv());
      assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']).status, 0);
      const args = ['--registration-rate', '0', '--no-seed', '--worker-threads', '16'];
      servers = [await startServer(store.url, args), await startServer(store.url, args)];
    });
    after(async () => {
      for (const s of servers) await s.stop();
      store?.drop();
      tmp.remove();
    });

    test('two servers, 600 registrations, retries and cancellations: nothing lost, nothing invented, never overbooked', async () => {
      const random = rng(backend === 'sqlite' ? 7 : 11);
      const received = [];
      const byKey = new Map();
      const tasks = [];
      for (let i = 0; i < 600; i++) {
        const event = EVENTS[Math.floor(random() * EVENTS.length)];
        const body = { name: `Storm ${i}`, email: `storm${i}@example.org` };
        const key = `storm-${backend}-${i}`;
        const retry = random() < 0.25;
        const cancel = random() < 0.15;
        const first = servers[i % 2].url, second = servers[(i + 1) % 2].url;
        tasks.push(async () => {
          const url = `/api/v1/events/${event.key}/registrations`;
          const attempts = [post(first + url, body, { 'idempotency-key': key })];
          if (retry) attempts.push(post(second + url, body, { 'idempotency-key': key }));  // a concurrent retry
          const answers = await Promise.all(attempts);
          for (const a of answers) {
            assert.ok([201, 202, 409].includes(a.status), `unexpected ${a.status}: ${JSON.stringify(a.json)}`);
            if (a.status === 201 || a.status === 202) {
              received.push({ id: a.json.registration.id, status: a.status });
              if (!byKey.has(key)) byKey.set(key, new Set());
              byKey.get(key).add(a.json.registration.id);
            }
          }
          const ok = answers.find((a) => a.status === 201 || a.status === 202);
          if (cancel && ok) {
            const c = await post(`${second}/api/v1/registrations/${ok.json.token}/cancel`, {});
            assert.ok([200, 409].includes(c.status), `cancel answered ${c.status}`);
          }
        });
      }
      const results = await pool(tasks, 64);
      for (const r of results) if (r?.error) throw r.error;

      // One idempotency key never made two registrations.
      for (const [key, ids] of byKey) assert.equal(ids.size, 1, `${key} registered ${ids.size} times`);
      const rows = await checkInvariants(servers[0].url, received);
      // And every stored row was answered to a client (nothing invented).
      const answered = new Set(received.map((r) => r.id));
      for (const id of rows.keys()) assert.ok(answered.has(id), `row ${id} was never answered`);
      assert.equal(rows.size, byKey.size);
    });
  });

  describe(`kill -9 during a storm on ${backend}`, () => {
    let tmp, store;
    before(async (t) => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'killed');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      writeFileSync(path.join(tmp.dir, 'events.csv'), eventsCsv());
      assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']).status, 0);
    });
    after(() => { store?.drop(); tmp.remove(); });

    test('every answered registration survives and the counters still match', async () => {
      const args = ['--registration-rate', '0', '--no-seed'];
      let server = await startServer(store.url, args);
      const random = rng(backend === 'sqlite' ? 3 : 5);
      const received = [];
      let answered = 0;
      let killed = false;
      const tasks = Array.from({ length: 400 }, (_, i) => async () => {
        const event = EVENTS[Math.floor(random() * EVENTS.length)];
        const r = await post(`${server.url}/api/v1/events/${event.key}/registrations`,
          { name: `Kill ${i}`, email: `kill${i}@example.org` }).catch(() => null);
        if (!r) return;  // in flight when the server died
        if (r.status === 201 || r.status === 202) received.push({ id: r.json.registration.id, status: r.status });
        if (++answered === 120 && !killed) {
          killed = true;
          server.proc.kill('SIGKILL');
        }
      });
      await pool(tasks, 32);
      assert.ok(killed, 'the server was killed mid-storm');
      await new Promise((res) => (server.proc.exitCode !== null || server.proc.signalCode ? res() : server.proc.once('exit', res)));
      server = await startServer(store.url, args);
      try {
        assert.ok(received.length >= 60, `only ${received.length} registrations answered before the kill`);
        await checkInvariants(server.url, received);
        // The store still takes registrations.
        const after = await post(`${server.url}/api/v1/events/c10/registrations`, { name: 'After', email: 'after@example.org' });
        assert.ok([201, 409].includes(after.status));
      } finally {
        await server.stop();
      }
    });
  });
}
