// Reminders before an event (issue 21) on SQLite and PostgreSQL: the offsets
// setting (audited, refused when invalid), rows written within the hour
// before they are due, once per registration, offset and start, only for
// confirmed attendees who registered before the reminder's moment, again for
// an event's new start, and none for a cancelled or started event.
#include <gtest/gtest.h>

#include <atomic>

#include "app/place_offers.hpp"
#include "app/programme_cache.hpp"
#include "app/reminders.hpp"
#include "core/event_key.hpp"
#include "core/reminders.hpp"
#include "support/event_builder.hpp"
#include "support/registration_request.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 10;

Event event(const std::string& key, UnixSeconds start = kStart, std::int64_t capacity = 2) {
  return an_event(key).title("Talk " + key).at(start).registration(capacity, true);
}

std::vector<OutboxMessage> reminders_in(Store& store) {
  std::vector<OutboxMessage> out;
  for (auto& m : store.list_outbox())
    if (m.kind == "reminder") out.push_back(m);
  return out;
}

std::vector<ProgrammeEntry> live(const std::vector<Event>& events) { return build_programme(events, 1)->entries(); }

}  // namespace

template <typename B>
using ReminderStore = StoreTest<B>;
TYPED_TEST_SUITE(ReminderStore, Backends, BackendNames);

TYPED_TEST(ReminderStore, SettingsAreValidatedAndAudited) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  Reminders reminders(store, clock);
  EXPECT_TRUE(reminders.offsets().empty()) << "off until an operator sets them";
  EXPECT_EQ(reminders.set_offsets("2h 24h", "ops@example.org"), std::nullopt);
  EXPECT_EQ(reminders.offsets(), (std::vector<UnixSeconds>{86400, 7200}));
  EXPECT_EQ(reminders.set_offsets("soon", "ops@example.org"), "'soon' is not a duration such as 24h, 2h or 30m");
  EXPECT_EQ(reminders.offsets(), (std::vector<UnixSeconds>{86400, 7200})) << "nothing saved";
  bool audited = false;
  for (const auto& e : store.list_audit(10))
    if (e.action == "reminder_settings") audited = e.before == "off" && e.after == "24h, 2h" && e.actor == "ops@example.org";
  EXPECT_TRUE(audited);
  EXPECT_EQ(reminders.set_offsets("off", "ops@example.org"), std::nullopt);
  EXPECT_TRUE(reminders.offsets().empty());
}

TYPED_TEST(ReminderStore, WrittenOnceWithinTheHourForConfirmedAttendeesOnly) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  Reminders reminders(store, clock);
  ASSERT_EQ(reminders.set_offsets("24h, 2h", "test"), std::nullopt);
  store.upsert_events({event("a"), event("b", kStart, 10)}, kNow);
  // a: ana and bo confirmed (capacity 2), cy waitlisted; b: ed, whose personal data is erased.
  const auto first = store.register_batch({a_registration("a", "ana"), a_registration("a", "bo"), a_registration("a", "cy"), a_registration("b", "ed")}, kNow);
  ASSERT_EQ(first[2].result, RegisterResult::waitlisted);
  ASSERT_TRUE(store.erase_registration(first[3].registration.id, kNow, "test"));
  auto programme = live({event("a"), event("b")});

  // More than an hour before the 24 h reminder: nothing yet.
  EXPECT_EQ(reminders.enqueue(programme, kStart - 86400 - 3601), 0);
  // Within the hour: ana's and bo's 24 h reminders, due at start − 24 h; a second run writes nothing.
  const UnixSeconds at = kStart - 86400 - 1800;
  EXPECT_EQ(reminders.enqueue(programme, at), 2);
  EXPECT_EQ(reminders.enqueue(programme, at + 60), 0);
  auto rows = reminders_in(store);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& m : rows) {
    EXPECT_EQ(m.event_key, "a");
    EXPECT_EQ(m.due_at, kStart - 86400);
    EXPECT_EQ(m.state, "pending");
    const auto key = parse_reminder_dedup_key(m.dedup_key);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->offset, 86400);
    EXPECT_EQ(key->starts_at, kStart);
    EXPECT_EQ(key->registration_id, *m.registration_id);
  }
  // Delivery sees the ticket code.
  const auto delivery = store.find_outbox(rows[0].id);
  EXPECT_EQ(delivery->ticket_code, first[0].registration.ticket_code);

  // Someone registering just after the 24 h moment does not get that reminder.
  store.register_batch({a_registration("b", "gil")}, kStart - 86400 + 600);
  EXPECT_EQ(reminders.enqueue(programme, kStart - 86400 + 1200), 0);

  // ana's 24 h reminder goes out; then the event moves 30 minutes later: ana is not told "24 hours"
  // again, bo (whose reminder had not gone yet) gets the one for the new start.
  int claimed_reminders = 0;
  for (const auto& d : store.claim_outbox(kStart - 86400, 50, 300, "w")) {  // also the registrations' confirmations
    const bool anas = d.message.kind == "reminder" && d.message.registration_id == first[0].registration.id;
    claimed_reminders += d.message.kind == "reminder";
    if (anas) EXPECT_TRUE(store.mark_outbox_sent(d.message.id, "w", d.message.revision, std::nullopt, kStart - 86400 + 5));
    else EXPECT_TRUE(store.release_outbox(d.message.id, "w", kStart - 86400 + 5));
  }
  EXPECT_EQ(claimed_reminders, 2);
  const UnixSeconds later = kStart + 1800;
  auto moved_programme = live({event("a", later), event("b")});
  EXPECT_EQ(reminders.enqueue(moved_programme, later - 86400), 1);
  rows = reminders_in(store);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].registration_id, first[1].registration.id);
  EXPECT_EQ(parse_reminder_dedup_key(rows[2].dedup_key)->starts_at, later);

  // fay registers three hours before b: no 24 h reminder, the 2 h one at its moment.
  clock.set(kStart - 3 * 3600 - 60);
  const auto late = store.register_batch({a_registration("b", "fay")}, kStart - 3 * 3600 - 60);
  EXPECT_EQ(reminders.enqueue(moved_programme, kStart - 3 * 3600 - 60), 0) << "the 2 h moments are more than an hour away";
  EXPECT_EQ(reminders.enqueue(moved_programme, kStart - 2 * 3600 - 600), 4);  // ana, bo (a); gil, fay (b)
  ASSERT_EQ(late[0].result, RegisterResult::confirmed);
  int fays = 0;
  for (const auto& m : reminders_in(store))
    if (m.registration_id == late[0].registration.id) fays += parse_reminder_dedup_key(m.dedup_key)->offset == 7200;
  EXPECT_EQ(fays, 1);

  // Moved by a day: the 24 h reminder again, for the new start (ana's earlier one was for a day before).
  const UnixSeconds moved = kStart + 86400;
  EXPECT_EQ(reminders.enqueue(live({event("a", moved), event("b")}), moved - 86400 - 600), 2);
  Event cancelled = event("a", moved);
  cancelled.status = EventStatus::cancelled;
  EXPECT_EQ(reminders.enqueue(live({cancelled}), moved - 7200 - 600), 0);
  EXPECT_EQ(reminders.enqueue(live({event("b")}), kStart + 1), 0);
  EXPECT_EQ(reminders_in(store).size(), 9u);
  // The console's "send now" (after an SMTP outage) leaves reminders at their moment.
  store.make_outbox_due(kNow);
  for (const auto& m : reminders_in(store))
    if (m.state == "pending") {
      EXPECT_GT(m.due_at, kNow);
    }
  // Reminders off: nothing.
  ASSERT_EQ(reminders.set_offsets("", "test"), std::nullopt);
  EXPECT_EQ(reminders.enqueue(live({event("a", moved)}), moved - 7200 - 600), 0);
}

TYPED_TEST(ReminderStore, AnEventsOwnOffsetsReplaceTheInstallationsAndAreValidated) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  Reminders reminders(store, clock);
  WaitingListOffers settings(store, clock);
  ASSERT_EQ(reminders.set_offsets("24h", "test"), std::nullopt);
  store.upsert_events({event("a"), event("b"), event("c")}, kNow);
  store.register_batch({a_registration("a", "ana"), a_registration("b", "bo"), a_registration("c", "cy")}, kNow);
  // a: its own 2 h reminder only; b: none; c: the installation's 24 h.
  auto bad = settings.save("a", OperationsChange{"", "", std::nullopt, "soon"}, "ops@example.org");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].first, "reminders");
  ASSERT_TRUE(settings.save("a", OperationsChange{"", "", std::nullopt, "2h"}, "ops@example.org").changed);
  ASSERT_TRUE(settings.save("b", OperationsChange{"", "", std::nullopt, "off"}, "ops@example.org").changed);
  EXPECT_EQ(settings.operations("a").reminder_offsets, "2h");
  EXPECT_EQ(settings.operations("b").reminder_offsets, "");
  EXPECT_EQ(settings.operations("c").reminder_offsets, std::nullopt);
  const auto programme = live({event("a"), event("b"), event("c")});
  EXPECT_EQ(reminders.enqueue(programme, kStart - 86400 - 600), 1) << "c's 24 h reminder only";
  EXPECT_EQ(reminders.enqueue(programme, kStart - 7200 - 600), 1) << "a's 2 h reminder only";
  std::vector<std::string> keys;
  for (const auto& m : reminders_in(store)) keys.push_back(m.event_key + ":" + std::to_string(parse_reminder_dedup_key(m.dedup_key)->offset));
  EXPECT_EQ(keys, (std::vector<std::string>{"c:86400", "a:7200"}));
  // Back to the installation's: the override is gone.
  ASSERT_TRUE(settings.save("a", OperationsChange{"", "", std::nullopt, "default"}, "ops@example.org").changed);
  EXPECT_EQ(settings.operations("a").reminder_offsets, std::nullopt);
  EXPECT_EQ(reminders.event_offsets().count("a"), 0u);
  EXPECT_EQ(reminders.event_offsets().at("b"), std::vector<UnixSeconds>{});
}
