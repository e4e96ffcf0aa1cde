#!/usr/bin/env bash
# Registration benchmark: a bounded storm (wrk + bench/register.lua, unique
# e-mails, 127.0.0.1) against one hot event, on SQLite and on PostgreSQL with
# durable commits; in the same run pgbench executes the same single-registration
# transaction as raw SQL, and the ratio Marquee/pgbench is printed. Then a
# 10,000-place event is sold out by 1,000 concurrent clients and the answers
# are counted (only 201, 202 and 409 are acceptable).
#   bench/register.sh [path/to/marquee]   (env: DURATION=10s CONNECTIONS=64)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$bin"
fi
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
ulimit -n 65536 2>/dev/null || true
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/marquee-regbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
admin="$MARQUEE_TEST_PG_ADMIN_URL"

start_server() {  # db-url -> sets url, pid
  local port
  port=$(bash "$here/../scripts/free-port.sh")
  "$bin" serve --db "$1" --host 127.0.0.1 --port "$port" --no-seed --registration-rate 0 --worker-threads 64 \
    >"$work/serve-$port.out" 2>"$work/serve-$port.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 200); do grep -q "listening on" "$work/serve-$port.out" 2>/dev/null && break; sleep 0.05; done
  url="http://127.0.0.1:$port"
}

new_db() {  # backend name -> prints URL
  if [ "$1" = sqlite ]; then echo "sqlite:///$work/$2.db"; return; fi
  psql "$admin" -qAtc "CREATE DATABASE $2" >/dev/null
  echo "${admin%/*}/$2"
}

events_csv() {  # key capacity waitlist
  printf 'key,title,starts_at,ends_at,time_zone,capacity,registration,waitlist\n%s,Bench %s,2031-06-11 19:00,21:00,Europe/Berlin,%s,true,%s\n' \
    "$1" "$1" "$2" "$3" >"$work/$1.csv"
  echo "$work/$1.csv"
}

wrk_run() {  # url event connections -> writes $work/wrk.out
  EVENT_KEY="$2" wrk -t2 -c"$3" -d"$duration" --latency -s "$here/register.lua" "$1" >"$work/wrk.out" 2>&1
}

printf 'Registration benchmark: one hot event, wrk -t2 -c%s -d%s, 127.0.0.1, %s cores, PostgreSQL with fsync and synchronous_commit on\n' \
  "$connections" "$duration" "$(nproc)"
printf '%-34s %12s %10s %10s %10s\n' "target" "regs/s" "p50" "p99" "ratio"
for backend in sqlite postgres; do
  db=$(new_db "$backend" "bench_hot")
  "$bin" import "$(events_csv bench-hot 100000000 false)" --db "$db" --publish >/dev/null 2>&1
  start_server "$db"
  wrk_run "$url" bench-hot "$connections"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  created=$(awk '/^status 201:/ {print $3}' "$work/wrk.out")
  other=$(grep '^status' "$work/wrk.out" | grep -v '^status 201:' || true)
  secs=${duration%s}
  confirmed_rps=$(awk -v c="${created:-0}" -v s="$secs" 'BEGIN {printf "%.0f", c / s}')
  if [ "$backend" = postgres ]; then
    # The same transaction as raw SQL: lock the counter, check the event, the
    # e-mail, take the place, insert the registration, its move and an outbox row.
    cat >"$work/register.sql" <<'SQL'
\set r random(1, 2000000000)
BEGIN;
SELECT capacity, confirmed, waitlisted FROM event_counters WHERE event_key = 'bench-pg' FOR UPDATE;
SELECT status, registration, starts_at FROM events WHERE key = 'bench-pg';
SELECT id FROM registrations WHERE event_key = 'bench-pg' AND email = 'pg' || :client_id || '-' || :r || '@example.org' AND state IN ('confirmed', 'waitlisted', 'checked_in');
UPDATE event_counters SET confirmed = confirmed + 1 WHERE event_key = 'bench-pg' AND (capacity IS NULL OR confirmed < capacity) RETURNING confirmed;
INSERT INTO registrations (event_key, state, name, email, answers, token_hash, ticket_code, request_hash, first_status, created_at, updated_at) VALUES ('bench-pg', 'confirmed', 'PG bench', 'pg' || :client_id || '-' || :r || '@example.org', '', md5(random()::text) || md5(random()::text), md5(random()::text), '', 201, 0, 0) RETURNING id \gset
INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) VALUES (:id, NULL, 'confirmed', 0, 'attendee');
INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at) VALUES ('registration_confirmed', 'bench-pg', :id, 'registration_confirmed:' || :id, 0);
COMMIT;
SQL
    "$bin" import "$(events_csv bench-pg 100000000 false)" --db "$db" --publish >/dev/null 2>&1
    # Its counter row, which Marquee makes on the first registration: here before the run.
    psql "$db" -v ON_ERROR_STOP=1 -qAtc "INSERT INTO event_counters (event_key, capacity) SELECT key, capacity FROM events WHERE key = 'bench-pg' ON CONFLICT DO NOTHING" >/dev/null
    PGOPTIONS="" "$pg_bin/pgbench" -n -f "$work/register.sql" -c "$connections" -j 2 -T "${secs}" "$db" >"$work/pgbench.out" 2>&1 || cat "$work/pgbench.out"
    pg_tps=$(awk '/^tps =/ {print $3}' "$work/pgbench.out" | tail -1)
    pg_taken=$(psql "$db" -qAtc "SELECT confirmed FROM event_counters WHERE event_key = 'bench-pg'")
    [ "${pg_taken:-0}" -gt 0 ] || { echo "pgbench took no place on bench-pg's counter row" >&2; exit 1; }
    pg_lat=$(awk '/^latency average/ {print $4 "ms"}' "$work/pgbench.out")
    ratio=$(awk -v a="$confirmed_rps" -v b="$pg_tps" 'BEGIN {printf "%.2f", a / b}')
    printf '%-34s %12s %10s %10s %10s\n' "marquee POST (postgres)" "$confirmed_rps" "$p50" "$p99" "$ratio"
    printf '%-34s %12.0f %10s %10s %10s\n' "pgbench same transaction" "$pg_tps" "avg $pg_lat" "" "1.00"
  else
    printf '%-34s %12s %10s %10s %10s\n' "marquee POST (sqlite)" "$confirmed_rps" "$p50" "$p99" "-"
  fi
  [ -n "$other" ] && printf '  other answers: %s\n' "$(echo "$other" | tr '\n' ' ')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

# Sell-out: 10,000 places, 1,000 concurrent clients.
db=$(new_db postgres "bench_sellout")
"$bin" import "$(events_csv sellout 10000 false)" --db "$db" --publish >/dev/null 2>&1
start_server "$db"
DURATION=10s
EVENT_KEY=sellout wrk -t2 -c1000 -d10s -s "$here/register.lua" "$url" >"$work/sellout.out" 2>&1
confirmed=$(curl -s "$url/api/v1/events/sellout" >/dev/null; psql "$db" -qAtc "SELECT confirmed FROM event_counters WHERE event_key = 'sellout'")
rows=$(psql "$db" -qAtc "SELECT count(*) FROM registrations WHERE event_key = 'sellout' AND state = 'confirmed'")
printf 'sell-out (postgres, 10,000 places, wrk -c1000 -d10s): %s\n' "$(grep '^status' "$work/sellout.out" | sort | tr '\n' ' ')"
printf '  socket errors: %s\n' "$(grep -o 'Socket errors:.*' "$work/sellout.out" || echo none)"
printf '  confirmed in the store: %s (counter %s)\n' "$rows" "$confirmed"
# Every confirmation must reach its client (the places sell out in a few
# seconds, so none is still in flight when wrk stops); one that does not was
# lost with its connection.
answered=$(awk '/^status 201:/ {print $3}' "$work/sellout.out")
printf '  confirmations answered: %s of %s\n' "${answered:-0}" "$rows"
# The goal (issue 22): exactly as many confirmations as places, each answered, and no
# answer but 201 and 409 (sold out).
unexpected=$(grep '^status' "$work/sellout.out" | grep -Ev '^status (201|409):' || true)
if [ "$rows" != 10000 ] || [ "$confirmed" != 10000 ] || [ "${answered:-0}" != 10000 ] || [ -n "$unexpected" ]; then
  echo "sell-out wrong: 10,000 places, $rows confirmed rows, counter $confirmed, $answered answered with 201; other answers: ${unexpected:-none}" >&2
  exit 1
fi
