// `marquee serve --config FILE`: a TOML file can set every serve option;
// flags win over MARQUEE_<KEY> environment variables, which win over the
// file; unknown keys and bad values fail naming the key and line; secrets come
// from files, also from systemd credentials (credential:NAME).
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, request, SOURCE_DIR, startServer, tempDir } from './lib.mjs';

// The festival name as the home page's header shows it.
async function siteName(url) {
  const r = await request(`${url}/`);
  assert.equal(r.status, 200);
  return r.body.toString('utf8').match(/<title>([^<]*)<\/title>/)[1];
}

describe('configuration file', () => {
  // Made when the suite is defined: the table of cases below names the file.
  const tmp = tempDir();
  const db = `sqlite:///${tmp.dir}/store.db`;
  const conf = path.join(tmp.dir, 'marquee.toml');
  before(() => {
    writeFileSync(conf, [
      '# marquee serve settings',
      'site_name = "Name From File"',
      'registration_rate = 0',
      'trusted_proxy = ["127.0.0.2", "::1"]',
      'no_analytics = true',
      '',
    ].join('\n'));
  });
  after(() => tmp.remove());

  // Each server is started without the variables of the outer environment that name serve settings.
  const cleanEnv = (extra = {}) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^MARQUEE_(SITE_NAME|CONFIG)$/.test(k)));
    return { ...env, ...extra };
  };

  for (const [label, args, env, expected] of [
    ['the file over the default', ['--config', conf], {}, 'Name From File'],
    ['the environment over the file', ['--config', conf], { MARQUEE_SITE_NAME: 'Name From Env' }, 'Name From Env'],
    ['a flag over the environment', ['--config', conf, '--site-name', 'Name From Flag'], { MARQUEE_SITE_NAME: 'Name From Env' }, 'Name From Flag'],
    ['MARQUEE_CONFIG names the file', [], { MARQUEE_CONFIG: conf }, 'Name From File'],
  ]) {
    test(label, async () => {
      const server = await startServer(db, args, undefined, { env: cleanEnv(env) });
      try {
        assert.match(await siteName(server.url), new RegExp(expected));
        // Settings from the file that are not the name took effect too: analytics off is said in the log.
        if (args.includes('--config') || env.MARQUEE_CONFIG) assert.match(server.stderr(), /--no-analytics/);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  }

  test('an unknown key fails naming the key, the line and the nearest setting', () => {
    const bad = path.join(tmp.dir, 'bad.toml');
    writeFileSync(bad, 'port = 0\n\nsmtp_ur = "smtp://127.0.0.1:2525"\n');
    const r = cli(['serve', '--db', db, '--config', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 3: unknown key 'smtp_ur' \(did you mean 'smtp_url'\?\)/);
  });

  test('a value the option refuses fails naming the key and line', () => {
    const bad = path.join(tmp.dir, 'range.toml');
    writeFileSync(bad, 'poll_ms = 5\n');
    const r = cli(['serve', '--db', db, '--config', bad, '--check-config']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 1: poll_ms: .*not in range 50 to 60000/);
  });

  test('MARQUEE_<KEY> is read by serve only; a bad one names the variable', () => {
    const env = cleanEnv({ MARQUEE_TIME_ZONE: 'Not/AZone', MARQUEE_DB: 'sqlite:///nonexistent-dir/never.db' });
    const other = cli(['migrate', '--db', db], { env });
    assert.equal(other.status, 0, other.stderr);  // migrate neither validates nor uses serve's variables
    const r = cli(['serve', '--db', db, '--check-config'], { env });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /MARQUEE_TIME_ZONE: .*unknown time zone Not\/AZone/);
  });

  test('--check-config refuses what serve would: a bad metrics address, a short backup key, a store URL of no kind', () => {
    const check = (extra) => cli(['serve', '--db', db, '--check-config', ...extra], { env: cleanEnv() });
    let r = check(['--metrics-listen', 'localhost:9181']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--metrics-listen 'localhost:9181': 'localhost' is not an IP address/);
    const key = path.join(tmp.dir, 'short.key');
    writeFileSync(key, 'too short\n');
    r = check(['--backup-key-file', key]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /32/);
    r = cli(['serve', '--db', 'mysql://x', '--check-config'], { env: cleanEnv() });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown database URL/);
    r = check(['--metrics-listen', '[::1]:0']);
    assert.equal(r.status, 0, r.stderr);
  });

  test('a table is refused: every key stands at the top level', () => {
    const bad = path.join(tmp.dir, 'table.toml');
    writeFileSync(bad, '[server]\nport = 1\n');
    const r = cli(['serve', '--db', db, '--config', bad, '--check-config']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 1: unknown key 'server' \(tables are not used/);
  });

  test('a TOML syntax error names the file and line', () => {
    const bad = path.join(tmp.dir, 'syntax.toml');
    writeFileSync(bad, 'site_name = "x"\nport = \n');
    const r = cli(['serve', '--db', db, '--config', bad, '--check-config']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /syntax\.toml/);
    assert.match(r.stderr, / 2 \| port =/);
  });

  test('secrets from systemd credentials: credential:NAME is read from $CREDENTIALS_DIRECTORY', async () => {
    const creds = path.join(tmp.dir, 'credentials');
    mkdirSync(creds);
    writeFileSync(path.join(creds, 'staff-tokens'), 'config-test-staff-token-0123456789abcdef\n');
    const withCreds = path.join(tmp.dir, 'creds.toml');
    writeFileSync(withCreds, 'staff_token_file = "credential:staff-tokens"\n');
    const env = cleanEnv({ CREDENTIALS_DIRECTORY: creds, MARQUEE_STAFF_TOKENS: '' });
    const server = await startServer(db, ['--config', withCreds], undefined, { env });
    try {
      const url = `${server.url}/api/v1/events/hl27-001/attendees`;
      assert.equal((await request(url)).status, 401);
      const ok = await request(url, { headers: { authorization: 'Bearer config-test-staff-token-0123456789abcdef' } });
      assert.equal(ok.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    // Without the credentials folder the check fails and says what is missing.
    const r = cli(['serve', '--db', db, '--config', withCreds, '--check-config'], { env: cleanEnv({ CREDENTIALS_DIRECTORY: '' }) });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs systemd's CREDENTIALS_DIRECTORY/);
  });

  test('the shipped example configuration passes the check', () => {
    const creds = path.join(tmp.dir, 'example-credentials');
    mkdirSync(creds);
    for (const name of ['staff-tokens', 'deploy-tokens', 'cron-secret', 'backup-key', 'smtp-password'])
      writeFileSync(path.join(creds, name), 'x'.repeat(40) + '\n');
    const r = cli(['serve', '--config', path.join(SOURCE_DIR, 'deploy', 'marquee.toml'), '--check-config'],
      { env: cleanEnv({ CREDENTIALS_DIRECTORY: creds }) });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /configuration OK/);
  });

  test('--log-format json: one JSON object a line, with the id of the request a line was written for', async () => {
    const server = await startServer(db, ['--log-format', 'json', '--no-analytics']);
    let answer;
    try {
      // Unconfigured webhooks answer 503 and log a warning while the request is handled.
      answer = await request(`${server.url}/api/v1/webhooks/stripe`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(answer.status, 503);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    // Standard output holds JSON lines too ("listening on …" for scripts).
    const out = server.stdout().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
    assert.match(out.find((o) => /listening on/.test(o.msg)).msg, /^marquee: listening on http:\/\/127\.0\.0\.1:\d+ \(store sqlite:/);
    const lines = server.stderr().split('\n').filter((l) => l.length > 0);
    assert.ok(lines.length >= 3, server.stderr());
    const objects = lines.map((l) => JSON.parse(l));  // every line parses
    for (const o of objects) {
      assert.match(o.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(['trace', 'debug', 'info', 'warning', 'error', 'critical'].includes(o.level), o.level);
      assert.equal(typeof o.msg, 'string');
      assert.equal(o.pid, server.proc.pid);
    }
    const webhook = objects.find((o) => o.msg.startsWith('stripe webhook'));
    assert.equal(webhook.level, 'warning');
    assert.equal(webhook.request_id, answer.headers['x-request-id']);
    // Lines not written for a request carry no request id.
    assert.equal(objects.find((o) => o.msg === 'stopped').request_id, undefined);
  });
});
