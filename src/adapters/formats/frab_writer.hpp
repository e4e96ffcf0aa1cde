#pragma once
// frab / c3voc schedule export: schedule.xml (shared/data/schemas/frab/
// schedule.xml.xsd) and schedule.json (schedule.schema.json), so that phone
// schedule apps (Giggity, EventFahrplan, …) can follow the programme.
#include <string>

#include "core/programme.hpp"

namespace marquee {

struct FrabOptions {
  std::string title = "Marquee";             ///< conference title
  std::string base_url = "http://127.0.0.1:8080";  ///< public site, for event URLs (no trailing slash)
};

/// Shared mapping (docs/frab.md): conference days run 04:00–03:59 local time
/// in the most common zone; a room is "venue – room" (or the venue); track =
/// category; type = the first tag not starting with "lang:" (else "other");
/// language from a "lang:xx" tag; persons = the organizer split at ", ";
/// guid = a UUID derived from the event key, id = a stable positive 31-bit
/// number derived from it (collisions resolved in key order); duration h:mm
/// capped at 99:59. Cancelled events are left out (apps drop them; the
/// changelog says why). version = Publication::version().
std::string frab_schedule_xml(const Programme& p, const FrabOptions& o);
std::string frab_schedule_json(const Programme& p, const FrabOptions& o);

/// The acronym derived from a title: lower case, [a-z0-9_], at least 4 characters.
std::string frab_acronym(const std::string& title);

/// A UUID (RFC 9562 layout, version 8) from a name: stable across exports.
std::string name_uuid(const std::string& name);

}  // namespace marquee
