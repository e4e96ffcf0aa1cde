// `marquee pipeline init`: a new project folder from the bundled files
// under pipeline/scaffold/ (and pipeline/example/ for --example).
#include <map>

#include "app/pipeline/pipeline_ports.hpp"
#include "app/pipeline/pipeline_service.hpp"
#include "app/pipeline/raw_manifest.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {

std::vector<std::string> init_project(const fs::path& dir, bool example, const PipelinePorts& ports) {
  if (ports.files.has_entries(dir) || ports.files.is_file(dir))
    throw std::runtime_error(dir.string() + " exists and is not empty: choose a new folder");
  std::map<std::string, std::string> files;  // relative path → bytes; the example replaces scaffold files
  for (const std::string prefix : {"pipeline/scaffold/", "pipeline/example/"}) {
    if (prefix == "pipeline/example/" && !example) continue;
    for (auto& [rel, bytes] : ports.bundled(prefix)) files[rel == "gitignore" ? ".gitignore" : rel] = std::move(bytes);
  }
  if (example) files.erase("config/patches/README.toml");
  for (const char* folder : {"raw", "program", "config/patches"}) ports.files.make_folders(dir / folder);
  std::vector<std::string> written;
  for (const auto& [rel, bytes] : files) {
    ports.files.write(dir / rel, bytes);
    written.push_back(rel);
  }
  accept_raw(dir, ports.files);
  written.push_back("raw/SHA256SUMS");
  return written;
}

}  // namespace marquee::pipeline
