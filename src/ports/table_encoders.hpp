#pragma once
// The table-encoder port: tables a use case computed, written as CSV text or
// as an XLSX workbook. Implementation: adapters/pipeline/table_encoders
// (libcsv via adapters/formats/csv_reader, libxlsxwriter via
// adapters/export/xlsx_workbook).
#include <cstddef>
#include <ctime>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "ports/byte_pieces.hpp"

namespace marquee {

/// One table of text cells.
struct OutputTable {
  std::string name;                            ///< XLSX: the sheet's name (the encoder makes it valid and unique)
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::set<std::size_t> numeric_columns;       ///< XLSX: written as numbers (the cells hold decimal text)
  /// Rows made while the table is encoded, after `rows`: `more_rows` of
  /// them, row i put into the vector by `make_row(i, row)`, which leaves
  /// exactly that row's cells there (the vector may hold the row made before
  /// it, whose strings it may reuse). It may be called again for the same row
  /// by another encoding. A large table is then never held whole.
  std::size_t more_rows = 0;
  std::function<void(std::size_t i, std::vector<std::string>& row)> make_row;

  /// Every row in order (`rows`, then the made ones), each passed to `f`.
  void each_row(const std::function<void(const std::vector<std::string>&)>& f) const {
    for (const auto& row : rows) f(row);
    std::vector<std::string> made;
    for (std::size_t i = 0; i < more_rows; ++i) {
      make_row(i, made);
      f(made);
    }
  }
};

/// The size (bytes) at which TableEncoders::csv_pieces hands a piece on.
inline constexpr std::size_t kCsvPiece = 256 * 1024;

/// The two encodings of a table.
struct TableEncoders {
  /// RFC 4180 text: the header, then each row; every cell made
  /// spreadsheet-safe (a formula trigger gets a leading apostrophe), CRLF
  /// line ends. Held whole: for small tables (a large one goes through
  /// csv_pieces).
  std::function<std::string(const OutputTable& table)> csv;
  /// The same text as `csv`, handed to `write` in order, in pieces of whole
  /// records: each piece ends with the first record that takes it to
  /// kCsvPiece bytes or more, the last with the last record. A large table's
  /// text is never held whole. Passes on what `write` or the table's
  /// make_row throws.
  std::function<void(const OutputTable& table, const PieceWriter& write)> csv_pieces;
  /// An XLSX workbook with one sheet per table, in order (a bold frozen
  /// header row each); the tables are taken, not copied. `created`: the
  /// document's creation time, UTC seconds; the same value gives
  /// byte-identical workbooks. The workbook is made before the call returns
  /// (throws std::runtime_error when it cannot be written, or what a table's
  /// make_row throws); the source returned hands its bytes on, in pieces of
  /// up to 256 KiB, each time it is called (throws std::runtime_error when
  /// they cannot be read back), and holds the workbook (a temporary file)
  /// until its last copy is destroyed.
  std::function<PieceSource(std::vector<OutputTable> sheets, std::time_t created)> xlsx;
};

}  // namespace marquee
