#pragma once
// The CSV-table port: delimited text (CSV, TSV) read as it is into
// core/csv_table, each record with the line it starts on. Implementation:
// adapters/formats/csv_reader (libcsv, strict RFC 4180).
#include <functional>
#include <string_view>

#include "core/csv_table.hpp"

namespace marquee {

/// Parses `bytes` with `delimiter` (quoted fields, embedded newlines,
/// CRLF/LF/CR line ends, a UTF-8 byte order mark). Never throws for bad
/// input: a malformed file sets CsvTable::error (naming the line) and keeps
/// the records read before it.
using CsvTableReader = std::function<CsvTable(std::string_view bytes, char delimiter)>;

/// The same parse, one record at a time (the header first) to `on_record`,
/// without holding the table. Returns "" or the error CsvTable::error would
/// hold; the records before the error have been passed on.
using CsvRecordReader =
    std::function<std::string(std::string_view bytes, char delimiter, const std::function<void(CsvRecord&&)>& on_record)>;

}  // namespace marquee
