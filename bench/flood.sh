#!/usr/bin/env bash
# Connection-flood benchmark (issue 13, item 1), loopback only and bounded:
# `marquee serve` under `ulimit -n 1024` receives 1,100 idle connections (more
# than it has descriptors) plus 2,000 connections that trickle a request head;
# meanwhile 200 probes (GET /readyz, one connection each) are timed. Prints the
# probes' p50/p99/max latency, failed probes, the server's log bytes and RSS.
# Baseline in the same run: the same probes with no flood.
#   bench/flood.sh [path/to/marquee]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/marquee}"
work=$(mktemp -d /tmp/marquee-flood.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(bash "$here/../scripts/free-port.sh")
bash -c "ulimit -n 1024 && exec \"$bin\" serve --db sqlite:///$work/flood.db --host 127.0.0.1 --port $port" \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$work/out" || { cat "$work/err"; exit 1; }

cat >"$work/flood.mjs" <<'JS'
import net from 'node:net';
import http from 'node:http';
const [port, idle, trickle, probes] = process.argv.slice(2).map(Number);
const sockets = [];
const open = (onConnect) => new Promise((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => { onConnect?.(s); resolve(); });
  s.on('error', () => resolve());
  sockets.push(s);
});
const probe = () => new Promise((resolve) => {
  const t = process.hrtime.bigint();
  const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 10000 }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - t) / 1e6 : null));
  });
  req.on('timeout', () => { req.destroy(); resolve(null); });
  req.on('error', () => resolve(null));
});
const measure = async () => {
  const times = [];
  let failed = 0;
  for (let i = 0; i < probes; ++i) { const ms = await probe(); if (ms === null) failed++; else times.push(ms); }
  times.sort((a, b) => a - b);
  const at = (q) => times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2) : 'n/a';
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms, failed ${failed}/${probes}`;
};
console.log(`baseline (no flood): ${await measure()}`);
for (let i = 0; i < idle; ++i) await open();
for (let i = 0; i < trickle; ++i) await open((s) => s.write('GET /readyz HTTP/1.1\r\nHost: x\r\n'));
console.log(`under ${idle} idle + ${trickle} trickling connections: ${await measure()}`);
sockets.forEach((s) => s.destroy());
JS
printf 'Connection flood: marquee serve under ulimit -n 1024, %s cores, 127.0.0.1\n' "$(nproc)"
node "$work/flood.mjs" "$port" 1100 2000 200
printf 'server log: %s bytes; RSS %s KiB; still answering: %s\n' "$(stat -c %s "$work/err")" \
  "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
