#!/usr/bin/env bash
# Sanitizer builds (issue 13): AddressSanitizer + UndefinedBehaviorSanitizer
# run the unit and store suites (SQLite and PostgreSQL); ThreadSanitizer runs
# the registration, outbox, programme-cache, publishing, analytics and
# agenda-alert tests (concurrent requests, folding, a publish's threads) and
# the pipeline's (its exports read on threads of their own and placed into
# one list, its workbooks made alongside) and the XLSX workbooks' (several
# made at once, libxlsxwriter's gmtime). clang, one build folder
# each (build-asan, build-tsan), Ninja and ccache like the main build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
what="${1:-all}"

configure() {  # dir sanitizers [extra cmake args]
  local dir=$1 san=$2
  shift 2
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DMARQUEE_SANITIZE="$san" "$@" >/dev/null
}

if [[ $what == all || $what == asan ]]; then
  configure build-asan address,undefined -DMARQUEE_FUZZ=ON
  cmake --build build-asan --target marquee_unit_tests marquee_store_tests
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: unit tests"
  build-asan/tests/marquee_unit_tests --gtest_brief=1
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: store tests (SQLite and PostgreSQL)"
  bash scripts/with-postgres.sh build-asan/tests/marquee_store_tests --gtest_brief=1
fi

if [[ $what == all || $what == tsan ]]; then
  configure build-tsan thread
  cmake --build build-tsan --target marquee_store_tests marquee_unit_tests
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  echo "== ThreadSanitizer: the pipeline (its readers placing registrants into one list, its outputs on threads), XLSX workbooks made at once"
  build-tsan/tests/marquee_unit_tests --gtest_brief=1 --gtest_filter='MergedPlacement*:PipelinePorts*:XlsxWorkbook*'

  echo "== ThreadSanitizer: registrations, imports, outbox, programme cache, publishing, analytics, agenda alerts, waiting-list offers, self-service (SQLite and PostgreSQL)"
  bash scripts/with-postgres.sh build-tsan/tests/marquee_store_tests --gtest_brief=1 \
    --gtest_filter='Registrations*:ImportBatches*:ImportHistory*:Outbox*:ProgrammeCache*:Publishing*:Analytics*:AgendaAlertStore*:PlaceOfferStore*:SelfServiceStore*:AttendeeMessageStore*:WebhookStore_*'
fi
