#include "core/event.hpp"

#include "core/text.hpp"

namespace marquee {

std::string_view to_string(EventStatus s) {
  switch (s) {
    case EventStatus::draft: return "draft";
    case EventStatus::published: return "published";
    case EventStatus::cancelled: return "cancelled";
  }
  return "draft";
}

std::optional<EventStatus> parse_event_status(std::string_view s) {
  const std::string v = ascii_lower(trim(s));
  if (v == "draft") return EventStatus::draft;
  if (v == "published") return EventStatus::published;
  if (v == "cancelled" || v == "canceled") return EventStatus::cancelled;
  return std::nullopt;
}

bool same_content(const Event& a, const Event& b) {
  Event x = a, y = b;
  x.created_at = y.created_at = 0;
  x.updated_at = y.updated_at = 0;
  x.version = y.version = 0;
  return x == y;
}

}  // namespace marquee
