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

}  // namespace marquee
