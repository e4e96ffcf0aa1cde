#pragma once
// Column mappings for CSV imports, read from TOML (toml11). See
// docs/mapping.md for the file format; examples live in tests/data/mappings/.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/formats/csv_reader.hpp"
#include "core/source_record.hpp"
#include "core/datetime_text.hpp"
#include "core/import_report.hpp"

namespace marquee {

/// A mapping file that cannot be used; what() names the file, line and key.
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Mapping {
  char delimiter = ',';
  std::string encoding = "utf-8";          ///< "utf-8" or "latin-1"
  std::string time_zone;                   ///< zone for local times; "" = the import's --tz
  DateOrder date_order = DateOrder::dmy;   ///< for 03/04/2026-style dates
  std::string key_namespace;               ///< "" = derived from the file name
  std::vector<std::string> record_id;      ///< source columns identifying a record
  std::map<std::string, std::vector<std::string>> columns;     ///< field → source columns (joined ", ")
  std::map<std::string, std::string> defaults;                 ///< field → constant value
  std::map<std::string, std::vector<std::string>> transforms;  ///< field → transformer names
  std::map<std::string, std::map<std::string, std::string>> value_maps;  ///< name → folded from → to
  bool implicit_columns = false;           ///< default_mapping(): absent columns are simply empty
  /// default_mapping(): cells were written by csv_record, so a leading
  /// apostrophe before a formula trigger is removed (unprefix_spreadsheet_cell).
  bool spreadsheet_cells = false;
};

/// Marquee's own CSV layout (what `marquee export` writes): each import field
/// is read from the column of the same name, when present.
Mapping default_mapping();

/// Reads a mapping file. Throws MappingError for a TOML syntax error, an
/// unknown field or transformer, or a value of the wrong type.
Mapping load_mapping(const std::string& path);
/// The same for mapping text already in memory (a console upload); `name`
/// names it in error messages.
Mapping load_mapping_text(const std::string& text, const std::string& name);

/// Transformer names accepted in [transforms]: trim, collapse_whitespace, nfc,
/// title_case, lower, url, and "value_map:NAME".
const std::vector<std::string>& transformer_names();

/// Applies a mapping to one CSV record at a time (a streaming import):
/// built from the header, it resolves the mapped columns once; fatal() is
/// non-empty when a mapped column is missing (then map() must not be called).
class RecordMapper {
 public:
  RecordMapper(std::vector<std::string> header, const Mapping& m, std::size_t max_field_bytes);
  const std::string& fatal() const { return fatal_; }
  /// The record's source fields, or nullopt for a blank line or a rejected
  /// record (its errors appended to `issues`, as apply_mapping).
  std::optional<SourceRecord> map(CsvRecord&& record, std::vector<RowIssue>* issues) const;

 private:
  const Mapping& m_;
  std::vector<std::string> header_;
  std::size_t max_field_bytes_;
  struct ResolvedField {
    ImportField field;
    std::vector<std::size_t> columns;  // joined ", " ("\n\n" for the description)
    bool moved = false;  // its one column is used by nothing else (taken, not copied)
    const std::map<std::string, std::string>* value_map = nullptr;  // the [value_maps] table named as the field
    const std::vector<std::string>* transforms = nullptr;
  };
  std::vector<ResolvedField> resolved_;
  std::vector<std::pair<ImportField, std::string>> defaults_;
  std::vector<std::size_t> id_columns_;
  std::string fatal_;
};

/// Applies `m` to a parsed CSV table. Header names are matched after trimming,
/// case-insensitively. Missing mapped columns are a fatal error (`fatal` set,
/// nothing returned). Row problems (field count mismatch, invalid UTF-8, a
/// field over `max_field_bytes`) become errors naming line and column; those
/// records are left out.
std::vector<SourceRecord> apply_mapping(const CsvTable& table, const Mapping& m, std::size_t max_field_bytes,
                                        std::vector<RowIssue>* issues, std::string* fatal);

}  // namespace marquee
