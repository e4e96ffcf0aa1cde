#pragma once
// XLSX workbooks (Office Open XML, ECMA-376) written with libxlsxwriter:
// one sheet per table, a bold frozen header row.
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
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

/// A finished workbook, kept in a private temporary file (under /tmp) until
/// the last copy of it is destroyed: its bytes are read back in pieces, so
/// that a workbook of several MB need never be held whole in new memory
/// (docs/performance.md, "Workbooks").
class XlsxFile {
 public:
  /// The size (bytes) of the pieces each_piece hands on (the last may be smaller).
  static constexpr std::size_t kPiece = 256 * 1024;

  /// Hands the workbook's bytes to `write` in order, in pieces of kPiece
  /// bytes read into one buffer (a view valid during the call only). May be
  /// called again. Throws std::runtime_error ("XLSX export failed: …") when
  /// the file cannot be read; passes on what `write` throws.
  void each_piece(const std::function<void(std::string_view piece)>& write) const;
  /// The workbook's bytes, whole.
  std::string bytes() const;

 private:
  struct TemporaryFile;
  explicit XlsxFile(std::shared_ptr<const TemporaryFile> file) : file_(std::move(file)) {}
  std::shared_ptr<const TemporaryFile> file_;
  friend XlsxFile xlsx_workbook_file(const std::vector<XlsxSheet>&, std::optional<std::time_t>);
};

/// Writes the workbook into a private temporary file, returned as an
/// XlsxFile. `created`: the document's creation time (docProps); pass a
/// fixed non-zero value for byte-identical output across runs (0 and nullopt
/// mean now). Throws std::runtime_error when the temporary file cannot be
/// created or libxlsxwriter fails (e.g. a bad sheet name), and passes on
/// what a sheet's make_row throws; no temporary file is then left.
XlsxFile xlsx_workbook_file(const std::vector<XlsxSheet>& sheets, std::optional<std::time_t> created = std::nullopt);

/// The workbook's bytes, whole (xlsx_workbook_file, read back). Throws as
/// xlsx_workbook_file does, and std::runtime_error when the bytes cannot be
/// read back.
std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets, std::optional<std::time_t> created = std::nullopt);

/// A valid, unique sheet name from `wanted` (forbidden characters replaced by
/// '-', cut to 31 bytes on a UTF-8 boundary, " (2)" … appended on a clash).
std::string xlsx_sheet_name(const std::string& wanted, std::set<std::string>& taken);

}  // namespace marquee
