#pragma once
// application/x-www-form-urlencoded bodies (HTML form posts).
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

namespace marquee {

/// Decodes a form body ('+' is a space, %XX escapes) into name → value; the
/// last of repeated names wins. Malformed escapes are kept as written.
std::map<std::string, std::string> parse_form(const std::string& body);

/// A whole decimal number written as the entire text ("12", "-3"); nullopt
/// for anything else ("", "1x", " 1", out of range).
std::optional<std::int64_t> parse_int(std::string_view text);
/// parse_int for ids in paths: only numbers of 1 or more.
inline std::optional<std::int64_t> parse_id(std::string_view text) {
  auto n = parse_int(text);
  return n && *n > 0 ? n : std::nullopt;
}

/// Every name/value pair in order (repeated names, e.g. ticked checkboxes, kept).
std::vector<std::pair<std::string, std::string>> parse_form_pairs(const std::string& body);

}  // namespace marquee
