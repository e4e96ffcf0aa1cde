#include "adapters/pipeline/table_encoders.hpp"

#include "adapters/export/xlsx_workbook.hpp"
#include "adapters/formats/csv_reader.hpp"

namespace marquee::pipeline {
namespace {

void csv_pieces(const OutputTable& t, const PieceWriter& write) {
  // One buffer, filled to a piece and handed on again and again: a 15 MB
  // roster is about 60 writes from the same buffer (grown once to a piece
  // and its last record), not a string of its own size in new memory
  // (docs/performance.md, "Outputs in pieces").
  std::string piece;
  auto add = [&](const std::vector<std::string>& record) {
    append_csv_record(piece, record);
    if (piece.size() >= kCsvPiece) {
      write(piece);
      piece.clear();
    }
  };
  add(t.header);
  t.each_row(add);
  if (!piece.empty()) write(piece);
}

std::string csv_text(const OutputTable& t) {
  std::string out;
  csv_pieces(t, [&out](std::string_view piece) { out += piece; });
  return out;
}

PieceSource xlsx_pieces(std::vector<OutputTable> tables, std::time_t created) {
  std::vector<XlsxSheet> sheets;
  std::set<std::string> taken;
  for (auto& t : tables)
    sheets.push_back({xlsx_sheet_name(t.name, taken), std::move(t.header), std::move(t.rows), std::move(t.numeric_columns),
                      t.more_rows, std::move(t.make_row)});
  // Read back from its file in pieces when the build writes it: never a
  // 5 MB string in new memory (docs/performance.md, "Workbooks").
  return [file = xlsx_workbook_file(sheets, created)](const PieceWriter& write) { file.each_piece(write); };
}

}  // namespace

TableEncoders table_encoders() { return {csv_text, csv_pieces, xlsx_pieces}; }

}  // namespace marquee::pipeline
