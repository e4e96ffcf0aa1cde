// The CLI and the server together, on SQLite and on PostgreSQL: imports made
// by another process are served within seconds; check/export/migrate; exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, eventually, getJson, SHARED_DATA, SOURCE_DIR, startServer, tempDir, pgDatabase } from './lib.mjs';

const debconf = path.join(SHARED_DATA, 'schedules/xml/giggity_debconf23.xml');
const haveShared = existsSync(debconf);


for (const backend of ['sqlite', 'postgres']) {
  describe(`serve + import on ${backend}`, () => {
    let tmp, db, pg, server;
    before(async (t) => {
      tmp = tempDir();
      if (backend === 'sqlite') db = `sqlite:///${tmp.dir}/store.db`;
      else {
        pg = pgDatabase('marquee_cli');
        if (!pg) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set (run through make test)');
        db = pg.url;
      }
      server = await startServer(db);
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0, 'SIGTERM exits cleanly');
      pg?.drop();
      tmp.remove();
    });

    test('bundled programme served, then an import by another process appears within seconds', { skip: !haveShared }, async () => {
      const before = (await getJson(`${server.url}/api/v1/events`)).json;
      assert.ok(before.total >= 150);
      const r = cli(['import', debconf, '--db', db, '--report', 'json', '--publish']);
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.inserted, 117);
      assert.equal(report.format, 'frab');
      const after = await eventually(async () => {
        const j = (await getJson(`${server.url}/api/v1/events`)).json;
        return j.total === before.total + 117 && j;
      }, 5000);
      assert.ok(after.generation > before.generation);
      const opening = after.events.find((e) => e.title === 'Opening Ceremony' && e.time_zone === 'Asia/Kolkata');
      assert.equal(opening.local_starts_at, '2023-09-10T10:30:00+05:30');
      // Re-import is idempotent.
      const again = JSON.parse(cli(['import', debconf, '--db', db, '--report', 'json', '--publish']).stdout);
      assert.equal(again.inserted, 0);
      assert.equal(again.unchanged, 117);
    });

    test('export is read back by import to the same events', async () => {
      const out = path.join(tmp.dir, 'export.csv');
      assert.equal(cli(['export', '--db', db, '--output', out]).status, 0);
      const copyStore = backend === 'sqlite' ? { url: `sqlite:///${tmp.dir}/copy.db`, drop() {} } : pgDatabase('marquee_copy');
      const copy = copyStore.url;
      const r = JSON.parse(cli(['import', out, '--db', copy, '--report', 'json']).stdout);
      assert.equal(r.ok, true, r.fatal);
      assert.equal(r.rejected, 0);
      const out2 = path.join(tmp.dir, 'export2.csv');
      assert.equal(cli(['export', '--db', copy, '--output', out2]).status, 0);
      assert.equal(readFileSync(out2, 'utf8'), readFileSync(out, 'utf8'));
      copyStore.drop();
    });
  });
}

describe('CLI behaviour', () => {
  let tmp;
  before(() => { tmp = tempDir(); });
  after(() => tmp.remove());

  test('check exits 1 on row errors and 2 on fatal errors, writing nothing', () => {
    const file = path.join(tmp.dir, 'rows.csv');
    writeFileSync(file, 'title,starts_at,time_zone\nGood,2027-06-11 10:00,UTC\nBad,2027-02-31 10:00,UTC\n');
    const r = cli(['check', file, '--db', `sqlite:///${tmp.dir}/never.db`]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /line 3, starts_at: error: not a date or date-time: '2027-02-31 10:00'/);
    assert.equal(existsSync(path.join(tmp.dir, 'never.db')), false, 'check does not create a store');
    const fatal = path.join(tmp.dir, 'fatal.csv');
    writeFileSync(fatal, 'title,starts_at\n"unclosed,2027-06-11\n');
    assert.equal(cli(['check', fatal]).status, 2);
    assert.equal(cli(['import', path.join(tmp.dir, 'missing.csv'), '--db', `sqlite:///${tmp.dir}/x.db`]).status, 2);
  });

  test('dry run writes nothing; migrate reports the schema version', () => {
    const db = `sqlite:///${tmp.dir}/dry.db`;
    assert.match(cli(['migrate', '--db', db]).stdout, /schema version 27/);
    const r = cli(['import', path.join(SOURCE_DIR, 'tests/data/small_programme.csv'), '--db', db, '--dry-run']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /dry run: nothing written/);
    assert.equal(cli(['export', '--db', db]).stdout.trim().split('\n').length, 1, 'only the header');
  });

  test('relative sqlite URLs resolve against the working directory', () => {
    const r = cli(['migrate', '--db', 'sqlite:///var/rel.db'], { cwd: tmp.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(tmp.dir, 'var/rel.db')));
  });

  test('serve exits non-zero when the port is taken', async () => {
    const first = await startServer(`sqlite:///${tmp.dir}/a.db`);
    const port = new URL(first.url).port;
    const r = cli(['serve', '--db', `sqlite:///${tmp.dir}/b.db`, '--port', port]);
    await first.stop();
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  });

  test('unknown database URLs are refused clearly', () => {
    const r = cli(['migrate', '--db', 'mysql://x']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown database URL/);
  });

  test('publish lists its first 50 changes and names the diff that lists every one', () => {
    const db = `sqlite:///${tmp.dir}/many.db`;
    const file = path.join(tmp.dir, 'many.csv');
    const programme = (title) => `key,title,starts_at,time_zone\n${Array.from({ length: 60 }, (_, i) =>
      `talk-${String(i).padStart(2, '0')},${title} ${i},2027-06-11 10:00,UTC`).join('\n')}\n`;
    writeFileSync(file, programme('Talk'));
    assert.equal(cli(['import', file, '--db', db]).status, 0);
    const first = cli(['publish', '--db', db]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^live: snapshot 1 \(60 events, 60 changes, 0 attendee notifications\)\n/);
    assert.equal(first.stdout.match(/^ {2}added talk-\d\d$/gm).length, 50);
    assert.match(first.stdout, /^ {2}added talk-49\n {2}… and 10 more\n$/m, 'a first publish has no snapshot to diff from');
    writeFileSync(file, programme('Session'));
    assert.equal(cli(['import', file, '--db', db]).status, 0);
    const second = cli(['publish', '--db', db]);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.match(/^ {2}changed talk-\d\d \(title\)$/gm).length, 50);
    assert.match(second.stdout, /^ {2}… and 10 more \(marquee diff --from 1 --to 2 lists every change\)$/m);
    const diff = cli(['diff', '--db', db, '--from', '1', '--to', '2']);
    assert.equal(diff.stdout.match(/^ {2}changed talk-\d\d \(title\)$/gm).length, 60);
    const back = cli(['rollback', '1', '--db', db]);
    assert.match(back.stdout, /^live: snapshot 3 .*\n(?: {2}changed talk-\d\d \(title\)\n){50} {2}… and 10 more \(marquee diff --from 2 --to 3 lists every change\)\n$/);
  });

  // Issue 14, small defects: each line of the closing note has its check here.
  test('import summarises issues by kind; --report full lists every line', () => {
    const file = path.join(tmp.dir, 'past.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `Old ${i},2020-01-${String((i % 28) + 1).padStart(2, '0')} 10:00,UTC`);
    writeFileSync(file, `title,starts_at,time_zone\n${rows.join('\n')}\nBad,2027-02-31 10:00,UTC\n`);
    const db = `sqlite:///${tmp.dir}/summary.db`;
    const r = cli(['import', file, '--db', db, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length < 16, `a short report, not one line per warning:\n${r.stdout}`);
    assert.match(r.stdout, /^ {2}line 42, starts_at: error: not a date/m, 'errors come first');
    assert.match(r.stdout, /40 × warning in starts_at:\n {4}line 2, starts_at: warning: event is in the past\n/);
    assert.match(r.stdout, /… and 37 more like these/);
    assert.match(r.stdout, /--report full/);
    const full = cli(['import', file, '--db', db, '--dry-run', '--report', 'full']);
    assert.equal(full.stdout.match(/warning: event is in the past/g).length, 40);
  });

  test('check never says "imported"; a missing file names no empty format', () => {
    const fatal = path.join(tmp.dir, 'fatal2.csv');
    writeFileSync(fatal, 'title,starts_at\n"unclosed,2027-06-11\n');
    const r = cli(['check', fatal]);
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stdout, /imported/);
    assert.match(r.stdout, /: FAILED: /);
    const missing = cli(['import', 'nowhere/missing.csv', '--db', `sqlite:///${tmp.dir}/m.db`]);
    assert.match(missing.stdout, /^nowhere\/missing\.csv: FAILED, nothing imported: cannot read/);
    assert.doesNotMatch(missing.stdout, /\(\)/);
  });

  test('a misspelt mapping table is named as unknown', () => {
    const mapping = path.join(tmp.dir, 'typo.toml');
    writeFileSync(mapping, '[colums]\ntitle = "Name"\nstarts_at = "Start"\n');
    const csv = path.join(tmp.dir, 'typo.csv');
    writeFileSync(csv, 'Name,Start\nA,2030-01-01 10:00\n');
    const r = cli(['check', csv, '--mapping', mapping]);
    assert.notEqual(r.status, 0);
    const out = r.stdout + r.stderr;
    assert.match(out, /unknown table or key 'colums'/);
    assert.doesNotMatch(out, /no \[columns\] table/);
  });

  test('notify list refuses an unknown state and shows no 1970 due time', () => {
    const db = `sqlite:///${tmp.dir}/notify.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    const bogus = cli(['notify', 'list', '--state', 'bogus', '--db', db]);
    assert.notEqual(bogus.status, 0);
    assert.match(bogus.stderr, /bogus/);
    assert.equal(cli(['notify', 'list', '--state', 'sent', '--db', db]).status, 0);
  });
});
