// The pipeline use cases over their ports: a build reads the project folder
// only through ProjectFiles, so the example project held in memory builds
// exactly the outputs `marquee pipeline build` writes to disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <memory>

#include "adapters/pipeline/pipeline_adapters.hpp"
#include "app/pipeline/build_outputs.hpp"
#include "app/pipeline/pipeline_service.hpp"

namespace fs = std::filesystem;
using namespace marquee;
using namespace marquee::pipeline;

namespace {

using FileMap = std::map<fs::path, std::string>;  // normalized path → bytes

/// A project folder in memory; safe to use from several threads, as the port requires.
ProjectFiles memory_files(std::shared_ptr<FileMap> files) {
  auto lock = std::make_shared<std::mutex>();
  ProjectFiles f;
  f.read = [files, lock](const fs::path& p, std::string* error) -> std::optional<std::string> {
    std::lock_guard guard(*lock);
    auto it = files->find(p.lexically_normal());
    if (it != files->end()) return it->second;
    *error = "cannot be read: not in memory";
    return std::nullopt;
  };
  f.write = [files, lock](const fs::path& p, const std::string& bytes) {
    std::lock_guard guard(*lock);
    (*files)[p.lexically_normal()] = bytes;
  };
  f.list = [files, lock](const fs::path& folder) {
    std::lock_guard guard(*lock);
    std::vector<std::string> out;
    for (const auto& entry : *files) {
      const fs::path rel = entry.first.lexically_relative(folder.lexically_normal());
      if (!rel.empty() && *rel.begin() != "..") out.push_back(rel.generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  f.is_file = [files, lock](const fs::path& p) {
    std::lock_guard guard(*lock);
    return files->contains(p.lexically_normal());
  };
  return f;
}

/// A fresh folder under the temporary directory.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("marquee-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

/// The example project: its configuration and, in memory, every file that
/// `pipeline init --example` writes (the folder on disk is removed again).
std::pair<ProjectConfig, std::shared_ptr<FileMap>> example_in_memory(const PipelinePorts& disk) {
  const fs::path dir = scratch("pipeline-memory");
  init_project(dir, true, disk);
  auto files = std::make_shared<FileMap>();
  for (const auto& rel : disk.files.list(dir)) {
    std::string error;
    (*files)[(dir / rel).lexically_normal()] = disk.files.read(dir / rel, &error).value();
  }
  ProjectConfig config = disk.load_project(dir);
  fs::remove_all(dir);
  return {std::move(config), files};
}

}  // namespace

TEST(PipelinePorts, TheExampleBuildsFromMemoryAsOnDisk) {
  const PipelinePorts disk = pipeline_adapters();
  const fs::path dir = scratch("pipeline-disk");
  init_project(dir, true, disk);
  const BuildSummary summary = build_project(dir, disk);

  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  const BuildModel model = run_pipeline(config, memory);
  OutputFiles outputs = public_outputs(model, memory);
  EXPECT_TRUE(privacy_findings(model, outputs).empty());
  outputs.merge(private_outputs(model, memory.encode));

  EXPECT_EQ(model.registrants.size(), summary.registrants);
  EXPECT_EQ(outputs.size(), summary.files);
  for (const auto& [rel, bytes] : outputs) {
    std::string error;
    EXPECT_EQ(disk.files.read(dir / "out" / rel, &error), bytes) << rel;
  }
  fs::remove_all(dir);
}

TEST(PipelinePorts, AChangedRawExportStopsTheBuild) {
  const PipelinePorts disk = pipeline_adapters();
  auto [config, files] = example_in_memory(disk);
  PipelinePorts memory = disk;
  memory.files = memory_files(files);
  (*files)[(config.dir / config.sources.front().file).lexically_normal()] += "\n";
  try {
    run_pipeline(config, memory);
    FAIL() << "the build ran over an edited raw export";
  } catch (const BuildFailed& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors().front(), config.sources.front().file +
                                      " changed since it was accepted: raw exports are never edited; if this is a new "
                                      "export on purpose, run `marquee pipeline accept-raw`");
  }
}
