// Every input a fuzzer (or an attacker) once broke a parser with, replayed
// through the same code path as its libFuzzer target (fuzz/): files under
// tests/data/fuzz/<target>/, named after what they found. scripts/fuzz.sh
// also seeds its corpora with them.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/import_service.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/mapping.hpp"
#include "ports/clock.hpp"

namespace marquee {
namespace {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> inputs(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path dir = fs::path(MARQUEE_SOURCE_DIR) / "tests/data/fuzz" / target;
  if (!fs::is_directory(dir)) return out;
  for (const auto& f : fs::directory_iterator(dir)) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    out.emplace_back(f.path().filename().string(), s.str());
  }
  return out;
}

ImportReport import_as(const std::string& bytes, const std::string& name) {
  static const ManualClock clock(1795000000);
  ImportOptions opt;
  opt.dry_run = true;
  opt.recurrence_future_days = 400;
  return import_bytes(format_readers(), nullptr, bytes, name, opt, clock);
}

TEST(FuzzRegressions, ImportsEndWithAReport) {
  int replayed = 0;
  for (const auto& [target, name] : {std::pair{"csv", "in.csv"}, std::pair{"ics", "in.ics"},
                                     std::pair{"frab_xml", "schedule.xml"}, std::pair{"frab_json", "schedule.json"}})
    for (const auto& [file, bytes] : inputs(target)) {
      const auto started = std::chrono::steady_clock::now();
      import_as(bytes, name);  // must return: no crash, no hang, no exception
      EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15)) << target << "/" << file;
      ++replayed;
    }
  EXPECT_GE(replayed, 2);  // at least the two iCalendar files of issue 13
}

TEST(FuzzRegressions, TheIssue13RulesAreRefusedOnTheirLine) {
  for (const auto& [file, bytes] : inputs("ics")) {
    if (!file.starts_with("issue-13-")) continue;
    const ImportReport r = import_as(bytes, "in.ics");
    ASSERT_TRUE(r.ok()) << file << ": " << r.fatal;
    ASSERT_EQ(r.error_count(), 1) << file;
    EXPECT_EQ(r.issues[0].line, 3) << file;  // the BEGIN:VEVENT line
    EXPECT_NE(r.issues[0].message.find("RRULE"), std::string::npos) << r.issues[0].message;
  }
}

TEST(FuzzRegressions, MappingsThatAreNotUtf8AreRefusedBeforeTheTomlParser) {
  int replayed = 0;
  for (const auto& [file, bytes] : inputs("mapping")) {
    // Through the file path, as fuzz_mapping and --mapping read it.
    const fs::path path = fs::temp_directory_path() / ("marquee-fuzz-regression-" + file);
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << bytes;
    }
    try {
      load_mapping(path.string());
      ADD_FAILURE() << file << ": accepted";
    } catch (const MappingError& e) {
      EXPECT_NE(std::string(e.what()).find("not valid UTF-8"), std::string::npos) << file << ": " << e.what();
    }
    fs::remove(path);
    EXPECT_THROW(load_mapping_text(bytes, file), MappingError) << file;
    ++replayed;
  }
  EXPECT_GE(replayed, 1);  // the literal string with a lone continuation byte (toml11 read past its buffer)
}

}  // namespace
}  // namespace marquee
