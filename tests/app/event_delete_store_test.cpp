// Deleting events on SQLite and PostgreSQL (issue 14): refused with the
// reason for events with registrations, audited with the whole event,
// restorable from the audit entry; the demo programme goes in one move.
#include <gtest/gtest.h>

#include "app/event_delete.hpp"
#include "adapters/assets/embedded.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/import_service.hpp"
#include "app/registration_service.hpp"
#include "app/seed.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);

void import_three(Store& store) {
  ImportOptions opt;
  const std::string csv =
      "key,title,description,starts_at,ends_at,time_zone,capacity,registration\n"
      "a,Alpha,\"Two\nlines\",2027-06-11 10:00,12:00,Europe/Berlin,10,true\n"
      "b,Beta,,2027-06-12 10:00,12:00,Europe/Berlin,,false\n"
      "c,Gamma,,2027-06-13 10:00,12:00,Europe/Lisbon,,false\n";
  ASSERT_TRUE(import_bytes(format_readers(), &store, csv, "three.csv", opt, kClock).ok());
}

}  // namespace

template <typename B>
using EventDelete = StoreTest<B>;
TYPED_TEST_SUITE(EventDelete, Backends, BackendNames);

TYPED_TEST(EventDelete, RefusedWithRegistrationsAuditedAndRestorable) {
  Store& store = *this->store_;
  import_three(store);
  RegistrationService regs(store, kClock, RegistrationOptions{1, 8});
  ASSERT_EQ(regs.register_attendee(*store.find_event("a"), {"Ann", "ann@example.org", {}, ""}).result, RegisterResult::confirmed);
  const Event b_before = *store.find_event("b");
  const auto generation = store.generation();

  const auto out = delete_events(store, kClock, {"a", "b", "nope"}, "owner@example.org");
  ASSERT_EQ(out.deleted.size(), 1u);
  EXPECT_EQ(out.deleted[0].key, "b");
  ASSERT_EQ(out.refused.size(), 2u);
  EXPECT_EQ(out.refused[0].first, "a");
  EXPECT_NE(out.refused[0].second.find("1 registration: cancel the event instead"), std::string::npos) << out.refused[0].second;
  EXPECT_EQ(out.refused[1], (std::pair<std::string, std::string>{"nope", "no such event"}));
  EXPECT_FALSE(store.find_event("b"));
  EXPECT_TRUE(store.find_event("a"));
  EXPECT_GT(store.generation(), generation);

  const auto audit = store.list_audit(5);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, "delete_event");
  EXPECT_EQ(audit[0].target, "event b");
  EXPECT_NE(audit[0].before.find("\"title\":\"Beta\""), std::string::npos) << audit[0].before;

  const Event restored = restore_deleted_event(store, kClock, audit[0].id, "owner@example.org");
  EXPECT_EQ(restored.title, b_before.title);
  EXPECT_EQ(restored.starts_at, b_before.starts_at);
  EXPECT_EQ(restored.time_zone, b_before.time_zone);
  EXPECT_EQ(store.list_audit(1)[0].action, "restore_event");
  EXPECT_THROW(restore_deleted_event(store, kClock, audit[0].id, "owner@example.org"), RestoreRefused) << "b exists again";
  EXPECT_THROW(restore_deleted_event(store, kClock, store.list_audit(1)[0].id, "x"), RestoreRefused) << "not a deletion";
}

TYPED_TEST(EventDelete, ADeletionIsAllOrNothingOnFailure) {
  Store& store = *this->store_;
  import_three(store);
  const auto before = store.dump_tables();
  EXPECT_THROW(store.delete_events({"b", "c"}, kClock.now(), [](const Event& e) -> AuditEntry {
    if (e.key == "c") throw StoreError("audit failed");
    return AuditEntry{0, 0, "x", "delete_event", "event " + e.key, "", ""};
  }),
               StoreError);
  EXPECT_EQ(store.dump_tables(), before) << "b is still there";
}

TYPED_TEST(EventDelete, TheDemoProgrammeGoesInOneMove) {
  Store& store = *this->store_;
  ASSERT_TRUE(seed_if_empty(store, format_readers(), embedded_asset("data/programme.csv"), kClock));
  import_three(store);
  const auto demo = demo_event_keys(store);
  EXPECT_EQ(demo.size(), 153u);
  const auto out = remove_demo_programme(store, kClock, "owner@example.org");
  EXPECT_EQ(out.deleted.size(), 153u);
  EXPECT_TRUE(demo_event_keys(store).empty());
  EXPECT_EQ(store.count_events(), 3) << "the festival's own events stay";
  EXPECT_EQ(store.list_audit(1)[0].action, "remove_demo");
}
