#include "adapters/pipeline/table_encoders.hpp"

#include "adapters/export/xlsx_workbook.hpp"
#include "adapters/formats/csv_reader.hpp"

namespace marquee::pipeline {
namespace {

std::string csv_text(const OutputTable& t) {
  std::string out;
  append_csv_record(out, t.header);
  // Once 256 rows are written, room for all of them at their mean size and a
  // tenth more: a 15 MB file is not grown (and copied, and faulted in) by
  // doubling.
  constexpr std::size_t kSample = 256;
  const std::size_t total = t.rows.size() + t.more_rows;
  const std::size_t head = out.size();
  std::size_t written = 0;
  t.each_row([&](const std::vector<std::string>& row) {
    append_csv_record(out, row);
    if (++written == kSample && total > kSample) {
      const std::size_t mean = (out.size() - head) / kSample;
      out.reserve(out.size() + (total - kSample) * mean * 11 / 10);
    }
  });
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
