#include "adapters/formats/event_sources.hpp"

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/frab_json_source.hpp"
#include "adapters/formats/frab_source.hpp"
#include "adapters/formats/ics_source.hpp"
#include "adapters/formats/mapping.hpp"

#include <optional>

namespace marquee {
namespace {

// CSV through the mapping, one record at a time: libcsv hands each record to
// the RecordMapper (built from the header), which hands it to `sink`.
SourceRead read_mapped_csv(std::string_view bytes, const SourceReadOptions& opt, const RecordSink& sink) {
  SourceRead out;
  Mapping mapping;
  try {
    mapping = !opt.mapping_path.empty()  ? load_mapping(opt.mapping_path)
              : !opt.mapping_text.empty() ? load_mapping_text(opt.mapping_text, "(uploaded mapping)")
                                          : default_mapping();
  } catch (const MappingError& e) {
    out.fatal = e.what();
    return out;
  }
  if (!mapping.time_zone.empty()) out.default_zone = mapping.time_zone;
  out.date_order = mapping.date_order;
  out.key_namespace = mapping.key_namespace;
  std::optional<RecordMapper> mapper;
  bool header_done = false;
  // Latin-1 fields are converted by the mapper.
  const std::string error = read_csv_each(bytes, mapping.delimiter, [&](CsvRecord&& rec) {
    if (!header_done) {
      header_done = true;
      mapper.emplace(std::move(rec.fields), mapping, opt.max_field_bytes);
      if (!mapper->fatal().empty()) out.fatal = mapper->fatal();
      return;
    }
    ++out.rows;
    if (!out.fatal.empty()) return;
    if (auto sr = mapper->map(std::move(rec), &out.issues)) sink(std::move(*sr), out);
  });
  if (!error.empty()) {
    out.fatal = error;
    out.rows = 0;
  }
  if (!out.fatal.empty()) {
    out.issues.clear();
  } else if (!mapper) {
    out.fatal = RecordMapper({}, mapping, opt.max_field_bytes).fatal();  // an empty file: no header
  }
  return out;
}

}  // namespace

SourceRead FormatReaders::read_each(std::string_view bytes, const SourceReadOptions& opt, const RecordSink& sink) const {
  if (opt.format == "csv") return read_mapped_csv(bytes, opt, sink);
  return EventSource::read_each(bytes, opt, sink);
}

SourceRead FormatReaders::read(std::string_view bytes, const SourceReadOptions& opt) const {
  if (opt.format == "csv") {
    std::vector<SourceRecord> records;
    SourceRead out = read_mapped_csv(bytes, opt, [&](SourceRecord&& r, const SourceRead&) { records.push_back(std::move(r)); });
    if (out.fatal.empty()) out.records = std::move(records);
    return out;
  }
  SourceRead out;
  if (opt.format == "ics") {
    IcsOptions io;
    io.window_start = opt.window_start;
    io.window_end = opt.window_end;
    out.records = read_ics(bytes, io, &out.issues, &out.fatal);
  } else if (opt.format == "frab-json") {
    out.records = read_frab_json(bytes, opt.default_zone, &out.issues, &out.key_namespace, &out.fatal);
  } else if (opt.format == "frab") {
    out.records = read_frab(bytes, opt.default_zone, &out.issues, &out.key_namespace, &out.fatal);
  } else {
    out.fatal = "unknown format '" + opt.format + "' (csv, ics, frab or frab-json)";
  }
  out.rows = static_cast<std::int64_t>(out.records.size());
  return out;
}

const EventSource& format_readers() {
  static const FormatReaders readers;
  return readers;
}

}  // namespace marquee
