#pragma once
// The records of one raw export, kept compactly for the whole build: every
// cell's bytes in one buffer and one offset per cell (a 12 MB drive held as
// one std::string per cell took 60 MB). Rows keep the physical line they
// start on and may differ in width, as read.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marquee::pipeline {

class RawRows {
 public:
  /// Appends a record. Throws std::length_error when the buffer would pass
  /// 4 GiB (offsets are 32-bit).
  void add(std::int64_t line, const std::vector<std::string>& fields);
  /// Room for `bytes` of cell text (e.g. the file's size) without regrowing.
  void reserve(std::size_t bytes) { bytes_.reserve(bytes); }

  std::size_t size() const { return lines_.size(); }
  /// 1-based physical line where record `row` starts.
  std::int64_t line(std::size_t row) const { return lines_[row]; }
  /// The number of fields of record `row`.
  std::size_t width(std::size_t row) const { return first_cell_[row + 1] - first_cell_[row]; }
  /// Field `col` of record `row` (both in range: see width()).
  std::string_view cell(std::size_t row, std::size_t col) const;

 private:
  std::string bytes_;
  std::vector<std::uint32_t> cell_end_;                  ///< end offset in bytes_ of every cell, row after row
  std::vector<std::uint32_t> first_cell_ = {0};          ///< index into cell_end_ of each row's first cell, plus the end
  std::vector<std::int64_t> lines_;
};

}  // namespace marquee::pipeline
