#include "app/import_staging.hpp"

#include "app/accounts.hpp"
#include "core/event_key.hpp"

namespace marquee {

ImportStaging::ImportStaging(Store& store, const EventSource& source, const Clock& clock)
    : store_(store), source_(source), clock_(clock) {}

StagedReport ImportStaging::stage(const std::string& bytes, const std::string& file_name, const std::string& format,
                                  const std::string& zone, const std::string& actor, const std::string& mapping) {
  StagedReport out;
  ImportOptions options;
  options.format = format;
  options.default_zone = zone.empty() ? "UTC" : zone;
  options.dry_run = true;
  options.mapping_text = mapping;
  out.report = import_bytes(source_, nullptr, bytes, file_name, options, clock_);
  if (!out.report.ok()) return out;
  note_demo_programme(store_, out.report);
  const UnixSeconds now = clock_.now();
  store_.purge_staged_imports(now - kStagedImportHours * 3600);
  StagedImport s;
  out.token = random_token();
  s.token_hash = sha256_hex(out.token);
  s.created_by = actor;
  s.file_name = file_name;
  s.format = out.report.format;
  s.time_zone = options.default_zone;
  s.content = bytes;
  s.created_at = now;
  s.mapping = mapping;
  store_.add_staged_import(s);
  return out;
}

std::optional<StagedImport> ImportStaging::find(const std::string& token) {
  if (token.empty()) return std::nullopt;
  auto s = store_.find_staged_import(sha256_hex(token));
  if (s && s->created_at < clock_.now() - kStagedImportHours * 3600) return std::nullopt;
  return s;
}

std::optional<ImportReport> ImportStaging::commit(const std::string& token, const std::string& actor) {
  auto s = find(token);
  // Deleting first makes a double submit of the commit form import once.
  if (!s || !store_.delete_staged_import(s->token_hash)) return std::nullopt;
  ImportOptions options;
  options.format = s->format;
  options.default_zone = s->time_zone;
  options.mapping_text = s->mapping;
  options.actor = actor;
  ImportReport report = import_bytes(source_, &store_, s->content, s->file_name, options, clock_);
  if (!report.ok()) {
    try {
      store_.add_staged_import(*s);  // nothing was imported: keep the file for another try
    } catch (const StoreError&) {
    }
  }
  store_.audit(AuditEntry{0, clock_.now(), actor, "import", s->file_name, "",
                          report.ok() ? std::to_string(report.inserted) + " new, " + std::to_string(report.updated) +
                                            " changed, " + std::to_string(report.unchanged) + " unchanged, " +
                                            std::to_string(report.rejected) + " rejected"
                                      : "failed: " + report.fatal});
  return report;
}

bool ImportStaging::discard(const std::string& token, const std::string& actor) {
  auto s = find(token);
  if (!s || !store_.delete_staged_import(s->token_hash)) return false;
  store_.audit(AuditEntry{0, clock_.now(), actor, "import_discard", s->file_name, "", ""});
  return true;
}

}  // namespace marquee
