#pragma once
// Creating one event by hand (the console's New event form): a draft from
// field texts, validated, stored with its audit entry in one transaction.
#include <string>
#include <utility>
#include <vector>

#include "core/event.hpp"
#include "core/import_report.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct EventCreate {
  bool created = false;
  Event event;                   ///< as built from the texts (stored when created)
  std::vector<RowIssue> errors;  ///< field and message; "key" for a bad or taken key
};

/// Builds a draft event from `fields` (field → text, as set_field_text reads
/// them; time zone before dates) in `default_zone`, with the key `key` or,
/// when "", one derived from the title; validates it (core/validation) and
/// stores it (Store::create_event) with the audit entry "create" as `actor`.
/// A taken key, an invalid key or field, or a capacity below confirmed places
/// come back as errors and nothing is written. Throws StoreError.
EventCreate create_event(Store& store, const Clock& clock, const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& key, const std::string& default_zone, const std::string& actor);

}  // namespace marquee
