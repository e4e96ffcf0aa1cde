// Import cases as data (issue 15; DuckDB's sqllogictest is the model): each
// folder under tests/data/import_cases holds an input file, optional
// `options` (key = value lines) and mapping, and the expected outcome:
// `expected.txt`, the report with every issue (format_report_text, one issue
// a line), and `expected.csv`, the accepted events in Marquee's own CSV
// layout. A new case is a new folder. MARQUEE_UPDATE_IMPORT_CASES=1 writes
// what the import produced as the expected files (review them before
// committing).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/events_csv_writer.hpp"
#include "app/import_service.hpp"

using namespace marquee;
namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(MARQUEE_SOURCE_DIR) / "tests" / "data" / "import_cases";

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `options`: "key = value" lines; '#' starts a comment.
std::map<std::string, std::string> read_options(const fs::path& p) {
  std::map<std::string, std::string> out;
  std::istringstream in(fs::exists(p) ? read_all(p) : "");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return out;
}

// The case's input: the one file named input.* (input.csv, input.ics, input.xml, input.json, …).
fs::path input_of(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().stem() == "input") return e.path();
  return {};
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCases))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ImportCase : public ::testing::TestWithParam<std::string> {};

TEST_P(ImportCase, ReportAndRowsAsExpected) {
  const fs::path dir = kCases / GetParam();
  const fs::path input = input_of(dir);
  ASSERT_FALSE(input.empty()) << dir << " has no input.* file";
  auto o = read_options(dir / "options");
  ImportOptions opt;
  opt.format = o["format"];
  if (!o["default_zone"].empty()) opt.default_zone = o["default_zone"];
  if (!o["max_field_bytes"].empty()) opt.max_field_bytes = std::stoull(o["max_field_bytes"]);
  if (!o["recurrence_past_days"].empty()) opt.recurrence_past_days = std::stoll(o["recurrence_past_days"]);
  if (!o["recurrence_future_days"].empty()) opt.recurrence_future_days = std::stoll(o["recurrence_future_days"]);
  if (!o["mapping"].empty()) opt.mapping_path = (dir / o["mapping"]).string();
  const ManualClock clock(o["now"].empty() ? 1795000000 : std::stoll(o["now"]));  // 2026-11-19 by default
  const std::string name = o["name"].empty() ? input.filename().string() : o["name"];

  ImportReport report;
  const auto events = read_events(format_readers(), read_all(input), name, opt, clock, &report);
  const std::string text = format_report_text(report, SIZE_MAX);
  const std::string rows = export_events_csv(events);
  if (std::getenv("MARQUEE_UPDATE_IMPORT_CASES")) {
    std::ofstream(dir / "expected.txt", std::ios::binary) << text;
    std::ofstream(dir / "expected.csv", std::ios::binary) << rows;
    GTEST_SKIP() << "wrote the expected files of " << GetParam();
  }
  EXPECT_EQ(text, read_all(dir / "expected.txt")) << "the report of " << GetParam();
  EXPECT_EQ(rows, read_all(dir / "expected.csv")) << "the accepted rows of " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Data, ImportCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
