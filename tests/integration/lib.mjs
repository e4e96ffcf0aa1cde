// Helpers for integration tests: start the real `marquee` binary on a free
// port (--port 0; the port is read from its first stdout line), run CLI
// commands, make raw HTTP requests. Everything stays on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = process.env.MARQUEE_BIN;
export const SOURCE_DIR = process.env.MARQUEE_SOURCE_DIR;
export const SHARED_DATA = path.join(SOURCE_DIR, '..', 'shared', 'data');
if (!BIN) throw new Error('MARQUEE_BIN is not set: run through ctest');

export function tempDir(prefix = 'marquee-it-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `marquee ARGS…` to completion (30 s limit); returns {status, stdout, stderr}. */
export function cli(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `marquee serve` and resolves once it listens. `fdLimit` runs it
 * under `ulimit -n` (soft and hard file-descriptor limit); `env` replaces
 * the environment.
 */
export function startServer(db, extraArgs = [], cwd = undefined, { fdLimit, env } = {}) {
  return new Promise((resolve, reject) => {
    const poll = extraArgs.includes('--poll-ms') ? [] : ['--poll-ms', '200'];
    const args = ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0', ...poll, ...extraArgs];
    const proc = fdLimit
      ? spawn('bash', ['-c', `ulimit -n ${fdLimit} && exec "$0" "$@"`, BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(BIN, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`server did not start:\n${err}`)); }, 30_000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1], proc, stderr: () => err, stdout: () => out,
          stop: () => new Promise((res) => {
            if (proc.exitCode !== null) return res(proc.exitCode);
            proc.once('exit', (code) => res(code));
            proc.kill('SIGTERM');
          }),
        });
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${err}`)); });
  });
}

/** A raw HTTP request (no automatic decompression). Resolves {status, headers, body: Buffer}. */
export function request(url, { method = 'GET', headers = {}, body } = {}) {
  // A body always goes with its Content-Length: node frames nothing by itself for DELETE (no
  // chunked default), and the unframed bytes would start the next request on a kept-alive socket.
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers = { ...headers, 'content-length': Buffer.byteLength(body) };
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);  // the connection dropped after the head: 'end' never comes
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function getJson(url) {
  const r = await request(url);
  return { ...r, json: JSON.parse(r.body.toString('utf8')) };
}

/** Polls `check` every 100 ms until it returns truthy or `ms` pass. */
export async function eventually(check, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { last = await check(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${ms} ms (last: ${last})`);
}

/**
 * A private PostgreSQL cluster this test may stop and start (not the shared
 * test cluster). Returns {url, start(), stop(), destroy()}.
 */
export function privatePostgres(name = 'fault') {
  const pgBin = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1'], { encoding: 'utf8' }).stdout.trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'marquee-pg-'));
  const root = process.getuid && process.getuid() === 0;
  if (root) spawnSync('chown', ['postgres:postgres', dir]);
  const run = (cmd, args) => {
    const r = root ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    return r;
  };
  const port = spawnSync('bash', [path.join(SOURCE_DIR, 'scripts/free-port.sh')], { encoding: 'utf8' }).stdout.trim();
  run(`${pgBin}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const pg = {
    url: `postgresql://postgres@127.0.0.1:${port}/${name}`,
    start() {
      run(`${pgBin}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-t', '60', '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
    },
    stop() { run(`${pgBin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']); },
    destroy() {
      try { run(`${pgBin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  run(`${pgBin}/createdb`, ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', name]);
  return pg;
}

/**
 * A fresh database `name`_<pid> on the shared test cluster
 * (MARQUEE_TEST_PG_ADMIN_URL), or null when there is none.
 * Returns {url, drop()}.
 */
export function pgDatabase(name) {
  const admin = process.env.MARQUEE_TEST_PG_ADMIN_URL;
  if (!admin) return null;
  const db = `${name}_${process.pid}`;
  const run = (sql) => spawnSync('psql', [admin, '-qAtc', sql], { encoding: 'utf8' });
  run(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  const created = run(`CREATE DATABASE ${db}`);
  if (created.status !== 0) throw new Error(`CREATE DATABASE ${db}: ${created.stderr}`);
  return { url: admin.replace(/\/[^/]*$/, `/${db}`), drop: () => run(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`) };
}

/** A store of either kind for a test: SQLite in `dir`, or a fresh PostgreSQL database. */
export function testStore(backend, dir, name) {
  if (backend === 'sqlite') return { url: `sqlite:///${dir}/${name}.db`, drop() {} };
  return pgDatabase(name);
}

/** Rows of `query` on the PostgreSQL database at `url` (psql), each an array of text fields. */
export function psqlRows(url, query) {
  const r = spawnSync('psql', [url, '-qAtF', '\t', '-c', query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}
