// The public site keeps serving whatever fails: PostgreSQL stopped under a
// running server, a corrupted SQLite file, no store at all, and kill -9 in
// the middle of a publish or a backup.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { BIN, cli, eventually, getJson, privatePostgres, request, startServer, tempDir, pgDatabase } from './lib.mjs';

const STAFF = 'fault-staff-token-0123456789abcdef';
process.env.MARQUEE_STAFF_TOKENS = STAFF;

const register = (url, who, key = 'hl27-003') => request(`${url}/api/v1/events/${key}/registrations`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: who, email: `${who}@example.org` }) });

function bigCsv(file, n) {
  const lines = ['key,title,starts_at,ends_at,time_zone,venue,category'];
  for (let i = 0; i < n; i++)
    lines.push(`big-${i},Big event ${i},2031-06-${String(1 + (i % 28)).padStart(2, '0')} 10:00,11:00,Europe/Berlin,Hall ${i % 50},Talks`);
  writeFileSync(file, lines.join('\n') + '\n');
}


describe('faults', () => {
  test('PostgreSQL stops under a running server: reads go on, writes get 503, then work again', async () => {
    const pg = privatePostgres();
    const server = await startServer(pg.url, ['--registration-rate', '0']);
    try {
      const before = (await getJson(`${server.url}/api/v1/events`)).json;
      assert.equal((await register(server.url, 'before')).status, 201);
      pg.stop();
      const during = await getJson(`${server.url}/api/v1/events`);
      assert.equal(during.status, 200);
      assert.equal(during.json.generation, before.generation);
      assert.equal(during.json.total, before.total);
      assert.equal((await request(`${server.url}/events/hl27-003`)).status, 200);
      const write = await register(server.url, 'during');
      assert.equal(write.status, 503);
      assert.equal(write.headers['content-type'], 'application/problem+json');
      assert.ok(Number(write.headers['retry-after']) > 0);
      const ready = (await getJson(`${server.url}/readyz`)).json;
      assert.equal(ready.source, 'live');
      const status = JSON.parse((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${STAFF}` } })).body);
      assert.equal(status.store.reachable, false);
      pg.start();
      let n = 0;
      await eventually(async () => (await register(server.url, `after${n++}`)).status === 201, 20_000);
    } finally {
      await server.stop();
      pg.destroy();
    }
  });

  test('started while PostgreSQL is down: bundled first, then the live store once it is back', async () => {
    const pg = privatePostgres('later');
    pg.stop();
    const server = await startServer(pg.url, ['--registration-rate', '0', '--poll-ms', '200']);
    try {
      assert.equal((await getJson(`${server.url}/readyz`)).json.source, 'bundled');
      assert.equal((await register(server.url, 'early')).status, 503);
      pg.start();
      await eventually(async () => (await getJson(`${server.url}/readyz`)).json.source === 'live', 20_000);
      assert.equal((await getJson(`${server.url}/readyz`)).json.snapshot, 1);  // migrated and seeded on reconnect
      assert.equal((await register(server.url, 'later')).status, 201);
    } finally {
      await server.stop();
      pg.destroy();
    }
  });

  test('an unreadable store serves the last published snapshot kept on local disk, not the demo (issue 13, item 15)', async () => {
    const tmp = tempDir();
    try {
      const db = `sqlite:///${tmp.dir}/store.db`;
      const backups = path.join(tmp.dir, 'backups');
      writeFileSync(path.join(tmp.dir, 'v1.csv'), 'key,title,starts_at,time_zone\nin-backup,Backed up talk,2031-06-11 19:00,Europe/Berlin\n');
      assert.equal(cli(['import', path.join(tmp.dir, 'v1.csv'), '--db', db, '--publish']).status, 0);
      assert.equal(cli(['backup', '--db', db, '--backup-dir', backups]).status, 0);
      // A later publish, seen by a running instance: it keeps that snapshot on its disk.
      writeFileSync(path.join(tmp.dir, 'v2.csv'), 'key,title,starts_at,time_zone\nonly-local,Latest talk,2031-06-12 19:00,Europe/Berlin\n');
      assert.equal(cli(['import', path.join(tmp.dir, 'v2.csv'), '--db', db, '--publish']).status, 0);
      let server = await startServer(db, ['--backup-dir', backups, '--no-seed']);
      assert.equal((await getJson(`${server.url}/readyz`)).json.source, 'live');
      await server.stop();
      const kept = readdirSync(tmp.dir).filter((f) => /^live-snapshot-[0-9a-f]{12}\.jsonl$/.test(f));
      assert.equal(kept.length, 1, readdirSync(tmp.dir).join(' '));
      // The store becomes unreadable (as on a full or failed disk).
      writeFileSync(path.join(tmp.dir, 'store.db'), Buffer.alloc(64 * 1024, 0x5a));
      for (const f of ['store.db-wal', 'store.db-shm']) rmSync(path.join(tmp.dir, f), { force: true });
      server = await startServer(db, ['--backup-dir', backups, '--no-seed']);
      try {
        const ready = (await getJson(`${server.url}/readyz`)).json;
        assert.equal(ready.source, 'local', JSON.stringify(ready));
        assert.equal((await request(`${server.url}/api/v1/events/only-local`)).status, 200, 'the newer local snapshot, not the older backup');
        assert.equal((await request(`${server.url}/api/v1/events/hl27-001`)).status, 404, 'not the bundled demo');
        const status = JSON.parse((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${STAFF}` } })).body);
        assert.equal(status.source, 'local');
        assert.match(status.source_detail, /live-snapshot-[0-9a-f]{12}\.jsonl$/);
      } finally {
        await server.stop();
      }
    } finally {
      tmp.remove();
    }
  });

  test('a corrupted SQLite file: the newest backup is served, and status says so', async () => {
    const tmp = tempDir();
    try {
      const db = `sqlite:///${tmp.dir}/store.db`;
      const backups = path.join(tmp.dir, 'backups');
      writeFileSync(path.join(tmp.dir, 'extra.csv'), 'key,title,starts_at,time_zone\nonly-in-backup,Kept talk,2031-06-11 19:00,Europe/Berlin\n');
      assert.equal(cli(['import', path.join(tmp.dir, 'extra.csv'), '--db', db, '--publish']).status, 0);
      assert.equal(cli(['backup', '--db', db, '--backup-dir', backups]).status, 0);
      writeFileSync(path.join(tmp.dir, 'store.db'), Buffer.alloc(64 * 1024, 0x5a));
      for (const f of ['store.db-wal', 'store.db-shm']) rmSync(path.join(tmp.dir, f), { force: true });
      const server = await startServer(db, ['--backup-dir', backups]);
      try {
        const ready = (await getJson(`${server.url}/readyz`)).json;
        assert.equal(ready.source, 'backup');
        assert.equal((await request(`${server.url}/api/v1/events/only-in-backup`)).status, 200);
        const status = JSON.parse((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${STAFF}` } })).body);
        assert.equal(status.source, 'backup');
        assert.match(status.source_detail, /marquee-backup-.*\.jsonl\.gz$/);
        assert.equal(status.store.reachable, false);
        assert.ok(status.last_backup.size_bytes > 0);
        assert.equal((await register(server.url, 'x', 'only-in-backup')).status, 503);
      } finally {
        await server.stop();
      }
    } finally {
      tmp.remove();
    }
  });

  for (const kind of ['sqlite', 'postgres']) {
    test(`no store and no backup (${kind}): the bundled programme is served`, async () => {
      const tmp = tempDir();
      writeFileSync(path.join(tmp.dir, 'not-a-folder'), 'x');
      const port = spawnSync('bash', [path.join(process.env.MARQUEE_SOURCE_DIR, 'scripts/free-port.sh')], { encoding: 'utf8' }).stdout.trim();
      const db = kind === 'sqlite' ? `sqlite:///${tmp.dir}/not-a-folder/store.db` : `postgresql://postgres@127.0.0.1:${port}/none`;
      const server = await startServer(db);
      try {
        const ready = (await getJson(`${server.url}/readyz`)).json;
        assert.equal(ready.source, 'bundled');
        const events = (await getJson(`${server.url}/api/v1/events`)).json;
        assert.ok(events.total >= 150);
        assert.equal((await request(`${server.url}/`)).status, 200);
        assert.equal((await register(server.url, 'y')).status, 503);
      } finally {
        await server.stop();
        tmp.remove();
      }
    });
  }

  for (const kind of ['sqlite', 'postgres']) {
    test(`kill -9 during a publish and during a backup (${kind})`, async (t) => {
      const tmp = tempDir();
      const store = kind === 'sqlite' ? { url: `sqlite:///${tmp.dir}/kill.db`, drop() {} } : pgDatabase('killpub');
      if (!store) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set');
      try {
        writeFileSync(path.join(tmp.dir, 'small.csv'), 'key,title,starts_at,time_zone\nsmall-1,Small,2031-06-11 19:00,Europe/Berlin\n');
        assert.equal(cli(['import', path.join(tmp.dir, 'small.csv'), '--db', store.url, '--publish']).status, 0);
        bigCsv(path.join(tmp.dir, 'big.csv'), 20000);
        assert.equal(cli(['import', path.join(tmp.dir, 'big.csv'), '--db', store.url]).status, 0);

        const killAfter = (args, ms) => new Promise((resolve) => {
          const p = spawn(BIN, args, { stdio: 'ignore' });
          const timer = setTimeout(() => p.kill('SIGKILL'), ms);
          p.on('exit', (code, signal) => { clearTimeout(timer); resolve(signal || code); });
        });
        await killAfter(['publish', '--db', store.url, '--note', 'killed'], 150);
        const server = await startServer(store.url, ['--no-seed']);
        try {
          const ready = (await getJson(`${server.url}/readyz`)).json;
          assert.equal(ready.source, 'live');
          const served = (await getJson(`${server.url}/api/v1/events`)).json.total;
          // Either the old snapshot (1 event) or the new one (20,001), never a mix.
          assert.ok(served === 1 || served === 20001, `served ${served} events`);
          assert.equal(ready.snapshot, served === 1 ? 1 : 2);
        } finally {
          await server.stop();
        }

        const dir = path.join(tmp.dir, 'backups');
        mkdirSync(dir);
        await killAfter(['backup', '--db', store.url, '--backup-dir', dir], 120);
        for (const f of readdirSync(dir).filter((f) => f.startsWith('marquee-backup-'))) {
          const scratch = `sqlite:///${tmp.dir}/scratch-${f}.db`;
          const r = cli(['restore', path.join(dir, f), '--db', scratch]);
          assert.equal(r.status, 0, `a backup file that exists must be complete: ${r.stderr}`);
        }
        const complete = cli(['backup', '--db', store.url, '--backup-dir', dir]);
        assert.equal(complete.status, 0);
        assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')), 'the next backup cleans temporary files');
      } finally {
        store.drop();
        tmp.remove();
      }
    });
  }
});

describe('scheduled backups', () => {
  test('serve --backup-dir takes backups at the interval and keeps the newest N', async () => {
    const tmp = tempDir();
    const dir = path.join(tmp.dir, 'backups');
    const server = await startServer(`sqlite:///${tmp.dir}/store.db`, ['--backup-dir', dir, '--backup-interval', '1', '--backup-keep', '2']);
    try {
      const files = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz')) : []);
      await eventually(() => files().length === 2, 10_000);
      const first = files().sort()[0];
      await eventually(() => !files().includes(first), 10_000);  // rotated out by newer ones
      assert.ok(files().length <= 2);
      const status = JSON.parse((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${STAFF}` } })).body);
      assert.ok(status.last_backup.size_bytes > 1000);
      assert.equal(status.source, 'live');
    } finally {
      await server.stop();
      tmp.remove();
    }
  });
});
