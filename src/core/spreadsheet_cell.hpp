#pragma once
// CSV injection (OWASP "CSV Injection"): a cell that a spreadsheet would read
// as a formula is written as text by prefixing one apostrophe. The escaping is
// reversible without ambiguity, so Marquee's own events CSV still round-trips
// through `marquee import`.
#include <string>
#include <string_view>

namespace marquee {

/// The value as a spreadsheet-safe cell: when `value` matches ^'*[=+\-@\t\r]
/// (a formula trigger, possibly after apostrophes) one apostrophe is put in
/// front; anything else is returned unchanged. "=1+1" → "'=1+1",
/// "-5 °C" → "'-5 °C", "'=x" → "''=x", "'Tis" → "'Tis".
std::string spreadsheet_cell(std::string_view value);

/// Whether spreadsheet_cell(value) puts an apostrophe in front of `value`
/// (it matches ^'*[=+\-@\t\r]), without making the cell.
bool spreadsheet_cell_prefixed(std::string_view value);

/// The inverse of spreadsheet_cell, for cells of Marquee's own CSV layout:
/// removes one leading apostrophe when the cell matches ^'+[=+\-@\t\r];
/// anything else is returned unchanged.
std::string from_spreadsheet_cell(std::string_view cell);

/// from_spreadsheet_cell() in place: removes the apostrophe from `cell`
/// itself, and leaves any other cell untouched (nothing copied).
void unprefix_spreadsheet_cell(std::string& cell);

}  // namespace marquee
