// Notification rules: which changes notify, what a folded notice says, retry timing.
#include <gtest/gtest.h>

#include "core/notification.hpp"

using namespace marquee;

namespace {
Event ev(const std::string& key) {
  Event e;
  e.key = key;
  e.title = "Talk " + key;
  e.starts_at = 1800000000;
  e.ends_at = 1800003600;
  e.time_zone = "Europe/Berlin";
  e.venue = "Hall";
  e.room = "A";
  return e;
}
}  // namespace

TEST(Notification, OnlyAttendeeFieldsAndRemovalsNotify) {
  Event moved = ev("b"), retitled = ev("c"), cancelled = ev("d");
  moved.starts_at += 1800;
  retitled.title = "New title";
  cancelled.status = EventStatus::cancelled;
  const auto changes = diff_programmes({ev("a"), ev("b"), ev("c"), ev("d")}, {moved, retitled, cancelled, ev("e")});
  EXPECT_EQ(notifying_events(changes, default_notify_fields()), (std::vector<std::string>{"a", "b", "d"}));
  // An operator who marks the title also notifies the retitled event's attendees.
  auto fields = default_notify_fields();
  fields.push_back("title");
  EXPECT_EQ(notifying_events(changes, fields), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(Notification, AFoldedNoticeSaysTheNetChangeAndNothingWhenUndone) {
  Event before = ev("a"), after = ev("a");
  after.starts_at += 3600;
  after.ends_at += 3600;
  after.room = "B";
  after.title = "Renamed";  // not an attendee field by default
  ChangeNotice n = make_change_notice(before, after, default_notify_fields());
  EXPECT_EQ(n.kind, NoticeKind::event_changed);
  ASSERT_EQ(n.changes.size(), 3u);
  EXPECT_EQ(n.changes[0], (FieldValues{"starts_at", "1800000000", "1800003600"}));
  EXPECT_EQ(n.changes[2], (FieldValues{"room", "A", "B"}));
  EXPECT_FALSE(n.nothing_to_send());
  // Moved and moved back: nothing to say.
  EXPECT_TRUE(make_change_notice(before, ev("a"), default_notify_fields()).nothing_to_send());
  Event cancelled = ev("a");
  cancelled.status = EventStatus::cancelled;
  EXPECT_EQ(make_change_notice(before, cancelled, default_notify_fields()).kind, NoticeKind::event_cancelled);
  EXPECT_EQ(make_change_notice(before, std::nullopt, default_notify_fields()).kind, NoticeKind::event_removed);
}

TEST(Notification, RetriesBackOffExponentiallyWithJitterAndACap) {
  EXPECT_EQ(retry_delay(1, 60, 3600, 0.999999), 60);
  EXPECT_EQ(retry_delay(1, 60, 3600, 0.0), 30);   // jitter factor 0.5
  EXPECT_EQ(retry_delay(2, 60, 3600, 0.999999), 120);
  EXPECT_EQ(retry_delay(4, 60, 3600, 0.999999), 480);
  EXPECT_EQ(retry_delay(20, 60, 3600, 0.999999), 3600);  // capped
  for (double u : {0.0, 0.3, 0.7, 0.99}) {
    const auto d = retry_delay(3, 60, 3600, u);
    EXPECT_GE(d, 120);
    EXPECT_LE(d, 240);
  }
  EXPECT_GE(retry_delay(1, 0, 0, 0.0), 1);
}

TEST(Notification, SmtpFailuresArePermanentOnlyFor5yz) {
  EXPECT_TRUE(is_permanent_smtp_failure(550));
  EXPECT_TRUE(is_permanent_smtp_failure(554));
  EXPECT_FALSE(is_permanent_smtp_failure(451));
  EXPECT_FALSE(is_permanent_smtp_failure(421));
  EXPECT_FALSE(is_permanent_smtp_failure(0));  // connection refused, dropped, timed out
}

TEST(Notification, SettingsParseAndDropUnknownFields) {
  const NotifySettings s = parse_notify_settings("starts_at, room,bogus,room", "120", "x");
  EXPECT_EQ(s.fields, (std::vector<std::string>{"starts_at", "room"}));
  EXPECT_EQ(s.quiet_seconds, 120);
  EXPECT_EQ(s.max_delay_seconds, 3600);  // the default for a bad number
  EXPECT_EQ(notice_kind("waitlist_promoted"), NoticeKind::waitlist_promoted);
  EXPECT_FALSE(notice_kind("nope"));
}
