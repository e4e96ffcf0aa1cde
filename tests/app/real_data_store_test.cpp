// Real public schedules and listings from ../shared/data, imported into both
// stores. Skipped with a message when the data folder is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/time_zone.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/import_file.hpp"
#include "app/import_service.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);  // 2026-11-19

std::string shared(const std::string& rel) { return std::string(MARQUEE_SHARED_DATA) + "/" + rel; }
std::string mapping(const std::string& name) {
  return std::string(MARQUEE_SOURCE_DIR) + "/tests/data/mappings/" + name;
}

const Event* find_title(const std::vector<Event>& events, const std::string& title) {
  for (const auto& e : events)
    if (e.title == title) return &e;
  return nullptr;
}

}  // namespace

template <typename B>
class RealData : public StoreTest<B> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(MARQUEE_SHARED_DATA))
      GTEST_SKIP() << "shared data not found at " << MARQUEE_SHARED_DATA << "; real-data tests skipped";
    StoreTest<B>::SetUp();
  }
  ImportReport import(const std::string& path, ImportOptions opt = {}) {
    auto r = import_file(format_readers(), this->store_.get(), path, opt, kClock);
    EXPECT_TRUE(r.ok()) << r.fatal;
    return r;
  }
};
TYPED_TEST_SUITE(RealData, Backends, BackendNames);

TYPED_TEST(RealData, Frab36c3MergedWithDuplicateGuids) {
  ImportOptions opt;
  opt.default_zone = "Europe/Berlin";  // the merged file names no zone; <date> carries offsets
  auto r = this->import(shared("schedules/xml/giggity_36c3_merged.xml"), opt);
  EXPECT_EQ(r.records, 1351);
  EXPECT_EQ(r.inserted, 1348);
  EXPECT_EQ(r.rejected, 3);  // the same guid appears twice in the merged sub-schedules
  int duplicates = 0;
  for (const auto& i : r.issues)
    if (i.severity == Severity::error) {
      EXPECT_EQ(i.field, "key");
      EXPECT_NE(i.message.find("has the same key"), std::string::npos);
      ++duplicates;
    }
  EXPECT_EQ(duplicates, 3);

  const auto events = this->store_->list_events();
  const Event* talk = find_title(events, "Geheimdienstliche Massenüberwachung vs. Menschenrechte");
  ASSERT_NE(talk, nullptr);
  EXPECT_EQ(format_utc(talk->starts_at), "2019-12-27T17:50:00Z");
  const Event* late = find_title(events, "Hacker Jeopardy");
  ASSERT_NE(late, nullptr);  // after midnight: 28 Dec 00:50 local
  EXPECT_EQ(format_rfc3339(late->starts_at, late->time_zone), "2019-12-28T00:50:00+01:00");

  // Re-import: the same keys, nothing duplicated.
  auto again = this->import(shared("schedules/xml/giggity_36c3_merged.xml"), opt);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.unchanged, 1348);
  EXPECT_EQ(this->store_->count_events(), 1348);
}

TYPED_TEST(RealData, FrabZonesAndOldPentabarfLayout) {
  auto debconf = this->import(shared("schedules/xml/giggity_debconf23.xml"));
  EXPECT_EQ(debconf.inserted, 117);
  const auto events = this->store_->list_events();
  const Event* opening = nullptr;
  for (const auto& e : events)
    if (e.title == "Opening Ceremony" && e.time_zone == "Asia/Kolkata") opening = &e;
  ASSERT_NE(opening, nullptr);
  EXPECT_EQ(format_rfc3339(opening->starts_at, opening->time_zone), "2023-09-10T10:30:00+05:30");
  EXPECT_EQ(opening->ends_at - opening->starts_at, 20 * 60);

  ImportOptions brussels;
  brussels.default_zone = "Europe/Brussels";
  auto fosdem07 = this->import(shared("schedules/xml/fosdem_2007.xml"), brussels);
  EXPECT_EQ(fosdem07.inserted, 215);  // events directly under <day>, no <room> wrapper
  auto fosdem25 = this->import(shared("schedules/xml/fosdem_2025.xml"));
  EXPECT_EQ(fosdem25.inserted, 943);
  auto c39 = this->import(shared("schedules/xml/eventfahrplan_schedule-39c3-20251206.xml"));
  EXPECT_EQ(c39.inserted, 215);  // nested <attachments><attachment><title> does not confuse the title
  for (const auto& e : this->store_->list_events()) EXPECT_FALSE(e.title.empty()) << e.key;
}

TYPED_TEST(RealData, ICalendarFeeds) {
  // TZID=Australia/Brisbane with no VTIMEZONE in the file.
  auto lca = this->import(shared("ical/realworld/giggity_linux_conf_au_2020.ics"));
  EXPECT_EQ(lca.inserted, 262);
  auto kielux = this->import(shared("ical/realworld/giggity_kielux_2020.ics"));
  EXPECT_EQ(kielux.inserted, 24);
  int brisbane = 0;
  for (const auto& e : this->store_->list_events())
    if (e.time_zone == "Australia/Brisbane") {
      ++brisbane;
      EXPECT_EQ(to_local(e.starts_at, e.time_zone).offset, "+10:00");
    }
  EXPECT_EQ(brisbane, 262);
}

TYPED_TEST(RealData, CsvListingsThroughMappings) {
  ImportOptions nyc;
  nyc.mapping_path = mapping("nyc_permits.toml");
  auto r = this->import(shared("events_csv/nyc_permitted_event_information_2022.csv"), nyc);
  EXPECT_EQ(r.records, 8501);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.inserted, 8501);
  EXPECT_EQ(this->store_->count_events(), 8501);
  const auto events = this->store_->list_events();
  const Event* party = find_title(events, "Deb's Birthday Party");
  ASSERT_NE(party, nullptr);
  EXPECT_EQ(format_rfc3339(party->starts_at, party->time_zone), "2022-06-11T15:00:00-04:00");
  EXPECT_EQ(party->venue, "Prospect Park: CONCERT GROVE PAVILION");

  ImportOptions berlin;
  berlin.mapping_path = mapping("berlin_markets.toml");
  auto b = this->import(shared("events_csv/berlin_weihnachtsmaerkte_2015_source.csv"), berlin);
  EXPECT_EQ(b.inserted, 80);
  const auto all = this->store_->list_events();
  const Event* charlottenburg = find_title(all, "Weihnachtsmarkt vor dem Schloss Charlottenburg");
  ASSERT_NE(charlottenburg, nullptr);
  EXPECT_TRUE(charlottenburg->all_day);
  EXPECT_EQ(to_local(charlottenburg->starts_at, "Europe/Berlin").date, "2015-11-23");
  EXPECT_EQ(to_local(charlottenburg->ends_at - 1, "Europe/Berlin").date, "2015-12-26");
  EXPECT_NE(charlottenburg->organizer.find("Tel.: 261 20 12"), std::string::npos);  // embedded newline collapsed
}

TYPED_TEST(RealData, ExplicitKeyColumnWithRepeatedIdsIsRejectedByLine) {
  // Using the permit id alone as the key: the repeated ids are duplicates.
  const std::string path = std::filesystem::temp_directory_path() / "marquee-nyc-key.toml";
  {
    std::ofstream out(path);
    out << "[source]\ntime_zone = \"America/New_York\"\ndate_order = \"mdy\"\n"
           "[columns]\nkey = \"Event ID\"\ntitle = \"Event Name\"\nstarts_at = \"Start Date/Time\"\n"
           "ends_at = \"End Date/Time\"\n";
  }
  ImportOptions opt;
  opt.mapping_path = path;
  opt.dry_run = true;
  auto r = import_file(format_readers(), nullptr, shared("events_csv/nyc_permitted_event_information_2022.csv"), opt, kClock);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.accepted, 2437);  // distinct Event IDs
  EXPECT_EQ(r.rejected, 8501 - 2437);
  std::filesystem::remove(path);
}
