#pragma once
// The import use case: read a file (CSV, iCalendar, frab schedule.xml),
// assemble and validate every record, and write the accepted events in ONE
// store transaction (or none, for a dry run or a check). While writing, the
// file is read on a second thread and the store writes batches of accepted
// events as they come (Store::import_event_batches): memory follows a few
// batches, not the file, and a fatal problem anywhere still writes nothing.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/import_report.hpp"
#include "ports/clock.hpp"
#include "ports/event_source.hpp"
#include "ports/store.hpp"

namespace marquee {

struct ImportOptions {
  std::string format;                         ///< "csv" | "ics" | "frab" | "" (guess from name and content)
  std::string mapping_path;                   ///< CSV column mapping (TOML); "" = Marquee's own layout
  std::string mapping_text;                   ///< the same as text (a console upload), used when mapping_path is ""
  bool dry_run = false;                       ///< validate and report, write nothing
  std::string default_zone = "UTC";           ///< IANA zone for local times that name none
  std::size_t max_bytes = 32u << 20;          ///< larger files are refused (fatal)
  std::size_t max_field_bytes = 1u << 20;     ///< larger CSV fields reject their row
  long long recurrence_past_days = 365;       ///< iCalendar RRULE window before now
  long long recurrence_future_days = 730;     ///< iCalendar RRULE window after now
  std::string actor = "cli";                  ///< who imports: recorded with the run (revert_import)
};

/// Imports `bytes`, read by `source` (adapters/formats/event_sources in
/// production; adapters/formats/import_file reads a file first). `store` may
/// be null only when `dry_run` is set. Never throws for bad input: a fatal
/// problem (oversized file, malformed CSV/XML/iCalendar, missing required
/// column, unusable mapping, a store failure) is reported in `fatal` and
/// nothing is written; row problems are `issues` with line and field, and
/// those rows are skipped. `name` is used for format
/// guessing, the key namespace of CSV files and Event::source_file.
ImportReport import_bytes(const EventSource& source, Store* store, std::string_view bytes, const std::string& name,
                          const ImportOptions& options, const Clock& clock);

/// The same, for bytes held by the caller (a mapped file): `release` is
/// called at most once, on the thread that reads the file (the caller's own
/// for a dry run), when they have all been read and before the events are
/// committed, to let them go (a large file is not held through the store's
/// transaction). It returns "" or a problem, such as the file having changed
/// meanwhile, which is reported in `fatal` with nothing written. It is not
/// called after a fatal problem found before reading (an unknown format, a
/// file over `max_bytes`) or when the reader throws: the caller still holds
/// the bytes then, and lets them go itself.
ImportReport import_released_bytes(const EventSource& source, Store* store, std::string_view bytes,
                                   const std::function<std::string()>& release, const std::string& name,
                                   const ImportOptions& opt, const Clock& clock);

/// Reads and validates like a dry run and returns the accepted events (the
/// bundled programme is served this way when no store can be reached).
std::vector<Event> read_events(const EventSource& source, std::string_view bytes, const std::string& name, const ImportOptions& options,
                               const Clock& clock, ImportReport* report);

/// Undoes a committed import (Store::revert_import: one transaction with its
/// audit entry). Throws StoreError.
RevertOutcome revert_import(Store& store, const Clock& clock, std::int64_t import_id, const std::string& actor);

/// The import history as a service the console holds (instead of the store):
/// the recorded runs, newest first, and revert_import.
class ImportRuns {
 public:
  ImportRuns(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  std::vector<ImportRun> list(int limit) { return store_.list_import_runs(limit); }
  RevertOutcome revert(std::int64_t import_id, const std::string& actor) {
    return revert_import(store_, clock_, import_id, actor);
  }

 private:
  Store& store_;
  const Clock& clock_;
};

/// Adds a note to `r` when `store` still holds the bundled demo programme
/// and the file is not that programme (the organizer may not want it mixed in).
void note_demo_programme(Store& store, ImportReport& r);

/// Human-readable report: a summary line, then the issues grouped by kind
/// (severity, field and message with its quoted values and numbers set
/// aside), errors first, each kind with its count and its first
/// `examples_per_kind` lines ("line 12, starts_at: error: not a date …") and
/// how many more there are. SIZE_MAX lists every issue, one line each, in
/// file order.
std::string format_report_text(const ImportReport& r, std::size_t examples_per_kind = 3);

}  // namespace marquee
