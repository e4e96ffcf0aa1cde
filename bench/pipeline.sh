#!/usr/bin/env bash
# Pipeline benchmark: `marquee pipeline build` over a generated drive
# (REGISTRANTS registrations in the Google Forms, Eventbrite and pretix
# layouts, PATCHES patches), timed with /usr/bin/time (elapsed, peak RSS), and
# run twice to check the outputs are byte-identical. Baseline in the same
# script: Python's csv module only reading the same raw files.
#   bench/pipeline.sh [path/to/marquee]   (env: REGISTRANTS=50000 PATCHES=1000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:-$here/../build/marquee}")" && pwd)/$(basename "${1:-$here/../build/marquee}")"
registrants="${REGISTRANTS:-50000}"
patches="${PATCHES:-1000}"
work=$(mktemp -d /tmp/marquee-pipebench.XXXXXX)
trap 'rm -rf "$work"' EXIT
project="$work/drive"

python3 "$here/../scripts/generate_pipeline_example.py" --out "$project" --registrants "$registrants" --patches "$patches"
"$bin" pipeline accept-raw "$project" >/dev/null
applied=$(grep -c '^\[\[patch\]\]' "$project"/config/patches/*.toml | awk -F: '{s += $2} END {print s}')
raw_mb=$(du -cm "$project"/raw/*.csv | tail -1 | cut -f1)

measure() {  # prints "seconds peak_kib"
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out.txt" 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  cat "$work/time"
}
read -r base_s base_kib < <(measure python3 -c '
import csv, sys
n = 0
for f in sys.argv[1:]:
    with open(f, newline="", encoding="utf-8-sig") as h:
        n += sum(1 for _ in csv.reader(h))
print(n)' "$project"/raw/*.csv)
read -r first_s first_kib < <(measure "$bin" pipeline build "$project")
summary=$(head -2 "$work/out.txt" | tr '\n' ' ')
(cd "$project/out" && find . -type f | sort | xargs sha256sum) >"$work/first.sha"
read -r second_s second_kib < <(measure "$bin" pipeline build "$project")
(cd "$project/out" && find . -type f | sort | xargs sha256sum) >"$work/second.sha"
identical=no
cmp -s "$work/first.sha" "$work/second.sha" && identical=yes

printf 'Pipeline benchmark (%s cores): %s registrations (%s MB of raw CSV), %s patches\n' "$(nproc)" "$registrants" "$raw_mb" "$applied"
printf '  %s\n' "$summary"
printf '%-34s %10s %14s\n' "run" "seconds" "peak RSS (MiB)"
printf '%-34s %10s %14s\n' "baseline: python csv, read only" "$base_s" "$((base_kib / 1024))"
printf '%-34s %10s %14s\n' "marquee pipeline build (1st)" "$first_s" "$((first_kib / 1024))"
printf '%-34s %10s %14s\n' "marquee pipeline build (2nd)" "$second_s" "$((second_kib / 1024))"
printf 'build / baseline time: %s   outputs byte-identical across runs: %s (%s files)\n' \
  "$(awk -v a="$second_s" -v b="$base_s" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')" "$identical" "$(wc -l <"$work/first.sha")"
