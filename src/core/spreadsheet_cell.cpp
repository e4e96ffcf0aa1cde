#include "core/spreadsheet_cell.hpp"

namespace marquee {
namespace {

constexpr std::string_view kTriggers = "=+-@\t\r";

// The number of leading apostrophes when they are followed by a trigger, else -1.
long apostrophes_before_trigger(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == '\'') ++n;
  if (n < s.size() && kTriggers.find(s[n]) != std::string_view::npos) return static_cast<long>(n);
  return -1;
}

}  // namespace

std::string spreadsheet_cell(std::string_view value) {
  if (spreadsheet_cell_prefixed(value)) return "'" + std::string(value);
  return std::string(value);
}

bool spreadsheet_cell_prefixed(std::string_view value) { return apostrophes_before_trigger(value) >= 0; }

std::string from_spreadsheet_cell(std::string_view cell) {
  if (apostrophes_before_trigger(cell) >= 1) return std::string(cell.substr(1));
  return std::string(cell);
}

void unprefix_spreadsheet_cell(std::string& cell) {
  if (apostrophes_before_trigger(cell) >= 1) cell.erase(0, 1);
}

}  // namespace marquee
