#pragma once
// The console's two-step import: an uploaded file is checked (a dry run that
// writes no event) and kept in the store; the operator then commits it (one
// import transaction, as `marquee import`) or discards it. Staged files are
// deleted after `kStagedImportHours` hours.
#include <optional>
#include <string>

#include "app/import_service.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

inline constexpr int kStagedImportHours = 24;

struct StagedReport {
  std::string token;    ///< for the commit/discard form; "" when nothing was staged (fatal problem)
  ImportReport report;  ///< the dry run's report
};

class ImportStaging {
 public:
  ImportStaging(Store& store, const EventSource& source, const Clock& clock);

  /// Dry-runs `bytes` (format "csv" | "ics" | "frab" | "" to guess from the
  /// name and content; `zone`: IANA zone for local times without one) and,
  /// unless the report is fatal, stages the file. Throws StoreError.
  StagedReport stage(const std::string& bytes, const std::string& file_name, const std::string& format,
                     const std::string& zone, const std::string& actor,
                     const std::string& mapping = "");

  /// The staged file's dry-run report again (nullopt when it is gone).
  std::optional<StagedImport> find(const std::string& token);

  /// Imports the staged file for real and deletes it; audits "import".
  /// nullopt when it was committed or discarded already (or expired).
  std::optional<ImportReport> commit(const std::string& token, const std::string& actor);

  /// Deletes the staged file; false when it was gone already.
  bool discard(const std::string& token, const std::string& actor);

 private:
  Store& store_;
  const EventSource& source_;
  const Clock& clock_;
};

}  // namespace marquee
