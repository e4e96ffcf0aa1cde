#include "adapters/pipeline/table_encoders.hpp"

#include "adapters/export/xlsx_workbook.hpp"
#include "adapters/formats/csv_reader.hpp"

namespace marquee::pipeline {
namespace {

std::string csv_text(const OutputTable& t) {
  std::string out = csv_record(t.header);
  t.each_row([&](const std::vector<std::string>& row) { out += csv_record(row); });
  return out;
}

std::string xlsx_bytes(std::vector<OutputTable> tables, std::time_t created) {
  std::vector<XlsxSheet> sheets;
  std::set<std::string> taken;
  for (auto& t : tables)
    sheets.push_back({xlsx_sheet_name(t.name, taken), std::move(t.header), std::move(t.rows), std::move(t.numeric_columns),
                      t.more_rows, std::move(t.make_row)});
  return xlsx_workbook(sheets, created);
}

}  // namespace

TableEncoders table_encoders() { return {csv_text, xlsx_bytes}; }

}  // namespace marquee::pipeline
