#!/usr/bin/env bash
# Read-path benchmark: wrk on 127.0.0.1 against `marquee serve` (bundled
# programme, fresh SQLite store) and, in the same run, nginx serving the same
# response bytes as static files. Prints requests/s, p50/p99 latency, the
# Marquee/nginx ratio and Marquee's resident memory.
#   bench/read.sh [path/to/marquee]   (env: DURATION=10s CONNECTIONS=64 THREADS=2)
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

mport=$(bash "$here/../scripts/free-port.sh")
"$bin" serve --db "sqlite:///$work/bench.db" --host 127.0.0.1 --port "$mport" >"$work/marquee.out" 2>"$work/marquee.err" &
pids+=($!)
mpid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/marquee.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$work/marquee.out" || { cat "$work/marquee.err"; exit 1; }
murl="http://127.0.0.1:$mport"

# The same bytes as static files for nginx.
mkdir -p "$work/www/events"
curl -sf "$murl/api/v1/events" -o "$work/www/events.json"
curl -sf "$murl/events/hl27-001" -o "$work/www/events/hl27-001.html"
curl -sf "$murl/events/hl27-008" -o "$work/www/events/hl27-008.html"   # takes registrations: places left per request
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
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nport/events.json" -o /dev/null && break; sleep 0.1; done
nurl="http://127.0.0.1:$nport"

run() {  # name url -> "rps p50 p99"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$2" >"$work/$1.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.wrk")
  echo "$rps $p50 $p99"
}

printf 'Read benchmark: wrk -t%s -c%s -d%s on 127.0.0.1, %s cores\n' "$threads" "$connections" "$duration" "$(nproc)"
printf '%-36s %12s %10s %10s %8s\n' "target" "req/s" "p50" "p99" "ratio"
for target in "GET /api/v1/events|/api/v1/events|/events.json" "GET /events/hl27-001|/events/hl27-001|/events/hl27-001.html" \
              "GET /events/hl27-008 (places)|/events/hl27-008|/events/hl27-008.html" "GET / (one day)|/|/index.html"; do
  IFS='|' read -r label mpath npath <<<"$target"
  read -r mrps mp50 mp99 <<<"$(run marquee "$murl$mpath")"
  read -r nrps np50 np99 <<<"$(run nginx "$nurl$npath")"
  ratio=$(awk -v a="$mrps" -v b="$nrps" 'BEGIN {printf "%.2f", a / b}')
  printf '%-36s %12s %10s %10s %8s\n' "marquee $label" "$mrps" "$mp50" "$mp99" "$ratio"
  printf '%-36s %12s %10s %10s %8s\n' "nginx   same bytes" "$nrps" "$np50" "$np99" "1.00"
done
printf 'body sizes: events list %s bytes, event page %s bytes\n' "$(stat -c %s "$work/www/events.json")" "$(stat -c %s "$work/www/events/hl27-001.html")"
printf 'marquee resident memory with the programme loaded: %s KiB\n' "$(ps -o rss= -p "$mpid" | tr -d ' ')"
