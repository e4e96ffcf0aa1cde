#pragma once
// `marquee pipeline …`: the use cases over a project folder.
#include <filesystem>
#include <string>
#include <vector>

namespace marquee::pipeline {

struct PipelinePorts;

struct BuildSummary {
  std::size_t registrants = 0, sessions = 0, patches = 0, overrides = 0, duplicates = 0, conflicts = 0, files = 0;
  /// Of `registrants`: the active ones (what the site and summary.json count)
  /// and why the others are not counted.
  std::size_t active = 0, cancelled = 0, marked_duplicate = 0;
  std::vector<std::string> warnings;   ///< all of them (also in out/private/report.txt)
};

/// `marquee pipeline build DIR`: runs the build, checks every public file
/// with the privacy guard, then replaces DIR/out atomically (files written to
/// DIR/out.tmp, the previous out/ kept as DIR/out.prev/ for `diff`).
/// Throws ConfigError (bad configuration) or BuildFailed (bad input, failed
/// patches, schedule changes after the lock, personal data in a public
/// output); in both cases out/ is left as it was.
BuildSummary build_project(const std::filesystem::path& dir, const PipelinePorts& ports);

/// `marquee pipeline explain DIR KEY [FIELD]`: where each value of one
/// registrant came from (raw file, line, columns and text), how it was
/// normalized, each patch and rule that changed it in order, and for
/// "sessions" the seats allocated. Throws BuildFailed for an unknown key or field.
std::string explain_record(const std::filesystem::path& dir, const std::string& key, const std::string& field,
                           const PipelinePorts& ports);

/// `marquee pipeline diff DIR [--against REF]`: what changed between the
/// build in DIR/out and REF (a project folder, an out/ folder, or a
/// summary.json; default DIR/out.prev): sessions added, removed, moved,
/// re-roomed, cancelled; registration counts; summary counts. Throws
/// std::runtime_error when either side has no public/summary.json.
std::string diff_builds(const std::filesystem::path& dir, const std::filesystem::path& against,
                        const PipelinePorts& ports);

/// `marquee pipeline init DIR [--example]`: scaffolds a project (commented
/// configuration, .gitignore, README.md); with `example` a complete fake
/// registration drive that builds at once. Refuses a non-empty DIR.
/// Returns the files written, relative to DIR.
std::vector<std::string> init_project(const std::filesystem::path& dir, bool example, const PipelinePorts& ports);

/// `marquee pipeline lock DIR`: copies the programme file to
/// program/locked/ as the baseline that later changes are checked against.
/// Needs [lock] date in config/schedule-rules.toml; refuses to replace an
/// existing baseline. Returns the baseline's path relative to DIR.
std::string lock_programme(const std::filesystem::path& dir, const PipelinePorts& ports);

}  // namespace marquee::pipeline
