#pragma once
// One record read from any source format, before assembly into an Event.
#include <cstdint>
#include <map>
#include <string>

namespace marquee {

/// Field values as text, keyed by import field name (see import_fields()).
/// Date/time fields hold source text that the assembler parses, e.g.
/// starts_at = "2026-06-12T19:00:00" with time_zone = "Europe/Berlin".
struct SourceRecord {
  std::int64_t line = 0;         ///< 1-based line in the source file
  std::string record_id;         ///< the source's own identity (for stable keys); may be empty
  std::map<std::string, std::string> values;
};

/// The field names an import can set:
/// key, title, description, starts_at, ends_at, start_date, start_time, end_date,
/// end_time, duration, time_zone, all_day, venue, address, room, category, tags,
/// organizer, url, image_url, price, capacity, status, registration, waitlist,
/// retention_days, questions.
const std::vector<std::string>& import_fields();

}  // namespace marquee
