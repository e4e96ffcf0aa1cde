// libFuzzer target: TOML column mappings (--mapping M.toml). load_mapping
// reads a file, so the input is written to one first. Documented failure:
// MappingError; anything else escaping is a finding.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/marquee-fuzz-mapping-" + std::to_string(::getpid()) + ".toml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const marquee::Mapping m = marquee::load_mapping(path);
    // A usable mapping is applied to a small table, as an import would.
    const auto table = marquee::read_csv("Title,Start,Where\nTalk,2027-06-11 10:00,Hall\n", m.delimiter);
    std::vector<marquee::RowIssue> issues;
    std::string fatal;
    marquee::apply_mapping(table, m, 1 << 20, &issues, &fatal);
  } catch (const marquee::MappingError&) {
  }
  return 0;
}
