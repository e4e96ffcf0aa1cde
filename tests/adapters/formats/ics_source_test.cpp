// adapters/formats/ics_source: the bounds on what one iCalendar file may make
// the importer do (issue 13, item 3, and the fuzz_ics finding of 2026-12-02).
#include <gtest/gtest.h>

#include "adapters/formats/ics_source.hpp"

namespace marquee {
namespace {

std::string daily_events(int n) {
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";  // lines 1-2
  for (int i = 0; i < n; ++i)  // each VEVENT is 5 lines, the i-th starting on line 3 + 5 i
    ics += "BEGIN:VEVENT\r\nUID:e" + std::to_string(i) + "\r\nDTSTART:20270101T100000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n";
  return ics + "END:VCALENDAR\r\n";
}

IcsOptions ten_days() {
  IcsOptions opt;
  opt.window_start = 1798797600 - 86400;  // 2027-01-01T10:00Z, less a day
  opt.window_end = 1798797600 + 9 * 86400;
  return opt;
}

TEST(IcsSource, AFileGivesAtMostMaxEventsAndSaysWhereItStopped) {
  IcsOptions opt = ten_days();
  opt.max_events = 25;
  std::vector<RowIssue> issues;
  std::string fatal;
  const auto records = read_ics(daily_events(5), opt, &issues, &fatal);
  ASSERT_TRUE(fatal.empty()) << fatal;
  EXPECT_EQ(records.size(), 25u);
  ASSERT_EQ(issues.size(), 1u);  // once, on the VEVENT that overflowed; the ones after it are not read
  EXPECT_EQ(issues[0].line, 3 + 5 * 2);
  EXPECT_EQ(issues[0].severity, Severity::error);
  EXPECT_NE(issues[0].message.find("more than 25 events"), std::string::npos) << issues[0].message;

  opt.max_events = 50;  // exactly enough: no issue
  issues.clear();
  EXPECT_EQ(read_ics(daily_events(5), opt, &issues, &fatal).size(), 50u);
  EXPECT_TRUE(issues.empty());
}

TEST(IcsSource, AnIgnoredTimeZoneDoesNotHideAMissingVevent) {
  std::vector<RowIssue> issues;
  std::string fatal;
  read_ics("BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
           "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=DAILY\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n",
           ten_days(), &issues, &fatal);
  EXPECT_EQ(fatal, "no VEVENT in the iCalendar file");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, 2);
  EXPECT_EQ(issues[0].field, "time_zone");
}

}  // namespace
}  // namespace marquee
