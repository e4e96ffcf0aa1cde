#include "core/pipeline/project_config.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {

fs::path ProjectConfig::lock_baseline() const {
  return dir / "program" / "locked" / fs::path(programme_file).filename();
}

const std::vector<std::string>& all_private_outputs() {
  static const std::vector<std::string> v = {"registrants.csv", "registrants.xlsx", "rosters.csv", "rosters.xlsx",
                                             "duplicates.csv"};
  return v;
}

const std::vector<std::string>& all_public_outputs() {
  static const std::vector<std::string> v = {"summary.json", "summary.csv", "sessions.csv", "site"};
  return v;
}

}  // namespace marquee::pipeline
