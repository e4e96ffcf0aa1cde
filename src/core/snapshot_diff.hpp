#pragma once
// Differences between two versions of the public programme: the changelog of
// a publish and the preview shown before one.
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/field_values.hpp"

namespace marquee {

enum class ChangeKind { added, removed, changed };

std::string_view to_string(ChangeKind k);

struct EventChange {
  std::string event_key;
  ChangeKind kind = ChangeKind::changed;
  std::vector<std::string> fields;  ///< for `changed`: public field names that differ, in a fixed order
  /// What the changelog shows: the described fields (title, starts_at,
  /// ends_at, time_zone, all_day, venue, room, address, status, price,
  /// capacity) that changed, plus title, starts_at and time_zone as context
  /// (before == after when unchanged). Added events carry only `after`,
  /// removed ones only `before`.
  FieldValuesList details;
  friend bool operator==(const EventChange&, const EventChange&) = default;
};

/// The raw text of a described field of `e` (see FieldValues); "" for other fields.
std::string change_value(const Event& e, std::string_view field);

/// The fields diff_programmes describes in EventChange::details, in order.
const std::vector<std::string>& described_fields();

/// Field-by-field comparison of the public fields (title, description,
/// starts_at, ends_at, time_zone, all_day, venue, address, room, category,
/// tags, organizer, url, image_url, price, capacity, status, registration,
/// waitlist, questions) of events matched by key, with details. Ordered by key;
/// either side in any order (sorted by key through pointers unless it is in
/// key order already; large sides are compared in two key ranges on two
/// threads); a key given twice on one side counts once, with its last event.
std::vector<EventChange> diff_programmes(const std::vector<Event>& before, const std::vector<Event>& after);
/// diff_programmes() with the events after given as pointers (programme_order_of
/// gives them): the same changes as for a vector of those events.
std::vector<EventChange> diff_programmes_by_pointer(const std::vector<Event>& before,
                                                    const std::vector<const Event*>& after);

/// The events of the working state that belong in a snapshot: every status
/// but draft, in the programme's order (by starts_at, then key), with store bookkeeping (warnings, source,
/// created/updated, version) cleared so that equal programmes hash equally.
std::vector<Event> public_events(std::vector<Event> working);

}  // namespace marquee
