#!/usr/bin/env bash
# Partner placements on the read path (issue 17): wrk on 127.0.0.1 against
# two `marquee serve` processes in the same run on the bundled programme,
# each on its own fresh SQLite store: one with five active placements (three
# featured, two promoted, so the hero rotates per viewer) and one with none.
# Requests come from 50,000 simulated browsers (bench/visitors.lua with BENCH_ACCEPT_ENCODING: compressed answers), so the
# page with placements is picked per viewer. Each target runs three times per
# server, alternating (with, none, none, with, with, none); the highest rate
# is kept. Prints req/s and p99 with vs none and the ratio (the aim: ≥ 0.9
# for the programme page and the event list).
#   bench/placements.sh [path/to/marquee]   (env: DURATION=10s CONNECTIONS=64 THREADS=2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/marquee}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
export BENCH_ACCEPT_ENCODING="${BENCH_ACCEPT_ENCODING:-gzip, deflate, br}"
for tool in wrk curl; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run scripts/setup.sh)"; exit 1; }; done

work=$(mktemp -d /tmp/marquee-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
staff="bench-staff-token-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "$staff" >"$work/staff"

start() {  # name -> sets url_<name>
  local name=$1 port
  port=$(bash "$here/../scripts/free-port.sh")
  "$bin" serve --db "sqlite:///$work/$name.db" --host 127.0.0.1 --port "$port" --trusted-proxy 127.0.0.1 \
    --state-dir "$work" --staff-token-file "$work/staff" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  for _ in $(seq 1 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$work/$name.out" || { cat "$work/$name.err"; exit 1; }
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
}

api() {  # url method path json -> response body
  curl -sf -X "$2" -H "Authorization: Bearer $staff" -H 'Content-Type: application/json' -d "$4" "$1$3"
}

start with
start none
from=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
partner=$(api "$url_with" POST /api/v1/admin/partners '{"name": "Bench Partner"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
for spec in hl27-008:featured hl27-012:featured hl27-030:featured hl27-020:promoted hl27-041:promoted; do
  id=$(api "$url_with" POST /api/v1/admin/placements \
    "{\"partner_id\": $partner, \"event_key\": \"${spec%%:*}\", \"slot\": \"${spec##*:}\", \"starts_at\": \"$from\", \"ends_at\": \"$to\"}" |
    sed -E 's/^\{"placement":\{"id":([0-9]+).*/\1/')
  api "$url_with" POST "/api/v1/admin/placements/$id/moves" '{"move": "mark_paid"}' >/dev/null
  api "$url_with" POST "/api/v1/admin/placements/$id/moves" '{"move": "approve"}' >/dev/null
done
# The site takes them on its next wake-up (the poll): wait until the hero shows.
for _ in $(seq 1 100); do curl -sf "$url_with/" | grep -q 'class="featured"' && break; sleep 0.1; done
curl -sf "$url_with/" | grep -q 'class="featured"' || { echo "bench: the placements never showed"; exit 1; }
showing=$(curl -sf "$url_with/api/v1/events" | grep -o '"promoted":{' | wc -l)

run() {  # url -> "rps p99"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/visitors.lua" "$1" >"$work/run.wrk"
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} END {print rps, p99}' "$work/run.wrk"
}

printf 'Placements benchmark: wrk -t%s -c%s -d%s on 127.0.0.1, %s cores, SQLite, 50,000 browsers (br), %s events marked promoted\n' \
  "$threads" "$connections" "$duration" "$(nproc)" "$showing"
printf '%-26s %12s %9s %12s %9s %7s\n' "target" "with req/s" "with p99" "none req/s" "none p99" "ratio"
for target in "programme page|/" "event list (JSON)|/api/v1/events" "search (programme page)|/?q=harbour"; do
  IFS='|' read -r label path <<<"$target"
  best_with=0; best_none=0; p99_with=""; p99_none=""
  for which in with none none with with none; do
    if [ "$which" = with ]; then
      read -r rps p99 <<<"$(run "$url_with$path")"
      if awk -v a="$rps" -v b="$best_with" 'BEGIN {exit !(a > b)}'; then best_with=$rps; p99_with=$p99; fi
    else
      read -r rps p99 <<<"$(run "$url_none$path")"
      if awk -v a="$rps" -v b="$best_none" 'BEGIN {exit !(a > b)}'; then best_none=$rps; p99_none=$p99; fi
    fi
  done
  printf '%-26s %12s %9s %12s %9s %7s\n' "$label" "$best_with" "$p99_with" "$best_none" "$p99_none" \
    "$(awk -v a="$best_with" -v b="$best_none" 'BEGIN {printf "%.3f", a / b}')"
done
