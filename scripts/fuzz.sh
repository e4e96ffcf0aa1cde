#!/usr/bin/env bash
# libFuzzer (issue 13): every parser that reads outside input, each for a
# bounded time: CSV, iCalendar, frab XML and JSON imports, TOML mappings and
# pipeline patches, multipart/form-data bodies, HTTP request heads, snapshot
# lines (local snapshot files and backups).
# Usage: scripts/fuzz.sh [SECONDS per target, default 60] [TARGET …]
# Seeds: the project's own fixtures and ../shared/data when present. A crash,
# leak, sanitizer report or hang (25 s per input: above the iCalendar
# import's own 10 s budget, so only work outside a budget is a finding) stops the run with the
# input saved under build-asan/fuzz-findings/; turn it into a named
# regression file under tests/data/fuzz/<target>/ (tests/adapters/formats/fuzz_regressions_test.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv ics frab_xml frab_json mapping patch multipart http_head snapshot_line)
shared=../shared/data

CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DMARQUEE_SANITIZE=address,undefined -DMARQUEE_FUZZ=ON >/dev/null
cmake --build build-asan --target "${targets[@]/#/fuzz_}"

corpus=build-asan/fuzz-corpus
findings=build-asan/fuzz-findings
mkdir -p "$findings"

seed() {  # target files…
  local dir="$corpus/$1"
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le 2097152 ] || continue  # libFuzzer reads the first -max_len bytes
    cp "$f" "$dir/seed-$(basename "$f")"
  done
  if [ -d "tests/data/fuzz/$(basename "$dir")" ]; then cp tests/data/fuzz/"$(basename "$dir")"/* "$dir"/ 2>/dev/null || true; fi
}

shopt -s nullglob globstar
seed csv tests/data/*.csv data/programme.csv "$shared"/events_csv/*.csv "$shared"/schedules/csv/*.csv "$shared"/registration/*.csv
seed ics "$shared"/ical/**/*.ics
seed frab_xml "$shared"/schedules/xml/*.xml
seed frab_json "$shared"/schedules/json/*.json
seed mapping tests/data/mappings/*.toml pipeline/example/config/mappings.toml
seed patch pipeline/example/config/patches/*.toml pipeline/example/config/overrides.toml
mkdir -p "$corpus/multipart" "$corpus/http_head" "$corpus/snapshot_line"
printf 'multipart/form-data; boundary=XyZ\n--XyZ\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nkey,title\r\n--XyZ--\r\n' \
  >"$corpus/multipart/seed-upload"
printf 'GET /events?q=jazz HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br, gzip\r\n\r\n' >"$corpus/http_head/seed-get"
printf 'POST /admin/import HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' >"$corpus/http_head/seed-chunked"
printf 'POST /api/v1/events/x/registrations HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Forwarded-For: 1.2.3.4, ::1\r\n\r\n{}' >"$corpus/http_head/seed-post"

printf '%s' '{"key":"fado-1","title":"Fado \"à\" Noite","description":"","starts_at":1795000000,"ends_at":1795003600,"time_zone":"Europe/Lisbon","all_day":false,"venue":"","address":"","room":"","category":"","tags":["music","late"],"organizer":"","url":"","image_url":"","price":"€12","capacity":40,"status":"published","registration":true,"waitlist":false,"retention_days":30,"questions":""}' >"$corpus/snapshot_line/seed-event"
printf '%s' '{"key":"fado-1","title":"Fado \"à\" Noite","description":"","starts_at":1795000000,"ends_at":1795003600,"time_zone":"Europe/Lisbon","all_day":false,"venue":"","address":"","room":"","category":"","tags":[],"organizer":"","url":"","image_url":"","price":"€12","capacity":null,"status":"published","registration":true,"waitlist":false,"retention_days":30,"questions":""}' >"$corpus/snapshot_line/seed-unlimited"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${targets[@]}"; do
  echo "== fuzz_$t: ${seconds} s, corpus $(ls "$corpus/$t" | wc -l) inputs"
  log="$findings/$t.log"
  if ! build-asan/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$findings/$t-" "$corpus/$t" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$t found a problem: the input is in $findings/ (log: $log)" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tail -n 3 || true
done
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no findings"
