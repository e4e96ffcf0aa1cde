#pragma once
// The project-loader port: a pipeline project folder's configuration files
// read into core/pipeline/project_config. Implementation:
// adapters/pipeline/project_config (TOML, toml11).
#include <filesystem>
#include <functional>
#include <vector>

#include "core/pipeline/patch.hpp"
#include "core/pipeline/project_config.hpp"

namespace marquee::pipeline {

/// Reads and checks the configuration files of the project at `dir`, in two
/// parts that may be read on different threads (a build parses the patch
/// files, a thousand patches in toml11 about 60 ms, while it reads the raw
/// exports). Each throws ConfigError ("config/<file>:<line>: …") for a syntax
/// error, a missing required key, a value of the wrong type or an unknown
/// name.
struct ProjectLoader {
  /// config/pipeline.toml, mappings.toml, schedule-rules.toml and
  /// overrides.toml; `patches` left empty. Also throws ConfigError when `dir`
  /// is not a folder.
  std::function<ProjectConfig(const std::filesystem::path& dir)> settings;
  /// The patches of config/patches/*.toml, in file-name order, then line
  /// order; none when the folder is missing (std::filesystem::filesystem_error
  /// when it cannot be listed).
  std::function<std::vector<Patch>(const std::filesystem::path& dir)> patches;

  /// The whole configuration: the settings, then the patches (the first
  /// error of the two, in that order, is thrown).
  ProjectConfig operator()(const std::filesystem::path& dir) const {
    ProjectConfig config = settings(dir);
    config.patches = patches(dir);
    return config;
  }
};

}  // namespace marquee::pipeline
