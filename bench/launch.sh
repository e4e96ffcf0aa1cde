#!/usr/bin/env bash
# Launch spike (issue 18): three instances behind nginx (configured from
# deploy/) on one PostgreSQL with durable commits, all on 127.0.0.1. First the
# page mix of a launch (bench/launch.lua: event pages, programme, searches,
# API; 50,000 visitors) alone, then the same reads together with a
# registration storm on one hot event (bench/register.lua). Prints read
# requests/s, p50 and p99 in both runs, their ratio (aim: p99 during the storm
# no more than 2× the reads alone), and registrations/s.
#   bench/launch.sh [path/to/marquee]
#   env: DURATION=10s READ_CONNECTIONS=128 REG_CONNECTIONS=64
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="$(cd "$(dirname "${1:-$root/build/marquee}")" && pwd)/$(basename "${1:-$root/build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$root/scripts/with-postgres.sh" bash "$0" "$bin"
fi
for tool in wrk nginx node psql; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run scripts/setup.sh)"; exit 1; }; done
duration="${DURATION:-10s}"
readers="${READ_CONNECTIONS:-128}"
writers="${REG_CONNECTIONS:-64}"
ulimit -n 65536 2>/dev/null || true
work=$(mktemp -d /tmp/marquee-launch.XXXXXX)
cluster_pid=""
cleanup() {
  if [ -n "$cluster_pid" ]; then kill -TERM "$cluster_pid" 2>/dev/null || true; wait "$cluster_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
admin="$MARQUEE_TEST_PG_ADMIN_URL"

# The store: the bundled programme and one hot event with room for everyone, published.
psql "$admin" -qAtc "CREATE DATABASE bench_launch" >/dev/null
db="${admin%/*}/bench_launch"
printf 'key,title,starts_at,ends_at,time_zone,capacity,registration,waitlist\nbench-hot,Launch night,2031-06-11 19:00,21:00,Europe/Berlin,100000000,true,false\n' >"$work/hot.csv"
"$bin" import "$root/data/programme.csv" --db "$db" >/dev/null
"$bin" import "$work/hot.csv" --db "$db" --publish >/dev/null

MARQUEE_BIN="$bin" MARQUEE_SOURCE_DIR="$root" node "$here/launch_cluster.mjs" "$db" "$work" >"$work/cluster.out" 2>&1 &
cluster_pid=$!
for _ in $(seq 1 600); do grep -q '^INSTANCES=' "$work/cluster.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^URL=//p' "$work/cluster.out")
[ -n "$url" ] || { cat "$work/cluster.out"; echo "bench: the cluster did not start"; exit 1; }

reads() {  # output file
  wrk -t2 -c"$readers" -d"$duration" --latency -s "$here/launch.lua" "$url" >"$1" 2>&1
}
storm() {  # output file
  EVENT_KEY=bench-hot wrk -t2 -c"$writers" -d"$duration" --latency -s "$here/register.lua" "$url" >"$1" 2>&1
}
field() { awk -v k="$2" '$1==k {print $2}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
ms() {  # wrk latency (e.g. 12.34ms, 1.20s, 850.00us) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

curl -sf "$url/" -o /dev/null   # warm the instances' pre-rendered pages through nginx
reads "$work/alone.wrk"
storm "$work/storm.wrk" & storm_pid=$!
reads "$work/during.wrk"
wait "$storm_pid"

a_rps=$(rps "$work/alone.wrk"); a50=$(ms "$(field "$work/alone.wrk" 50%)"); a99=$(ms "$(field "$work/alone.wrk" 99%)")
d_rps=$(rps "$work/during.wrk"); d50=$(ms "$(field "$work/during.wrk" 50%)"); d99=$(ms "$(field "$work/during.wrk" 99%)")
r_rps=$(rps "$work/storm.wrk"); r99=$(ms "$(field "$work/storm.wrk" 99%)")
errors=$(grep -h -E 'Non-2xx|Socket errors' "$work"/*.wrk || true)
confirmed=$(psql "$db" -qAtc "SELECT confirmed FROM event_counters WHERE event_key = 'bench-hot'")

printf 'Launch spike: 3 instances behind nginx, PostgreSQL with fsync and synchronous_commit on, 127.0.0.1, %s cores, %s per run\n' "$(nproc)" "$duration"
printf 'reads: wrk -t2 -c%s (bench/launch.lua); registrations: wrk -t2 -c%s (bench/register.lua) on one event\n' "$readers" "$writers"
printf '%-34s %12s %10s %10s\n' "run" "req/s" "p50 ms" "p99 ms"
printf '%-34s %12s %10s %10s\n' "reads alone (baseline)" "$a_rps" "$a50" "$a99"
printf '%-34s %12s %10s %10s\n' "reads during the storm" "$d_rps" "$d50" "$d99"
printf '%-34s %12s %10s %10s\n' "registrations during the storm" "$r_rps" "" "$r99"
awk -v a="$a99" -v d="$d99" -v ar="$a_rps" -v dr="$d_rps" 'BEGIN {
  printf "read p99 during the storm / alone: %.2f (aim ≤ 2)\n", d / a
  printf "read throughput during the storm / alone: %.2f\n", dr / ar
  printf "page requests/s alone ≥ 3,000: %s\n", (ar >= 3000 ? "yes" : "no") }'
echo "registrations confirmed in the store: $confirmed"
for run in alone during storm; do
  echo "answers ($run): $(grep -h '^status' "$work/$run.wrk" | sort | sed 's/^status //' | paste -sd ' ' -)"
done
[ -z "$errors" ] || echo "$errors" | sed 's/^/wrk: /'
