#pragma once
// The event-source port: turns a file's bytes in one of the import formats
// into source records (one per event row, with its line), before the use
// case assembles and validates them (app/import_service). Implemented by
// adapters/formats/event_sources (libcsv + TOML mappings, libical, pugixml,
// Boost.JSON).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime_text.hpp"
#include "core/event.hpp"
#include "core/import_report.hpp"
#include "core/source_record.hpp"

namespace marquee {

/// How to read one file.
struct SourceReadOptions {
  std::string format;                    ///< "csv", "ics", "frab" or "frab-json" (already chosen)
  std::string mapping_path;              ///< CSV: a column mapping file (TOML); "" = Marquee's own layout
  std::string mapping_text;              ///< CSV: the same as text, used when mapping_path is ""
  std::string default_zone = "UTC";      ///< frab: IANA zone for times that name none
  std::size_t max_field_bytes = 1u << 20;  ///< CSV: a larger field rejects its row
  UnixSeconds window_start = 0;          ///< iCalendar: recurring events' first occurrence kept (UTC seconds)
  UnixSeconds window_end = 0;            ///< iCalendar: their last occurrence kept (UTC seconds)
};

/// What a reader made of the bytes. `fatal` non-empty: the file as a whole is
/// unusable (malformed CSV/XML/iCalendar/JSON, a missing required column, an
/// unusable mapping; the message names the line where there is one).
struct SourceRead {
  std::vector<SourceRecord> records;
  std::int64_t rows = 0;                   ///< data rows in the file (CSV: including rows the mapping rejected)
  std::vector<RowIssue> issues;            ///< row problems found while reading (line and field)
  std::string fatal;
  std::optional<std::string> default_zone;  ///< the CSV mapping's zone for local times, when it names one
  std::optional<DateOrder> date_order;      ///< the CSV mapping's order of all-numeric dates
  std::string key_namespace;                ///< the mapping's or schedule's namespace for stable keys; "" = the default
};

/// Receives each record as it is read, with what the reader knows of the file
/// so far: the mapping's zone, date order and key namespace are set before
/// the first record.
using RecordSink = std::function<void(SourceRecord&&, const SourceRead&)>;

class EventSource {
 public:
  virtual ~EventSource() = default;
  /// Reads `bytes`. Never throws for bad input (see SourceRead::fatal).
  virtual SourceRead read(std::string_view bytes, const SourceReadOptions& options) const = 0;
  /// The same, handing each record to `sink` as it is read instead of keeping
  /// it (the returned records stay empty), so that a large import holds one
  /// source record at a time. When `fatal` comes back set, records before the
  /// problem may already have been handed on: the caller discards them.
  /// This default reads everything first, then hands the records on.
  virtual SourceRead read_each(std::string_view bytes, const SourceReadOptions& options, const RecordSink& sink) const {
    SourceRead r = read(bytes, options);
    std::vector<SourceRecord> records = std::move(r.records);
    r.records.clear();
    for (auto& rec : records) sink(std::move(rec), r);
    return r;
  }
};

}  // namespace marquee
