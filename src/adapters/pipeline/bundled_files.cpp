#include "adapters/pipeline/bundled_files.hpp"

#include "adapters/assets/embedded.hpp"

namespace marquee::pipeline {

std::map<std::string, std::string> embedded_files(std::string_view folder) {
  std::map<std::string, std::string> files;
  for (auto name : embedded_asset_names())
    if (name.starts_with(folder)) files.emplace(name.substr(folder.size()), embedded_asset(name));
  return files;
}

}  // namespace marquee::pipeline
