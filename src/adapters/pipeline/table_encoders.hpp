#pragma once
// The table-encoder port (ports/table_encoders.hpp) over Marquee's CSV writer
// (adapters/formats/csv_reader: csv_record) and XLSX writer
// (adapters/export/xlsx_workbook).
#include "ports/table_encoders.hpp"

namespace marquee::pipeline {

/// CSV through csv_record(); XLSX through xlsx_workbook_file() (read back in
/// pieces), sheet names made valid and unique with xlsx_sheet_name() in
/// table order.
TableEncoders table_encoders();

}  // namespace marquee::pipeline
