#!/usr/bin/env bash
# Door scans (issue 19): 8 gates (wrk -t8 -c8, bench/checkin.lua) scanning
# real tickets, one scan per request, at one re-entry check-in list on
# PostgreSQL with durable commits, 127.0.0.1. In the same run pgbench executes
# the same scan transaction as raw SQL (lock the list's occupancy row, look
# the ticket and its presence up, insert the scan, update presence and
# occupancy) with 8 clients, and the ratio Marquee/pgbench is printed.
#   bench/checkin.sh [path/to/marquee]   (env: DURATION=10s TICKETS=8000 CONNECTIONS=8 (phones
#   scanning at once, spread over the 8 gates; pgbench runs as many clients); KEEP=1 prints the
#   store's own counts of scans and occupancy at the end, to check the answers against)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$bin"
fi
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-8}"
tickets="${TICKETS:-8000}"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/marquee-checkinbench.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && psql "$db" -qAtc "SELECT outcome, count(*) FROM checkin_scans WHERE list_id = 1 GROUP BY outcome; SELECT * FROM checkin_occupancy; SELECT count(*), sum(entries) FROM checkin_presence WHERE list_id = 1"; rm -rf "$work"; }
trap cleanup EXIT
admin="$MARQUEE_TEST_PG_ADMIN_URL"
export STAFF_TOKEN="checkin-bench-staff-token-0123456789"

psql "$admin" -qAtc "CREATE DATABASE bench_checkin" >/dev/null
db="${admin%/*}/bench_checkin"
printf 'key,title,starts_at,ends_at,time_zone,venue,capacity,registration,waitlist\ngig,Door night,2031-06-11 19:00,23:00,Europe/Berlin,Speicherhalle,1000000,true,false\n' >"$work/gig.csv"
"$bin" import "$work/gig.csv" --db "$db" --publish >/dev/null
port=$(bash "$here/../scripts/free-port.sh")
MARQUEE_STAFF_TOKENS="$STAFF_TOKEN" "$bin" serve --db "$db" --host 127.0.0.1 --port "$port" --no-seed --registration-rate 0 \
  --registration-confirmation page --no-analytics >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url="http://127.0.0.1:$port"

# The tickets: registrations through the API (wrk, unique e-mails), their codes from the store.
EVENT_KEY=gig wrk -t2 -c32 -d30s -s "$here/register.lua" "$url" >/dev/null 2>&1 &
reg_pid=$!
for _ in $(seq 1 600); do
  n=$(psql "$db" -qAtc "SELECT count(*) FROM registrations")
  [ "$n" -ge "$tickets" ] && break
  sleep 0.1
done
kill "$reg_pid" 2>/dev/null; wait "$reg_pid" 2>/dev/null || true
psql "$db" -qAtc "SELECT ticket_code FROM registrations WHERE state = 'confirmed' ORDER BY id LIMIT $tickets" >"$work/codes.txt"
list=$(curl -sf -X POST "$url/api/v1/checkin-lists" -H "Authorization: Bearer $STAFF_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Main door","events":["gig"],"allow_reentry":true}' | sed -n 's/.*"id":\([0-9]*\).*/\1/p')

CODES_FILE="$work/codes.txt" LIST_ID="$list" wrk -t8 -c"$connections" -d"$duration" --latency -s "$here/checkin.lua" "$url" >"$work/wrk.out" 2>&1
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
status=$(curl -sf "$url/api/v1/checkin-lists/$list/status" -H "Authorization: Bearer $STAFF_TOKEN")

# The same transaction as raw SQL, on the same tables (its own list, so the counts above stay Marquee's).
pg_list=$(psql "$db" -qAtc "INSERT INTO checkin_lists (name, allow_reentry, created_at, updated_at) VALUES ('pgbench', TRUE, 0, 0) RETURNING id")
psql "$db" -qAtc "INSERT INTO checkin_occupancy (list_id) VALUES ($pg_list); INSERT INTO checkin_list_events VALUES ($pg_list, 'gig')" >/dev/null
cat >"$work/scan.sql" <<SQL
\set n random(1, $tickets)
\set sid random(1, 2000000000)
BEGIN;
SELECT inside FROM checkin_occupancy WHERE list_id = $pg_list FOR UPDATE;
SELECT id, event_key, state, name FROM registrations WHERE id = :n;
SELECT device FROM checkin_scans WHERE device = 'pg-' || :client_id AND scan_id = :sid::text;
SELECT inside, entries, exits FROM checkin_presence WHERE list_id = $pg_list AND registration_id = :n;
INSERT INTO checkin_scans (list_id, device, scan_id, code, registration_id, direction, scanned_at, received_at, outcome) VALUES ($pg_list, 'pg-' || :client_id, :sid::text || '-' || random()::text, 'X', :n, 'entry', 0, 0, 'admitted');
DELETE FROM checkin_presence WHERE list_id = $pg_list AND registration_id = :n;
INSERT INTO checkin_presence (list_id, registration_id, inside, entries) VALUES ($pg_list, :n, TRUE, 1);
UPDATE checkin_occupancy SET inside = inside + 1, entries = entries + 1 WHERE list_id = $pg_list;
COMMIT;
SQL
"$pg_bin/pgbench" -n -f "$work/scan.sql" -c "$connections" -j 2 -T "${duration%s}" "$db" >"$work/pgbench.out" 2>&1 || cat "$work/pgbench.out"
pg_tps=$(awk '/^tps =/ {print $3}' "$work/pgbench.out" | tail -1)
pg_lat=$(awk '/^latency average/ {print $4 "ms"}' "$work/pgbench.out")

printf 'Door scans: 8 gates, %s phones (wrk -t8 -c%s -d%s), one scan per request, one re-entry list, %s tickets, PostgreSQL with fsync and synchronous_commit on, 127.0.0.1, %s cores\n' \
  "$connections" "$connections" "$duration" "$(wc -l <"$work/codes.txt")" "$(nproc)"
printf '%-34s %12s %10s %10s %8s\n' "target" "scans/s" "p50" "p99" "ratio"
printf '%-34s %12s %10s %10s %8s\n' "marquee POST …/scans" "$rps" "$p50" "$p99" "$(awk -v a="$rps" -v b="$pg_tps" 'BEGIN {printf "%.2f", a / b}')"
printf '%-34s %12.0f %10s %10s %8s\n' "pgbench same transaction" "$pg_tps" "avg $pg_lat" "" "1.00"
echo "answers: $(grep -h '^outcome' "$work/wrk.out" | sort | sed 's/^outcome //' | paste -sd ' ' -)"
echo "list status after the run: $status"
grep -h -E 'Non-2xx|Socket errors' "$work/wrk.out" | sed 's/^/wrk: /' || true
