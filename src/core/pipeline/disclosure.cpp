#include "core/pipeline/disclosure.hpp"

namespace marquee::pipeline {

void suppress_small_counts(std::vector<CountCell>& cells, std::int64_t threshold) {
  if (threshold <= 1) return;
  int hidden = 0;
  for (auto& c : cells) {
    c.suppressed = is_small(c.count, threshold);
    hidden += c.suppressed ? 1 : 0;
  }
  if (hidden != 1) return;
  CountCell* smallest = nullptr;
  for (auto& c : cells)
    if (!c.suppressed && c.count > 0 && (!smallest || c.count < smallest->count)) smallest = &c;
  if (smallest) smallest->suppressed = true;
}

}  // namespace marquee::pipeline
