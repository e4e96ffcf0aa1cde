// The process's memory allocator (docs/performance.md, "Allocator").
#pragma once

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

}  // namespace marquee
