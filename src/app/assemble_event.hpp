#pragma once
// Event assembly: a SourceRecord of text values becomes a normalized Event.
#include <optional>
#include <string>
#include <vector>

#include "core/source_record.hpp"
#include "core/datetime_text.hpp"
#include "core/event.hpp"
#include "core/import_report.hpp"

namespace marquee {

struct AssembleContext {
  std::string default_zone = "UTC";       ///< IANA zone for local times without one
  DateOrder date_order = DateOrder::dmy;  ///< for all-numeric dates
  std::string key_namespace;              ///< source namespace for derived keys
  std::string source_file;                ///< stored in Event::source_file
  UnixSeconds now = 0;                    ///< for "in the past" warnings
};

struct Assembled {
  std::optional<Event> event;    ///< set when the record has no errors
  std::vector<RowIssue> issues;  ///< errors and warnings (warnings are also in event->warnings)
};

/// Normalizes text (trim, NFC, collapsed white space in one-line fields),
/// parses dates in the record's or the default zone (see parse_datetime_text),
/// resolves the end (full date-time, time only — the next day when before the
/// start —, date only, or duration), derives or checks the key, parses
/// capacity, status and all_day, then runs validate_event.
Assembled assemble_event(const SourceRecord& record, const AssembleContext& ctx);

}  // namespace marquee
