// `marquee pipeline explain`: the history of a registrant's values.
#include "app/pipeline/build_model.hpp"
#include "app/pipeline/pipeline_ports.hpp"
#include "app/pipeline/pipeline_service.hpp"
#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

std::string q(const std::string& s) { return s.empty() ? "(empty)" : "\"" + s + "\""; }

std::string explain_field(const BuildModel& m, const Registrant& r, std::size_t index, const std::string& field) {
  const ProjectConfig& c = m.config;
  const FieldSpec& spec = c.fields.at(field);
  const SourceData& src = m.sources[r.source_index];
  const FormatMapping& fmt = c.formats.at(src.config.format);
  std::string out = field + " (" + std::string(to_string(spec.kind)) + (spec.personal ? ", personal" : "") + ")\n";
  auto cols = fmt.columns.find(field);
  if (cols == fmt.columns.end()) {
    out += "  raw        " + r.file + " has no column for " + field + " ([formats." + fmt.name + "])\n";
  } else {
    std::vector<std::string> parts;
    for (const auto& col : cols->second) {
      const std::string cell(src.rows.cell(r.row_index, *src.column(col)));
      out += "  raw        " + r.file + " line " + std::to_string(r.line) + ", column \"" + col + "\": " + q(cell) + "\n";
      if (!trim(cell).empty()) parts.push_back(trim(cell));
    }
    const std::string zone = src.config.time_zone.empty() ? c.time_zone : src.config.time_zone;
    const Normalized n = normalize_answer(c, m.session_names, spec, join(parts, " "), zone, fmt.date_order);
    out += "  normalize  " + q(n.value) + " (" + std::string(to_string(spec.kind)) +
           (spec.value_map.empty() ? "" : ", value map " + spec.value_map) + (n.note.empty() ? "" : "; " + n.note) + ")\n";
  }
  if (auto t = r.trace.find(field); t != r.trace.end())
    for (const auto& step : t->second) {
      std::string kind = step.kind;
      kind.resize(10, ' ');
      out += "  " + kind + " " + q(step.value) + " by " + step.where + ": " + step.detail + "\n";
    }
  out += "  final      " + q(r.value(field)) + "\n";
  if (field == "sessions") {
    for (std::size_t s = 0; s < m.sessions.size(); ++s) {
      const SessionUse& use = m.allocation.sessions[s];
      auto seat = [&](const std::vector<std::size_t>& list, const char* what) {
        for (std::size_t n = 0; n < list.size(); ++n)
          if (list[n] == index)
            out += "  seat       " + m.sessions[s].key + ": " + what + " (position " + std::to_string(n + 1) +
                   (use.capacity ? " of capacity " + std::to_string(*use.capacity) : ", no capacity limit") + ")\n";
      };
      seat(use.confirmed, "confirmed");
      seat(use.waitlisted, "waiting list");
      seat(use.affected, "session cancelled");
    }
  }
  return out;
}

}  // namespace

std::string explain_record(const std::filesystem::path& dir, const std::string& key, const std::string& field,
                           const PipelinePorts& ports) {
  const ProjectConfig config = ports.load_project(dir);
  const BuildModel m = run_pipeline(config, ports);
  std::size_t index = m.registrants.size();
  for (std::size_t i = 0; i < m.registrants.size(); ++i)
    if (m.registrants[i].key == key) index = i;
  if (index == m.registrants.size())
    throw BuildFailed({"no registrant has the key " + key + " (keys are in out/private/registrants.csv)"});
  if (!field.empty() && !config.fields.contains(field))
    throw BuildFailed({"unknown field \"" + field + "\" (fields: " + join(config.field_order, ", ") + ")"});
  const Registrant& r = m.registrants[index];
  std::string out = r.key + " from source " + r.source + ", " + r.file + " line " + std::to_string(r.line) + "\n";
  for (const auto& f : config.field_order)
    if (field.empty() || f == field) out += explain_field(m, r, index, f);
  return out;
}

}  // namespace marquee::pipeline
