#pragma once
// The public view of a build: counts per session, day and summary field,
// with small counts suppressed, and every correction with its reason. No
// personal data enters this structure; the privacy guard checks the files
// made from it anyway. Computed by app/pipeline/public_summary, rendered as a
// site behind ports/site_renderer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pipeline/disclosure.hpp"

namespace marquee::pipeline {

/// One session as published: where and when, its changes and its counts.
struct SessionRow {
  std::string key, title, category, venue, room, time_zone;
  std::string day;                    ///< local date "YYYY-MM-DD"
  std::string start_local, end_local; ///< "HH:MM" in the session's zone
  std::string starts_at, ends_at;     ///< RFC 3339 with the zone's offset
  bool cancelled = false;
  bool changed_after_lock = false;
  std::vector<std::string> changes;   ///< override effects, e.g. "room: Saal 1 → Saal 2"
  std::optional<std::int64_t> capacity;
  CountCell registered, waitlisted;   ///< suppressed below the threshold
};

/// One day of the programme.
struct DayRow {
  std::string day;
  std::int64_t sessions = 0;
  CountCell attendees;                ///< distinct registrants with a seat that day
};

/// The counts of one summary field (config/mappings.toml: summary = true).
struct Dimension {
  std::string field, label;
  std::vector<CountCell> cells;       ///< by count (descending), then value
};

/// One patch or override, as the corrections page and summary.json show it.
struct CorrectionRow {
  std::string kind;      ///< "patch" | "override"
  std::string where;     ///< "config/patches/a.toml:4"
  std::string target;    ///< registrant key or session key
  std::string field;
  std::string effect;    ///< "\"Other\" → \"Hamburg\"", or "changed (personal field, value not published)"
  std::string reason, author, date;
  bool after_lock = false;
};

/// Everything the public outputs (summary.json, summary.csv, sessions.csv,
/// the site) publish about a build.
struct PublicSummary {
  std::string title;
  std::int64_t threshold = 5;
  std::string lock_date;
  bool locked = false;
  CountCell registrants, cancelled, duplicates_marked;
  std::int64_t conflicts = 0;         ///< registrants with overlapping seats (suppressed when small: -1)
  std::vector<SessionRow> sessions;
  std::vector<DayRow> days;
  std::vector<Dimension> dimensions;
  std::vector<CorrectionRow> corrections;
};

/// "12", or "<5" when suppressed.
std::string count_text(const CountCell& c, std::int64_t threshold);

}  // namespace marquee::pipeline
