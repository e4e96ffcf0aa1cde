#pragma once
// CSV export in Marquee's own layout, which `marquee import` reads back
// without a mapping (round trip).
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// Header: key,title,description,starts_at,ends_at,time_zone,all_day,venue,address,
/// room,category,tags,organizer,url,image_url,price,capacity,status,registration,
/// waitlist,retention_days,questions (see core/question.hpp for the questions form).
/// Timed events: starts_at/ends_at as RFC 3339 in the event's zone
/// ("2026-06-12T19:00:00+02:00"); all-day events: first and last date
/// ("2026-06-12", inclusive). Tags joined with "; ". RFC 4180, CRLF.
std::string export_events_csv(const std::vector<Event>& events);

}  // namespace marquee
