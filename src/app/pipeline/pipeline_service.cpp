#include "app/pipeline/pipeline_service.hpp"

#include <exception>
#include <future>

#include "app/pipeline/build_outputs.hpp"
#include "app/pipeline/pipeline_ports.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {

BuildSummary build_project(const fs::path& dir, const PipelinePorts& ports) {
  // The patch files are parsed on a thread of their own while the settings,
  // the programme and the raw exports are read (toml11 takes about 60 ms on
  // a thousand patches, a core otherwise idle at the start); a bad patch
  // file is reported when the patches are needed, and a bad settings file
  // first, as when both were read in turn.
  auto patches = std::async(std::launch::async, [&] { return ports.load_project.patches(dir); });
  const ProjectConfig config = ports.load_project.settings(dir);
  const BuildModel model = run_pipeline(config, ports, [&patches] { return patches.get(); });
  // out.tmp is filled, then out → out.prev and out.tmp → out (renames), so a
  // crash leaves either the old or the new build in out/. The private files
  // (the workbooks are most of the build's time) are made on other threads
  // and written to out.tmp one by one while the public ones are made and
  // checked; the model is only read. The files are the same bytes whatever the order.
  const ProjectFiles& project = ports.files;
  const fs::path tmp = dir / "out.tmp", out = dir / "out", prev = dir / "out.prev";
  project.remove_all(tmp);
  std::size_t written = 0;
  auto private_files = std::async(std::launch::async, [&] {
    OutputSink sink;
    sink.put = [&](const std::string& rel, std::string bytes) {
      project.write(tmp / rel, bytes);
      ++written;
    };
    sink.put_pieces = [&](const std::string& rel, const PieceSource& source) {
      project.write_pieces(tmp / rel, source);
      ++written;
    };
    private_outputs(model, ports.encode, sink);
  });
  // Whatever fails, the private thread is waited for and out.tmp removed;
  // the privacy guard's findings are reported before a private-side error.
  OutputFiles files;
  std::vector<std::string> leaks;
  std::exception_ptr failure;
  try {
    files = public_outputs(model, ports);
    leaks = privacy_findings(model, files);
  } catch (...) {
    failure = std::current_exception();
  }
  try {
    private_files.get();
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  if (!leaks.empty()) {
    project.remove_all(tmp);
    for (auto& l : leaks) l = "privacy guard: " + l + "; nothing was written";
    throw BuildFailed(std::move(leaks));
  }
  if (failure) {
    project.remove_all(tmp);
    std::rethrow_exception(failure);
  }
  for (const auto& [rel, bytes] : files) project.write(tmp / rel, bytes);
  written += files.size();
  if (project.exists(out)) {
    project.remove_all(prev);
    project.rename(out, prev);
  }
  project.rename(tmp, out);
  BuildSummary s;
  s.registrants = model.registrants.size();
  for (const auto& r : model.registrants) {
    const std::string& st = r.value("status");
    if (st == "cancelled") ++s.cancelled;
    else if (st == "duplicate") ++s.marked_duplicate;
    else ++s.active;
  }
  s.sessions = model.sessions.size();
  s.patches = model.patches.size();
  s.overrides = model.overrides.size();
  s.duplicates = model.duplicates.size();
  s.conflicts = model.allocation.conflicts.size();
  s.files = written;
  s.warnings = model.warnings;
  return s;
}

std::string lock_programme(const fs::path& dir, const PipelinePorts& ports) {
  const ProjectConfig config = ports.load_project(dir);
  if (config.lock_date.empty())
    throw ConfigError("config/schedule-rules.toml: set [lock] date = \"YYYY-MM-DD\" before locking the programme");
  const fs::path baseline = config.lock_baseline();
  if (ports.files.exists(baseline))
    throw ConfigError(fs::relative(baseline, dir).generic_string() +
                      " already exists: the programme is locked; change it with overrides in config/overrides.toml");
  std::string error;
  const auto programme = ports.files.read(dir / config.programme_file, &error);
  if (!programme) throw ConfigError(config.programme_file + ": " + error);
  ports.files.write(baseline, *programme);  // a copy: the baseline the overrides are checked against
  return fs::relative(baseline, dir).generic_string();
}

}  // namespace marquee::pipeline
