// Console accounts over HTTP: sign-in with CSRF, cookie attributes, session
// rotation, roles on staff routes, anonymous access refused on every
// protected route, and a brute-force limit that survives a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir } from './lib.mjs';

const PASSWORDS = { 'owner@example.org': 'owner password 123', 'door@example.org': 'door password 1234', 'viewer@example.org': 'viewer password 12' };

function cookieFrom(res, name) {
  const all = [].concat(res.headers['set-cookie'] || []);
  const c = all.find((x) => x.startsWith(`${name}=`));
  return c ? { value: c.split(';')[0].slice(name.length + 1), raw: c } : null;
}

async function signIn(url, email, password, previous = '') {
  const form = await request(`${url}/admin/login`);
  const csrf = cookieFrom(form, 'marquee_login_csrf').value;
  assert.match(form.body.toString(), new RegExp(`name="csrf_token" value="${csrf}"`));
  const body = new URLSearchParams({ email, password, csrf_token: csrf }).toString();
  const cookie = `marquee_login_csrf=${csrf}` + (previous ? `; marquee_session=${previous}` : '');
  return request(`${url}/admin/login`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
}

async function session(url, email) {
  const res = await signIn(url, email, PASSWORDS[email]);
  assert.equal(res.status, 303);
  const id = cookieFrom(res, 'marquee_session').value;
  const dash = await request(`${url}/admin`, { headers: { cookie: `marquee_session=${id}` } });
  return { id, csrf: dash.headers['x-csrf-token'], dashboard: dash };
}

describe('console accounts', () => {
  let tmp, db, server;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/admin.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    for (const [email, role] of [['owner@example.org', 'owner'], ['door@example.org', 'door'], ['viewer@example.org', 'viewer']]) {
      const r = cli(['user', 'add', email, '--role', role, '--db', db], { input: `${PASSWORDS[email]}\n` });
      assert.equal(r.status, 0, r.stderr);
    }
    assert.equal(cli(['user', 'add', 'weak@example.org', '--db', db], { input: 'short\n' }).status, 2);
    server = await startServer(db);
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('sign-in needs the CSRF token; cookies are HttpOnly, Secure, SameSite; the id rotates', async () => {
    const anon = await request(`${server.url}/admin`);
    assert.equal(anon.status, 303);
    assert.equal(anon.headers.location, '/admin/login');
    const noToken = await request(`${server.url}/admin/login`, { method: 'POST', body: 'email=owner%40example.org&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(noToken.status, 403);
    const wrong = await signIn(server.url, 'owner@example.org', 'not the password');
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.toString(), /e-mail or the password is wrong/);
    const ok = await signIn(server.url, 'owner@example.org', PASSWORDS['owner@example.org']);
    assert.equal(ok.status, 303);
    const c = cookieFrom(ok, 'marquee_session');
    assert.match(c.raw, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const again = await signIn(server.url, 'owner@example.org', PASSWORDS['owner@example.org'], c.value);
    const rotated = cookieFrom(again, 'marquee_session').value;
    assert.notEqual(rotated, c.value);
    assert.equal((await request(`${server.url}/admin`, { headers: { cookie: `marquee_session=${c.value}` } })).status, 303, 'the old id is gone');
    const dash = await request(`${server.url}/admin`, { headers: { cookie: `marquee_session=${rotated}` } });
    assert.equal(dash.status, 200);
    assert.match(dash.body.toString(), /class="who">owner@example\.org \(owner\)</);
  });

  test('roles on staff routes, and CSRF on writes made with a session', async () => {
    const owner = await session(server.url, 'owner@example.org');
    const asOwner = (extra = {}) => ({ cookie: `marquee_session=${owner.id}`, ...extra });
    const noCsrf = await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{}', headers: asOwner() });
    assert.equal(noCsrf.status, 403);
    assert.match(JSON.parse(noCsrf.body).detail, /CSRF/);
    const published = await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{"note":"from the console"}',
      headers: asOwner({ 'x-csrf-token': owner.csrf }) });
    assert.ok([200, 201].includes(published.status));
    const dash = (await request(`${server.url}/admin`, { headers: asOwner() })).body.toString();
    assert.match(dash, /owner@example\.org: (login|publish)/);

    const door = await session(server.url, 'door@example.org');
    const asDoor = { cookie: `marquee_session=${door.id}`, 'x-csrf-token': door.csrf, 'content-type': 'application/json' };
    const scan = await request(`${server.url}/api/v1/checkins`, { method: 'POST', body: '{"code":"ZZZZZZZZZZZZ"}', headers: asDoor });
    assert.equal(scan.status, 404, 'door staff may check in (unknown code)');
    assert.equal((await request(`${server.url}/api/v1/attendees.csv`, { headers: asDoor })).status, 403);
    assert.equal((await request(`${server.url}/api/v1/admin/snapshots`, { headers: asDoor })).status, 403);
    assert.equal(door.dashboard.status, 200);

    const viewer = await session(server.url, 'viewer@example.org');
    const asViewer = { cookie: `marquee_session=${viewer.id}`, 'x-csrf-token': viewer.csrf };
    assert.equal((await request(`${server.url}/api/v1/admin/snapshots`, { headers: asViewer })).status, 200);
    assert.equal((await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{}', headers: asViewer })).status, 403);

    const out = await request(`${server.url}/admin/logout`, { method: 'POST', body: `csrf_token=${viewer.csrf}`,
      headers: { cookie: `marquee_session=${viewer.id}`, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(out.status, 303);
    assert.equal((await request(`${server.url}/api/v1/admin/snapshots`, { headers: asViewer })).status, 401);
  });

  test('every protected route refuses anonymous requests', async () => {
    const routes = cli(['routes']).stdout.trim().split('\n').map((l) => l.split(' '));
    const samples = { '{key}': 'hl27-001', '{token}': 'x', '{id}': '1', '{number}': '1', '{file}': 'app.css', '{job}': 'retention' };
    let checked = 0;
    for (const [method, pattern, access] of routes) {
      if (access === 'public') continue;
      const path = pattern.replace(/\{[a-z]+\}/g, (m) => samples[m]);
      const r = await request(`${server.url}${path}`, { method, body: method === 'GET' ? undefined : '{}',
        headers: { 'content-type': 'application/json' } });
      if (access === 'console') assert.equal(r.status, 303, `${method} ${pattern}`);
      else assert.equal(r.status, 401, `${method} ${pattern}`);
      checked++;
    }
    assert.ok(checked >= 15, `checked ${checked} routes`);
  });

  test('brute force is answered 429, and the limit survives a restart', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn(server.url, 'door@example.org', `guess ${i}`)).status);
    assert.ok(statuses.includes(429), statuses.join(','));
    await server.stop();
    server = await startServer(db);
    const after = await signIn(server.url, 'door@example.org', PASSWORDS['door@example.org']);
    assert.equal(after.status, 429);
    assert.ok(Number(after.headers['retry-after']) > 0);
  });

  test('a browser that signed in before is not locked out by failures from elsewhere (OWASP device cookie)', async () => {
    const signInWith = async (email, password, device) => {
      const form = await request(`${server.url}/admin/login`);
      const csrf = cookieFrom(form, 'marquee_login_csrf').value;
      return request(`${server.url}/admin/login`, { method: 'POST',
        body: new URLSearchParams({ email, password, csrf_token: csrf }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded',
          cookie: `marquee_login_csrf=${csrf}` + (device ? `; marquee_device=${device}` : '') } });
    };
    const first = await signInWith('owner@example.org', PASSWORDS['owner@example.org']);
    assert.equal(first.status, 303);
    const device = cookieFrom(first, 'marquee_device');
    assert.ok(device, 'a device cookie is issued at sign-in');
    assert.match(device.raw, /Path=\/admin\/login; HttpOnly; SameSite=Strict; Max-Age=31536000/);
    // Someone else guesses the owner's password until the account is locked for unknown clients.
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await signInWith('owner@example.org', `guess ${i}`)).status);
    assert.equal(statuses.at(-1), 429, statuses.join(','));
    assert.equal((await signInWith('owner@example.org', PASSWORDS['owner@example.org'])).status, 429, 'unknown clients stay locked');
    // The owner's own browser still gets in.
    assert.equal((await signInWith('owner@example.org', PASSWORDS['owner@example.org'], device.value)).status, 303);
    // A device cookie is bound to its account, and cannot be forged.
    const doorDevice = device.value;
    assert.equal((await signInWith('door@example.org', PASSWORDS['door@example.org'], doorDevice)).status, 429);
    assert.equal((await signInWith('owner@example.org', PASSWORDS['owner@example.org'], `${device.value.split('.')[0]}.forged`)).status, 429);
  });
});

describe('editing events without silent overwrites', () => {
  test('ETag and If-Match: 428 without, 412 with the other change, 422 naming fields', async () => {
    const tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/edit.db`;
    const token = 'edit-staff-token-0123456789abcdef';
    process.env.MARQUEE_STAFF_TOKENS = token;
    const server = await startServer(db);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    try {
      const got = await request(`${server.url}/api/v1/admin/events/hl27-001`, { headers: auth });
      assert.equal(got.status, 200);
      const etag = got.headers.etag;
      assert.match(etag, /^"v\d+"$/);
      const patch = (body, headers) => request(`${server.url}/api/v1/admin/events/hl27-001`,
        { method: 'PATCH', body: JSON.stringify(body), headers: { ...auth, ...headers } });
      assert.equal((await patch({ title: 'No precondition' }, {})).status, 428);
      const bad = await patch({ title: '', starts_at: 'soon', capacity: -1, colour: 'red' }, { 'if-match': etag });
      assert.equal(bad.status, 422);
      assert.deepEqual(JSON.parse(bad.body).errors.map((e) => e.field).sort(), ['capacity', 'colour', 'starts_at']);
      const onlyCapacity = await patch({ capacity: -1 }, { 'if-match': etag });
      assert.equal(onlyCapacity.status, 422);
      assert.equal(JSON.parse(onlyCapacity.body).detail, 'Please correct the fields listed in errors.',
        'a field error is listed, not made the detail');
      const first = await patch({ title: 'Guided walk: renamed <b>safely</b>', room: 'Deck' }, { 'if-match': etag });
      assert.equal(first.status, 200);
      assert.notEqual(first.headers.etag, etag);
      const stale = await patch({ room: 'Another room' }, { 'if-match': etag });
      assert.equal(stale.status, 412);
      assert.equal(JSON.parse(stale.body).current.title, 'Guided walk: renamed <b>safely</b>');
      const fresh = await patch({ room: 'Another room' }, { 'if-match': first.headers.etag });
      assert.equal(fresh.status, 200);
      // Not public until published; then escaped on the public page.
      assert.doesNotMatch((await request(`${server.url}/events/hl27-001`)).body.toString(), /renamed/);
      const pub = await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{}', headers: auth });
      assert.equal(pub.status, 201);
      assert.match((await request(`${server.url}/events/hl27-001`)).body.toString(), /renamed &lt;b&gt;safely&lt;\/b&gt;/);
    } finally {
      await server.stop();
      tmp.remove();
    }
  });
});

describe('cron jobs and the audit log', () => {
  test('only the cron secret runs jobs; every run is in the audit log', async () => {
    const tmp = tempDir();
    const staff = 'cron-test-staff-token-0123456789';
    const secret = 'cron-test-secret-0123456789abcdef';
    process.env.MARQUEE_STAFF_TOKENS = staff;
    process.env.MARQUEE_CRON_SECRET = secret;
    const server = await startServer(`sqlite:///${tmp.dir}/cron.db`);
    const run = (job, token) => request(`${server.url}/api/v1/cron/${job}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    try {
      assert.equal((await run('retention', staff)).status, 401, 'a staff token is not the cron secret');
      assert.equal((await run('retention', 'wrong-secret-0123456789')).status, 401);
      const ok = await run('retention', secret);
      assert.equal(ok.status, 200);
      assert.equal(JSON.parse(ok.body).erased, 0);
      assert.equal((await run('backup', secret)).status, 409);
      assert.equal((await run('dance', secret)).status, 404);
      const published = JSON.parse((await run('publish', secret)).body);
      assert.equal(published.unchanged, true);
      const csv = (await request(`${server.url}/api/v1/admin/audit.csv`, { headers: { authorization: `Bearer ${staff}` } })).body.toString();
      assert.match(csv.split('\r\n')[0], /"id","at","actor","action","target","before","after"/);
      assert.match(csv, /"cron","cron_retention"/);
      const json = JSON.parse((await request(`${server.url}/api/v1/admin/audit`, { headers: { authorization: `Bearer ${staff}` } })).body);
      assert.ok(json.entries.some((e) => e.action === 'cron_publish'));
      // One entry per call: the two jobs that changed nothing say so once each.
      assert.equal(json.entries.filter((e) => e.action === 'cron_retention').length, 1);
      assert.equal(json.entries.filter((e) => e.action === 'cron_publish').length, 1);
    } finally {
      delete process.env.MARQUEE_CRON_SECRET;
      await server.stop();
      tmp.remove();
    }
  });
});

describe('API tokens', () => {
  test('scoped tokens: allowed in scope, 403 outside, 401 once revoked', async () => {
    const tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/tokens.db`;
    const server = await startServer(db);
    try {
      assert.equal(cli(['token', 'create', 'bad', '--scope', 'fly', '--db', db]).status, 2);
      const token = cli(['token', 'create', 'reports', '--scope', 'view,attendees', '--db', db]).stdout.trim();
      assert.match(token, /^mq_[A-Za-z0-9_-]{40,}$/);
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await request(`${server.url}/api/v1/admin/snapshots`, { headers: auth })).status, 200);
      assert.equal((await request(`${server.url}/api/v1/attendees.csv`, { headers: auth })).status, 200);
      const publish = await request(`${server.url}/api/v1/admin/publish`, { method: 'POST', body: '{}', headers: auth });
      assert.equal(publish.status, 403);
      assert.match(JSON.parse(publish.body).detail, /scopes do not include 'operate'/);
      const list = cli(['token', 'list', '--db', db]).stdout;
      assert.ok(!list.includes(token), 'the secret is never listed');
      const id = list.trim().split(' ')[0];
      assert.equal(cli(['token', 'revoke', id, '--db', db]).status, 0);
      assert.equal((await request(`${server.url}/api/v1/admin/snapshots`, { headers: auth })).status, 401);
    } finally {
      await server.stop();
      tmp.remove();
    }
  });
});
