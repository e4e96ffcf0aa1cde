#!/usr/bin/env bash
# Publish benchmark: for 1,000, 10,000 and 100,000 events, the time from
# `marquee publish` starting to a running `marquee serve` serving the new
# snapshot (/readyz), on SQLite (the signal file beside the database) and on
# PostgreSQL (LISTEN/NOTIFY), polling set to a minute on both, and the
# server's resident memory. /readyz is watched by bench/served_at.mjs, one
# process on one kept-alive connection, which asks it when the server's log
# says the snapshot is served (and every 100 ms in case it never says so).
# Until the forty-second session it asked every 5 ms, which took 100-200 ms
# of CPU from a 100,000-event publish on two cores; until the twenty-ninth a
# shell loop started curl, grep and sleep every 10 ms, a whole core of the
# two. A binary older than the SQLite signal file (4c9286b) needs
# SQLITE_POLL_MS=100, as the bench used before; one older than the forty-second
# session logs its "serving snapshot" line only after keeping the snapshot on
# disk, so the watcher's 100 ms poll finds it first there.
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
    # The watcher (bench/served_at.mjs) follows the server's log and asks
    # /readyz from one process; it is watching before the publish starts.
    node "$here/served_at.mjs" "$port" 1 "$work/serve.err" >"$work/served.out" &
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
    seen=$(sed -n 's/^seen by //p' "$work/served.out")
    [ "$seen" = log ] || echo "           (seen by the watcher's poll, not the server's log line: up to 100 ms late)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    forget "$pid"
  done
done
