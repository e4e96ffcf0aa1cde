#!/usr/bin/env bash
# Notification benchmark: an event with 10,000 registrations is moved and
# published; measured is the time from `marquee publish` starting to the
# SMTP sink on loopback accepting the last of the 10,000 change messages,
# delivered by the worker inside a running `marquee serve` (quiet period 0).
# Also: 10,000 confirmations drained by `marquee notify run`. Baseline: the
# same sink receiving 10,000 messages of the same size from nodemailer over
# the same number of connections. SQLite and PostgreSQL (durable settings).
#   bench/notify.sh [path/to/marquee]   (env: N=10000 SENDERS=4)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$bin"
fi
n="${N:-10000}"
senders="${SENDERS:-4}"
sink="$here/../tests/integration/smtp_sink.mjs"
work=$(mktemp -d /tmp/marquee-notifybench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

# Starts a counting sink expecting $1 messages; sets sink_port and sink_out.
start_sink() {
  sink_out="$work/sink-$RANDOM.out"
  mkdir -p "$work/mail"
  node "$sink" --dir "$work/mail" --count-only --expect "$1" >"$sink_out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 200); do grep -q listening "$sink_out" 2>/dev/null && break; sleep 0.05; done
  sink_port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$sink_out")
}
wait_done() {  # prints the epoch ms at which the sink accepted the last message
  until grep -q '^done ' "$1"; do sleep 0.02; done
  sed -n 's/^done \([0-9]*\)$/\1/p' "$1"
}

printf 'Notification benchmark (%s cores, %s messages, %s SMTP connections, sink: smtp-server on 127.0.0.1)\n' "$(nproc)" "$n" "$senders"
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    db="sqlite:///$work/notify.db"
  else
    psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "CREATE DATABASE notify_bench" >/dev/null
    db="${MARQUEE_TEST_PG_ADMIN_URL%/*}/notify_bench"
  fi
  printf 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration\nbig,Big talk,2031-06-11 19:00,21:00,Europe/Berlin,Hall,A,%s,true\n' "$((n * 2))" >"$work/v1.csv"
  "$bin" import "$work/v1.csv" --db "$db" --publish >/dev/null 2>&1
  "$bin" notify settings --db "$db" --quiet-seconds 0 >/dev/null
  port=$(bash "$here/../scripts/free-port.sh")
  "$bin" serve --db "$db" --port "$port" --no-seed --registration-rate 0 >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 400); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
  node -e '
    const http = require("node:http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const [port, n] = process.argv.slice(1).map(Number);
    let next = 0, bad = 0;
    const one = (i) => new Promise((res) => {
      const body = JSON.stringify({ name: `Person ${i}`, email: `p${i}@example.org` });
      const req = http.request({ host: "127.0.0.1", port, agent, method: "POST", path: "/api/v1/events/big/registrations",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (r) => { r.resume(); if (r.statusCode !== 201) bad++; r.on("end", res); });
      req.end(body);
    });
    (async () => { await Promise.all(Array.from({ length: 32 }, async () => { while (next < n) await one(next++); })); if (bad) { console.error(bad + " registrations failed"); process.exit(1); } })();
  ' "$port" "$n"
  kill "$pid"; wait "$pid" 2>/dev/null || true

  # 1. The confirmations, drained by one `notify run`.
  start_sink "$n"
  t0=$(now_ms)
  "$bin" notify run --db "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" >"$work/run.out"
  t1=$(wait_done "$sink_out")
  confirm_ms=$((t1 - t0))
  bytes=5000  # about the size of one change message with its calendar entry

  # 2. The move: publish → last change message accepted, by the worker inside serve.
  start_sink "$n"
  "$bin" serve --db "$db" --port "$port" --no-seed --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" --notify-poll-ms 1000 >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 400); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
  printf 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration\nbig,Big talk,2031-06-11 20:00,22:00,Europe/Berlin,Hall,B,%s,true\n' "$((n * 2))" >"$work/v2.csv"
  "$bin" import "$work/v2.csv" --db "$db" >/dev/null
  t0=$(now_ms)
  "$bin" publish --db "$db" --note "move" >/dev/null
  t1=$(now_ms)
  publish_ms=$((t1 - t0))
  t2=$(wait_done "$sink_out")
  move_ms=$((t2 - t0))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  status=$("$bin" notify status --db "$db" | tr '\n' ' ')

  # Baseline: nodemailer, same sink, same message count and size, same connections.
  start_sink "$n"
  t0=$(now_ms)
  node "$here/smtp_baseline.mjs" "$sink_port" "$n" "$bytes" "$senders"
  t1=$(wait_done "$sink_out")
  base_ms=$((t1 - t0))
  awk -v b="$backend" -v n="$n" -v c="$confirm_ms" -v m="$move_ms" -v p="$publish_ms" -v base="$base_ms" 'BEGIN {
    printf "%-9s confirmations by notify run: %6d ms (%5.0f msg/s) | publish -> last change accepted: %6d ms (%5.0f msg/s; the publish itself %d ms) | baseline nodemailer: %6d ms (%5.0f msg/s) | ratio %.2f\n",
      b, c, n * 1000 / c, m, n * 1000 / m, p, base, n * 1000 / base, m / base }' 
  echo "          outbox after: $status"
done
