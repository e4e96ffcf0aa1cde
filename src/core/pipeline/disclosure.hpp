#pragma once
// Statistical disclosure control for public counts: small counts could point
// at a person, so they are suppressed below the drive's privacy threshold.
#include <cstdint>
#include <string>
#include <vector>

namespace marquee::pipeline {

/// One count in a public table.
struct CountCell {
  std::string value;        ///< the category, region, answer …
  std::int64_t count = 0;
  bool suppressed = false;  ///< published as "fewer than <threshold>"
};

/// Primary suppression: counts with 0 < count < threshold are suppressed.
/// Secondary suppression: when the table's total is published and exactly one
/// cell is suppressed, the smallest other non-zero cell is suppressed too, so
/// the hidden count cannot be recovered by subtraction. threshold <= 1 changes nothing.
void suppress_small_counts(std::vector<CountCell>& cells, std::int64_t threshold);

/// Primary suppression of one count.
inline bool is_small(std::int64_t count, std::int64_t threshold) { return count > 0 && count < threshold; }

}  // namespace marquee::pipeline
