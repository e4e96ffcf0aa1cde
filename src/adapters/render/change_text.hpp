#pragma once
// Human words for published changes, shared by the changelog pages and feeds
// and the notification e-mails: field labels and values, times spelled out
// in the event's own zone.
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

/// "Start", "Room", … for a public field name (the name itself when unknown).
std::string field_label(std::string_view field);

/// A raw change value (see FieldValues) as people read it: starts_at/ends_at
/// as spelled_time in `zone`, all_day as yes/no, others as they are.
std::string field_value_text(std::string_view field, std::string_view raw, const std::string& zone);

/// "Friday 12 June 2026, 19:00 CEST" for an instant in `zone` (IANA).
/// Throws std::runtime_error for an unknown zone.
std::string spelled_time(UnixSeconds t, const std::string& zone);

}  // namespace marquee
