// The pipeline build, in memory: programme → overrides → lock → registrants
// → patches → rules → allocation → duplicates.
#include <algorithm>
#include <future>
#include <set>

#include "app/pipeline/build_model.hpp"
#include "app/pipeline/pipeline_ports.hpp"
#include "app/pipeline/raw_manifest.hpp"
#include "core/import_report.hpp"
#include "core/time_zone.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

/// Reads a programme file (Marquee CSV layout or frab schedule.xml) into sessions.
std::vector<Event> read_programme(const ProjectConfig& c, const PipelinePorts& ports, const fs::path& path,
                                  const std::string& rel, std::vector<std::string>* errors) {
  std::string error;
  const auto bytes = ports.files.read(path, &error);
  if (!bytes) {
    errors->push_back(rel + ": " + error);
    return {};
  }
  ImportReport report;
  auto events = ports.read_programme(*bytes, path.filename().string(), c.programme_format, c.time_zone, &report);
  if (!report.fatal.empty()) errors->push_back(rel + ": " + report.fatal);
  for (const auto& issue : report.issues)
    if (issue.severity == Severity::error)
      errors->push_back(rel + " line " + std::to_string(issue.line) + ", " + issue.field + ": " + issue.message);
  return events;
}

void resolve_override_times(ProjectConfig& c, const std::vector<Event>& sessions, std::vector<std::string>* errors) {
  for (auto& o : c.overrides) {
    auto it = std::find_if(sessions.begin(), sessions.end(), [&](const Event& e) { return e.key == o.session; });
    const std::string zone = it != sessions.end() ? it->time_zone : c.time_zone;
    auto resolve = [&](const std::string& text, std::optional<UnixSeconds>& into, const char* name) {
      if (text.empty()) return;
      auto parsed = parse_datetime_text(text, DateOrder::ymd);
      if (!parsed || !parsed->has_time) {
        errors->push_back(o.where() + ": " + name + " must be a local date and time such as \"2026-09-12 14:30\", not \"" +
                          text + "\"");
        return;
      }
      into = to_utc(*parsed, zone);
    };
    resolve(o.starts_at_text, o.starts_at, "starts_at");
    resolve(o.ends_at_text, o.ends_at, "ends_at");
  }
}

void sort_sessions(std::vector<Event>& sessions) {
  std::sort(sessions.begin(), sessions.end(), [](const Event& a, const Event& b) {
    if (a.starts_at != b.starts_at) return a.starts_at < b.starts_at;
    return a.key < b.key;
  });
}

// A warning about a raw value ("no value map entry for \"Hamborg\"") is
// answered once a patch sets that registrant's field: it is not repeated.
void drop_patched_warnings(BuildModel& m) {
  std::set<std::pair<std::string, std::string>> patched;
  for (const auto& p : m.patches)
    if (p.patch) patched.emplace(p.record, p.patch->field);
  std::set<std::size_t> drop;
  for (const auto& n : m.value_notes)
    if (patched.contains({n.record, n.field})) drop.insert(n.warning);
  if (drop.empty()) return;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < m.warnings.size(); ++i)
    if (!drop.contains(i)) kept.push_back(std::move(m.warnings[i]));
  m.warnings = std::move(kept);
  m.value_notes.clear();  // indices no longer apply
}

}  // namespace

BuildModel run_pipeline(const ProjectConfig& config, const PipelinePorts& ports) {
  return run_pipeline(config, ports, nullptr);
}

BuildModel run_pipeline(const ProjectConfig& config, const PipelinePorts& ports,
                        const std::function<std::vector<Patch>()>& patches) {
  BuildModel m;
  m.config = config;
  // The raw exports' checksums are checked while the rest is read.
  auto raw_errors = std::async(std::launch::async, [&] { return verify_raw(config.dir, ports.files); });
  std::vector<std::string> errors;

  // Programme, overrides and the lock.
  m.sessions = read_programme(m.config, ports, config.dir / config.programme_file, config.programme_file, &errors);
  resolve_override_times(m.config, m.sessions, &errors);
  m.overrides = apply_overrides(m.sessions, m.config.overrides, &errors);
  const fs::path baseline = config.lock_baseline();
  if (ports.files.is_file(baseline)) {
    m.locked = true;
    const std::string rel = fs::relative(baseline, config.dir).generic_string();
    if (config.lock_date.empty()) errors.push_back(rel + " exists but config/schedule-rules.toml has no [lock] date");
    m.locked_sessions = read_programme(m.config, ports, baseline, rel, &errors);
    m.changed_after_lock = check_lock(m.locked_sessions, m.sessions, m.config.overrides, config.lock_date, &errors);
  } else if (!config.lock_date.empty()) {
    m.warnings.push_back("config/schedule-rules.toml: [lock] date is " + config.lock_date +
                         " but the programme was not locked yet (run `marquee pipeline lock`)");
  }
  sort_sessions(m.sessions);
  m.session_names = session_names(m.sessions);
  for (const auto& [key, cap] : config.capacities)
    if (!m.session(key)) errors.push_back("config/schedule-rules.toml: capacity for unknown session \"" + key + "\"");

  // Registrants, patches, rules.
  read_registrants(m, ports, &errors);
  if (patches) m.config.patches = patches();
  PatchContext ctx;
  ctx.fields = &m.config.fields;
  ctx.normalize = [&](const FieldSpec& spec, std::string_view text) {
    return normalize_answer(m.config, m.session_names, spec, text, m.config.time_zone, DateOrder::ymd);
  };
  ctx.raw_column = [&](const Registrant& r, std::string_view column) -> std::optional<std::string> {
    const SourceData& src = m.sources[r.source_index];
    auto col = src.column(column);
    if (!col) return std::nullopt;
    return std::string(src.rows.cell(r.row_index, *col));
  };
  m.patches = apply_patches(m.registrants, m.config.patches, ctx, &errors);
  drop_patched_warnings(m);
  apply_assign_rules(m.registrants, m.config.assign_rules, m.sessions, &errors);

  std::vector<std::string> checked = raw_errors.get();
  errors.insert(errors.begin(), checked.begin(), checked.end());
  if (!errors.empty()) throw BuildFailed(std::move(errors));
  // Both only read the registrants: the duplicates are found alongside.
  auto duplicates = std::async(std::launch::async, [&m] { return find_duplicates(m.registrants); });
  m.allocation = allocate(m.sessions, m.registrants, config.capacities, config.default_capacity);
  m.duplicates = duplicates.get();
  return m;
}

}  // namespace marquee::pipeline
