#include "core/huge_pages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <sys/mman.h>

using namespace marquee;

namespace {

// The VmFlags of the mapping that holds `address` (/proc/self/smaps), or
// nullopt where there is no such file (not Linux).
std::optional<std::string> mapping_flags(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return std::nullopt;
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') inside = begin <= at && at < end;
    else if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return std::string();
}

bool thp_available() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(f, modes);
  return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
}

}  // namespace

// A large buffer's whole 2 MiB pages are marked for huge pages ("hg" in the
// mapping's flags) before they are touched; its bytes are zero and all there.
TEST(HugePages, ALargeStringIsMarkedAndZeroed) {
  const std::size_t size = (std::size_t{12} << 20) + 123;
  std::string s = huge_page_string(size);
  ASSERT_EQ(s.size(), size);
  EXPECT_TRUE(std::all_of(s.begin(), s.end(), [](char c) { return c == '\0'; }));
  s.back() = 'x';  // writable to its last byte
  if (!thp_available()) GTEST_SKIP() << "no transparent huge pages on this system";
  const auto flags = mapping_flags(s.data() + size / 2);
  ASSERT_TRUE(flags.has_value());
  EXPECT_NE(flags->find(" hg"), std::string::npos) << *flags;
}

TEST(HugePages, ALargeVectorIsValueInitialisedAndMarked) {
  struct Slot {
    std::string text;
    long number = 7;
  };
  const std::size_t n = (std::size_t{8} << 20) / sizeof(Slot);
  auto v = huge_page_vector<Slot>(n);
  ASSERT_EQ(v.size(), n);
  EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](const Slot& s) { return s.text.empty() && s.number == 7; }));
  if (!thp_available()) GTEST_SKIP() << "no transparent huge pages on this system";
  const auto flags = mapping_flags(v.data() + n / 2);
  ASSERT_TRUE(flags.has_value());
  EXPECT_NE(flags->find(" hg"), std::string::npos) << *flags;
}

// Below the threshold nothing is advised, from it on the block is: checked
// on mappings of the test's own (a freed heap block can keep an earlier
// block's advice, so the heap says nothing here).
TEST(HugePages, OnlyBlocksFromTheThresholdOnAreAdvised) {
  EXPECT_EQ(huge_page_string(0), "");
  EXPECT_EQ(huge_page_string(5), std::string(5, '\0'));
  EXPECT_EQ(huge_page_vector<int>(3), (std::vector<int>{0, 0, 0}));
  advise_huge_pages(nullptr, std::size_t{64} << 20);  // no buffer: nothing happens
  if (!thp_available()) GTEST_SKIP() << "no transparent huge pages on this system";
  const std::size_t size = std::size_t{16} << 20;
  for (const std::size_t bytes : {kHugePageAdviceMin - 4096, kHugePageAdviceMin}) {
    void* block = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(block, MAP_FAILED);
    advise_huge_pages(block, bytes);
    const auto flags = mapping_flags(static_cast<char*>(block) + 4096);
    ASSERT_TRUE(flags.has_value());
    EXPECT_EQ(flags->find(" hg") != std::string::npos, bytes >= kHugePageAdviceMin) << bytes << ": " << *flags;
    munmap(block, size);
  }
}
