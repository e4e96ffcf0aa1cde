// SIGTERM drains on PostgreSQL (issue 18): with the mail worker stuck on an
// SMTP server that never answers DATA, a stop gives the outbox rows it claimed
// but never tried back at once (no lease left, the attempt not counted), so
// another instance can send them without waiting out the lease; the buffered
// analytics are written; the process exits 0 within the SMTP timeout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startSink } from './mail_lib.mjs';
import { eventually, pgDatabase, psqlRows, request, startServer, tempDir } from './lib.mjs';

const sql = psqlRows;

describe('a graceful stop on PostgreSQL', () => {
  let tmp, pg, sink;
  before(async (t) => {
    pg = pgDatabase('marquee_drain');
    if (!pg) return t.skip('MARQUEE_TEST_PG_ADMIN_URL not set (run through make test)');
    tmp = tempDir('marquee-drain-');
    sink = await startSink(tmp.dir, ['--hang']);
  });
  after(async () => {
    await sink?.stop();
    pg?.drop();
    tmp?.remove();
  });

  test('claimed outbox rows go back, analytics are written, exit 0 within the bound', async () => {
    const server = await startServer(pg.url, [
      '--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-timeout', '3', '--notify-senders', '1',
      '--registration-rate', '0', '--registration-confirmation', 'page', '--analytics-flush-ms', '600000',
      '--drain-seconds', '10',
    ]);
    let stopped;
    try {
      for (let i = 0; i < 6; ++i) {
        const r = await request(`${server.url}/api/v1/events/hl27-023/registrations`, {
          method: 'POST', body: JSON.stringify({ name: `Drain ${i}`, email: `drain-${i}@example.org` }),
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(r.status, 201, r.body.toString());
      }
      // Views to be counted; the flush interval is ten minutes away, so only the stop writes them.
      const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' };
      for (let i = 0; i < 4; ++i) assert.equal((await request(`${server.url}/events/hl27-023`, { headers: browser })).status, 200);
      // The worker claimed the confirmations and is stuck sending the first one.
      await eventually(() => {
        const [[claimed]] = sql(pg.url, "SELECT count(*) FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL");
        return Number(claimed) >= 2;
      }, 10_000);
      const [[views]] = sql(pg.url, "SELECT COALESCE(SUM(count), 0) FROM analytics_counts WHERE kind = 'view' AND event_key = 'hl27-023'");
      assert.equal(Number(views), 0, 'nothing flushed yet');
    } finally {
      const t0 = Date.now();
      const code = await server.stop();
      stopped = { code, ms: Date.now() - t0, log: server.stderr() };
    }
    assert.equal(stopped.code, 0, stopped.log);
    assert.ok(stopped.ms < 12000, `stopped in ${stopped.ms} ms (SMTP timeout 3 s, drain bound 10 s)`);
    assert.match(stopped.log, /claimed messages given back to the outbox/);
    // No row is left with a lease; the tried one counts its attempt, the others none.
    const rows = sql(pg.url, "SELECT claimed_by IS NULL, attempts FROM outbox WHERE state = 'pending' ORDER BY id");
    assert.ok(rows.length >= 6, `${rows.length} pending rows`);
    assert.deepEqual(rows.filter(([free]) => free !== 't'), [], 'no pending row keeps a lease');
    // Rows the worker tried (each waited out the 3 s SMTP timeout) count one attempt; the rows it
    // had claimed but not tried when the stop came count none (how many of each depends on timing).
    const attempts = rows.map(([, a]) => Number(a));
    assert.ok(attempts.every((a) => a <= 1), `attempts: ${attempts.join(',')}`);
    assert.ok(attempts.filter((a) => a === 0).length >= 1, `attempts: ${attempts.join(',')}`);
    // The stop wrote the buffered views.
    const [[views]] = sql(pg.url, "SELECT COALESCE(SUM(count), 0) FROM analytics_counts WHERE kind = 'view' AND event_key = 'hl27-023'");
    assert.equal(Number(views), 4);
  });
});
