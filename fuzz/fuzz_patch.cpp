// libFuzzer target: pipeline patch files (config/patches/*.toml) in a copy
// of pipeline/example, read as a build reads them (load_patches). Documented
// failure: ConfigError; anything else escaping is a finding.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/pipeline/project_config.hpp"

namespace {
std::filesystem::path project;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  project = std::filesystem::temp_directory_path() / ("marquee-fuzz-patch-" + std::to_string(::getpid()));
  std::filesystem::remove_all(project);
  std::filesystem::copy(MARQUEE_SOURCE_DIR "/pipeline/example", project, std::filesystem::copy_options::recursive);
  for (const auto& f : std::filesystem::directory_iterator(project / "config/patches")) std::filesystem::remove(f.path());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(project / "config/patches/fuzz.toml", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    marquee::pipeline::load_patches(project);
  } catch (const marquee::pipeline::ConfigError&) {
  }
  return 0;
}
