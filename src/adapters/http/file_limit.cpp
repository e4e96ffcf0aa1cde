#include "adapters/http/file_limit.hpp"

#include <sys/resource.h>

namespace marquee {

std::size_t raise_file_limit() {
  constexpr rlim_t kCap = rlim_t{1} << 20;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  const rlim_t target = rl.rlim_max == RLIM_INFINITY ? kCap : rl.rlim_max;
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur < target) {
    rlimit raised = rl;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl.rlim_cur = target;
  }
  return rl.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(kCap) : static_cast<std::size_t>(rl.rlim_cur);
}

}  // namespace marquee
