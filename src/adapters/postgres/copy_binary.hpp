#pragma once
// PostgreSQL's COPY binary format, written: the rows of
// `COPY … FROM STDIN (FORMAT binary)` made from Marquee's text values
// (PostgreSQL manual, COPY, "Binary Format"). The server reads a binary
// value with the type's receive function instead of parsing its text:
// `psql \copy` of a 100,000-event import's rows into tables with the same
// indexes took 0.57–0.61 s as binary against 0.61–0.69 s as text
// (docs/performance.md, "COPY in the binary format").
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/store/event_row.hpp"

namespace marquee {

/// How a column's text value is sent in the binary format: the bytes as
/// they are (text, varchar), a big-endian two's-complement integer of 8, 4
/// or 2 bytes (bigint, integer, smallint), or one byte 0 or 1 (boolean).
enum class CopyBinaryType { text, int8, int4, int2, boolean };

/// The binary form for a column whose type has the OID `type_oid` (pg_type:
/// text 25, varchar 1043, int8 20, int4 23, int2 21, bool 16), or nullopt
/// for any other type (domains, numeric, timestamps, bytea, json …): a COPY
/// into such a column stays in the text format.
std::optional<CopyBinaryType> copy_binary_type(unsigned type_oid);

/// A value its column's type refuses, e.g. "12a" for a bigint: `column` is
/// the value's index in the row. Nothing of the row was appended.
struct CopyValueError : std::invalid_argument {
  CopyValueError(std::size_t column, const std::string& message) : std::invalid_argument(message), column(column) {}
  std::size_t column;
};

/// Appends the format's 19-byte header (signature, flags 0, no extension).
void append_copy_binary_header(std::string& out);

/// Appends the format's trailer (a field count of -1) that ends the data.
void append_copy_binary_trailer(std::string& out);

/// Appends `row` as one tuple: its field count (16 bits), then each value's
/// length (32 bits; -1 for NULL) and bytes, as `types` (one per value) says.
/// Integers are read as PostgreSQL 15's int8in/int4in/int2in read them
/// (ASCII spaces around, an optional sign, decimal digits, within the type's
/// range; PostgreSQL 16 also reads 0x/0o/0b prefixes and underscores, which
/// Marquee never writes and which are refused here); booleans as boolin
/// reads them (t/true/y/yes/on/1, f/false/n/no/off/0, any case, unique
/// prefixes, spaces around). Throws CopyValueError for a value its type
/// refuses, with the server's wording ("invalid input syntax for type
/// bigint: \"12a\"", "value \"40000\" is out of range for type smallint"),
/// and std::invalid_argument when `types` and the row differ in length;
/// `out` is then as before. On std::bad_alloc `out` may end in part of the
/// row (the caller abandons the COPY).
void append_copy_binary_row(const Row& row, const std::vector<CopyBinaryType>& types, std::string& out);

}  // namespace marquee
