#pragma once
// Filtering and cursor pagination over the public programme.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/programme.hpp"

namespace marquee {

inline constexpr std::size_t kMaxPageSize = 1000;

struct EventQuery {
  std::string from_date;                 ///< "YYYY-MM-DD": local start date >= this
  std::string to_date;                   ///< "YYYY-MM-DD": local start date <= this
  std::optional<UnixSeconds> from_time;  ///< ends_at >= this (RFC 3339 instant given)
  std::optional<UnixSeconds> to_time;    ///< starts_at <= this
  std::string category;                  ///< exact, case-insensitive
  std::string tag;                       ///< one of the tags, case-insensitive
  std::string venue;                     ///< exact, case-insensitive
  std::string q;                         ///< words, all must occur (case- and accent-insensitive)
  std::optional<std::size_t> limit;      ///< page size, 1..kMaxPageSize; none = all
  std::string cursor;                    ///< from a previous page's next_cursor
};

struct QueryPage {
  std::vector<const ProgrammeEntry*> items;
  std::optional<std::string> next_cursor;  ///< set when more items follow
  std::size_t total = 0;                   ///< items matching the filters, over all pages
};

/// Runs `q` over `p`, in programme order (starts_at, key).
/// Returns nullopt when the cursor cannot be parsed.
std::optional<QueryPage> run_query(const Programme& p, const EventQuery& q);

}  // namespace marquee
