// Reminder rules (issue 21): offsets as operators type them, the dedup key
// that makes each reminder once per registration, offset and start, and when
// a due reminder is not sent.
#include <gtest/gtest.h>

#include "core/reminders.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using namespace marquee::testing;

TEST(ReminderOffsets, ParseFormatAndRefuse) {
  std::string error;
  EXPECT_EQ(parse_reminder_offsets("24h, 2h", &error), (std::vector<UnixSeconds>{86400, 7200}));
  EXPECT_EQ(parse_reminder_offsets("30m 1d 2h 2h", &error), (std::vector<UnixSeconds>{86400, 7200, 1800}));
  EXPECT_EQ(parse_reminder_offsets("  ", &error), std::vector<UnixSeconds>{});
  EXPECT_EQ(parse_reminder_offsets("off", &error), std::vector<UnixSeconds>{});
  EXPECT_FALSE(parse_reminder_offsets("3x", &error));
  EXPECT_EQ(error, "'3x' is not a duration such as 24h, 2h or 30m");
  EXPECT_FALSE(parse_reminder_offsets("h", &error));
  EXPECT_FALSE(parse_reminder_offsets("-2h", &error));
  EXPECT_FALSE(parse_reminder_offsets("2m", &error));
  EXPECT_EQ(error, "'2m' is outside 5 minutes to 30 days");
  EXPECT_FALSE(parse_reminder_offsets("31d", &error));
  EXPECT_FALSE(parse_reminder_offsets("99999999999999999999h", &error));
  EXPECT_FALSE(parse_reminder_offsets("1d 12h 2h 1h 30m", &error));
  EXPECT_EQ(error, "at most 4 reminders");
  EXPECT_EQ(format_reminder_offsets({86400, 7200, 5400}), "24h, 2h, 90m");
  EXPECT_EQ(format_reminder_offsets({3 * 86400, 86400}), "3d, 24h");
  EXPECT_EQ(parse_reminder_offsets(format_reminder_offsets({86400, 7200, 5400}), &error), (std::vector<UnixSeconds>{86400, 7200, 5400}));
  EXPECT_EQ(format_reminder_offsets({}), "");
  EXPECT_EQ(reminder_lead_text(86400), "24 hours");
  EXPECT_EQ(reminder_lead_text(86400 - 1700), "24 hours");
  EXPECT_EQ(reminder_lead_text(7200 + 1900), "3 hours");
  EXPECT_EQ(reminder_lead_text(3600), "1 hour");
  EXPECT_EQ(reminder_lead_text(5400 + 100), "1 hour 30 minutes");
  EXPECT_EQ(reminder_lead_text(1800), "30 minutes");
  EXPECT_EQ(reminder_lead_text(40), "5 minutes");
}

TEST(ReminderKey, RoundTripsAndRefusesOtherKeys) {
  const std::string key = reminder_dedup_key(17, 7200, 1812000000);
  EXPECT_EQ(key, "reminder:17:7200:1812000000");
  const auto parsed = parse_reminder_dedup_key(key);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->registration_id, 17);
  EXPECT_EQ(parsed->offset, 7200);
  EXPECT_EQ(parsed->starts_at, 1812000000);
  for (const char* bad : {"event_changed:17:3", "reminder:17:7200", "reminder:17:7200:x", "reminder::1:2", "reminder:1:2:3:4"})
    EXPECT_FALSE(parse_reminder_dedup_key(bad)) << bad;
}

TEST(ReminderSkip, OnlyConfirmedAttendeesOfAPublicEventNotYetStartedAtTheSameTime) {
  const UnixSeconds start = 1812000000;
  const Event e = an_event("e1").at(start);
  const ReminderKey key{1, 7200, start};
  EXPECT_EQ(reminder_skip_reason(key, "confirmed", false, e, start - 7200), "");
  EXPECT_EQ(reminder_skip_reason(key, "checked_in", false, e, start - 60), "");
  EXPECT_NE(reminder_skip_reason(key, "cancelled", false, e, start - 7200), "");
  EXPECT_NE(reminder_skip_reason(key, "waitlisted", false, e, start - 7200), "");
  EXPECT_NE(reminder_skip_reason(key, "confirmed", true, e, start - 7200), "");
  EXPECT_NE(reminder_skip_reason(key, "confirmed", false, std::nullopt, start - 7200), "");
  EXPECT_EQ(reminder_skip_reason(key, "confirmed", false, e, start), "the event has started");
  Event cancelled = e;
  cancelled.status = EventStatus::cancelled;
  EXPECT_NE(reminder_skip_reason(key, "confirmed", false, cancelled, start - 7200), "");
  const Event moved = an_event("e1").at(start + 3600);
  EXPECT_EQ(reminder_skip_reason(key, "confirmed", false, moved, start - 7200),
            "the event moved: the reminder for its new start replaces this one");
}
