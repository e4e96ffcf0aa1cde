// A production-shaped set-up on loopback for tests and benchmarks: N
// `marquee serve` instances reading one configuration file, on one store,
// behind a real nginx configured from the shipped deploy/ files (only ports
// and paths replaced). Used by launch.test.mjs and bench/launch.sh.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { BIN, SOURCE_DIR } from './lib.mjs';

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves when `proc` prints `pattern` on stdout (30 s at most); rejects if it exits first. */
function waitForLine(proc, pattern, what, stderr) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${what} did not start:\n${stderr()}`)); }, 30_000);
    const onData = (d) => {
      out += d;
      const m = out.match(pattern);
      if (m) { clearTimeout(timer); proc.stdout.off('data', onData); proc.off('exit', onExit); resolve(m); }
    };
    const onExit = (code) => { clearTimeout(timer); reject(new Error(`${what} exited with ${code}:\n${stderr()}`)); };
    proc.stdout.on('data', onData);
    proc.once('exit', onExit);
  });
}

/** One `marquee serve --config CONF --port PORT`; resolves once it listens. */
async function startInstance(conf, port, env) {
  const proc = spawn(BIN, ['serve', '--config', conf, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; if (err.length > 4_000_000) err = err.slice(-2_000_000); });
  await waitForLine(proc, /listening on http:\/\/127\.0\.0\.1:\d+/, `instance on port ${port}`, () => err);
  proc.stdout.resume();
  return { port, url: `http://127.0.0.1:${port}`, proc, stderr: () => err };
}

/** The shipped nginx site with this set-up's ports and folders. */
function nginxSite(dir, listenPort, instancePorts) {
  let site = readFileSync(path.join(SOURCE_DIR, 'deploy', 'nginx-marquee.conf'), 'utf8');
  const servers = instancePorts.map((p) => `    server 127.0.0.1:${p} max_fails=3 fail_timeout=10s;\n`).join('');
  site = site.replace(/( {4}server 127\.0\.0\.1:808\d[^\n]*\n)+/, servers);
  if (!site.includes(servers)) throw new Error('deploy/nginx-marquee.conf: no upstream server lines to replace');
  site = site.replace('listen 80;', `listen 127.0.0.1:${listenPort};`).replace(/ *listen \[::\]:80;\n/, '');
  site = site.replaceAll('/etc/nginx/marquee-proxy.conf', path.join(dir, 'marquee-proxy.conf'));
  site = site.replace('/var/cache/nginx/marquee', path.join(dir, 'cache'));
  return site;
}

/**
 * Starts `instances` instances on `db` and nginx in front. `settings`: extra
 * marquee.toml lines (key = value); `env`: the instances' environment.
 * Returns {url (nginx), instances: [{port, url, proc, stderr}], kill(i),
 * restart(i), stop(), nginxErrors()}.
 */
export async function startCluster({ dir, db, instances = 3, settings = {}, env = process.env }) {
  const conf = path.join(dir, 'marquee.toml');
  const lines = {
    db: JSON.stringify(db), host: '"127.0.0.1"', trusted_proxy: '["127.0.0.1"]', drain_seconds: 5,
    log_format: '"json"', ...settings,
  };
  writeFileSync(conf, Object.entries(lines).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  const ports = [];
  for (let i = 0; i < instances; ++i) ports.push(await freePort());
  // The first instance migrates and seeds; the others start once it listens.
  const running = [await startInstance(conf, ports[0], env)];
  running.push(...await Promise.all(ports.slice(1).map((p) => startInstance(conf, p, env))));

  const nginxDir = path.join(dir, 'nginx');
  mkdirSync(path.join(nginxDir, 'tmp'), { recursive: true });
  mkdirSync(path.join(nginxDir, 'cache'), { recursive: true });
  writeFileSync(path.join(nginxDir, 'marquee-proxy.conf'), readFileSync(path.join(SOURCE_DIR, 'deploy', 'nginx-marquee-proxy.conf')));
  const nginxPort = await freePort();
  writeFileSync(path.join(nginxDir, 'site.conf'), nginxSite(nginxDir, nginxPort, ports));
  const tmp = path.join(nginxDir, 'tmp');
  writeFileSync(path.join(nginxDir, 'nginx.conf'), `worker_processes 2;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
daemon off;
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};
  include ${nginxDir}/site.conf;
}
`);
  const nginxArgs = ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf')];
  const check = spawnSync('nginx', [...nginxArgs, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr}`);
  const nginx = spawn('nginx', nginxArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${nginxPort}`;
  for (let i = 0; ; ++i) {  // nginx prints nothing when ready: connect until it accepts
    const ok = await new Promise((resolve) => {
      const s = net.connect(nginxPort, '127.0.0.1', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 300 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${readFileSync(path.join(nginxDir, 'error.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 20));
  }

  const exited = (proc) => (proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((r) => proc.once('exit', (code) => r(code))));
  return {
    url,
    instances: running,
    conf,
    /** SIGKILL instance `i`; resolves once it is gone. */
    async kill(i) {
      const p = running[i].proc;
      const gone = exited(p);
      p.kill('SIGKILL');
      await gone;
    },
    /** Starts instance `i` again on its port; resolves once it listens. */
    async restart(i) {
      running[i] = await startInstance(conf, ports[i], env);
      return running[i];
    },
    /** SIGTERM to every instance (exit codes) and nginx. */
    async stop() {
      const codes = await Promise.all(running.map(async (r) => {
        const done = exited(r.proc);
        r.proc.kill('SIGTERM');
        return done;
      }));
      const nginxDone = exited(nginx);
      nginx.kill('SIGQUIT');
      await nginxDone;
      return codes;
    },
    nginxErrors: () => readFileSync(path.join(nginxDir, 'error.log'), 'utf8'),
  };
}
