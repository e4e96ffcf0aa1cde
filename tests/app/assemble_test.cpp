#include <gtest/gtest.h>

#include "core/time_zone.hpp"
#include "app/assemble_event.hpp"

using namespace marquee;

namespace {
Assembled assemble(SourceValues values, std::string zone = "Europe/Berlin") {
  SourceRecord r;
  r.line = 9;
  r.record_id = "rec-1";
  r.values = std::move(values);
  AssembleContext ctx;
  ctx.default_zone = std::move(zone);
  ctx.key_namespace = "test";
  ctx.now = 1795000000;
  return assemble_event(r, ctx);
}
std::string local(UnixSeconds t, const char* zone = "Europe/Berlin") { return format_rfc3339(t, zone); }
}  // namespace

TEST(Assemble, EndTimeBeforeStartMeansNextDay) {
  auto a = assemble({{"title", "Late"}, {"starts_at", "2027-06-11 23:30"}, {"ends_at", "01:30"}});
  ASSERT_TRUE(a.event);
  EXPECT_EQ(local(a.event->starts_at), "2027-06-11T23:30:00+02:00");
  EXPECT_EQ(local(a.event->ends_at), "2027-06-12T01:30:00+02:00");
}

TEST(Assemble, DurationAndSeparateDateTimeColumns) {
  auto a = assemble({{"title", "Talk"}, {"start_date", "2011-06-23"}, {"start_time", "19:00"}, {"duration", "1:30"}});
  ASSERT_TRUE(a.event);
  EXPECT_EQ(local(a.event->starts_at), "2011-06-23T19:00:00+02:00");
  EXPECT_EQ(a.event->ends_at - a.event->starts_at, 5400);
}

TEST(Assemble, DateOnlyIsAllDayThroughLastDate) {
  auto a = assemble({{"title", "Market"}, {"starts_at", "23.11.2015"}, {"ends_at", "26.12.2015"}});
  ASSERT_TRUE(a.event);
  EXPECT_TRUE(a.event->all_day);
  EXPECT_EQ(local(a.event->starts_at), "2015-11-23T00:00:00+01:00");
  EXPECT_EQ(local(a.event->ends_at), "2015-12-27T00:00:00+01:00");
}

TEST(Assemble, ExplicitOffsetWinsOverZone) {
  auto a = assemble({{"title", "X"}, {"starts_at", "2027-06-12T10:00:00-04:00"}, {"time_zone", "America/New_York"}});
  ASSERT_TRUE(a.event);
  EXPECT_EQ(format_utc(a.event->starts_at), "2027-06-12T14:00:00Z");
  EXPECT_EQ(a.event->time_zone, "America/New_York");
}

TEST(Assemble, KeysAreStableAndExplicitKeysHonoured) {
  auto a = assemble({{"title", "Same"}, {"starts_at", "2027-06-11 10:00"}});
  auto b = assemble({{"title", "Same"}, {"starts_at", "2027-06-11 10:00"}});
  ASSERT_TRUE(a.event && b.event);
  EXPECT_EQ(a.event->key, b.event->key);
  auto c = assemble({{"title", "Same"}, {"starts_at", "2027-06-11 10:00"}, {"key", "My-Key"}});
  EXPECT_EQ(c.event->key, "my-key");
  auto bad = assemble({{"title", "Same"}, {"starts_at", "2027-06-11 10:00"}, {"key", "no spaces please"}});
  EXPECT_FALSE(bad.event);
  EXPECT_EQ(bad.issues.at(0).field, "key");
  EXPECT_EQ(bad.issues.at(0).line, 9);
}

TEST(Assemble, TextIsNormalizedAndWarningsStored) {
  auto a = assemble({{"title", "  OPEN   AIR\nCONCERT "}, {"starts_at", "2027-06-11 10:00"}, {"url", "example.org"},
                     {"tags", "jazz, outdoor"}, {"description", "Cafe\xCC\x81"}});
  ASSERT_TRUE(a.event);
  EXPECT_EQ(a.event->title, "OPEN AIR CONCERT");
  EXPECT_EQ(a.event->description, "Café");
  EXPECT_EQ(a.event->tags, (std::vector<std::string>{"jazz", "outdoor"}));
  std::vector<std::string> fields;
  for (const auto& w : a.event->warnings) fields.push_back(w.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"ends_at", "url", "title"}));
}
