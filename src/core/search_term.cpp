#include "core/search_term.hpp"

#include "core/text.hpp"

namespace marquee {

std::string normalize_search_term(std::string_view query) {
  if (!valid_utf8(query)) return {};
  std::string folded = trim(collapse_whitespace(search_fold(query)));
  std::size_t chars = 0, i = 0;
  for (; i < folded.size(); ++i) {
    const auto byte = static_cast<unsigned char>(folded[i]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == kSearchTermMaxChars) break;
    ++chars;
  }
  folded.resize(i);
  return trim(folded);
}

}  // namespace marquee
