#pragma once
// RFC 4180 CSV reading (libcsv, strict mode): quoted fields, embedded
// newlines, CRLF/LF/CR line ends, a UTF-8 byte order mark.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_table.hpp"

namespace marquee {

/// Parses `bytes` with `delimiter`. A malformed file (a quote inside an
/// unquoted field, text after a closing quote, an unclosed quote at the end)
/// sets `error` to e.g. "line 7: unbalanced quote: the quoted field is not
/// closed before the end of the file" and keeps the records read before it.
CsvTable read_csv(std::string_view bytes, char delimiter);

/// The same, streaming: calls `on_record` for each record as it is parsed,
/// the header first, without holding the table (an import of a large file
/// keeps one record at a time). Returns "" or the error read_csv would set;
/// the records before the error have been passed on.
std::string read_csv_each(std::string_view bytes, char delimiter, const std::function<void(CsvRecord&&)>& on_record);

/// Writes one RFC 4180 record: each field made spreadsheet-safe
/// (core/spreadsheet_cell.hpp: a formula trigger gets a leading apostrophe,
/// OWASP CSV Injection), then quoted (libcsv csv_write), comma separated, CRLF
/// terminated. Every CSV Marquee writes is one a person may open in a
/// spreadsheet (events, attendees, audit log, pipeline outputs).
std::string csv_record(const std::vector<std::string>& fields);

/// The same record appended to `out` (no string made per record or field:
/// a large file written record by record grows one string).
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace marquee
