#include "adapters/http/query_params.hpp"

#include <charconv>

#include "core/time_zone.hpp"
#include "core/datetime_text.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

bool parse_bound(const std::string& name, const std::string& value, std::string* date,
                 std::optional<UnixSeconds>* instant, std::string* error) {
  if (value.empty()) return true;
  auto dt = parse_datetime_text(value, DateOrder::ymd);
  const bool iso_date = value.size() == 10 && value[4] == '-' && value[7] == '-';
  if (dt && !dt->has_time && iso_date) {
    *date = value;
    return true;
  }
  if (dt && dt->has_time && dt->offset_minutes) {
    *instant = to_utc(*dt, "UTC");
    return true;
  }
  *error = name + " must be a date (YYYY-MM-DD) or an RFC 3339 date-time with offset, got '" + value + "'";
  return false;
}

}  // namespace

bool has_event_filters(const Request& req) {
  for (const char* p : {"from", "to", "category", "tag", "venue", "q", "limit", "cursor"})
    if (!req.param(p).empty()) return true;
  return false;
}

std::optional<EventQuery> parse_event_query(const Request& req, std::string* error) {
  EventQuery q;
  if (!parse_bound("from", trim(req.param("from")), &q.from_date, &q.from_time, error)) return std::nullopt;
  if (!parse_bound("to", trim(req.param("to")), &q.to_date, &q.to_time, error)) return std::nullopt;
  q.category = trim(req.param("category"));
  q.tag = trim(req.param("tag"));
  q.venue = trim(req.param("venue"));
  q.q = trim(req.param("q"));
  q.cursor = trim(req.param("cursor"));
  const std::string limit = trim(req.param("limit"));
  if (!limit.empty()) {
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || p != limit.data() + limit.size() || n < 1 || n > kMaxPageSize) {
      *error = "limit must be a whole number from 1 to " + std::to_string(kMaxPageSize) + ", got '" + limit + "'";
      return std::nullopt;
    }
    q.limit = n;
  }
  if (q.q.size() > 200) {
    *error = "q is longer than 200 characters";
    return std::nullopt;
  }
  return q;
}

}  // namespace marquee
