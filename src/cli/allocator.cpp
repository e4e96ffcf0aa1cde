#include "cli/allocator.hpp"

#ifdef MARQUEE_MIMALLOC
#include <mimalloc.h>
#endif

namespace marquee {

void configure_allocator() noexcept {
#ifdef MARQUEE_MIMALLOC
  mi_option_set(mi_option_decommit_delay, 0);          // freed pages of a segment (milliseconds)
  mi_option_set(mi_option_segment_decommit_delay, 0);  // freed segments
#endif
}

void hold_freed_pages([[maybe_unused]] std::chrono::milliseconds delay) noexcept {
#ifdef MARQUEE_MIMALLOC
  mi_option_set(mi_option_decommit_delay, static_cast<long>(delay.count()));
#endif
}

void use_huge_pages() noexcept {
#ifdef MARQUEE_MIMALLOC
  mi_option_set(mi_option_large_os_pages, 1);
#endif
}

void use_huge_pages_in_new_threads() noexcept {
#ifdef MARQUEE_MIMALLOC
  mi_option_set(mi_option_eager_commit_delay, 0);  // a new thread's first segment in huge pages too
#endif
}

}  // namespace marquee
