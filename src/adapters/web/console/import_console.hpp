#pragma once
// The console's import: upload a CSV, iCalendar or frab schedule.xml file,
// read the dry-run report (rows, errors by line and field, warnings), then
// commit or discard it (app/import_staging.hpp).
#include "adapters/render/templates.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/import_staging.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

/// Largest upload the import form accepts, in bytes (the import's own limit).
inline constexpr std::size_t kMaxImportUploadBytes = 32u << 20;
/// Largest mapping file (TOML) an upload may bring, in bytes.
inline constexpr std::size_t kMaxMappingBytes = 256u << 10;

class ImportConsole {
 public:
  /// `events`: read for the default zone; `staging`: check, commit, discard; `runs`: the history and revert.
  ImportConsole(SiteRef site, EventReader& events, ImportStaging& staging, ImportRuns& runs);

  /// GET  /admin/import           content  the upload form
  /// POST /admin/import           content  multipart/form-data: file, format, time_zone, mapping (optional
  ///                                       TOML file, docs/mapping.md, for a CSV) → the dry-run report
  /// POST /admin/import/commit    content  token → imports it, shows the final report
  /// POST /admin/import/discard   content  token → deletes the staged file
  /// GET  /admin/import/runs/{id}/revert  content  what reverting a committed import does
  /// POST /admin/import/runs/{id}/revert  content  reverts it (app: revert_import)
  void add_routes(Router& router);

 private:
  /// The settings' default zone, else the one most events use.
  std::string default_zone() const;
  /// The newest `limit` committed imports for the list under the form.
  TemplateData runs_data(int limit);
  Response revert(const Request& req, const std::string& id);
  Response upload_form(const Request& req);
  Response upload(const Request& req);
  Response commit(const Request& req);
  Response discard(const Request& req);

  SiteRef site_;
  EventReader& events_;
  ImportStaging& staging_;
  ImportRuns& runs_;
};

}  // namespace marquee
