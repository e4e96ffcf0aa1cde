#include "adapters/render/change_text.hpp"

#include <functional>
#include <map>

#include "core/time_zone.hpp"
#include "adapters/render/event_text.hpp"

namespace marquee {

std::string field_label(std::string_view f) {
  static const std::map<std::string, std::string, std::less<>> labels{
      {"starts_at", "Start"},   {"ends_at", "End"},   {"time_zone", "Time zone"},   {"all_day", "All day"},
      {"venue", "Venue"},       {"room", "Room"},     {"address", "Address"},       {"status", "Status"},
      {"title", "Title"},       {"price", "Price"},   {"capacity", "Places"},       {"description", "Description"},
      {"category", "Category"}, {"tags", "Tags"},     {"organizer", "Organizer"},   {"url", "Link"},
      {"image_url", "Image"},   {"registration", "Registration"}, {"waitlist", "Waiting list"}, {"questions", "Questions"}};
  auto it = labels.find(f);
  return it == labels.end() ? std::string(f) : it->second;
}

std::string field_value_text(std::string_view field, std::string_view raw, const std::string& zone) {
  if (raw.empty()) return "";
  if (field == "starts_at" || field == "ends_at") {
    try {
      return spelled_time(std::stoll(std::string(raw)), zone);
    } catch (const std::exception&) {
      return std::string(raw);
    }
  }
  if (field == "all_day") return raw == "true" ? "yes" : "no";
  return std::string(raw);
}

std::string spelled_time(UnixSeconds t, const std::string& zone) {
  const LocalTime l = to_local(t, zone);
  return day_label(l.date) + ", " + l.time + " " + l.abbrev;
}

}  // namespace marquee
