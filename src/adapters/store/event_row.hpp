#pragma once
// The events table's columns and the conversion between an Event and a row of
// text values, shared by the SQLite and PostgreSQL adapters (both bind text).
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

using Row = std::vector<std::optional<std::string>>;  ///< nullopt = SQL NULL

/// Column names in row order, comma-separated, for SELECT and INSERT.
extern const char* const kEventColumns;
/// Number of columns in kEventColumns.
inline constexpr int kEventColumnCount = 28;

/// "name\tvalue\n" lines, the text form of warnings and answers in both stores.
std::string encode_tab_lines(const std::vector<std::pair<std::string, std::string>>& pairs);
std::vector<std::pair<std::string, std::string>> decode_tab_lines(const std::string& text);

/// "?, ?, …" with `n` placeholders, for IN lists and multi-row VALUES.
std::string placeholders(std::size_t n);
/// A nullable integer column (NULL → nullopt). Throws std::invalid_argument for non-numbers.
std::optional<std::int64_t> opt_int(const std::optional<std::string>& v);

/// Event to row (all_day as "1"/"0"; tags and warnings newline-separated).
Row to_row(const Event& e);
/// The same, moving `e`'s text into the row (`e` is left valid but unspecified).
Row to_row(Event&& e);
/// Row to event. `bool_text`: how the backend spells true ("1" for SQLite, "t" for PostgreSQL).
/// Throws StoreError when a value cannot be converted.
Event from_row(const Row& r, const std::string& bool_text);
/// The same, moving the row's text into the event.
Event from_row(Row&& r, const std::string& bool_text);

}  // namespace marquee
