// Import paths on bad and awkward input (dry runs: nothing is written).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/time_zone.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/import_file.hpp"
#include "app/import_service.hpp"

using namespace marquee;

namespace {

const ManualClock kClock(1795000000);  // 2026-11-19T...Z
const std::string kHeader = "key,title,starts_at,ends_at,time_zone\n";

ImportReport check(const std::string& bytes, const std::string& name = "in.csv", ImportOptions opt = {}) {
  opt.dry_run = true;
  return import_bytes(format_readers(), nullptr, bytes, name, opt, kClock);
}

const RowIssue* issue_at(const ImportReport& r, std::int64_t line, const std::string& field) {
  for (const auto& i : r.issues)
    if (i.line == line && i.field == field) return &i;
  return nullptr;
}

std::string write_temp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

}  // namespace

TEST(CsvImport, QuotedFieldsNewlinesCrlfAndBom) {
  auto r = check("\xEF\xBB\xBF" "key,title,description,starts_at,time_zone\r\n"
                 "a,\"Quoted, with comma\",\"line one\r\nline \"\"two\"\"\",2027-06-11 19:00,Europe/Berlin\r\n"
                 "b,Second,,2027-06-11 20:00,Europe/Berlin\r\n");
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.records, 2);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.issues.size(), 2u);  // "no end time" warnings only
  EXPECT_EQ(r.issues[1].line, 4);  // the record after the two-line field starts on line 4
}

TEST(CsvImport, UnbalancedQuoteIsFatalWithLine) {
  auto r = check(kHeader + "a,Fine,2027-06-11 19:00,,UTC\nb,\"Broken title,2027-06-11 19:00,,UTC\n");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.fatal.find("line 3"), std::string::npos) << r.fatal;
  EXPECT_NE(r.fatal.find("unbalanced quote"), std::string::npos) << r.fatal;
  auto stray = check(kHeader + "a,Bad \"quote\" here,2027-06-11 19:00,,UTC\n");
  EXPECT_FALSE(stray.ok());
  EXPECT_NE(stray.fatal.find("line 2"), std::string::npos) << stray.fatal;
}

TEST(CsvImport, Latin1BytesNameLineAndField) {
  auto r = check(kHeader + "a,Gr\xFC\xDF" "e,2027-06-11 19:00,,UTC\nb,Fine,2027-06-11 19:00,,UTC\n");
  ASSERT_TRUE(r.ok());
  const RowIssue* i = issue_at(r, 2, "title");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, Severity::error);
  EXPECT_NE(i->message.find("not valid UTF-8"), std::string::npos);
  EXPECT_EQ(r.accepted, 1);

  const auto mapping = write_temp("latin1.toml", "[source]\nencoding = \"latin-1\"\n[columns]\ntitle = \"title\"\n"
                                                 "starts_at = \"starts_at\"\ntime_zone = \"time_zone\"\n");
  ImportOptions opt;
  opt.mapping_path = mapping;
  auto converted = check(kHeader + "a,Gr\xFC\xDF" "e,2027-06-11 19:00,,UTC\n", "in.csv", opt);
  EXPECT_EQ(converted.accepted, 1);
}

TEST(CsvImport, MissingRequiredColumnIsFatal) {
  auto r = check("key,name,starts_at\na,x,2027-06-11\n");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.fatal.find("missing required column 'title'"), std::string::npos) << r.fatal;
  EXPECT_TRUE(r.issues.empty());
}

TEST(CsvImport, ImpossibleDatesAndBadValuesNameLineAndField) {
  auto r = check("key,title,starts_at,ends_at,time_zone,capacity,status\n"
                 "a,One,31/02/2027 19:00,,UTC,,\n"
                 "b,Two,2027-06-11 19:00,25:00,UTC,,\n"
                 "c,Three,2027-06-11 19:00,,Mars/Base,,\n"
                 "d,Four,2027-06-11 19:00,,UTC,-5,\n"
                 "e,Five,2027-06-11 19:00,,UTC,,maybe\n"
                 "f,Six,2027-06-11 19:00,2027-06-11 18:00,UTC,,\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.rejected, 6);
  EXPECT_NE(issue_at(r, 2, "starts_at"), nullptr);
  EXPECT_NE(issue_at(r, 3, "ends_at"), nullptr);
  EXPECT_NE(issue_at(r, 4, "time_zone"), nullptr);
  EXPECT_NE(issue_at(r, 5, "capacity"), nullptr);
  EXPECT_NE(issue_at(r, 6, "status"), nullptr);
  EXPECT_NE(issue_at(r, 7, "ends_at"), nullptr);
  EXPECT_NE(issue_at(r, 2, "starts_at")->message.find("31/02/2027"), std::string::npos);
}

TEST(CsvImport, DuplicateKeysRejectTheLaterRow) {
  auto r = check(kHeader + "a,One,2027-06-11 19:00,,UTC\nb,Two,2027-06-11 20:00,,UTC\nA,Three,2027-06-11 21:00,,UTC\n");
  EXPECT_EQ(r.accepted, 2);
  const RowIssue* dup = issue_at(r, 4, "key");
  ASSERT_NE(dup, nullptr);
  EXPECT_NE(dup->message.find("line 2"), std::string::npos) << dup->message;
}

TEST(CsvImport, EndAcrossMidnightAndDurations) {
  ImportOptions opt;
  auto r = check("key,title,starts_at,ends_at,duration,time_zone\n"
                 "late,Late,2027-06-11 23:30,01:30,,Europe/Berlin\n"
                 "dur,Dur,2027-06-11 10:00,,01:30,Europe/Berlin\n",
                 "in.csv", opt);
  ASSERT_EQ(r.accepted, 2) << (r.issues.empty() ? "" : r.issues[0].message);
  EXPECT_EQ(r.error_count(), 0);
}

TEST(CsvImport, HugeFieldRejectsRowAndBigFileIsRefused) {
  ImportOptions opt;
  opt.max_field_bytes = 1 << 20;
  auto r = check(kHeader + "a," + std::string(2 << 20, 'x') + ",2027-06-11 19:00,,UTC\nb,Ok,2027-06-11 19:00,,UTC\n",
                 "in.csv", opt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.accepted, 1);
  ASSERT_NE(issue_at(r, 2, "title"), nullptr);
  EXPECT_NE(issue_at(r, 2, "title")->message.find("over the limit"), std::string::npos);

  // A 50 MB file is over the default 32 MiB import limit.
  const auto path = std::filesystem::temp_directory_path() / "marquee-50mb.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader;
    const std::string row = "k,Title,2027-06-11 19:00,,UTC\n";
    for (std::size_t written = kHeader.size(); written < 50u * 1000 * 1000; written += row.size()) out << row;
  }
  ImportOptions big;
  big.dry_run = true;
  auto refused = import_file(format_readers(), nullptr, path.string(), big, kClock);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.fatal.find("over the import limit"), std::string::npos) << refused.fatal;
  std::filesystem::remove(path);
}

TEST(CsvImport, MappingErrorsNameTheKey) {
  ImportOptions opt;
  opt.mapping_path = write_temp("bad-field.toml", "[columns]\ntitel = \"name\"\n");
  auto r = check(kHeader, "in.csv", opt);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.fatal.find("unknown event field 'titel'"), std::string::npos) << r.fatal;
  opt.mapping_path = write_temp("bad-syntax.toml", "[columns\ntitle = \n");
  EXPECT_FALSE(check(kHeader, "in.csv", opt).ok());
  opt.mapping_path = write_temp("bad-transform.toml", "[columns]\ntitle = \"title\"\n[transforms]\ntitle = [\"shout\"]\n");
  auto t = check(kHeader, "in.csv", opt);
  EXPECT_NE(t.fatal.find("unknown transformer 'shout'"), std::string::npos) << t.fatal;
}

TEST(CsvImport, MappingTransformsAndValueMaps) {
  ImportOptions opt;
  opt.mapping_path = write_temp("transforms.toml",
                                "[source]\ndelimiter = \";\"\ntime_zone = \"Europe/Berlin\"\n"
                                "[columns]\ntitle = \"Name\"\nstarts_at = \"Datum\"\nurl = \"Web\"\nstatus = \"Abgesagt\"\n"
                                "[transforms]\ntitle = [\"collapse_whitespace\", \"title_case\"]\nurl = [\"url\"]\n"
                                "[value_maps.status]\nja = \"cancelled\"\nnein = \"published\"\n");
  auto r = check("Name;Datum;Web;Abgesagt\n  öffentliche   FÜHRUNG ;12.06.2027 18:00;www.Example.org/x;JA\n", "in.csv", opt);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.accepted, 1);
  // Warnings only: no "URL without scheme" (the url transformer added https://), no all-caps title.
  for (const auto& i : r.issues) {
    EXPECT_NE(i.field, "url");
    EXPECT_NE(i.field, "title");
  }
}

// A column that feeds two fields, and one that is also the record's id, is
// copied to each (the mapping moves a cell into its field only when nothing
// else reads it); a column of one field alone arrives whole.
TEST(CsvImport, AColumnMappedTwiceFeedsEachField) {
  ImportOptions opt;
  opt.mapping_path = write_temp("twice.toml",
                                "[source]\ntime_zone = \"UTC\"\nrecord_id = \"Ref\"\n"
                                "[columns]\ntitle = \"Name\"\norganizer = \"Name\"\nstarts_at = \"When\"\n"
                                "room = \"Ref\"\nvenue = \"Hall\"\n");
  ImportReport r;
  const auto events = read_events(format_readers(), "Name,When,Ref,Hall\nHarbour talk,2027-06-11 19:00,R-7,Main hall\n",
                                   "in.csv", opt, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].title, "Harbour talk");
  EXPECT_EQ(events[0].organizer, "Harbour talk");
  EXPECT_EQ(events[0].room, "R-7");
  EXPECT_EQ(events[0].venue, "Main hall");
  ImportReport again;
  const auto second = read_events(format_readers(), "Name,When,Ref,Hall\nRenamed,2027-06-11 19:00,R-7,Main hall\n",
                                  "in.csv", opt, kClock, &again);
  ASSERT_EQ(second.size(), 1u);
  const auto id_part = [](const std::string& key) { return key.substr(key.rfind('-') + 1); };
  EXPECT_EQ(id_part(second[0].key), id_part(events[0].key)) << "the key's hash comes from the record id, kept whole";
}

TEST(IcsImport, RecurrenceExdateOverrideAndCancellation) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Marquee tests//EN\r\n"
      "BEGIN:VEVENT\r\nUID:weekly@test\r\nSUMMARY:Weekly walk\r\nDTSTART;TZID=Europe/Berlin:20270104T180000\r\n"
      "DTEND;TZID=Europe/Berlin:20270104T190000\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n"
      "EXDATE;TZID=Europe/Berlin:20270111T180000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:weekly@test\r\nRECURRENCE-ID;TZID=Europe/Berlin:20270118T180000\r\n"
      "SUMMARY:Weekly walk (moved)\r\nDTSTART;TZID=Europe/Berlin:20270118T200000\r\n"
      "DTEND;TZID=Europe/Berlin:20270118T210000\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:gone@test\r\nSUMMARY:Gone\r\nDTSTART:20270201T100000Z\r\nDURATION:PT2H\r\n"
      "STATUS:CANCELLED\r\nLOCATION:Hall\\, left wing\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:day@test\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:20270301\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  auto r = check(ics, "feed.ics");
  ASSERT_TRUE(r.ok()) << r.fatal;
  // 5 occurrences - 1 EXDATE - 1 overridden + 1 override + cancelled + all-day = 6
  EXPECT_EQ(r.accepted, 6);
  EXPECT_EQ(r.error_count(), 0);
}

// All-day events (VALUE=DATE): DTEND is the day after the last (RFC 5545
// §3.6.1), and Marquee's own feed gives the zone their days are in
// (X-MARQUEE-TIME-ZONE), so 11–15 June in Berlin comes back as it went out.
TEST(IcsImport, AllDayEventsEndOnTheirLastDayInTheirOwnZone) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Marquee tests//EN\r\n"
      "BEGIN:VEVENT\r\nUID:expo@test\r\nSUMMARY:Exhibition\r\nDTSTART;VALUE=DATE:20270611\r\n"
      "DTEND;VALUE=DATE:20270616\r\nX-MARQUEE-KEY:expo\r\nX-MARQUEE-TIME-ZONE:Europe/Berlin\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:day@test\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:20270301\r\n"
      "DTEND;VALUE=DATE:20270302\r\nX-MARQUEE-KEY:day\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  ImportReport r;
  const auto events = read_events(format_readers(), ics, "feed.ics", ImportOptions{}, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  ASSERT_EQ(events.size(), 2u);
  const auto& expo = events[0].key == "expo" ? events[0] : events[1];
  const auto& day = events[0].key == "expo" ? events[1] : events[0];
  EXPECT_TRUE(expo.all_day);
  EXPECT_EQ(expo.time_zone, "Europe/Berlin");
  EXPECT_EQ(expo.starts_at, 1812664800);  // 2027-06-10T22:00:00Z, midnight in Berlin
  EXPECT_EQ(expo.ends_at, 1813096800);    // 2027-06-15T22:00:00Z, the end of 15 June there
  EXPECT_TRUE(day.all_day);
  EXPECT_EQ(day.ends_at - day.starts_at, 86400);  // one day, not two
}

// Issue 13, item 3: an old DTSTART is not walked from; the phase of the rule
// (every other Monday, 18:00 Berlin) is kept inside the window.
TEST(IcsImport, OldStartIsExpandedFromTheWindowKeepingItsPhase) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Marquee tests//EN\r\n"
      "BEGIN:VEVENT\r\nUID:fortnight@test\r\nSUMMARY:Fortnightly\r\nDTSTART;TZID=Europe/Berlin:20000103T180000\r\n"
      "DTEND;TZID=Europe/Berlin:20000103T190000\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  ImportOptions opt;
  opt.recurrence_past_days = 20;  // from 2026-10-29: after the change to CET
  opt.recurrence_future_days = 60;
  ImportReport r;
  auto events = read_events(format_readers(), ics, "f.ics", opt, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.error_count(), 0);
  ASSERT_GE(events.size(), 5u);
  ASSERT_LE(events.size(), 6u);
  const UnixSeconds first = 946918800;  // 2000-01-03T18:00+01:00
  for (const auto& e : events) {
    // Every start is a whole number of fortnights after DTSTART (Berlin has
    // the same offset then and in November–January: CET).
    const UnixSeconds s = e.starts_at;
    EXPECT_EQ((s - first) % (14 * 86400), 0) << e.key;
    EXPECT_GE(s, kClock.now() - 21 * 86400);
    EXPECT_LE(s, kClock.now() + 60 * 86400);
  }
}

// An hourly rule from 1990 is not walked hour by hour for 36 years (that
// would pass the step bound and end in an error): expansion starts at the window.
TEST(IcsImport, HourlyRuleFromLongAgoStartsAtTheWindow) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Marquee tests//EN\r\n"
      "BEGIN:VEVENT\r\nUID:hourly@test\r\nSUMMARY:Hourly\r\nDTSTART:19900101T000000Z\r\n"
      "DURATION:PT30M\r\nRRULE:FREQ=HOURLY;INTERVAL=6\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  ImportOptions opt;
  opt.recurrence_past_days = 2;
  opt.recurrence_future_days = 2;
  ImportReport r;
  auto events = read_events(format_readers(), ics, "h.ics", opt, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.error_count(), 0);
  EXPECT_GE(events.size(), 16u);
  EXPECT_LE(events.size(), 22u);
  for (const auto& e : events) EXPECT_EQ(e.starts_at % (6 * 3600), 0) << e.key;
}

// A zone only the file defines (no IANA name): times convert through its
// VTIMEZONE, with Outlook's DTSTART in 1601.
TEST(IcsImport, TimeZoneDefinedInTheFileIsUsed) {
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Marquee tests//EN\r\n"
      "BEGIN:VTIMEZONE\r\nTZID:Festival Time\r\n"
      "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
      "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
      "BEGIN:VEVENT\r\nUID:summer@test\r\nSUMMARY:Summer\r\nDTSTART;TZID=Festival Time:20270701T190000\r\n"
      "DURATION:PT1H\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:winter@test\r\nSUMMARY:Winter\r\nDTSTART;TZID=Festival Time:20271201T190000\r\n"
      "DURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  ImportReport r;
  auto events = read_events(format_readers(), ics, "z.ics", ImportOptions{}, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.error_count(), 0);
  for (const auto& i : r.issues) EXPECT_NE(i.field, "time_zone") << i.message;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].starts_at, 1814461200);  // 2027-07-01T17:00:00Z (+02:00)
  EXPECT_EQ(events[1].starts_at, 1827684000);  // 2027-12-01T18:00:00Z (+01:00)
}

// The calendar library expands a VTIMEZONE from its DTSTART to year 2587 on
// the first conversion, outside any budget: an observance repeating every
// minute took minutes and gigabytes (found by fuzz_ics). Such a zone is
// ignored with a warning on its BEGIN line; its events still import.
TEST(IcsImport, TimeZoneRulesThatWouldExpandForeverAreIgnoredOnTheirLine) {
  const auto zone = [](const std::string& name, const std::string& start, const std::string& rule) {
    return "BEGIN:VTIMEZONE\r\nTZID:" + name + "\r\nBEGIN:STANDARD\r\nDTSTART:" + start +
           "\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:" + rule + "\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
  };
  const std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +                       // lines 1-2
                          zone("Minutely", "19700101T000000", "FREQ=MINUTELY") +        // line 3
                          zone("Hourly", "19700101T000000", "FREQ=YEARLY;BYHOUR=1,2") +  // line 12
                          zone("Weekly", "00010101T000000", "FREQ=YEARLY;BYDAY=SU") +    // line 21
                          "BEGIN:VEVENT\r\nUID:a@test\r\nSUMMARY:A\r\nDTSTART;TZID=Minutely:20270701T190000\r\n"
                          "DURATION:PT1H\r\nEND:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:b@test\r\nSUMMARY:B\r\nDTSTART;TZID=Weekly:20270701T190000\r\n"
                          "DURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  const auto started = std::chrono::steady_clock::now();
  ImportReport r;
  auto events = read_events(format_readers(), ics, "z.ics", ImportOptions{}, kClock, &r);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_TRUE(r.ok()) << r.fatal;
  const RowIssue* minutely = issue_at(r, 3, "time_zone");
  ASSERT_NE(minutely, nullptr);
  EXPECT_EQ(minutely->severity, Severity::warning);
  EXPECT_NE(minutely->message.find("VTIMEZONE Minutely ignored"), std::string::npos) << minutely->message;
  EXPECT_NE(minutely->message.find("must repeat yearly"), std::string::npos) << minutely->message;
  const RowIssue* hourly = issue_at(r, 12, "time_zone");
  ASSERT_NE(hourly, nullptr);
  EXPECT_NE(hourly->message.find("BYHOUR"), std::string::npos) << hourly->message;
  const RowIssue* weekly = issue_at(r, 21, "time_zone");
  ASSERT_NE(weekly, nullptr);
  EXPECT_NE(weekly->message.find("too many transitions"), std::string::npos) << weekly->message;
  // The events import, read in the import's zone (UTC) with the usual warning.
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].starts_at, 1814468400);  // 2027-07-01T19:00:00Z
  const RowIssue* unknown = issue_at(r, 30, "time_zone");
  ASSERT_NE(unknown, nullptr);
  EXPECT_NE(unknown->message.find("unknown time zone 'Minutely'"), std::string::npos) << unknown->message;
}

TEST(IcsImport, MalformedFilesAreFatal) {
  EXPECT_FALSE(check("hello", "x.ics").ok());
  EXPECT_FALSE(check("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "x.ics").ok());
  auto r = check("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:No start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "x.ics");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(r.issues[0].line, 2);
  EXPECT_EQ(r.issues[0].field, "starts_at");
}

TEST(FrabImport, MalformedXmlIsFatalWithLine) {
  auto r = check("<?xml version=\"1.0\"?>\n<schedule>\n<day date=\"2027-06-11\">\n<event id=\"1\">\n</day>\n",
                 "schedule.xml");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.fatal.find("malformed XML at line"), std::string::npos) << r.fatal;
  auto wrong = check("<?xml version=\"1.0\"?><html/>", "schedule.xml");
  EXPECT_NE(wrong.fatal.find("expected <schedule>"), std::string::npos) << wrong.fatal;
}

TEST(FrabImport, DayChangeMovesEarlyStartsToNextDay) {
  const std::string xml =
      "<schedule><conference><title>T</title><day_change>06:00</day_change>"
      "<time_zone_name>Europe/Berlin</time_zone_name></conference>"
      "<day date=\"2027-06-11\" index=\"1\"><room name=\"A\">"
      "<event id=\"1\"><start>23:00</start><duration>01:00</duration><title>Late</title></event>"
      "<event id=\"2\"><start>01:30</start><duration>00:30</duration><title>After midnight</title></event>"
      "</room></day></schedule>";
  auto r = check(xml, "schedule.xml");
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.error_count(), 0);
}

// Issue 14: line endings inside a description are stored as LF, whatever wrote the file.
TEST(CsvImport, DescriptionLineEndingsBecomeLf) {
  ImportOptions opt;
  ImportReport r;
  auto events = read_events(format_readers(), kHeader.substr(0, kHeader.size() - 1) + ",description\r\n" +
                                "crlf-1,Talk,2027-06-11 10:00,11:00,Europe/Berlin,\"one\r\ntwo\rthree\"\r\n",
                            "in.csv", opt, kClock, &r);
  ASSERT_TRUE(r.ok()) << r.fatal;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].description, "one\ntwo\nthree");
}
