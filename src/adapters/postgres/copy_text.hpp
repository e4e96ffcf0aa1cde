#pragma once
// PostgreSQL's COPY text format: the rows of `COPY (…) TO STDOUT` read, and
// the rows of `COPY … FROM STDIN` written.
#include <string>
#include <string_view>

#include "adapters/store/event_row.hpp"

namespace marquee {

/// Splits one row of PostgreSQL's COPY text format (PostgreSQL manual,
/// COPY, "Text Format") into `out`, one value per column, as the same
/// query's text-format result gives them: columns separated by tabs, the
/// row's final newline (if any) ignored, a column that is exactly `\N` as
/// NULL (nullopt), and the backslash escapes decoded: `\b` `\f` `\n` `\r`
/// `\t` `\v`, `\` and one to three octal digits, `\x` and one or two hex
/// digits (each a byte), and a backslash before any other character stands
/// for that character (`\\` for a backslash). A trailing lone backslash is
/// kept as it is. `out` is cleared first. Throws
/// std::bad_alloc only.
void decode_copy_text_row(std::string_view line, Row& out);

/// Appends `row` to `out` as one row of PostgreSQL's COPY text format
/// (PostgreSQL manual, COPY, "Text Format"): the values separated by tabs,
/// NULL (nullopt) as `\N`, a backslash, tab, newline and carriage return
/// inside a value written `\\`, `\t`, `\n` and `\r`, every other byte as it
/// is (UTF-8 passes through), and a newline after the row. The inverse of
/// decode_copy_text_row(). Throws std::bad_alloc only.
void append_copy_text_row(const Row& row, std::string& out);

}  // namespace marquee
