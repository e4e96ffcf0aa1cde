#!/usr/bin/env bash
# Messages benchmark (issue 21): an event with 10,000 confirmed attendees and
# reminders "2h"; measured is the time from the reminder job starting at the
# reminders' moment (`marquee notify remind --at <start − 2 h>`, which writes
# the 10,000 outbox rows) to the SMTP sink on loopback accepting the last
# reminder delivered by `marquee notify run`. Baseline, as in bench/notify.sh:
# the same sink receiving 10,000 messages of the same size from nodemailer
# over the same number of connections. Then an operator's message to all
# 10,000 (`marquee attendees message`: one transaction writes every row) →
# the last accepted, against the same baseline. SQLite and PostgreSQL
# (durable settings).
#   bench/messages.sh [path/to/marquee]   (env: N=10000 SENDERS=4)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$bin"
fi
n="${N:-10000}"
senders="${SENDERS:-4}"
work=$(mktemp -d /tmp/marquee-messagesbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source "$here/mail_lib.sh"
start=$(date -u -d '2031-06-11 17:00' +%s)  # 19:00 in Europe/Berlin

printf 'Messages benchmark (%s cores, %s reminders, %s SMTP connections, sink: smtp-server on 127.0.0.1)\n' "$(nproc)" "$n" "$senders"
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    db="sqlite:///$work/messages.db"
  else
    psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "CREATE DATABASE messages_bench" >/dev/null
    db="${MARQUEE_TEST_PG_ADMIN_URL%/*}/messages_bench"
  fi
  printf 'key,title,starts_at,ends_at,time_zone,venue,room,capacity,registration\nbig,Big talk,2031-06-11 19:00,21:00,Europe/Berlin,Hall,A,%s,true\n' "$((n * 2))" >"$work/v1.csv"
  "$bin" import "$work/v1.csv" --db "$db" --publish >/dev/null 2>&1
  start_serve "$db"
  register_many "$port" "$n" big
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # The confirmations out of the way first.
  start_sink "$n"
  "$bin" notify run --db "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" >/dev/null
  wait_done "$sink_fd" >/dev/null
  "$bin" notify reminders --db "$db" --set 2h >/dev/null

  # The reminders: job → last reminder accepted.
  start_sink "$n"
  t0=$(now_ms)
  written=$("$bin" notify remind --db "$db" --at "$((start - 7200))")
  t1=$(now_ms)
  "$bin" notify run --at "$((start - 7200))" --db "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --notify-senders "$senders" >"$work/run.out"
  t2=$(wait_done "$sink_fd")
  reminder_bytes=$(( $(cat "$work/sink.bytes") / n ))  # the reminders' mean size
  job_ms=$((t1 - t0))
  total_ms=$((t2 - t0))
  status=$("$bin" notify status --db "$db" | tr '\n' ' ')

  # An operator's message to all of them: the send (one transaction writing 10,000 rows) → last accepted.
  printf 'Doors open at **18:30**: bring your ticket.\n' >"$work/body.md"
  start_sink "$n"
  t0=$(now_ms)
  sent=$("$bin" attendees message --db "$db" --event big --subject "Doors open early" --body-file "$work/body.md" | tail -1)
  t1=$(now_ms)
  "$bin" notify run --db "$db" --smtp-url "smtp://127.0.0.1:$sink_port" --mail-from programme@example.org \
    --public-url http://127.0.0.1:9 --notify-senders "$senders" >/dev/null
  t2=$(wait_done "$sink_fd")
  message_send_ms=$((t1 - t0))
  message_ms=$((t2 - t0))

  # Baseline: nodemailer, same sink, same count, the reminders' mean size, same connections.
  bytes=$reminder_bytes
  start_sink "$n"
  t0=$(now_ms)
  node "$here/smtp_baseline.mjs" "$sink_port" "$n" "$bytes" "$senders"
  t1=$(wait_done "$sink_fd")
  base_ms=$((t1 - t0))
  awk -v b="$backend" -v n="$n" -v j="$job_ms" -v t="$total_ms" -v base="$base_ms" -v w="$written" -v size="$bytes" 'BEGIN {
    printf "%-9s reminder job -> last reminder accepted: %6d ms (%5.0f msg/s; the job itself %d ms, %s) | baseline nodemailer (%d-byte messages): %6d ms (%5.0f msg/s) | ratio %.2f\n",
      b, t, n * 1000 / t, j, w, size, base, n * 1000 / base, t / base }'
  awk -v n="$n" -v s="$message_send_ms" -v t="$message_ms" -v base="$base_ms" -v w="$sent" 'BEGIN {
    printf "          message to all -> last accepted:        %6d ms (%5.0f msg/s; the send itself %d ms: %s) | ratio to the baseline %.2f\n",
      t, n * 1000 / t, s, w, t / base }'
  echo "          outbox after the reminders: $status"
done
