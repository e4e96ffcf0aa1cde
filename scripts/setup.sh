#!/usr/bin/env bash
# Installs what Marquee needs on Debian 12: the Debian packages listed in
# scripts/debian-packages.txt and the npm packages of web/ and tests/browser (lock files).
# Idempotent: installs only what is missing; runs `apt-get update` at most once.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | sed '/^\s*$/d')
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The distribution's nginx service is not ours: the benchmark starts its own.
if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
  "${sudo_cmd[@]}" systemctl stop nginx || true
fi

# promtool, Prometheus's own checker of the metrics exposition (the metrics
# test), taken from Debian's prometheus package without installing it
# (installing would start a Prometheus server): .tools/promtool.
if [ ! -x .tools/promtool ]; then
  echo "setup: promtool from Debian's prometheus package"
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
    "${sudo_cmd[@]}" apt-get update -qq
    (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1)
  fi
  dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$tmp" ./usr/bin/promtool
  mkdir -p .tools
  mv "$tmp/usr/bin/promtool" .tools/promtool
  rm -rf "$tmp"
fi

# npm packages: the console's front-end library (web/, embedded at build time),
# the browser tests' driver (tests/browser) and the integration tests' peers
# (tests/integration: SMTP server, MIME and iCalendar parsers, JSON Schema), each from its lock file.
for dir in web tests/browser tests/integration; do
  if [ -f "$dir/package-lock.json" ]; then
    if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
       [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "setup: npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done
