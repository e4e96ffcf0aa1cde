// Issue 14 (the first hour of a new organizer), step by step: the defects a
// new user met, each with the test that would have caught it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { cli, request, startServer, tempDir } from './lib.mjs';

describe('the first hour', () => {
  let tmp, server;
  before(async () => {
    tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/first.db`;
    server = await startServer(db);  // seeds the bundled programme (Europe/Berlin and Europe/Lisbon)
    await server.stop();
    // One event in a zone that sorts before every other one.
    writeFileSync(`${tmp.dir}/one.csv`, 'key,title,starts_at,ends_at,time_zone\nabidjan-1,Far away,2031-06-11 10:00,11:00,Africa/Abidjan\n');
    assert.equal(cli(['import', `${tmp.dir}/one.csv`, '--db', db]).status, 0);
    server = await startServer(db);
  });
  after(async () => { await server?.stop(); tmp?.remove(); });

  test('the public submission form preselects the zone most of the programme uses, not the first of the list', async () => {
    const html = (await request(`${server.url}/submit`)).body.toString();
    const select = html.match(/<select id="f-time_zone"[^>]*>([\s\S]*?)<\/select>/)[1];
    assert.match(select, /<option>Africa\/Abidjan<\/option>/, 'the other zone is offered');
    assert.match(select, /<option selected>Europe\/Berlin<\/option>/);
  });
});
