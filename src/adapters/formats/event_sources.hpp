#pragma once
// The event-source port (ports/event_source.hpp) over Marquee's format
// readers: CSV with a TOML column mapping (mapping.hpp, csv_reader.hpp),
// iCalendar (ics_source.hpp), frab schedule.xml (frab_source.hpp) and
// schedule.json (frab_json_source.hpp).
#include "ports/event_source.hpp"

namespace marquee {

class FormatReaders final : public EventSource {
 public:
  SourceRead read(std::string_view bytes, const SourceReadOptions& options) const override;
  /// CSV streams (one record at a time from libcsv through the mapping);
  /// the other formats read whole, then hand their records on.
  SourceRead read_each(std::string_view bytes, const SourceReadOptions& options, const RecordSink& sink) const override;
};

/// The one instance the composition roots (cli, tests) hand to the use cases.
const EventSource& format_readers();

}  // namespace marquee
