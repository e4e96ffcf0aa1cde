#pragma once
// frab / c3voc schedule.json import (Boost.JSON); the layout is
// shared/data/schemas/frab/schedule.schema.json: schedule.conference.days[]
// with rooms{name: [event]}.
#include <string>
#include <string_view>
#include <vector>

#include "core/source_record.hpp"
#include "core/import_report.hpp"

namespace marquee {

/// Reads every event of a schedule.json with the same mapping as read_frab
/// (title + subtitle, abstract/description, room, track → category, type →
/// tag, language → "lang:xx" tag, persons (name or public_name) → organizer,
/// url, logo → image_url). The start is the event's `date` (RFC 3339 with
/// offset), else the day's date plus `start`; the length is `end`, else
/// `duration` (h:mm). The zone is conference.time_zone_name, else
/// `default_zone`. record_id is guid, else id. Each record's line is the line
/// of the event's guid (or its position when it has none).
/// `fatal` is set for malformed JSON (with line and column) and for a
/// document whose shape is not a schedule (naming the JSON path); an event
/// without a title or a usable start is an error naming its path.
std::vector<SourceRecord> read_frab_json(std::string_view json, const std::string& default_zone,
                                         std::vector<RowIssue>* issues, std::string* key_namespace, std::string* fatal);

}  // namespace marquee
