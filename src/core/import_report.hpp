#pragma once
// What an import or check found: counts, and issues by line and field.
#include <cstdint>
#include <string>
#include <vector>

namespace marquee {

enum class Severity { error, warning };

/// One finding. `line` is the 1-based line of the record in the source file
/// (the header is line 1 in CSV), 0 when the finding concerns the whole file.
struct RowIssue {
  std::int64_t line = 0;
  std::string field;    ///< event field or source column; "" for the whole row
  std::string message;  ///< human-readable reason, e.g. "not a date: '31/02/2026'"
  Severity severity = Severity::error;
  std::string key;      ///< the event's key when known
};

struct ImportReport {
  std::string file;
  std::string format;            ///< "csv" | "ics" | "frab"
  bool dry_run = false;
  std::string fatal;             ///< non-empty: nothing was imported, and why
  std::int64_t records = 0;      ///< records read from the source
  std::int64_t accepted = 0;     ///< records that passed validation
  std::int64_t rejected = 0;     ///< records refused with at least one error
  std::int64_t inserted = 0;     ///< new events written
  std::int64_t updated = 0;      ///< existing events changed
  std::int64_t unchanged = 0;    ///< existing events identical to the import
  std::int64_t import_id = 0;    ///< the recorded run (0: dry run or nothing written), for reverting it
  std::vector<RowIssue> issues;  ///< errors and warnings, in source order
  std::vector<std::string> notes;  ///< about the store rather than the file (e.g. "still holds the demo programme")

  std::int64_t error_count() const;
  std::int64_t warning_count() const;
  bool ok() const { return fatal.empty(); }
};

}  // namespace marquee
