#include "adapters/formats/events_csv_writer.hpp"

#include "adapters/formats/csv_reader.hpp"
#include "core/time_zone.hpp"
#include "core/text.hpp"

namespace marquee {

std::string export_events_csv(const std::vector<Event>& events) {
  std::string out = csv_record({"key", "title", "description", "starts_at", "ends_at", "time_zone", "all_day",
                                "venue", "address", "room", "category", "tags", "organizer", "url", "image_url",
                                "price", "capacity", "status", "registration", "waitlist", "retention_days",
                                "questions"});
  for (const Event& e : events) {
    std::string start, end;
    if (e.all_day) {
      start = to_local(e.starts_at, e.time_zone).date;
      end = to_local(e.ends_at > e.starts_at ? e.ends_at - 1 : e.ends_at, e.time_zone).date;
    } else {
      start = format_rfc3339(e.starts_at, e.time_zone);
      // An event without an end is stored with ends_at == starts_at; export it
      // with an empty end so that a re-import sees the same thing.
      if (e.ends_at != e.starts_at) end = format_rfc3339(e.ends_at, e.time_zone);
    }
    out += csv_record({e.key, e.title, e.description, start, end, e.time_zone, e.all_day ? "true" : "false", e.venue,
                       e.address, e.room, e.category, join(e.tags, "; "), e.organizer, e.url, e.image_url, e.price,
                       e.capacity ? std::to_string(*e.capacity) : "", std::string(to_string(e.status)),
                       e.registration ? "true" : "false", e.waitlist ? "true" : "false",
                       e.retention_days ? std::to_string(*e.retention_days) : "", format_questions(e.questions)});
  }
  return out;
}

}  // namespace marquee
