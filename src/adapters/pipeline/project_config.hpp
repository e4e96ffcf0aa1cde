#pragma once
// Reads a pipeline project folder's configuration from TOML (toml11):
// config/pipeline.toml, config/mappings.toml, config/patches/*.toml,
// config/overrides.toml and config/schedule-rules.toml into the plain data of
// core/pipeline/project_config.hpp. docs/pipeline.md documents every key;
// `marquee pipeline init` writes commented examples.
#include <filesystem>
#include <vector>

#include "core/pipeline/patch.hpp"
#include "core/pipeline/project_config.hpp"

namespace marquee::pipeline {

/// Every configuration file but the patches: config/pipeline.toml,
/// mappings.toml, schedule-rules.toml and overrides.toml (`patches` left
/// empty). Throws ConfigError for a TOML syntax error, a missing required
/// key, a value of the wrong type or an unknown name (kind, format, value
/// map, output), and when `dir` is not a folder. The two parts together
/// are the port's ProjectLoader (ports/project_loader.hpp).
ProjectConfig load_settings(const std::filesystem::path& dir);

/// The patches of config/patches/*.toml in file-name order, then line order;
/// none when the folder is missing. Throws ConfigError as load_settings
/// (std::filesystem::filesystem_error when the folder cannot be listed).
std::vector<Patch> load_patches(const std::filesystem::path& dir);

}  // namespace marquee::pipeline
