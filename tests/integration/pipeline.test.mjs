// `marquee pipeline` through the real binary: the example drive builds,
// rebuilds byte-identically, explains a patched value, diffs two builds, and
// refuses bad input (changed raw file, column mismatch, unreadable file, TOML
// syntax error, every kind of broken patch, a schedule change after the lock,
// personal data planted in a template or a patch reason), writing nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SOURCE_DIR, cli, tempDir } from './lib.mjs';
import { hashes, parseCsv, personalValues } from './pipeline_lib.mjs';

function publicText(project) {
  const files = hashes(path.join(project, 'out/public'));
  return Object.keys(files).map((f) => readFileSync(path.join(project, 'out/public', f), 'utf8')).join('\n');
}

function build(project) { return cli(['pipeline', 'build', project]); }

/** A fresh copy of the built example for a test that breaks something. */
function copyOf(base, tmp, name) {
  const dir = path.join(tmp.dir, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

function assertFailsWith(project, pattern, outBefore) {
  const r = build(project);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, pattern);
  if (outBefore) assert.deepEqual(hashes(path.join(project, 'out')), outBefore, 'out/ must be left as it was');
  // Private files are written into out.tmp/ while the public ones are checked: a failed build removes it.
  assert.ok(!existsSync(path.join(project, 'out.tmp')), 'no half-written out.tmp/ may be left');
}

describe('marquee pipeline', () => {
  let tmp, base, built;
  before(() => {
    tmp = tempDir('marquee-pipeline-');
    base = path.join(tmp.dir, 'drive');
    const init = cli(['pipeline', 'init', base, '--example']);
    assert.equal(init.status, 0, init.stderr);
    const r = build(base);
    assert.equal(r.status, 0, r.stderr);
    // Issue 14: the build's count and the site's differ, and the build says why.
    assert.match(r.stdout, /303 registrants \(288 active, counted on the site: 12 cancelled and 3 marked duplicate are not\), 14 sessions, 6 patches, 3 overrides/);
    // Issue 14: "Hamborg" has no value map entry, but a patch sets that registrant's region: no warning.
    assert.doesNotMatch(r.stdout, /Hamborg/);
    assert.match(r.stdout, /no value map entry for "somewhere up north"/, 'an unpatched value still warns');
    // Issue 14: diff after the first build explains itself.
    const diff = cli(['pipeline', 'diff', base]);
    assert.notEqual(diff.status, 0);
    assert.match(diff.stderr, /nothing to compare with yet: .*out is the first build\. .*--against FOLDER/);
    built = hashes(path.join(base, 'out'));
  });
  after(() => tmp?.remove());

  test('the committed example is what the generator writes', () => {
    const out = path.join(tmp.dir, 'generated');
    const r = spawnSync('python3', [path.join(SOURCE_DIR, 'scripts/generate_pipeline_example.py'), '--out', out]);
    assert.equal(r.status, 0, String(r.stderr));
    assert.deepEqual(hashes(out), hashes(path.join(SOURCE_DIR, 'pipeline/example')));
  });

  test('outputs: private rosters and tables, public summaries and site, a git-ignored private folder', () => {
    for (const f of ['private/registrants.csv', 'private/registrants.xlsx', 'private/rosters.csv', 'private/rosters.xlsx',
      'private/duplicates.csv', 'private/report.txt', 'public/summary.json', 'public/summary.csv', 'public/sessions.csv',
      'public/site/index.html', 'public/site/summaries.html', 'public/site/corrections.html', 'public/site/static/app.css'])
      assert.ok(built[f], `${f} missing`);
    assert.match(readFileSync(path.join(base, '.gitignore'), 'utf8'), /^out\/private\/$/m);
    const summary = JSON.parse(readFileSync(path.join(base, 'out/public/summary.json'), 'utf8'));
    const byKey = Object.fromEntries(summary.sessions.map((s) => [s.key, s]));
    assert.equal(byKey['knots-workshop-sun'].status, 'cancelled');
    assert.equal(byKey['lighthouse-talk'].room, 'Saal 1');
    assert.equal(byKey['lighthouse-talk'].changed_after_lock, true);
    assert.deepEqual(byKey['lighthouse-talk'].changes, ['room: Saal 2 → Saal 1']);
    assert.equal(byKey['shipyard-tour'].starts_at, '2026-09-12T14:30:00+02:00');
    assert.equal(byKey['sail-making'].capacity, 8);                   // rule replaces the programme's 10
    assert.equal(byKey['harbour-walk-sat'].registered, 25);            // full …
    assert.ok(byKey['harbour-walk-sat'].waitlisted > 0);               // … and a waiting list
    assert.ok(summary.sessions.every((s) => s.registered === null || s.registered === 0 || s.registered >= 5));
    for (const d of summary.summaries)
      for (const c of d.values) assert.ok(c.suppressed ? c.count === null : c.count === 0 || c.count >= 5, JSON.stringify(c));
    const region = summary.summaries.find((d) => d.field === 'region');
    assert.ok(region.values.some((c) => c.suppressed), 'a small region is suppressed');
    assert.equal(summary.corrections.length, 9);
    const email = summary.corrections.find((c) => c.field === 'email');
    assert.equal(email.effect, 'changed (personal field, value not published)');
    // Private: the roster of a full session lists the waiting list after the confirmed seats.
    const rosters = parseCsv(readFileSync(path.join(base, 'out/private/rosters.csv'), 'utf8'));
    const walk = rosters.filter((r) => r[0] === 'harbour-walk-sat');
    assert.equal(walk.filter((r) => r[4] === 'confirmed').length, 25);
    assert.equal(walk.filter((r) => r[4] === 'waiting list').length, byKey['harbour-walk-sat'].waitlisted);
    const report = readFileSync(path.join(base, 'out/private/report.txt'), 'utf8');
    assert.match(report, /same name and phone: r-\w+ \(raw\/\S+ line \d+\), r-\w+ \(raw\/\S+ line \d+\)/);
    assert.match(report, /knots-workshop-sun: cancelled, \d+ registrants to tell/);
  });

  test('no personal value appears in any public file', () => {
    const text = publicText(base).toLowerCase();
    const values = personalValues(base);
    assert.ok(values.size > 500, `only ${values.size} personal values`);
    for (const v of values) assert.ok(!text.includes(v.toLowerCase()), `public output contains ${v}`);
  });

  test('a rebuild is byte-identical, in another folder too', () => {
    assert.equal(build(base).status, 0);
    assert.deepEqual(hashes(path.join(base, 'out')), built);
    const other = path.join(tmp.dir, 'elsewhere');
    assert.equal(cli(['pipeline', 'init', other, '--example']).status, 0);
    assert.equal(build(other).status, 0);
    assert.deepEqual(hashes(path.join(other, 'out')), built);
  });

  test('explain traces a patched field to its raw row and patch', () => {
    const patchFile = readFileSync(path.join(base, 'config/patches/2026-08-03-regions.toml'), 'utf8');
    const key = patchFile.match(/record = "(r-\w+)"/)[1];
    const r = cli(['pipeline', 'explain', base, key, 'region']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^${key} from source forms, raw/google-forms-responses.csv line \\d+$`));
    assert.match(lines[2], /^ {2}raw {8}raw\/google-forms-responses\.csv line \d+, column "Where are you travelling from\?": "Hamborg"$/);
    assert.match(lines[3], /^ {2}normalize {2}"Other" \(choice, value map regions; no value map entry for "Hamborg"; "Other" used\)$/);
    assert.match(lines[4], /^ {2}patch {6}"Hamburg" by config\/patches\/2026-08-03-regions\.toml:3: 'Hamborg' is Hamburg \(Mira K\., 2026-08-03\)$/);
    assert.equal(lines[5], '  final      "Hamburg"');
    const unknown = cli(['pipeline', 'explain', base, 'r-000000000000']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no registrant has the key r-000000000000/);
  });

  test('diff shows a moved session and changed counts', () => {
    const dir = copyOf(base, tmp, 'diff');
    appendFileSync(path.join(dir, 'config/overrides.toml'),
      '\n[[override]]\nsession = "climate-panel"\nstarts_at = "2026-09-13 15:00"\nroom = "Saal 2"\n' +
      'reason = "swap with the concert rehearsal"\nauthor = "Mira K."\ndate = "2026-08-30"\n');
    assert.equal(build(dir).status, 0);
    const r = cli(['pipeline', 'diff', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /session climate-panel: moved: 2026-09-13T11:00:00\+02:00 → 2026-09-13T15:00:00\+02:00/);
    assert.match(r.stdout, /session climate-panel: room Saal 1 → Saal 2/);
    assert.match(r.stdout, /correction added: config\/overrides.toml:\d+/);
    const same = cli(['pipeline', 'diff', base, '--against', base]);
    assert.match(same.stdout, /no differences/);
  });

  test('a changed raw file stops the build until accept-raw', () => {
    const dir = copyOf(base, tmp, 'raw');
    const before = hashes(path.join(dir, 'out'));
    appendFileSync(path.join(dir, 'raw/eventbrite-attendees.csv'), '');
    const f = path.join(dir, 'raw/google-forms-responses.csv');
    writeFileSync(f, readFileSync(f, 'utf8').replace('Hamborg', 'Hamburg'));
    assertFailsWith(dir, /raw\/google-forms-responses\.csv changed since it was accepted/, before);
    const accept = cli(['pipeline', 'accept-raw', dir]);
    assert.equal(accept.status, 0);
    assert.match(accept.stdout, /accepted raw\/google-forms-responses\.csv \(changed\)/);
    // The raw fix makes the old patch wrong: the build says so.
    assertFailsWith(dir, /2026-08-03-regions\.toml:3: expected region of r-\w+ to be "Other" but it is "Hamburg"/, before);
  });

  test('bad raw input: column mismatch, unreadable file, malformed CSV', () => {
    const dir = copyOf(base, tmp, 'columns');
    const before = hashes(path.join(dir, 'out'));
    const f = path.join(dir, 'raw/eventbrite-attendees.csv');
    writeFileSync(f, readFileSync(f, 'utf8').replace('Attendee #', 'Attendee No.'));
    cli(['pipeline', 'accept-raw', dir]);
    assertFailsWith(dir, /raw\/eventbrite-attendees\.csv: its columns do not match \[formats\.eventbrite\] in config\/mappings\.toml: missing "Attendee #" \(record_id\); the file has "Order #"/, before);

    const unreadable = copyOf(base, tmp, 'unreadable');
    const g = path.join(unreadable, 'raw/pretix-positions.csv');
    rmSync(g);
    symlinkSync(path.join(unreadable, 'raw/nowhere.csv'), g);
    assertFailsWith(unreadable, /raw\/pretix-positions\.csv: cannot be read: No such file or directory/);

    const malformed = copyOf(base, tmp, 'malformed');
    writeFileSync(path.join(malformed, 'raw/pretix-positions.csv'), 'Order code,Position ID\n"ABC,1\n');
    cli(['pipeline', 'accept-raw', malformed]);
    assertFailsWith(malformed, /raw\/pretix-positions\.csv: not a readable CSV file: line 2: unbalanced quote/);
  });

  test('configuration errors name the file and line', () => {
    const dir = copyOf(base, tmp, 'toml');
    writeFileSync(path.join(dir, 'config/patches/2026-09-01-broken.toml'), '# a typo\n[[patch]]\nrecord = "r-1\nfield = "region"\n');
    const r = build(dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^error: config\/patches\/2026-09-01-broken\.toml:3: TOML syntax error/m);
    writeFileSync(path.join(dir, 'config/patches/2026-09-01-broken.toml'), '[[patch]]\nrecord = "r-1"\nfield = "region"\nnew = "x"\n');
    assert.match(build(dir).stderr, /2026-09-01-broken\.toml:1: \[\[patch\]\] needs old/);
    writeFileSync(path.join(dir, 'config/patches/2026-09-01-broken.toml'), '');
    const m = path.join(dir, 'config/mappings.toml');
    writeFileSync(m, readFileSync(m, 'utf8').replace('kind = "phone"', 'kind = "telephone"'));
    assert.match(build(dir).stderr, /config\/mappings\.toml:9: unknown kind "telephone" for field phone/);
  });

  test('every broken patch fails the build with its file and line', () => {
    const dir = copyOf(base, tmp, 'patches');
    const before = hashes(path.join(dir, 'out'));
    const key = readFileSync(path.join(dir, 'config/patches/2026-08-03-regions.toml'), 'utf8').match(/record = "(r-\w+)"/)[1];
    const p = (extra) => `[[patch]]\n${extra}\nreason = "test"\nauthor = "ci"\ndate = "2026-09-01"\n\n`;
    writeFileSync(path.join(dir, 'config/patches/2026-09-01-bad.toml'),
      p('record = "r-000000000000"\nfield = "region"\nold = "Other"\nnew = "Kiel"') +            // line 1: no target
      p(`record = "${key}"\nfield = "region"\nold = "Berlin"\nnew = "Kiel"`) +                   // line 10: conflicts (and old differs)
      p('match = { "Order code" = "NOPE0" }\nsource = "pretix"\nfield = "region"\nold = ""\nnew = "Kiel"') + // line 19
      p(`record = "${key}"\nfield = "colour"\nold = ""\nnew = "red"`));                          // line 29: unknown field
    const r = build(dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /2026-09-01-bad\.toml:1: no registrant has the key r-000000000000/);
    assert.match(r.stderr, /2026-09-01-bad\.toml:10: conflicts with the patch at config\/patches\/2026-08-03-regions\.toml:3/);
    assert.match(r.stderr, /2026-09-01-bad\.toml:19: no row matches Order code = "NOPE0" in source pretix/);
    assert.match(r.stderr, /2026-09-01-bad\.toml:29: unknown field "colour"/);
    assert.deepEqual(hashes(path.join(dir, 'out')), before);
    writeFileSync(path.join(dir, 'config/patches/2026-09-01-bad.toml'),
      p(`record = "${key}"\nfield = "step_free"\nold = "maybe"\nnew = "yes"`));
    assertFailsWith(dir, /2026-09-01-bad\.toml:1: expected step_free of r-\w+ to be "maybe" but it is/, before);
  });

  test('a frab schedule.xml as the programme', () => {
    const dir = copyOf(base, tmp, 'frab');
    rmSync(path.join(dir, 'program'), { recursive: true });
    mkdirSync(path.join(dir, 'program'));
    writeFileSync(path.join(dir, 'program/schedule.xml'), `<?xml version="1.0" encoding="UTF-8"?>
<schedule><version>1.0</version>
<conference><acronym>hd26</acronym><title>Harbour Days</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
<day index="1" date="2026-09-12">
  <room name="Saal 1">
    <event guid="0b7c3f4e-0000-4000-8000-000000000001" id="1"><date>2026-09-12T10:00:00+02:00</date><start>10:00</start>
      <duration>01:00</duration><room>Saal 1</room><slug>hd26-1-opening</slug><title>Opening: 800 years of the harbour</title>
      <track>Talk</track><type>lecture</type><language>en</language><persons/></event>
    <event guid="0b7c3f4e-0000-4000-8000-000000000002" id="2"><date>2026-09-12T16:00:00+02:00</date><start>16:00</start>
      <duration>01:00</duration><room>Saal 1</room><slug>hd26-2-lighthouses</slug><title>Lighthouses of the North Sea</title>
      <track>Talk</track><type>lecture</type><language>en</language><persons/></event>
  </room>
</day></schedule>`);
    const cfg = path.join(dir, 'config/pipeline.toml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('file = "program/programme.csv"', 'file = "program/schedule.xml"').replace('format = "csv"', 'format = "frab"'));
    writeFileSync(path.join(dir, 'config/overrides.toml'), '# none\n');
    writeFileSync(path.join(dir, 'config/schedule-rules.toml'), '[capacity]\ndefault = 30\n');
    for (const f of readdirSync(path.join(dir, 'config/patches'))) if (f.includes('late')) rmSync(path.join(dir, 'config/patches', f));
    const r = build(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 sessions/);
    const summary = JSON.parse(readFileSync(path.join(dir, 'out/public/summary.json'), 'utf8'));
    assert.deepEqual(summary.sessions.map((s) => [s.title, s.room, s.starts_at, s.capacity]), [
      ['Opening: 800 years of the harbour', 'Saal 1', '2026-09-12T10:00:00+02:00', 30],
      ['Lighthouses of the North Sea', 'Saal 1', '2026-09-12T16:00:00+02:00', 30]]);
    assert.ok(summary.sessions.every((s) => s.registered > 0));
    assert.match(readFileSync(path.join(dir, 'out/private/report.txt'), 'utf8'), /sessions: no session is called "Harbour walk"/);
  });

  test('a schedule change after the lock needs an override', () => {
    const dir = copyOf(base, tmp, 'lock');
    const o = path.join(dir, 'config/overrides.toml');
    writeFileSync(o, readFileSync(o, 'utf8').replace(/\[\[override\]\]\nsession = "lighthouse-talk"[^[]*/, ''));
    assertFailsWith(dir, /programme: session lighthouse-talk: room changed from "Saal 2" to "Saal 1" after the programme lock on 2026-08-15 without an override/);
    const lock = cli(['pipeline', 'lock', dir]);
    assert.equal(lock.status, 2);
    assert.match(lock.stderr, /program\/locked\/programme\.csv already exists/);
  });

  test('the privacy guard catches a leak planted in a template or a patch reason', () => {
    const dir = copyOf(base, tmp, 'leak');
    const before = hashes(path.join(dir, 'out'));
    const email = [...personalValues(dir)].find((v) => v.includes('@'));
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(path.join(dir, 'templates/pipeline_summaries.mustache'), `<h1>Summaries</h1><p>Questions? ${email.toUpperCase()}</p>`);
    assertFailsWith(dir, /privacy guard: public\/site\/summaries\.html contains the email of r-\w+ \(raw\/\S+ line \d+\); nothing was written/, before);
    rmSync(path.join(dir, 'templates'), { recursive: true });
    const [header, ...rows] = parseCsv(readFileSync(path.join(dir, 'out/private/registrants.csv'), 'utf8'));
    const name = rows.find((r) => r[header.indexOf('status')] === 'active')[header.indexOf('name')];
    const f = path.join(dir, 'config/patches/2026-08-03-regions.toml');
    writeFileSync(f, readFileSync(f, 'utf8').replace("reason = \"'Hamborg' is Hamburg\"", `reason = "${name} phoned: Hamburg"`));
    assertFailsWith(dir, /privacy guard: public\/(site\/corrections\.html|summary\.json) contains the name of r-\w+/, before);
  });
});
