#pragma once
// XLSX workbooks (Office Open XML, ECMA-376) written with libxlsxwriter:
// one sheet per table, a bold frozen header row.
#include <ctime>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace marquee {

struct XlsxSheet {
  std::string name;                          ///< at most 31 characters, none of []:*?/\ (Excel's rules)
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::set<std::size_t> numeric_columns;     ///< written as numbers (cells must hold decimal text)
  /// Rows made while the sheet is written, after `rows`: `more_rows` of
  /// them, row i put into the vector by `make_row(i, row)`, which leaves
  /// exactly that row's cells there (the vector holds the row made before,
  /// whose strings it may reuse). A large table is then never held whole.
  std::size_t more_rows = 0;
  std::function<void(std::size_t i, std::vector<std::string>& row)> make_row;
};

/// The workbook's bytes. `created`: the document's creation time (docProps);
/// pass a fixed non-zero value for byte-identical output across runs (0 and
/// nullopt mean now).
/// Throws std::runtime_error when libxlsxwriter fails (e.g. a bad sheet name).
std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets, std::optional<std::time_t> created = std::nullopt);

/// A valid, unique sheet name from `wanted` (forbidden characters replaced by
/// '-', cut to 31 bytes on a UTF-8 boundary, " (2)" … appended on a clash).
std::string xlsx_sheet_name(const std::string& wanted, std::set<std::string>& taken);

}  // namespace marquee
