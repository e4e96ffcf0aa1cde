#pragma once
// application/x-www-form-urlencoded bodies (HTML form posts).
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace marquee {

/// Decodes a form body ('+' is a space, %XX escapes) into name → value; the
/// last of repeated names wins. Malformed escapes are kept as written.
std::map<std::string, std::string> parse_form(const std::string& body);

/// Every name/value pair in order (repeated names, e.g. ticked checkboxes, kept).
std::vector<std::pair<std::string, std::string>> parse_form_pairs(const std::string& body);

}  // namespace marquee
