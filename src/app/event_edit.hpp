#pragma once
// Editing an event field by field from text, as the console's sheet, event
// form and moderation form send it, then revalidating the whole event.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/import_report.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// The fields an operator can edit, in form order: title, description,
/// starts_at, ends_at, time_zone, all_day, venue, address, room, category,
/// tags, organizer, url, image_url, price, capacity, status, registration,
/// waitlist, retention_days, questions.
const std::vector<std::string>& editable_fields();

/// The field's value as the console shows it: dates as "YYYY-MM-DD HH:MM"
/// wall time in the event's zone (date only for all-day events), booleans as
/// "true"/"false", an unlimited capacity as "", tags joined with ", ",
/// questions in their text form. "" for an unknown field.
std::string field_text(const Event& e, std::string_view field);

/// Sets one field from text (the inverse of field_text). Dates accept every
/// spelling of parse_datetime_text (year first for numeric dates) and are read
/// in the event's zone unless they carry an offset; an all-day event's end
/// date is inclusive. Booleans: true/false, yes/no, on/off, 1/0 (also "" =
/// false, for an unticked checkbox). An empty end means "no end" (the end is
/// set to the start, or the start day's end for an all-day event). Numbers: a whole number >= 0, or "" for
/// none. Returns the error message for a value that cannot be used (the event
/// is then unchanged), or nullopt.
std::optional<std::string> set_field_text(Event& e, std::string_view field, const std::string& text);

/// Runs the data-quality rules (core/validation.hpp) on an edited event:
/// replaces its warnings with the current ones and returns the errors
/// (empty = the event can be stored).
std::vector<RowIssue> revalidate(Event& e, UnixSeconds now);

/// The IANA zone most of `events` use (ties: the first in name order), or
/// "UTC" when there are none: the default zone for new events and imports.
std::string most_common_zone(const std::vector<Event>& events);
/// The same from the number of events per zone (EventReader::time_zone_counts).
std::string most_common_zone(const std::map<std::string, std::int64_t>& zone_counts);

/// The outcome of edit_fields.
struct FieldEdit {
  enum class Result { saved, unchanged, invalid, conflict, not_found } result = Result::not_found;
  std::vector<RowIssue> errors;  ///< for invalid: field and message
  bool below_confirmed = false;  ///< invalid because the capacity is below the confirmed places (the store refused)
  Event event;                   ///< saved/unchanged: the stored event; invalid: the attempted one;
                                 ///< conflict: the other operator's version
};

/// The one path by which an edited event is stored (the console's sheet and
/// form through edit_fields, the JSON API's PATCH): revalidates `edited`
/// (its warnings replaced; errors make it `invalid`), stores it if the stored
/// version is still `expected_version` (Store::edit_event: no silent
/// overwrites; another editor's version comes back as `conflict`), and audits
/// "edit" as `actor`, with the changed fields' old and new text (from
/// `current`) as before/after, in the same transaction. A capacity below the
/// confirmed places is `invalid` on the field capacity. Throws StoreError.
FieldEdit save_event(Store& store, const Clock& clock, const Event& current, Event edited,
                     std::int64_t expected_version, const std::string& actor);

/// Applies `changes` (field → text, in order; time_zone should come before
/// dates) to the stored event `key` if its version is still
/// `expected_version`, then save_event. Throws StoreError.
FieldEdit edit_fields(Store& store, const Clock& clock, const std::string& key, std::int64_t expected_version,
                      const std::vector<std::pair<std::string, std::string>>& changes, const std::string& actor);

}  // namespace marquee
