#pragma once
// A table read from a delimited text file (CSV, TSV), as the readers hand it
// to the use cases: the header, then each record with the physical line it
// starts on, so that every problem can name its line. Reading and writing
// the text are adapters (adapters/formats/csv_reader.hpp).
#include <cstdint>
#include <string>
#include <vector>

namespace marquee {

struct CsvRecord {
  std::int64_t line = 0;            ///< 1-based physical line where the record starts
  std::vector<std::string> fields;  ///< raw bytes of each field, quotes removed
};

struct CsvTable {
  std::vector<std::string> header;  ///< first record (BOM stripped)
  std::vector<CsvRecord> records;   ///< the records after the header
  std::string error;                ///< non-empty: the file is malformed (message names the line)
};

}  // namespace marquee
