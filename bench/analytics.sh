#!/usr/bin/env bash
# Analytics cost on the read path (issue 16): wrk on 127.0.0.1 against two
# `marquee serve` processes in the same run, one counting (analytics on, the
# default) and one with --no-analytics, each on its own fresh SQLite store
# (BENCH_DB=postgres: fresh databases on the test cluster of
# scripts/with-postgres.sh). Requests come from 50,000 simulated visitors
# (bench/visitors.lua). Each target is run three times per server,
# alternating (on, off, off, on, on, off), and the highest rate is kept. Prints req/s and p99 on vs off with the ratio, the
# store's write transactions per second while counting (the server's own
# flush count over its run), and checks that every counted request is in the
# store after a graceful stop.
#   bench/analytics.sh [path/to/marquee]   (env: DURATION=10s CONNECTIONS=64 THREADS=2 BENCH_DB=sqlite|postgres)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/marquee}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
backend="${BENCH_DB:-sqlite}"
for tool in wrk curl sqlite3; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run scripts/setup.sh)"; exit 1; }; done

work=$(mktemp -d /tmp/marquee-bench.XXXXXX)
pids=()
dbs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$backend" = postgres ]; then for d in "${dbs[@]}"; do psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null || true; done; fi
  rm -rf "$work"
}
trap cleanup EXIT

store_url() {  # name -> store URL
  if [ "$backend" = postgres ]; then
    [ -n "${MARQUEE_TEST_PG_ADMIN_URL:-}" ] || { echo "bench: BENCH_DB=postgres needs scripts/with-postgres.sh" >&2; exit 1; }
    local d="bench_$1_$$"
    psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "CREATE DATABASE $d" >/dev/null
    dbs+=("$d")
    echo "${MARQUEE_TEST_PG_ADMIN_URL%/*}/$d"
  else
    echo "sqlite:///$work/$1.db"
  fi
}

start() {  # name extra-args... -> sets url_<name>, pid_<name>
  local name=$1; shift
  local port db
  port=$(bash "$here/../scripts/free-port.sh")
  db=$(store_url "$name")
  echo "$db" >"$work/$name.db-url"
  "$bin" serve --db "$db" --host 127.0.0.1 --port "$port" --trusted-proxy 127.0.0.1 --state-dir "$work" "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$work/$name.out" || { cat "$work/$name.err"; exit 1; }
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
  printf -v "pid_$name" '%s' "$pid"
  printf -v "started_$name" '%s' "$(date +%s.%N)"
}

start on
start off --no-analytics

run() {  # url -> "rps p99 requests"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/visitors.lua" "$1" >"$work/run.wrk"
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} /requests in/ {n=$1} END {print rps, p99, n}' "$work/run.wrk"
}

printf 'Analytics benchmark: wrk -t%s -c%s -d%s on 127.0.0.1, %s cores, %s store, 50,000 visitors\n' \
  "$threads" "$connections" "$duration" "$(nproc)" "$backend"
printf '%-34s %12s %9s %12s %9s %7s\n' "target" "on req/s" "on p99" "off req/s" "off p99" "ratio"
counted=0
for target in "event page|/events/hl27-001|1" "event JSON|/api/v1/events/hl27-001|1" "search (programme page)|/?q=harbour|1" \
              "event list (not counted)|/api/v1/events|0"; do
  IFS='|' read -r label path counts <<<"$target"
  best_on=0; best_off=0; p99_on=""; p99_off=""
  for which in on off off on on off; do
    if [ "$which" = on ]; then
      read -r rps p99 n <<<"$(run "$url_on$path")"
      [ "$counts" = 1 ] && counted=$((counted + n))
      if awk -v a="$rps" -v b="$best_on" 'BEGIN {exit !(a > b)}'; then best_on=$rps; p99_on=$p99; fi
    else
      read -r rps p99 n <<<"$(run "$url_off$path")"
      if awk -v a="$rps" -v b="$best_off" 'BEGIN {exit !(a > b)}'; then best_off=$rps; p99_off=$p99; fi
    fi
  done
  printf '%-34s %12s %9s %12s %9s %7s\n' "$label" "$best_on" "$p99_on" "$best_off" "$p99_off" \
    "$(awk -v a="$best_on" -v b="$best_off" 'BEGIN {printf "%.3f", a / b}')"
done

# A graceful stop writes the last buffer; the server logs its flush count.
kill -TERM "$pid_on"
for _ in $(seq 1 200); do kill -0 "$pid_on" 2>/dev/null || break; sleep 0.1; done
elapsed=$(awk -v a="$started_on" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
line=$(grep -o 'analytics: [0-9]* signals counted in [0-9]* flushes ([0-9]* rows)' "$work/on.err" | tail -1)
flushes=$(echo "$line" | awk '{print $6}')
rows=$(echo "$line" | awk '{print $8}' | tr -d '(')
printf 'store writes while counting: %s flush transactions in %s s = %s per second (%s rows in all)\n' \
  "$flushes" "$elapsed" "$(awk -v a="$flushes" -v b="$elapsed" 'BEGIN {printf "%.2f", a / b}')" "$rows"
db=$(cat "$work/on.db-url")
sql="SELECT COALESCE(SUM(count), 0) FROM analytics_counts WHERE kind IN ('view', 'search')"
if [ "$backend" = postgres ]; then stored=$(psql "$db" -qAtc "$sql"); else stored=$(sqlite3 "${db#sqlite:///}" "$sql"); fi
printf 'counted requests in the store after the stop: %s of %s completed by wrk (wrk may count fewer than were served)\n' "$stored" "$counted"
