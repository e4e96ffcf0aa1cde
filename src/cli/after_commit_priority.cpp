#include "cli/after_commit_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace marquee {

void lower_this_thread_priority() noexcept {
  // On Linux PRIO_PROCESS with a thread id sets that thread's nice value alone.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
}

}  // namespace marquee
