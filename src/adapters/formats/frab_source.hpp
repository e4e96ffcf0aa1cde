#pragma once
// frab / pentabarf / pretalx schedule.xml import (pugixml); the layout is the
// c3voc schema in shared/data/schemas/frab/schedule.xml.xsd.
#include <string>
#include <string_view>
#include <vector>

#include "core/source_record.hpp"
#include "core/import_report.hpp"

namespace marquee {

/// Reads every <event> of a schedule: under <day><room> (frab) or directly
/// under <day> (old pentabarf). The start is <date> (ISO 8601 with offset)
/// when present, else the day's date plus <start>, moved to the next day when
/// <start> is before <conference><day_change>. <duration> is h:mm[:ss].
/// The zone is <conference><time_zone_name>, else `default_zone`.
/// Mapped: title (+ subtitle), abstract and description, room, track →
/// category, type → tag, persons → organizer, url, logo → image_url,
/// conference venue (or title) → venue. record_id is "guid" or "id";
/// `key_namespace` receives "frab:" + acronym (or title).
/// `fatal` is set for malformed XML (with its line) or a root other than <schedule>.
std::vector<SourceRecord> read_frab(std::string_view xml, const std::string& default_zone,
                                    std::vector<RowIssue>* issues, std::string* key_namespace, std::string* fatal);

}  // namespace marquee
