// The process's memory allocator (docs/performance.md, "Allocator").
#pragma once

#include <chrono>

namespace marquee {

/// Sets the allocator's options; call first in main(), before threads start.
///
/// A binary built with MARQUEE_MIMALLOC (the default, CMakeLists.txt) runs on
/// mimalloc: it gives memory a thread freed back to the system at once
/// (decommit delays of 0 ms for pages and segments) instead of holding it for
/// reuse, so an idle server's resident memory stays what it uses (a 10,000
/// event programme: 50–55 MiB instead of 83–99 MiB, bench/publish.sh).
/// Without mimalloc it does nothing. Throws nothing.
void configure_allocator() noexcept;

/// Has the allocator hold the pages a thread frees for `delay` (milliseconds,
/// mimalloc's page decommit delay) before giving them back to the system.
/// For a command that frees and takes again the same pages thousands of times
/// a second: `import` and `check` (a 100,000-row import into SQLite, twelve
/// runs interleaved with 0 ms: a median 1.97 s instead of 2.16 s, peak
/// 118–128 MiB instead of 114–119 MiB). Not for the server or the pipeline:
/// there it only raised the resident memory (the pipeline's peak from 117–121
/// to 140–166 MiB, no faster). Call before the command starts its threads.
/// Without mimalloc it does nothing. Throws nothing.
void hold_freed_pages(std::chrono::milliseconds delay) noexcept;

}  // namespace marquee
