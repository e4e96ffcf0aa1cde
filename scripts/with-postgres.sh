#!/usr/bin/env bash
# Runs a command with a private PostgreSQL cluster on a free loopback port,
# then stops and removes the cluster whatever the command did.
# Exports MARQUEE_TEST_PG_URL (a database for tests) and MARQUEE_TEST_PG_ADMIN_URL.
# Tests run with fsync off (speed); MARQUEE_PG_DURABLE=1 keeps PostgreSQL's
# durable defaults (fsync, synchronous_commit) for benchmarks.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then echo "with-postgres: PostgreSQL server binaries not found (run scripts/setup.sh)" >&2; exit 1; fi

dir=$(mktemp -d /tmp/marquee-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
port=$(bash "$here/free-port.sh")

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
durability="-c fsync=off -c synchronous_commit=off"
[ "${MARQUEE_PG_DURABLE:-0}" = "1" ] && durability=""
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $durability -c max_connections=300" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres marquee_test

export MARQUEE_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/marquee_test"
export MARQUEE_TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port ($dir)"
set +e
"$@"
status=$?
set -e
exit $status
