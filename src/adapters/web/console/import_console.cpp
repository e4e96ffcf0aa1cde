#include "adapters/web/console/import_console.hpp"

#include "core/time_zone.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/http/multipart_form.hpp"
#include "app/event_edit.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr std::size_t kShownIssues = 500;

TemplateData report_data(const ImportReport& r) {
  TemplateData d{object{}};
  d.set("file", r.file);
  d.set("format", r.format);
  set_text(d, "fatal", r.fatal);
  d.set("records", std::to_string(r.records));
  d.set("accepted", std::to_string(r.accepted));
  d.set("rejected", std::to_string(r.rejected));
  d.set("inserted", std::to_string(r.inserted));
  d.set("updated", std::to_string(r.updated));
  d.set("unchanged", std::to_string(r.unchanged));
  set_text(d, "import_id", r.import_id && r.inserted + r.updated > 0 ? std::to_string(r.import_id) : "");
  d.set("errors", std::to_string(r.error_count()));
  d.set("warnings", std::to_string(r.warning_count()));
  TemplateData issues{list{}};
  for (std::size_t i = 0; i < r.issues.size() && i < kShownIssues; ++i) {
    const auto& is = r.issues[i];
    TemplateData item{object{}};
    item.set("line", is.line ? std::to_string(is.line) : std::string("file"));
    item.set("field", is.field.empty() ? std::string("row") : is.field);
    item.set("message", is.message);
    item.set("error", is.severity == Severity::error);
    item.set("severity", std::string(is.severity == Severity::error ? "error" : "warning"));
    set_text(item, "key", is.key);
    issues.push_back(item);
  }
  d.set("issues", issues);
  d.set("has_issues", !r.issues.empty());
  TemplateData notes{list{}};
  for (const auto& n : r.notes) notes.push_back(TemplateData(n));
  d.set("notes", notes);
  set_text(d, "more_issues", r.issues.size() > kShownIssues
                                 ? std::to_string(r.issues.size() - kShownIssues) + " more issues are not shown."
                                 : "");
  return d;
}

}  // namespace

ImportConsole::ImportConsole(SiteRef site, EventReader& events, ImportStaging& staging, ImportRuns& runs)
    : site_(std::move(site)), events_(events), staging_(staging), runs_(runs) {}

void ImportConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, Capability::content});
  };
  route("GET", "/admin/import", [this](const Request& r, const PathParams&) { return upload_form(r); });
  // Parsing an upload and committing it are long jobs: the bulk pool runs
  // them, so imports never starve registrations and sign-ins. Only a signed-in
  // user with the content capability may send more than the default body.
  Route upload_route{"POST", "/admin/import", Access::console,
                     [this](const Request& r, const PathParams&) { return upload(r); }, true, Capability::content};
  upload_route.bulk = true;
  upload_route.body_limit = kMaxImportUploadBytes + (1u << 20);
  router.add(std::move(upload_route));
  Route commit_route{"POST", "/admin/import/commit", Access::console,
                     [this](const Request& r, const PathParams&) { return commit(r); }, true, Capability::content};
  commit_route.bulk = true;
  router.add(std::move(commit_route));
  route("POST", "/admin/import/discard", [this](const Request& r, const PathParams&) { return discard(r); });
  route("GET", "/admin/import/runs/{id}/revert", [this](const Request& r, const PathParams& p) { return revert(r, p.at("id")); });
  route("POST", "/admin/import/runs/{id}/revert", [this](const Request& r, const PathParams& p) { return revert(r, p.at("id")); });
}

Response ImportConsole::upload_form(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  d.set("time_zone", default_zone());
  d.set("runs", runs_data(20));
  set_text(d, "error", "");
  return console_page(site_, user, 200, "Import", "import", "admin_import", d, req.param("notice"));
}

std::string ImportConsole::default_zone() const {
  const std::string zone = site_.get().time_zone;
  return zone.empty() ? most_common_zone(events_.time_zone_counts()) : zone;
}

Response ImportConsole::upload(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto parts = parse_multipart_request(req);
  auto fail = [&](const std::string& why) {
    TemplateData d = console_data(user);
    d.set("time_zone", default_zone());
    set_text(d, "error", why);
    return console_page(site_, user, 422, "Import", "import", "admin_import", d);
  };
  if (!parts) return fail("Send the form with a file (multipart/form-data).");
  auto file = parts->find("file");
  if (file == parts->end() || file->second.file_name.empty()) return fail("Choose a file to import.");
  if (file->second.value.size() > kMaxImportUploadBytes) return fail("The file is larger than 32 MiB.");
  std::string zone = (*parts)["time_zone"].value;
  if (auto z = canonical_zone(zone)) zone = *z;
  else return fail("'" + zone + "' is not an IANA time zone such as Europe/Berlin.");
  std::string format = (*parts)["format"].value;
  if (format != "csv" && format != "ics" && format != "frab" && format != "frab-json") format.clear();
  std::string mapping;
  if (auto m = parts->find("mapping"); m != parts->end() && !m->second.value.empty()) {
    if (m->second.value.size() > kMaxMappingBytes) return fail("The mapping file is larger than 256 KiB.");
    mapping = m->second.value;
  }
  // Only the base name of the upload: browsers may send a path.
  std::string name = file->second.file_name;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
  StagedReport staged = staging_.stage(file->second.value, name, format, zone, req.actor, mapping);
  TemplateData d = console_data(user);
  d.set("report", report_data(staged.report));
  set_text(d, "token", staged.token);
  d.set("dry_run", true);
  d.set("time_zone", zone);
  return console_page(site_, user, staged.report.ok() ? 200 : 422, "Import report", "import", "admin_import_report", d);
}

Response ImportConsole::commit(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  auto report = staging_.commit(form["token"], req.actor);
  if (!report)
    return console_error(site_, user, 409, "Nothing to commit",
                         "This import was committed or discarded already, or it expired. Upload the file again.",
                         "/admin/import");
  TemplateData d = console_data(user);
  d.set("report", report_data(*report));
  set_text(d, "token", "");
  d.set("dry_run", false);
  return console_page(site_, user, report->ok() ? 200 : 500, "Import committed", "import", "admin_import_report", d);
}

TemplateData ImportConsole::runs_data(int limit) {
  TemplateData runs{list{}};
  for (const auto& run : runs_.list(limit)) {
    TemplateData r{object{}};
    r.set("id", std::to_string(run.id));
    r.set("at", format_utc(run.at));
    r.set("actor", run.actor);
    r.set("file", run.file);
    r.set("format", run.format);
    r.set("counts", std::to_string(run.inserted) + " new, " + std::to_string(run.updated) + " changed, " +
                        std::to_string(run.unchanged) + " unchanged");
    r.set("reverted", run.reverted_at.has_value());
    set_text(r, "reverted_text", run.reverted_at ? "reverted " + format_utc(*run.reverted_at) + " by " + run.reverted_by : "");
    r.set("revertible", !run.reverted_at && run.inserted + run.updated > 0);
    runs.push_back(r);
  }
  return runs;
}

Response ImportConsole::revert(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  const std::int64_t id = parse_int(id_text).value_or(0);
  const auto runs = runs_.list(200);
  auto it = std::find_if(runs.begin(), runs.end(), [&](const ImportRun& r) { return r.id == id; });
  if (it == runs.end()) return console_error(site_, user, 404, "No such import", "There is no recorded import " + id_text + ".", "/admin/import");
  TemplateData d = console_data(user);
  d.set("id", std::to_string(it->id));
  d.set("file", it->file);
  d.set("at", format_utc(it->at));
  d.set("actor", it->actor);
  d.set("inserted", std::to_string(it->inserted));
  d.set("updated", std::to_string(it->updated));
  if (req.method != "POST") {
    d.set("confirm", true);
    d.set("reverted", it->reverted_at.has_value());
    return console_page(site_, user, 200, "Revert import", "import", "admin_import_revert", d);
  }
  const RevertOutcome out = runs_.revert(id, req.actor);
  if (out.already_reverted)
    return console_error(site_, user, 409, "Reverted already", "This import was reverted before.", "/admin/import");
  d.set("confirm", false);
  auto keys = [](const std::vector<std::string>& v) {
    TemplateData l{list{}};
    for (const auto& k : v) l.push_back(TemplateData(k));
    return l;
  };
  d.set("restored", keys(out.restored));
  d.set("removed", keys(out.removed));
  TemplateData refused{list{}};
  for (const auto& [key, why] : out.refused) {
    TemplateData r{object{}};
    r.set("key", key);
    r.set("why", why);
    refused.push_back(r);
  }
  d.set("refused", refused);
  d.set("has_refused", !out.refused.empty());
  d.set("summary", std::to_string(out.restored.size()) + " put back, " + std::to_string(out.removed.size()) + " removed, " +
                       std::to_string(out.refused.size()) + " kept.");
  return console_page(site_, user, out.refused.empty() ? 200 : 409, "Import reverted", "import", "admin_import_revert", d);
}

Response ImportConsole::discard(const Request& req) {
  auto form = parse_form(req.body);
  staging_.discard(form["token"], req.actor);
  return see_other("/admin/import?notice=discarded");
}

}  // namespace marquee
