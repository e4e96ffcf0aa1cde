#include "adapters/formats/event_sources.hpp"

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/frab_json_source.hpp"
#include "adapters/formats/frab_source.hpp"
#include "adapters/formats/ics_source.hpp"
#include "adapters/formats/mapping.hpp"

namespace marquee {
namespace {

SourceRead read_mapped_csv(std::string_view bytes, const SourceReadOptions& opt) {
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
  CsvTable table = read_csv(bytes, mapping.delimiter);  // Latin-1 fields are converted by apply_mapping
  if (!table.error.empty()) {
    out.fatal = table.error;
    return out;
  }
  if (!mapping.time_zone.empty()) out.default_zone = mapping.time_zone;
  out.date_order = mapping.date_order;
  out.key_namespace = mapping.key_namespace;
  out.records = apply_mapping(table, mapping, opt.max_field_bytes, &out.issues, &out.fatal);
  out.rows = static_cast<std::int64_t>(table.records.size());
  return out;
}

}  // namespace

SourceRead FormatReaders::read(std::string_view bytes, const SourceReadOptions& opt) const {
  if (opt.format == "csv") return read_mapped_csv(bytes, opt);
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
