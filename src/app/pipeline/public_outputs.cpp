#include <algorithm>
#include <map>

#include "app/pipeline/build_outputs.hpp"
#include "app/pipeline/pipeline_ports.hpp"
#include "app/pipeline/public_summary.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

bool wanted(const ProjectConfig& c, const std::string& name) {
  return std::find(c.public_outputs.begin(), c.public_outputs.end(), name) != c.public_outputs.end();
}

/// The project's templates/*.mustache (name → source), which replace built-in templates of the same name.
std::map<std::string, std::string> project_templates(const fs::path& dir, const ProjectFiles& files) {
  std::map<std::string, std::string> out;
  for (const auto& rel : files.list(dir / "templates")) {
    const fs::path name(rel);
    if (rel.find('/') != std::string::npos || name.extension() != ".mustache") continue;  // templates/*.mustache only
    std::string error;
    const auto text = files.read(dir / "templates" / name, &error);
    if (!text) throw ConfigError("templates/" + rel + ": " + error);
    out[name.stem().string()] = *text;
  }
  return out;
}

}  // namespace

OutputFiles public_outputs(const BuildModel& m, const PipelinePorts& ports) {
  OutputFiles files;
  const ProjectConfig& c = m.config;
  const PublicSummary s = public_summary(m);
  if (wanted(c, "summary.json")) files["public/summary.json"] = summary_json(s);
  if (wanted(c, "summary.csv")) files["public/summary.csv"] = ports.encode.csv(summary_table(s));
  if (wanted(c, "sessions.csv")) files["public/sessions.csv"] = ports.encode.csv(sessions_table(s));
  if (wanted(c, "site"))
    for (auto& [path, bytes] : ports.render_site(s, project_templates(c.dir, ports.files)))
      files["public/site/" + path] = std::move(bytes);
  return files;
}

}  // namespace marquee::pipeline
