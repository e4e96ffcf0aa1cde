// Reverting an import on SQLite and PostgreSQL (issue 14): the versions it
// replaced come back, what it added goes, and events edited or registered
// for since are kept with the reason — in one audited transaction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "app/import_service.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/registration_service.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

ImportReport run(Store& store, const std::string& csv, const std::string& name, UnixSeconds at) {
  ImportOptions opt;
  opt.actor = "editor@example.org";
  return import_bytes(format_readers(), &store, csv, name, opt, ManualClock(at));
}

const std::string kHeader = "key,title,starts_at,ends_at,time_zone,capacity,registration\n";

}  // namespace

template <typename B>
using ImportHistory = StoreTest<B>;
TYPED_TEST_SUITE(ImportHistory, Backends, BackendNames);

TYPED_TEST(ImportHistory, RevertPutsBackWhatTheImportReplacedAndRemovesWhatItAdded) {
  Store& store = *this->store_;
  ASSERT_TRUE(run(store, kHeader + "a,Alpha,2027-06-11 10:00,11:00,UTC,,false\nb,Beta,2027-06-12 10:00,11:00,UTC,,false\n",
                  "talks.csv", 1000).ok());
  const auto second = run(store, kHeader + "a,Alpha renamed,2027-06-11 10:00,11:00,UTC,,false\n"
                                           "b,Beta,2027-06-12 10:00,11:00,UTC,,false\n"
                                           "c,Gamma,2027-06-13 10:00,11:00,UTC,,false\n",
                          "talks.csv", 2000);
  ASSERT_TRUE(second.ok());
  ASSERT_GT(second.import_id, 0);
  const auto runs = store.list_import_runs(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].file, "talks.csv");
  EXPECT_EQ(runs[0].actor, "editor@example.org");
  EXPECT_EQ(runs[0].inserted, 1);
  EXPECT_EQ(runs[0].updated, 1);
  EXPECT_EQ(runs[0].unchanged, 1);
  const auto generation = store.generation();

  const RevertOutcome out = revert_import(store, ManualClock(3000), second.import_id, "owner@example.org");
  EXPECT_TRUE(out.found);
  EXPECT_EQ(out.restored, std::vector<std::string>{"a"});
  EXPECT_EQ(out.removed, std::vector<std::string>{"c"});
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(store.find_event("a")->title, "Alpha");
  EXPECT_EQ(store.find_event("a")->version, 3) << "a new version, not a rewrite of history";
  EXPECT_FALSE(store.find_event("c"));
  EXPECT_GT(store.generation(), generation);
  EXPECT_EQ(store.list_import_runs(1)[0].reverted_by, "owner@example.org");
  const auto audit = store.list_audit(1);
  EXPECT_EQ(audit[0].action, "revert_import");
  EXPECT_EQ(audit[0].after, "1 restored, 1 removed, 0 kept");
  EXPECT_TRUE(revert_import(store, ManualClock(3100), second.import_id, "x").already_reverted);
  EXPECT_FALSE(revert_import(store, ManualClock(3100), 999999, "x").found);
}

TYPED_TEST(ImportHistory, EventsEditedOrRegisteredForSinceAreKeptWithTheReason) {
  Store& store = *this->store_;
  ASSERT_TRUE(run(store, kHeader + "a,Alpha,2031-06-11 10:00,11:00,UTC,,false\n", "talks.csv", 1000).ok());
  const auto second = run(store, kHeader + "a,Alpha 2,2031-06-11 10:00,11:00,UTC,,false\n"
                                           "r,Registered,2031-06-12 10:00,11:00,UTC,5,true\n",
                          "talks.csv", 2000);
  ASSERT_TRUE(second.ok());
  // Someone edits a by hand; someone registers for r.
  Event a = *store.find_event("a");
  a.title = "Alpha, edited by hand";
  ASSERT_EQ(store.edit_event(a, a.version, 2500).result, EditResult::updated);
  const ManualClock later(2600);  // the service keeps a reference: no temporary
  RegistrationService regs(store, later, RegistrationOptions{1, 8});
  ASSERT_EQ(regs.register_attendee(*store.find_event("r"), {"Ann", "ann@example.org", {}, ""}).result,
            RegisterResult::confirmed);
  const auto before = store.find_event("a")->version;

  const RevertOutcome out = revert_import(store, ManualClock(3000), second.import_id, "owner@example.org");
  EXPECT_TRUE(out.restored.empty());
  EXPECT_TRUE(out.removed.empty());
  ASSERT_EQ(out.refused.size(), 2u);
  EXPECT_EQ(out.refused[0].first, "a");
  EXPECT_NE(out.refused[0].second.find("edited since the import"), std::string::npos);
  EXPECT_EQ(out.refused[1].first, "r");
  EXPECT_NE(out.refused[1].second.find("1 registration since the import"), std::string::npos) << out.refused[1].second;
  EXPECT_EQ(store.find_event("a")->version, before);
  EXPECT_EQ(store.find_event("a")->title, "Alpha, edited by hand");
  EXPECT_TRUE(store.find_event("r"));
}

// A key deleted and added again starts at version 1 again: reverting the
// first import must not delete the event a later import brought back.
TYPED_TEST(ImportHistory, AKeyAddedAgainLaterIsNotTheFirstImportsToRemove) {
  Store& store = *this->store_;
  const auto first = run(store, kHeader + "k,Kite workshop,2031-06-11 10:00,11:00,UTC,,false\n", "talks.csv", 1000);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(store.delete_events({"k"}, 1500, [](const Event& e) {
    return AuditEntry{0, 1500, "owner", "delete_event", "event " + e.key, "", ""};
  }).deleted.size(), 1u);
  ASSERT_TRUE(run(store, kHeader + "k,Kite workshop again,2031-06-11 10:00,11:00,UTC,,false\n", "talks.csv", 2000).ok());
  ASSERT_EQ(store.find_event("k")->version, 1);
  const RevertOutcome out = revert_import(store, ManualClock(3000), first.import_id, "owner@example.org");
  EXPECT_TRUE(out.removed.empty());
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_NE(out.refused[0].second.find("edited since the import"), std::string::npos) << out.refused[0].second;
  EXPECT_EQ(store.find_event("k")->title, "Kite workshop again");
}

// Added events are kept as lists of keys, 5,000 a row (import_additions), not
// a history row each; changed ones keep their row with what they were. A
// revert reads both, and an addition recorded the old way (an import_changes
// row without a previous event, from before migration 0025) still goes.
TYPED_TEST(ImportHistory, AddedEventsAreListedByKeyAndRevertedWithTheChangedOnes) {
  Store& store = *this->store_;
  ASSERT_TRUE(run(store, kHeader + "k00000,Old,2031-06-11 10:00,11:00,UTC,,false\n", "talks.csv", 1000).ok());
  std::string csv = kHeader;
  for (int i = 0; i < 12001; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "k%05d", i);
    csv += std::string(key) + "," + (i == 0 ? "Old changed" : "Talk") + ",2031-06-11 10:00,11:00,UTC,,false\n";
  }
  const auto second = run(store, csv, "talks.csv", 2000);
  ASSERT_TRUE(second.ok()) << second.fatal;
  EXPECT_EQ(second.inserted, 12000);
  EXPECT_EQ(second.updated, 1);
  auto db = this->backend_.raw();
  const std::string id = std::to_string(second.import_id);
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM import_additions WHERE import_id = " + id, {}).at(0).at(0), std::optional<std::string>("3"));
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM import_changes WHERE import_id = " + id, {}).at(0).at(0), std::optional<std::string>("1"));
  // An event added as before migration 0025: a row of its own.
  db->query("INSERT INTO events (key, title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, "
            "category, tags, organizer, url, image_url, price, capacity, status, source_file, source_record, warnings, "
            "created_at, updated_at, version, registration, waitlist, retention_days, questions) SELECT 'k99999', title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, "
            "category, tags, organizer, url, image_url, price, capacity, status, source_file, source_record, warnings, "
            "created_at, updated_at, version, registration, waitlist, retention_days, questions FROM events WHERE key = 'k00001'",
            {});
  db->query("INSERT INTO import_changes (import_id, event_key, new_version, previous) VALUES (CAST(? AS BIGINT), 'k99999', 1, NULL)",
            Row{id});

  const RevertOutcome out = revert_import(store, ManualClock(3000), second.import_id, "owner@example.org");
  EXPECT_EQ(out.restored, std::vector<std::string>{"k00000"});
  ASSERT_EQ(out.removed.size(), 12001u);
  EXPECT_EQ(out.removed.front(), "k00001");
  EXPECT_EQ(out.removed.back(), "k99999");
  EXPECT_TRUE(std::is_sorted(out.removed.begin(), out.removed.end()));
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(store.count_events(), 1);
  EXPECT_EQ(store.find_event("k00000")->title, "Old");
}

// A key a list of keys cannot hold (empty, or with a newline: the import
// never makes one, the store's port takes any) keeps a history row of its
// own, and the revert removes it with the others.
TYPED_TEST(ImportHistory, KeysAListCannotHoldKeepARowOfTheirOwn) {
  Store& store = *this->store_;
  const std::vector<Event> events = {an_event("plain").at(1900000000), an_event("two\nlines").at(1900000000)};
  ImportRun run_info;
  run_info.actor = "cli";
  run_info.file = "x.csv";
  run_info.format = "csv";
  const UpsertResult r = store.import_events(events, 1000, run_info);
  EXPECT_EQ(r.inserted, 2);
  auto db = this->backend_.raw();
  const std::string id = std::to_string(r.import_id);
  EXPECT_EQ(db->query("SELECT event_keys FROM import_additions WHERE import_id = " + id, {}).at(0).at(0),
            std::optional<std::string>("plain"));
  EXPECT_EQ(db->query("SELECT event_key FROM import_changes WHERE import_id = " + id, {}).at(0).at(0),
            std::optional<std::string>("two\nlines"));
  const RevertOutcome out = revert_import(store, ManualClock(2000), r.import_id, "owner@example.org");
  EXPECT_EQ(out.removed, (std::vector<std::string>{"plain", "two\nlines"}));
  EXPECT_EQ(store.count_events(), 0);
}
