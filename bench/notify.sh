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
work=$(mktemp -d /tmp/marquee-notifybench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source "$here/mail_lib.sh"

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
  start_serve "$db"
  register_many "$port" "$n" big
  kill "$pid"; wait "$pid" 2>/dev/null || true

  # 1. The confirmations, drained by one `notify run`.
  start_sink "$n"
  t0=$(now_ms)
  "$bin" notify run --db "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" >"$work/run.out"
  t1=$(wait_done "$sink_fd")
  confirm_ms=$((t1 - t0))

  # 2. The move: publish → last change message accepted, by the worker inside serve.
  start_sink "$n"
  start_serve "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" --notify-poll-ms 1000
  printf 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration\nbig,Big talk,2031-06-11 20:00,22:00,Europe/Berlin,Hall,B,%s,true\n' "$((n * 2))" >"$work/v2.csv"
  "$bin" import "$work/v2.csv" --db "$db" >/dev/null
  t0=$(now_ms)
  "$bin" publish --db "$db" --note "move" >/dev/null
  t1=$(now_ms)
  publish_ms=$((t1 - t0))
  t2=$(wait_done "$sink_fd")
  move_ms=$((t2 - t0))
  bytes=$(( $(cat "$work/sink.bytes") / n ))  # the change messages' mean size, with their calendar entries
  kill "$pid"; wait "$pid" 2>/dev/null || true
  status=$("$bin" notify status --db "$db" | tr '\n' ' ')

  # Baseline: nodemailer, same sink, same message count and (mean) size, same connections.
  start_sink "$n"
  t0=$(now_ms)
  node "$here/smtp_baseline.mjs" "$sink_port" "$n" "$bytes" "$senders"
  t1=$(wait_done "$sink_fd")
  base_ms=$((t1 - t0))
  awk -v b="$backend" -v n="$n" -v c="$confirm_ms" -v m="$move_ms" -v p="$publish_ms" -v base="$base_ms" -v size="$bytes" 'BEGIN {
    printf "%-9s confirmations by notify run: %6d ms (%5.0f msg/s) | publish -> last change accepted: %6d ms (%5.0f msg/s; the publish itself %d ms) | baseline nodemailer (%d-byte messages): %6d ms (%5.0f msg/s) | ratio %.2f\n",
      b, c, n * 1000 / c, m, n * 1000 / m, p, size, base, n * 1000 / base, m / base }' 
  echo "          outbox after: $status"
done
