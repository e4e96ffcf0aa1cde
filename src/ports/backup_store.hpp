#pragma once
// Whole-store dump and restore, for portable backups (adapters/backup).
#include <optional>
#include <string>
#include <vector>

namespace marquee {

/// One table's rows as text (nullopt = NULL). Booleans are "1"/"0" on every backend.
struct TableDump {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  friend bool operator==(const TableDump&, const TableDump&) = default;
};

class BackupStore {
 public:
  virtual ~BackupStore() = default;
  /// Every table of the store (not schema_migrations), parents first, read in
  /// one consistent snapshot that does not block readers or writers.
  virtual std::vector<TableDump> dump_tables() = 0;
  /// Replaces the whole content with `tables` in ONE transaction (all or
  /// nothing); tables or columns the dump lacks keep their defaults. Throws
  /// StoreError (the store is then unchanged).
  virtual void restore_tables(const std::vector<TableDump>& tables) = 0;
  /// Sets (inserts or replaces) an installation setting.
  virtual void set_setting(const std::string& name, const std::string& value) = 0;
};

}  // namespace marquee
