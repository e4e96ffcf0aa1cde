#!/usr/bin/env bash
# The Debian package end to end (issue 18): build it with CPack, check it with
# lintian (no errors), install it with dpkg -i, run the installed
# `marquee --version` and `marquee migrate` against a private SQLite file and
# a private PostgreSQL database, verify the systemd unit and the shipped
# configuration, then purge it and check nothing is left.
#
# Needs root (or password-less sudo) for dpkg; otherwise it checks the
# package only and says so. Skips the install (exit 77) when a marquee
# package is already installed here: it is not ours to replace.
# Env: MARQUEE_BUILD_DIR (the build folder), MARQUEE_TEST_PG_ADMIN_URL (optional).
set -euo pipefail
build=${MARQUEE_BUILD_DIR:?MARQUEE_BUILD_DIR is not set: run through ctest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Build the package into a private folder (the build folder's package/ is left alone).
cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/out/marquee_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# 2. lintian: errors fail the test; warnings are printed.
lintian --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>&1 || true
grep -v 'running with root privileges' "$work/lintian.txt" || true
if grep -q '^E: ' "$work/lintian.txt"; then fail "lintian reports errors"; fi

# What the package holds.
dpkg-deb -c "$deb" >"$work/contents.txt"
for f in ./usr/bin/marquee ./etc/marquee/marquee.toml ./lib/systemd/system/marquee@.service \
         ./usr/share/doc/marquee/examples/nginx-marquee.conf ./usr/share/doc/marquee/copyright \
         ./usr/share/man/man1/marquee.1.gz ./usr/share/doc/marquee/deploying.md; do
  grep -q " $f\$" "$work/contents.txt" || fail "the package lacks $f"
done
[ "$(dpkg-deb -f "$deb" Package)" = marquee ] || fail "package name"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/marquee/marquee.toml || fail "marquee.toml is not a conffile"

# 3. Install, use, purge: only as root, and only when no marquee package is installed already.
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else echo "SKIP install: not root and no password-less sudo"; exit 77; fi
fi
if dpkg-query -W -f='${Status}' marquee 2>/dev/null | grep -q 'installed'; then
  echo "SKIP install: a marquee package is installed on this machine already"; exit 77
fi
cleanup_install() { "${sudo_cmd[@]}" dpkg --purge marquee >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup_install EXIT
"${sudo_cmd[@]}" dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
[ -x /usr/bin/marquee ] || fail "/usr/bin/marquee is not installed"

want="marquee $(dpkg-deb -f "$deb" Version)"
got=$(/usr/bin/marquee --version)
[ "$got" = "$want" ] || fail "--version says '$got', not '$want'"
echo "installed: $got"

# Built hardened (CMakeLists.txt): checked C library functions (_FORTIFY_SOURCE)
# and stack canaries are linked in, and the GOT is read-only (full RELRO).
# (Read into files first: `grep -q` closing a pipe early fails it under pipefail.)
nm -D /usr/bin/marquee >"$work/symbols.txt"
readelf -d -lW /usr/bin/marquee >"$work/elf.txt"
grep -q ' __stack_chk_fail' "$work/symbols.txt" || fail "no stack protector in /usr/bin/marquee"
grep -Eq ' __[a-z]+_chk(@|$)' "$work/symbols.txt" || fail "no _FORTIFY_SOURCE checked functions in /usr/bin/marquee"
grep -q 'BIND_NOW' "$work/elf.txt" || fail "/usr/bin/marquee is not linked with -z now"
grep -q 'GNU_RELRO' "$work/elf.txt" || fail "/usr/bin/marquee has no RELRO segment"

# The binary allocates with mimalloc (CMakeLists.txt, MARQUEE_MIMALLOC): the
# package depends on its library, and every library's malloc and free, libc's
# own included, bind to it, none to libc's.
if [ "${MARQUEE_USES_MIMALLOC:-OFF}" = ON ]; then
  depends=$(dpkg-deb -f "$deb" Depends)
  [[ "$depends" == *libmimalloc* ]] || fail "the package does not depend on libmimalloc: $depends"
  LD_DEBUG=bindings LD_BIND_NOW=1 /usr/bin/marquee --version >/dev/null 2>"$work/bindings.txt"
  grep -q "libc\.so\.6 \[0\] to [^ ]*libmimalloc[^ ]* \[0\]: normal symbol \`malloc'" "$work/bindings.txt" ||
    fail "libc's malloc calls do not go to mimalloc"
  if grep -E "to [^ ]*libc\.so\.6 \[0\]: normal symbol \`(malloc|free|calloc|realloc)'" "$work/bindings.txt" | head -3 | grep .; then
    fail "some allocations bind to libc's malloc, not to mimalloc"
  fi
  echo "allocator: mimalloc ($(grep -c "libmimalloc[^ ]* \[0\]: normal symbol \`malloc'" "$work/bindings.txt") libraries bind malloc to it)"
fi

out=$(/usr/bin/marquee migrate --db "sqlite:///$work/private.db" 2>&1) || fail "migrate on SQLite: $out"
echo "migrate (SQLite): $out"
sqlite_version=$(echo "$out" | grep -o '[0-9]\+' | tail -1)
if [ -n "${MARQUEE_TEST_PG_ADMIN_URL:-}" ]; then
  db="marquee_package_$$"
  psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $db" >/dev/null
  psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "CREATE DATABASE $db" >/dev/null
  pg_url="${MARQUEE_TEST_PG_ADMIN_URL%/*}/$db"
  out=$(/usr/bin/marquee migrate --db "$pg_url" 2>&1) || fail "migrate on PostgreSQL: $out"
  echo "migrate (PostgreSQL): $out"
  tables=$(psql "$pg_url" -qAtc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
  [ "$tables" -gt 10 ] || fail "PostgreSQL has only $tables tables after migrate"
  [ "$(echo "$out" | grep -o '[0-9]\+' | tail -1)" = "$sqlite_version" ] || fail "schema versions differ between stores"
  psql "$MARQUEE_TEST_PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
else
  echo "no MARQUEE_TEST_PG_ADMIN_URL: PostgreSQL migrate not checked"
fi

# The shipped configuration passes its own check with the credentials it names.
mkdir "$work/credentials"
for c in staff-tokens deploy-tokens cron-secret backup-key pgpass; do openssl rand -hex 32 >"$work/credentials/$c"; done
CREDENTIALS_DIRECTORY="$work/credentials" /usr/bin/marquee serve --config /etc/marquee/marquee.toml --check-config \
  | grep -qx 'configuration OK' || fail "/etc/marquee/marquee.toml does not pass --check-config"
# Every credential the configuration names is one the unit loads.
for c in $(grep -o 'credential:[a-z-]*' /etc/marquee/marquee.toml | grep -v '^#' | cut -d: -f2 | sort -u); do
  if grep -q "^# *[a-z_]* = \"credential:$c\"" /etc/marquee/marquee.toml && \
     ! grep -q "^[a-z_]* = \"credential:$c\"" /etc/marquee/marquee.toml; then continue; fi
  grep -q "^LoadCredential=$c:" /lib/systemd/system/marquee@.service || fail "the unit does not load the credential $c"
done
# The unit as systemd reads it: no unknown keys, no bad values.
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify --man=no marquee@8081.service 2>&1 | grep -v -e 'Failed to .*bus' -e 'container' || true)
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  echo "systemd-analyze verify marquee@8081.service: clean"
fi
zcat /usr/share/man/man1/marquee.1.gz | grep -q -- 'metrics\\-listen' || fail "the man page lacks the serve options"

# 4. Purge: the binary, the unit and the configuration go.
"${sudo_cmd[@]}" dpkg --purge marquee >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge"; }
for f in /usr/bin/marquee /etc/marquee/marquee.toml /lib/systemd/system/marquee@.service /usr/share/doc/marquee; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done
dpkg-query -W -f='${Status}' marquee 2>/dev/null | grep -q 'installed' && fail "dpkg still lists marquee"
echo "purged cleanly"
