#pragma once
// Reads a pipeline project folder's configuration from TOML (toml11):
// config/pipeline.toml, config/mappings.toml, config/patches/*.toml,
// config/overrides.toml and config/schedule-rules.toml into the plain data of
// core/pipeline/project_config.hpp. docs/pipeline.md documents every key;
// `marquee pipeline init` writes commented examples.
#include <filesystem>

#include "core/pipeline/project_config.hpp"

namespace marquee::pipeline {

/// Reads and checks every configuration file of the project at `dir`.
/// Throws ConfigError for a TOML syntax error, a missing required key, a
/// value of the wrong type or an unknown name (kind, format, value map, output).
ProjectConfig load_project(const std::filesystem::path& dir);

}  // namespace marquee::pipeline
