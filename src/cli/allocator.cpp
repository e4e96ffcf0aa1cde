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

}  // namespace marquee
