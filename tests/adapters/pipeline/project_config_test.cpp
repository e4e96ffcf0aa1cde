// A pipeline project's configuration read from TOML
// (adapters/pipeline/project_config): the checks on a patch's date, a
// source's name and the default phone country, each failing with its file
// and line. The example project (`pipeline init --example`) is the start.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "adapters/pipeline/pipeline_adapters.hpp"
#include "adapters/pipeline/project_config.hpp"
#include "app/pipeline/pipeline_service.hpp"

namespace fs = std::filesystem;
using namespace marquee;
using namespace marquee::pipeline;

namespace {

class ProjectConfigChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("marquee-project-config-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    init_project(dir_, true, pipeline_adapters());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string read(const std::string& rel) const {
    std::ifstream in(dir_ / rel, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(dir_ / rel, std::ios::binary) << text; }
  /// pipeline.toml with its first `from` replaced by `to` (which must be there).
  void replace_in_settings(const std::string& from, const std::string& to) const {
    std::string text = read("config/pipeline.toml");
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    write("config/pipeline.toml", text.replace(at, from.size(), to));
  }
  /// The ConfigError's message of `load`, or "" when it loads.
  template <class Load>
  std::string error_of(Load load) const {
    try {
      load(dir_);
      return "";
    } catch (const ConfigError& e) {
      return e.what();
    }
  }
  /// A patch file of one patch dated `date`.
  void patch_dated(const std::string& date) const {
    write("config/patches/2026-09-01-dated.toml",
          "[[patch]]\nrecord = \"r-1\"\nfield = \"region\"\nold = \"\"\nnew = \"x\"\nreason = \"r\"\nauthor = \"a\"\ndate = \"" +
              date + "\"\n");
  }

  fs::path dir_;
};

}  // namespace

TEST_F(ProjectConfigChecks, APatchIsDatedYearMonthDayADateThatExists) {
  for (const char* good : {"2026-09-01", "2024-02-29", "2000-02-29", "1999-12-31"}) {
    patch_dated(good);
    EXPECT_EQ(error_of(load_patches), "") << good;
  }
  for (const char* bad : {"2026-9-01", "2026-09-1", "26-09-01", "2026/09/01", "20260901",
                          "2026-09-01T10:00", "2026-O9-01", "202x-09-01", "+026-09-01", "2026-0x-01", "2026-09-0x", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10",
                          "1900-02-29", "\xd9\xa2" "026-09-01", "\xef\xbc\x92\xef\xbc\x90" "26-09-01"}) {
    patch_dated(bad);
    EXPECT_EQ(error_of(load_patches), "config/patches/2026-09-01-dated.toml:8: date must be YYYY-MM-DD") << "\"" << bad << "\"";
  }
}

TEST_F(ProjectConfigChecks, ASourceIsNamedInLowerCaseLettersDigitsUnderscoresAndHyphens) {
  EXPECT_EQ(error_of(load_settings), "") << "the example as written";
  std::string last = "forms";
  for (const char* good : {"forms-2026_b", "x", "0"}) {
    replace_in_settings("name = \"" + last + "\"", std::string("name = \"") + good + "\"");
    last = good;
    EXPECT_EQ(error_of(load_settings), "") << good;
  }
  for (const char* bad : {"Forms", "forms 2026", "formulär", "forms.csv", "forms/2026", "FORMS"}) {
    replace_in_settings("name = \"" + last + "\"", std::string("name = \"") + bad + "\"");
    last = bad;
    EXPECT_EQ(error_of(load_settings), "config/pipeline.toml:15: a source name uses a-z, 0-9, '_' and '-' only") << "\"" << bad << "\"";
  }
}

TEST_F(ProjectConfigChecks, TheDefaultPhoneCountryIsUpToThreeDigits) {
  std::string last = "49";
  for (const char* good : {"1", "358", ""}) {
    replace_in_settings("default_phone_country = \"" + last + "\"", std::string("default_phone_country = \"") + good + "\"");
    last = good;
    EXPECT_EQ(error_of(load_settings), "") << "\"" << good << "\"";
  }
  for (const char* bad : {"4915", "+49", "49 ", "x"}) {
    replace_in_settings("default_phone_country = \"" + last + "\"", std::string("default_phone_country = \"") + bad + "\"");
    last = bad;
    EXPECT_EQ(error_of(load_settings), "config/pipeline.toml:8: default_phone_country is a country calling code of 1 to 3 digits, e.g. \"49\" (\"\" for none)")
        << "\"" << bad << "\"";
  }
}
