#!/usr/bin/env bash
# Publish benchmark: for 1,000, 10,000 and 100,000 events, the time from
# `marquee publish` starting to a running `marquee serve` serving the new
# snapshot (/readyz), on SQLite (the signal file beside the database) and on
# PostgreSQL (LISTEN/NOTIFY), polling set to a minute on both, and the
# server's resident memory. /readyz is watched by bench/served_at.mjs, one
# process on one kept-alive connection every 5 ms: until 2026-12-05 (issue 22,
# twenty-ninth session) a shell loop started curl, grep and sleep every 10 ms,
# which took a whole core of two from the server installing the snapshot. A binary older than the SQLite signal file
# (4c9286b) needs SQLITE_POLL_MS=100, as the bench used before.
#   bench/publish.sh [path/to/marquee]   (env: SIZES="1000 10000 100000", SQLITE_POLL_MS=60000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
if [ -z "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  MARQUEE_PG_DURABLE=1 exec bash "$here/../scripts/with-postgres.sh" bash "$0" "$bin"
fi
sizes="${SIZES:-1000 10000 100000}"
work=$(mktemp -d /tmp/marquee-pubbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
forget() {  # a process waited for leaves the list (its number may be reused)
  local kept=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

printf 'Publish benchmark (%s cores): time from `marquee publish` to the new snapshot served by a running server\n' "$(nproc)"
printf '%-10s %9s %14s %16s %14s\n' "store" "events" "publish (ms)" "to served (ms)" "server RSS"
for backend in sqlite postgres; do
  for n in $sizes; do
    csv="$work/events-$n.csv"
    bash "$here/generate-programme.sh" "$n" >"$csv"
    if [ "$backend" = sqlite ]; then
      db="sqlite:///$work/pub-$n.db"; poll="${SQLITE_POLL_MS:-60000}"
    else
      psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "CREATE DATABASE pub_$n" >/dev/null
      db="${MARQUEE_TEST_PG_ADMIN_URL%/*}/pub_$n"; poll=60000
    fi
    "$bin" import "$csv" --db "$db" --max-bytes 200000000 >/dev/null
    port=$(bash "$here/../scripts/free-port.sh")
    "$bin" serve --db "$db" --port "$port" --no-seed --poll-ms "$poll" >"$work/serve.out" 2>"$work/serve.err" &
    pid=$!; pids+=("$pid")
    for _ in $(seq 1 400); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
    # The watcher polls /readyz from one process (bench/served_at.mjs) and is
    # watching before the publish starts.
    node "$here/served_at.mjs" "$port" 1 >"$work/served.out" &
    watcher=$!; pids+=("$watcher")
    for _ in $(seq 1 400); do grep -q "watching" "$work/served.out" 2>/dev/null && break; sleep 0.05; done
    grep -q "watching" "$work/served.out" || { echo "the /readyz watcher did not start" >&2; exit 1; }
    t0=$(now_ms)
    "$bin" publish --db "$db" --note "bench $n" >/dev/null
    t1=$(now_ms)
    wait "$watcher" || { echo "snapshot 1 was not served" >&2; cat "$work/serve.err" >&2; exit 1; }
    forget "$watcher"
    t2=$(sed -n 's/^served //p' "$work/served.out")
    rss=$(ps -o rss= -p "$pid" | tr -d ' ')
    printf '%-10s %9s %14s %16s %11s KiB\n' "$backend" "$n" "$((t1 - t0))" "$((t2 - t0))" "$rss"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    forget "$pid"
  done
done
