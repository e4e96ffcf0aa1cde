#pragma once
// The event: one entry of the public programme, as the store keeps it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/question.hpp"

namespace marquee {

/// Seconds since 1970-01-01T00:00:00Z (UTC), as stored and compared everywhere.
using UnixSeconds = std::int64_t;

enum class EventStatus { draft, published, cancelled };

/// "draft" | "published" | "cancelled".
std::string_view to_string(EventStatus s);
/// Parses the three names above (ASCII, case-insensitive); nullopt for anything else.
std::optional<EventStatus> parse_event_status(std::string_view s);

/// A data-quality warning kept with an event: the row was imported, but an
/// operator should look at `field` (e.g. "ends_at", "url").
struct Warning {
  std::string field;
  std::string message;
  friend bool operator==(const Warning&, const Warning&) = default;
};

struct Event {
  std::string key;            ///< stable key: [a-z0-9-], at most 80 bytes, unique
  std::string title;          ///< plain text, NFC
  std::string description;    ///< Markdown (CommonMark + GFM), rendered safely
  UnixSeconds starts_at = 0;  ///< UTC instant
  UnixSeconds ends_at = 0;    ///< UTC instant, >= starts_at
  std::string time_zone;      ///< IANA zone of the venue, e.g. "Europe/Berlin"
  bool all_day = false;       ///< dates only: starts_at/ends_at are local midnights
  std::string venue;
  std::string address;
  std::string room;           ///< room or track within the venue
  std::string category;
  std::vector<std::string> tags;
  std::string organizer;
  std::string url;
  std::string image_url;
  std::string price;          ///< free text, e.g. "Free", "12 EUR"
  std::optional<std::int64_t> capacity;  ///< places; nullopt = unlimited
  bool registration = false;  ///< attendees can register (while the event has not started)
  bool waitlist = false;      ///< when full, new registrations join a waiting list
  std::optional<std::int64_t> retention_days;  ///< personal data purged this many days after the end
  std::vector<Question> questions;  ///< extra questions asked at registration
  EventStatus status = EventStatus::published;
  std::string source_file;    ///< file name the event was imported from
  std::string source_record;  ///< "line 12", "UID …" or "event id 4711"
  std::vector<Warning> warnings;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::int64_t version = 0;   ///< incremented by the store on each change

  friend bool operator==(const Event&, const Event&) = default;
};

/// True when the two events differ in any field an import sets (everything but
/// created_at, updated_at and version).
bool same_content(const Event& a, const Event& b);

}  // namespace marquee
