// Reverting an import on SQLite and PostgreSQL (issue 14): the versions it
// replaced come back, what it added goes, and events edited or registered
// for since are kept with the reason — in one audited transaction.
#include <gtest/gtest.h>

#include "app/import_service.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/registration_service.hpp"
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
