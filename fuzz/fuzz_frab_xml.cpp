// libFuzzer target: the import path for schedule.xml files (issue 13, fuzzing).
#include "fuzz/fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  marquee::fuzz::import_as(data, size, "schedule.xml");
  return 0;
}
