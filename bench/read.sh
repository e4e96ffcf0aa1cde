#!/usr/bin/env bash
# Read-path benchmark: wrk on 127.0.0.1 against `marquee serve` (bundled
# programme, fresh SQLite store) and, in the same run, nginx serving the same
# response bytes as static files. Prints requests/s, p50/p99 latency, the
# Marquee/nginx ratio and Marquee's resident memory. With EVENTS=N, the store
# holds a generated programme of N events instead (imported and published
# first, as bench/publish.sh makes it), and the targets are one event's page
# and API entry and the home page; the full list (62 MB at 100,000 events) is
# asked for once after them, timed beside nginx sending the same bytes, and
# the server's resident and peak memory printed.
#   bench/read.sh [path/to/marquee]   (env: DURATION=10s CONNECTIONS=64 THREADS=2 EVENTS=)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/marquee}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
for tool in wrk nginx curl; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (run scripts/setup.sh)"; exit 1; }; done

work=$(mktemp -d /tmp/marquee-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

events="${EVENTS:-}"
seed=()
if [ -n "$events" ]; then
  bash "$here/generate-programme.sh" "$events" >"$work/events.csv"
  "$bin" import "$work/events.csv" --db "sqlite:///$work/bench.db" --max-bytes 200000000 --publish >/dev/null
  seed=(--no-seed)
fi
mport=$(bash "$here/../scripts/free-port.sh")
"$bin" serve --db "sqlite:///$work/bench.db" --host 127.0.0.1 --port "$mport" "${seed[@]}" >"$work/marquee.out" 2>"$work/marquee.err" &
pids+=($!)
mpid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/marquee.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$work/marquee.out" || { cat "$work/marquee.err"; exit 1; }
murl="http://127.0.0.1:$mport"

# The same bytes as static files for nginx.
mkdir -p "$work/www/events" "$work/www/api"
if [ -n "$events" ]; then
  one="ev-$((events / 2))"
  targets=("GET /api/v1/events/$one|/api/v1/events/$one|/api/$one.json" "GET /events/$one|/events/$one|/events/$one.html"
           "GET / (one day)|/|/index.html")
  curl -sf "$murl/api/v1/events/$one" -o "$work/www/api/$one.json"
  curl -sf "$murl/events/$one" -o "$work/www/events/$one.html"
  body_sizes="event page $(stat -c %s "$work/www/events/$one.html") bytes, its API entry $(stat -c %s "$work/www/api/$one.json") bytes"
else
  targets=("GET /api/v1/events|/api/v1/events|/events.json" "GET /events/hl27-001|/events/hl27-001|/events/hl27-001.html"
           "GET /events/hl27-008 (places)|/events/hl27-008|/events/hl27-008.html" "GET / (one day)|/|/index.html")
  curl -sf "$murl/api/v1/events" -o "$work/www/events.json"
  curl -sf "$murl/events/hl27-001" -o "$work/www/events/hl27-001.html"
  curl -sf "$murl/events/hl27-008" -o "$work/www/events/hl27-008.html"   # takes registrations: places left per request
  body_sizes="events list $(stat -c %s "$work/www/events.json") bytes, event page $(stat -c %s "$work/www/events/hl27-001.html") bytes"
fi
curl -sf "$murl/" -o "$work/www/index.html"                             # the programme's first upcoming day
nport=$(bash "$here/../scripts/free-port.sh")
cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx.err;
daemon off;
user root;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { application/json json; text/html html; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$nport; root $work/www; etag on; }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nport/index.html" -o /dev/null && break; sleep 0.1; done
nurl="http://127.0.0.1:$nport"

run() {  # name url -> "rps p50 p99"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$2" >"$work/$1.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.wrk")
  echo "$rps $p50 $p99"
}

printf 'Read benchmark: wrk -t%s -c%s -d%s on 127.0.0.1, %s cores, %s\n' "$threads" "$connections" "$duration" "$(nproc)" \
  "$([ -n "$events" ] && echo "a generated programme of $events events" || echo "the bundled programme")"
printf '%-36s %12s %10s %10s %8s\n' "target" "req/s" "p50" "p99" "ratio"
for target in "${targets[@]}"; do
  IFS='|' read -r label mpath npath <<<"$target"
  read -r mrps mp50 mp99 <<<"$(run marquee "$murl$mpath")"
  read -r nrps np50 np99 <<<"$(run nginx "$nurl$npath")"
  ratio=$(awk -v a="$mrps" -v b="$nrps" 'BEGIN {printf "%.2f", a / b}')
  printf '%-36s %12s %10s %10s %8s\n' "marquee $label" "$mrps" "$mp50" "$mp99" "$ratio"
  printf '%-36s %12s %10s %10s %8s\n' "nginx   same bytes" "$nrps" "$np50" "$np99" "1.00"
done
printf 'body sizes: %s, home page %s bytes\n' "$body_sizes" "$(stat -c %s "$work/www/index.html")"
printf 'marquee resident memory with the programme loaded: %s KiB\n' "$(ps -o rss= -p "$mpid" | tr -d ' ')"
if [ -n "$events" ]; then
  # The full list, /api/v1/events without a filter (issue 22): made on its first request a
  # piece at a time and kept compressed; a client without gzip or brotli gets it inflated a
  # piece at a time. Its first request, a second, one with gzip, and nginx sending the same
  # bytes; then the server's resident and peak memory.
  first=$(curl -sf -o "$work/www/full.json" -w '%{time_total}' "$murl/api/v1/events")
  again=$(curl -sf -o /dev/null -w '%{time_total}' "$murl/api/v1/events")
  read -r gz_s gz_bytes <<<"$(curl -sf -H 'Accept-Encoding: gzip' -o /dev/null -w '%{time_total} %{size_download}' "$murl/api/v1/events")"
  nginx_s=$(curl -sf -o /dev/null -w '%{time_total}' "$nurl/full.json")
  printf 'full list (%s bytes, gzip %s bytes): first request %s s, again %s s, with gzip %s s; nginx the same bytes %s s\n' \
    "$(stat -c %s "$work/www/full.json")" "$gz_bytes" "$first" "$again" "$gz_s" "$nginx_s"
  printf 'marquee memory after the full list: resident %s KiB, peak %s KiB\n' \
    "$(awk '/^VmRSS/ {print $2}' "/proc/$mpid/status")" "$(awk '/^VmHWM/ {print $2}' "/proc/$mpid/status")"
fi
