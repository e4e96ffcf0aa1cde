#pragma once
// The project-loader port: a pipeline project folder's configuration files
// read into core/pipeline/project_config. Implementation:
// adapters/pipeline/project_config (TOML, toml11).
#include <filesystem>
#include <functional>

#include "core/pipeline/project_config.hpp"

namespace marquee::pipeline {

/// Reads and checks every configuration file of the project at `dir`
/// (config/pipeline.toml, mappings.toml, schedule-rules.toml, overrides.toml,
/// patches/*.toml). Throws ConfigError ("config/<file>:<line>: …") for a
/// syntax error, a missing required key, a value of the wrong type or an
/// unknown name.
using ProjectLoader = std::function<ProjectConfig(const std::filesystem::path& dir)>;

}  // namespace marquee::pipeline
