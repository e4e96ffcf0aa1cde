// The process's memory allocator (docs/performance.md, "Allocator").
#pragma once

#include <chrono>
#include <future>

namespace marquee {

/// Sets the allocator's options; call first in main(), before threads start.
///
/// A binary built with MARQUEE_MIMALLOC (the default, CMakeLists.txt) runs on
/// mimalloc: it gives memory a thread freed back to the system at once
/// (decommit delays of 0 ms for pages and segments) instead of holding it for
/// reuse, so an idle server's resident memory stays what it uses (a 10,000
/// event programme: 50–55 MiB instead of 83–99 MiB, bench/publish.sh; `serve`
/// then holds freed pages 20 ms, hold_freed_pages: 58 MiB).
/// Without mimalloc it does nothing. Throws nothing.
void configure_allocator() noexcept;

/// Has the allocator hold the pages a thread frees for `delay` (milliseconds,
/// mimalloc's page decommit delay) before giving them back to the system.
/// For a command that frees and takes again the same pages thousands of times
/// a second: `import` and `check` (a 100,000-row import into SQLite, twelve
/// runs interleaved with 0 ms: a median 1.97 s instead of 2.16 s, peak
/// 118–128 MiB instead of 114–119 MiB). For `publish` and `rollback`, with
/// 1,000 ms: a 100,000-event publish committed 7.3 GiB over its run for a
/// 371 MiB peak (mimalloc's statistics), page faults 58,470 → 30,870, the same
/// peak, 2.18 and 3.53 s → 1.83 and 2.73 s (alternated runs on a noisy
/// machine). For `serve`, with 20 ms: a hot event's registration batch on
/// SQLite frees its statement journals (in memory, coalescing_vfs.hpp) and
/// takes them again every few milliseconds, and with 0 ms each time cost a
/// `madvise` (with a TLB flush on every core) and page faults. One hot event,
/// four alternated runs: 6,112–6,976 registrations a second against
/// 5,310–5,988 before both changes (the journals in memory with 0 ms alone:
/// 3,761–4,763 against 5,036–5,657, five runs); a server holding 10,000
/// events 47 → 58 MiB after an install, at 100,000 events 180 → 188 MiB
/// (bench/publish.sh). For `pipeline build`, with 100 ms: its threads take
/// memory freed a moment before (cells, rows, the raw files, each workbook's
/// bytes), and a new 4 KiB page cost about 10 µs on the 2-core virtual
/// machines (a trap, then the page zeroed): 50,100 → about 40,600 page faults,
/// 1.80–1.83 s → 1.65–1.70 s, peak 110–111 → 117–124 MiB (four alternated
/// runs; 1,000 ms: 1.55–1.58 s but a 148–149 MiB peak, at the 150 MiB of
/// issue 22; an earlier build, which held each CSV file whole, gained nothing
/// at a 140–166 MiB peak). Call before the command starts its threads.
/// Without mimalloc it does nothing. Throws nothing.
void hold_freed_pages(std::chrono::milliseconds delay) noexcept;

/// Has the allocator take huge pages (2 MiB) for the memory it takes from
/// the system from now on: mimalloc's large OS pages, which tries explicit
/// huge pages (`MAP_HUGETLB`) and else asks for transparent ones
/// (`madvise(MADV_HUGEPAGE)`). Such memory is kept until the process ends,
/// never given back, even where the system then gives no huge pages (THP
/// `never`). For `publish` and `rollback`, short-lived commands that read,
/// encode and diff the whole programme in new memory: at 100,000 events a
/// page fault per 4 KiB page was a third of their time (`perf`, on 2-core
/// virtual machines where a fault is dear); the `publish` command alone took
/// 3.21 and 3.24 s, with huge pages 2.01 and 1.83 s (the same binary,
/// alternated). Not for the server: its install of a snapshot was twice as
/// fast, but it kept its peak (423 MiB instead of 236 MiB on PostgreSQL at
/// 100,000 events, above the 400 MiB of issue 22). For `import` and `check`
/// too (reading a 48.6 MB file into new memory: 0.26 s in 4 KiB pages, 0.01 s
/// in 2 MiB ones; `bench/import.sh`, two alternated runs: SQLite 2.00, 1.70 s
/// → 1.79, 1.58 s, PostgreSQL 2.60, 2.29 s → 2.16, 2.05 s, peak 114–125 →
/// 124–134 MiB, under the 3× the file of issue 22). For `pipeline build`
/// since its registrants are placed by key without a second copy and its raw
/// files given back once parsed (forty-eighth session; before, 0.05–0.1 s
/// faster at a 140–152 MiB peak, over its 150 MiB): a 4 KiB page fault took
/// 11 µs here; 32,800 → 8,000 faults, eight alternated runs of the command
/// 1.77 → 1.61 s, peak 111–119 → 131–135 MiB (docs/performance.md,
/// "Registrants placed by key").
/// Call before the command's work allocates. Without mimalloc it does
/// nothing. Throws nothing.
void use_huge_pages() noexcept;

/// With use_huge_pages(): a thread started later gets its memory the same
/// way from its first segment on (`mi_option_eager_commit_delay` 0; by
/// default a new thread's first segment is committed in 4 KiB parts). For
/// `publish` and `rollback`, whose rows are made into events, and whose
/// diff runs, on threads of their own: a 100,000-event publish took 17,000
/// page faults instead of 7,900 (not measured for `import` and `check`,
/// which keep the default). Without mimalloc it does nothing. Throws nothing.
void use_huge_pages_in_new_threads() noexcept;

/// Runs `work` on a thread started now and returns what it returns (throws
/// what it throws). After use_huge_pages() and
/// use_huge_pages_in_new_threads(), all of that thread's memory is in huge
/// pages, where the calling thread keeps allocating from the segment it took
/// at process start, in 4 KiB pages (options set later do not change it).
/// A 100,000-event `publish`: 8,800 page faults → 3,130 (`perf stat`, with
/// MIMALLOC_LARGE_OS_PAGES=1 from the start 2,890). Throws std::system_error
/// when no thread can be started.
template <typename Work>
auto on_new_thread(Work work) {
  return std::async(std::launch::async, std::move(work)).get();
}

}  // namespace marquee
