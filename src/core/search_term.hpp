#pragma once
// The text of a discovery search as analytics keeps it. No I/O.
#include <cstddef>
#include <string>
#include <string_view>

namespace marquee {

/// Longest normalised search term kept, in Unicode code points.
constexpr std::size_t kSearchTermMaxChars = 100;

/// Case-folded NFKC (core/text search_fold), whitespace collapsed and
/// trimmed, cut to kSearchTermMaxChars code points (never inside a UTF-8
/// sequence). "  Jazz   NIGHT " → "jazz night". Invalid UTF-8 gives "".
std::string normalize_search_term(std::string_view query);

}  // namespace marquee
