#include "core/pipeline/public_summary.hpp"

namespace marquee::pipeline {

std::string count_text(const CountCell& c, std::int64_t threshold) {
  return c.suppressed ? "<" + std::to_string(threshold) : std::to_string(c.count);
}

}  // namespace marquee::pipeline
