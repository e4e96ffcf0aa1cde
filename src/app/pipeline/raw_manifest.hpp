#pragma once
// raw/SHA256SUMS: the SHA-256 (FIPS 180-4) of every raw export, in the
// format of coreutils `sha256sum` ("<64 hex>  <path relative to raw/>", one
// per line, sorted by path), so `cd raw && sha256sum -c SHA256SUMS` works too.
#include <filesystem>
#include <string>
#include <vector>

#include "ports/project_files.hpp"

namespace marquee::pipeline {

inline constexpr const char* kManifestName = "SHA256SUMS";

/// Compares raw/ with its manifest. Returns one message per difference
/// ("raw/x.csv changed since it was accepted", "raw/y.csv is not in
/// raw/SHA256SUMS", "raw/z.csv is listed in raw/SHA256SUMS but missing",
/// "raw/SHA256SUMS is missing"); empty when everything matches. Files whose
/// path starts with "." are not raw exports. Throws std::runtime_error when a
/// file cannot be read.
std::vector<std::string> verify_raw(const std::filesystem::path& project_dir, const ProjectFiles& files);

/// `marquee pipeline accept-raw DIR`: rewrites the manifest from the files now
/// in raw/ (atomically: a temporary file renamed over it) and returns what
/// changed ("accepted raw/x.csv (new)", "… (changed)", "… (removed)"). Throws
/// std::runtime_error when raw/ cannot be read or written.
std::vector<std::string> accept_raw(const std::filesystem::path& project_dir, const ProjectFiles& files);

}  // namespace marquee::pipeline
