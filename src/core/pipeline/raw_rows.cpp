#include "core/pipeline/raw_rows.hpp"

#include <limits>
#include <stdexcept>

namespace marquee::pipeline {

void RawRows::add(std::int64_t line, const std::vector<std::string>& fields) {
  std::size_t total = bytes_.size();
  for (const auto& f : fields) total += f.size();
  if (total > std::numeric_limits<std::uint32_t>::max() ||
      cell_end_.size() + fields.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("a raw export larger than 4 GiB cannot be read");
  for (const auto& f : fields) {
    bytes_ += f;
    cell_end_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  first_cell_.push_back(static_cast<std::uint32_t>(cell_end_.size()));
  lines_.push_back(line);
}

std::string_view RawRows::cell(std::size_t row, std::size_t col) const {
  const std::size_t i = first_cell_[row] + col;
  const std::size_t begin = i == 0 ? 0 : cell_end_[i - 1];
  return std::string_view(bytes_).substr(begin, cell_end_[i] - begin);
}

}  // namespace marquee::pipeline
