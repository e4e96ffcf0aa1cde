// Host submissions, staged imports and user changes on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "app/accounts.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/import_staging.hpp"
#include "app/submissions.hpp"
#include "core/event_key.hpp"
#include "support/store_fixture.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
Event event(const std::string& key, const std::string& title) { return an_event(key).title(title).venue("Kulturwerft"); }
}  // namespace

template <typename B>
using Submissions = StoreTest<B>;
TYPED_TEST_SUITE(Submissions, Backends, BackendNames);

TYPED_TEST(Submissions, NewEventIsApprovedIntoTheWorkingStateOnce) {
  ManualClock clock(1795000000);
  SubmissionService service(*this->store_, clock, SubmissionOptions{3, 3600, "Europe/Berlin"});
  SubmissionForm form;
  form.fields = {{"title", "Harbour Jam"}, {"starts_at", "2027-06-12 20:00"}, {"venue", "Pier 5"}, {"capacity", "999"}};
  form.host_name = "Ana";
  form.host_email = "Ana@Example.org";
  auto sent = service.submit(form, "10.0.0.1");
  ASSERT_EQ(sent.result, SubmitOutcome::Result::accepted);
  auto stored = service.find_by_token(sent.token);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, SubmissionState::pending);
  EXPECT_EQ(stored->host_email, "ana@example.org");
  EXPECT_EQ(SubmissionService::proposed_fields(*stored).count("capacity"), 0u) << "hosts cannot set capacity";
  EXPECT_EQ(this->store_->count_submissions(SubmissionState::pending), 1);

  auto approved = service.approve(stored->id, {{"title", "Harbour Jam Session"}}, 0, "editor@example.org");
  ASSERT_EQ(approved.result, DecisionOutcome::Result::approved);
  auto e = this->store_->find_event(approved.submission.event_key);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->title, "Harbour Jam Session");
  EXPECT_EQ(e->venue, "Pier 5");
  EXPECT_EQ(e->starts_at, 1812823200);  // 2027-06-12T20:00:00+02:00
  // A second moderator's approval (another connection) changes nothing.
  auto other = this->reopen();
  SubmissionService elsewhere(*other, clock);
  EXPECT_EQ(elsewhere.approve(stored->id, {}, 0, "other@example.org").result, DecisionOutcome::Result::not_pending);
  EXPECT_EQ(this->store_->count_events(), 1);
  EXPECT_EQ(service.find_by_token(sent.token)->state, SubmissionState::approved);
  EXPECT_EQ(this->store_->list_audit(10).front().action, "submission_approve");
}

TYPED_TEST(Submissions, ChangesAreCheckedAgainstTheCurrentVersionAndRejectionsKeepTheReason) {
  ManualClock clock(1795000000);
  this->store_->upsert_events({event("talk", "A talk")}, clock.now());
  SubmissionService service(*this->store_, clock);
  SubmissionForm change;
  change.target_key = "talk";
  change.fields = {{"room", "Dock B"}};
  change.host_name = "Bo";
  change.host_email = "bo@example.org";
  auto sent = service.submit(change, "10.0.0.2");
  ASSERT_EQ(sent.result, SubmitOutcome::Result::accepted);
  SubmissionForm same = change;
  same.fields = {{"venue", "Kulturwerft"}};
  EXPECT_EQ(service.submit(same, "10.0.0.2").result, SubmitOutcome::Result::invalid) << "nothing would change";
  SubmissionForm unknown = change;
  unknown.target_key = "nope";
  EXPECT_EQ(service.submit(unknown, "10.0.0.2").result, SubmitOutcome::Result::unknown_event);

  const auto seen = this->store_->find_event("talk")->version;
  Event moved = *this->store_->find_event("talk");
  moved.title = "A better talk";
  this->store_->edit_event(moved, seen, clock.now());
  auto stale = service.approve(sent.id, {}, seen, "editor@example.org");
  EXPECT_EQ(stale.result, DecisionOutcome::Result::conflict);
  EXPECT_EQ(stale.current.title, "A better talk");
  auto ok = service.approve(sent.id, {}, stale.current.version, "editor@example.org");
  ASSERT_EQ(ok.result, DecisionOutcome::Result::approved);
  auto now = this->store_->find_event("talk");
  EXPECT_EQ(now->room, "Dock B");
  EXPECT_EQ(now->title, "A better talk") << "the other change is kept";

  auto second = service.submit(change, "10.0.0.2");
  EXPECT_EQ(second.result, SubmitOutcome::Result::invalid) << "Dock B already";
  change.fields = {{"room", "Dock C"}};
  second = service.submit(change, "10.0.0.2");
  ASSERT_EQ(second.result, SubmitOutcome::Result::accepted);
  EXPECT_EQ(service.reject(second.id, "  ", "editor@example.org").result, DecisionOutcome::Result::invalid);
  EXPECT_EQ(service.reject(second.id, "Dock C is closed", "editor@example.org").result, DecisionOutcome::Result::rejected);
  auto rejected = service.find_by_token(second.token);
  EXPECT_EQ(rejected->state, SubmissionState::rejected);
  EXPECT_EQ(rejected->reason, "Dock C is closed");
  EXPECT_EQ(this->store_->list_submissions(SubmissionState::rejected, 10).size(), 1u);
}

TYPED_TEST(Submissions, RateLimitPerAddressIsSharedByInstances) {
  ManualClock clock(1795000000);
  SubmissionService service(*this->store_, clock, SubmissionOptions{2, 3600, "UTC"});
  SubmissionForm form;
  form.fields = {{"title", "Spam"}, {"starts_at", "2027-06-12 20:00"}};
  form.host_name = "Cy";
  form.host_email = "cy@example.org";
  EXPECT_EQ(service.submit(form, "10.0.0.3").result, SubmitOutcome::Result::accepted);
  auto other = this->reopen();
  SubmissionService elsewhere(*other, clock, SubmissionOptions{2, 3600, "UTC"});
  EXPECT_EQ(elsewhere.submit(form, "10.0.0.3").result, SubmitOutcome::Result::accepted);
  auto limited = service.submit(form, "10.0.0.3");
  EXPECT_EQ(limited.result, SubmitOutcome::Result::rate_limited);
  EXPECT_EQ(limited.retry_after, 3600);
  EXPECT_EQ(service.submit(form, "10.0.0.4").result, SubmitOutcome::Result::accepted);
}

TYPED_TEST(Submissions, StagedImportsCommitOnceKeepTheirBytesAndExpire) {
  ManualClock clock(1795000000);
  ImportStaging staging(*this->store_, format_readers(), clock);
  const std::string csv = "key,title,starts_at\nk1,Caf\xc3\xa9 night,2027-06-12 20:00\nk2,,2027-06-12 21:00\n";
  auto staged = staging.stage(csv, "latin1.csv", "csv", "Europe/Berlin", "editor@example.org");
  ASSERT_FALSE(staged.token.empty());
  EXPECT_EQ(staged.report.records, 2);
  EXPECT_EQ(staged.report.rejected, 1);
  EXPECT_EQ(this->store_->count_events(), 0);
  auto kept = staging.find(staged.token);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->content, csv);
  auto report = staging.commit(staged.token, "editor@example.org");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->inserted, 1);
  EXPECT_FALSE(staging.commit(staged.token, "editor@example.org"));
  EXPECT_EQ(this->store_->list_audit(5).front().action, "import");
  // Bytes that are not UTF-8 (a Latin-1 file) are kept exactly.
  const std::string latin1 = "key,title,starts_at\nk3,Caf\xe9 \xff,2027-06-12 20:00\n";
  auto staged_latin1 = staging.stage(latin1, "latin1.csv", "csv", "UTC", "editor@example.org");
  ASSERT_FALSE(staged_latin1.token.empty());
  EXPECT_EQ(staging.find(staged_latin1.token)->content, latin1);

  auto old = staging.stage(csv, "old.csv", "csv", "UTC", "editor@example.org");
  clock.set(clock.now() + kStagedImportHours * 3600 + 1);
  EXPECT_FALSE(staging.find(old.token)) << "expired";
  staging.stage(csv, "new.csv", "csv", "UTC", "editor@example.org");  // purges the expired one
  EXPECT_FALSE(this->store_->find_staged_import(sha256_hex(old.token)));
  EXPECT_TRUE(staging.stage("not,a\n\"broken", "bad.csv", "csv", "UTC", "x").token.empty()) << "fatal files are not staged";
}

TYPED_TEST(Submissions, OwnersChangeUsersButTheLastOwnerStays) {
  ManualClock clock(1795000000);
  Accounts accounts(*this->store_, clock);
  const auto owner = accounts.add_user("owner@example.org", "owner password 123", Role::owner, "cli");
  const auto editor = accounts.add_user("editor@example.org", "editor password 12", Role::editor, "cli");
  auto login = accounts.login("editor@example.org", "editor password 12", "10.0.0.1", "");
  ASSERT_TRUE(accounts.authenticate(login.session_id));
  accounts.change_user(editor, Role::viewer, std::nullopt, "owner@example.org");
  EXPECT_FALSE(accounts.authenticate(login.session_id)) << "a role change ends the sessions";
  EXPECT_EQ(this->store_->find_user(editor)->role, Role::viewer);
  EXPECT_THROW(accounts.change_user(owner, Role::editor, std::nullopt, "owner@example.org"), std::invalid_argument);
  EXPECT_THROW(accounts.change_user(owner, std::nullopt, true, "owner@example.org"), std::invalid_argument);
  accounts.change_user(editor, Role::owner, std::nullopt, "owner@example.org");
  accounts.change_user(owner, std::nullopt, true, "owner@example.org");
  EXPECT_TRUE(this->store_->find_user(owner)->disabled);
  accounts.set_password(editor, "a brand new password", "owner@example.org");
  EXPECT_EQ(accounts.login("editor@example.org", "a brand new password", "10.0.0.1", "").result, Accounts::Login::Result::ok);
  EXPECT_EQ(this->store_->list_audit(1).front().action, "login");
}
