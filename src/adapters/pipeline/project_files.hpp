#pragma once
// Whole-file reads and writes for the pipeline's project folder.
#include <filesystem>
#include <optional>
#include <string>

namespace marquee::pipeline {

/// The file's bytes, or nullopt with `error` set to e.g. "cannot be read: No such file or directory".
std::optional<std::string> read_file(const std::filesystem::path& path, std::string* error);

/// Writes `bytes` (creating parent folders). Throws std::runtime_error naming the path on failure.
void write_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace marquee::pipeline
