// Issue 15: each operational move is one app-layer function that writes its
// own audit entry, whoever calls it (console, JSON API, CLI, scheduler). On
// SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/formats/event_sources.hpp"
#include "adapters/backup/backup_folder.hpp"
#include "app/backups.hpp"
#include "app/event_create.hpp"
#include "app/event_edit.hpp"
#include "app/import_service.hpp"
#include "app/outbox_release.hpp"
#include "app/publisher.hpp"
#include "app/registration_service.hpp"
#include "app/scheduled_jobs.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);

void import_one(Store& store) {
  ImportOptions opt;
  const std::string csv =
      "key,title,starts_at,ends_at,time_zone,capacity,registration\n"
      "a,Alpha,2027-06-11 10:00,12:00,Europe/Berlin,1,true\n";
  ASSERT_TRUE(import_bytes(format_readers(), &store, csv, "one.csv", opt, kClock).ok());
}

AuditEntry newest(Store& store) { return store.list_audit(1).at(0); }

}  // namespace

template <typename B>
using AuditedMoves = StoreTest<B>;
TYPED_TEST_SUITE(AuditedMoves, Backends, BackendNames);

TYPED_TEST(AuditedMoves, AnEditIsStoredWithItsAuditEntryOrNotAtAll) {
  Store& store = *this->store_;
  import_one(store);
  const Event current = *store.find_event("a");
  Event edited = current;
  edited.title = "Alpha, moved";
  edited.room = "Hall 2";
  const FieldEdit saved = save_event(store, kClock, current, edited, current.version, "alice@example.org");
  ASSERT_EQ(saved.result, FieldEdit::Result::saved);
  const AuditEntry a = newest(store);
  EXPECT_EQ(a.actor, "alice@example.org");
  EXPECT_EQ(a.action, "edit");
  EXPECT_EQ(a.target, "event a");
  EXPECT_EQ(a.before, "title: Alpha\nroom: ");
  EXPECT_EQ(a.after, "title: Alpha, moved\nroom: Hall 2");

  // Based on the old version: a conflict, nothing stored, nothing audited.
  const auto entries = store.list_audit(100).size();
  Event late = current;
  late.title = "Alpha, late";
  EXPECT_EQ(save_event(store, kClock, current, late, current.version, "bob@example.org").result,
            FieldEdit::Result::conflict);
  EXPECT_EQ(store.list_audit(100).size(), entries);
  // Unchanged: no entry either.
  const Event now = *store.find_event("a");
  EXPECT_EQ(save_event(store, kClock, now, now, now.version, "bob@example.org").result, FieldEdit::Result::unchanged);
  EXPECT_EQ(store.list_audit(100).size(), entries);
  // Invalid: the field and why, nothing written.
  Event bad = now;
  bad.ends_at = bad.starts_at - 3600;
  const FieldEdit refused = save_event(store, kClock, now, bad, now.version, "bob@example.org");
  EXPECT_EQ(refused.result, FieldEdit::Result::invalid);
  ASSERT_FALSE(refused.errors.empty());
  EXPECT_EQ(store.list_audit(100).size(), entries);
  EXPECT_EQ(store.find_event("a")->title, "Alpha, moved");
}

TYPED_TEST(AuditedMoves, ACreatedEventIsAuditedAndATakenKeyIsRefused) {
  Store& store = *this->store_;
  import_one(store);
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"time_zone", "Europe/Lisbon"}, {"title", "Harbour walk"}, {"starts_at", "2027-06-12 09:00"}};
  const EventCreate made = create_event(store, kClock, fields, "walk", "UTC", "alice@example.org");
  ASSERT_TRUE(made.created);
  EXPECT_EQ(store.find_event("walk")->status, EventStatus::draft);
  EXPECT_EQ(store.find_event("walk")->time_zone, "Europe/Lisbon");
  const AuditEntry a = newest(store);
  EXPECT_EQ(a.action, "create");
  EXPECT_EQ(a.target, "event walk");
  EXPECT_EQ(a.after, "Harbour walk");

  const auto entries = store.list_audit(100).size();
  const EventCreate again = create_event(store, kClock, fields, "a", "UTC", "bob@example.org");
  EXPECT_FALSE(again.created);
  ASSERT_EQ(again.errors.size(), 1u);
  EXPECT_EQ(again.errors[0].field, "key");
  EXPECT_EQ(store.find_event("a")->title, "Alpha") << "the existing event is untouched";
  EXPECT_EQ(store.list_audit(100).size(), entries);
}

TYPED_TEST(AuditedMoves, CheckInErasureRetryAndNotificationSettingsAudit) {
  Store& store = *this->store_;
  import_one(store);
  RegistrationService regs(store, kClock, RegistrationOptions{1, 8});
  const auto r = regs.register_attendee(*store.find_event("a"), {"Ann", "ann@example.org", {}, ""});
  ASSERT_EQ(r.result, RegisterResult::confirmed);

  ASSERT_EQ(regs.check_in(r.registration.ticket_code, "door 1").result, CheckinResult::checked_in);
  AuditEntry a = newest(store);
  EXPECT_EQ(a.action, "check_in");
  EXPECT_EQ(a.actor, "door 1");
  EXPECT_EQ(a.target, "registration " + std::to_string(r.registration.id));
  // A second scan is refused and not audited as a check-in.
  const auto entries = store.list_audit(100).size();
  EXPECT_EQ(regs.check_in(r.registration.ticket_code, "door 1").result, CheckinResult::already_checked_in);
  EXPECT_EQ(store.list_audit(100).size(), entries);

  EXPECT_FALSE(retry_notification(store, kClock, 999999, "alice@example.org")) << "no such failed row";
  EXPECT_EQ(store.list_audit(100).size(), entries);

  Publisher publisher(store, kClock);
  publisher.set_notify_settings(NotifySettings{{"starts_at"}, 0, 60}, "alice@example.org");
  a = newest(store);
  EXPECT_EQ(a.action, "notification_settings");
  EXPECT_EQ(a.after, "starts_at; quiet 0");
  EXPECT_EQ(publisher.notify_settings().max_delay_seconds, 60);

  EXPECT_TRUE(regs.erase(r.registration.id, "operator"));
  a = newest(store);
  EXPECT_EQ(a.action, "erase");
  EXPECT_EQ(a.target, "registration " + std::to_string(r.registration.id));
  EXPECT_FALSE(regs.erase(999999, "operator"));
  EXPECT_EQ(newest(store).action, "erase");
  EXPECT_EQ(store.list_audit(100).size(), entries + 2);
}

TYPED_TEST(AuditedMoves, EachScheduledJobLeavesOneEntry) {
  Store& store = *this->store_;
  import_one(store);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("marquee-jobs-" + std::string(TypeParam::name) + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  BackupFolder folder(dir.string());
  Backups backups(store, folder, kClock, BackupPolicy{2, nullptr});
  Publisher publisher(store, kClock);
  ScheduledJobs jobs(store, publisher, kClock, &backups);
  auto count = [&] { return store.list_audit(1000).size(); };

  std::size_t before = count();
  ASSERT_EQ(jobs.run("publish", "cron").status, JobStatus::done);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(newest(store).action, "publish") << "the publish's own entry, no cron_publish beside it";

  before = count();
  EXPECT_TRUE(jobs.run("publish", "cron").publish->unchanged);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(newest(store).action, "cron_publish");

  before = count();
  const JobResult b = jobs.run("backup", "cron");
  ASSERT_TRUE(b.backup);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(newest(store).action, "backup");
  EXPECT_EQ(newest(store).actor, "cron");

  before = count();
  EXPECT_EQ(*jobs.run("retention", "cron").erased, 0);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(newest(store).action, "cron_retention");

  before = count();
  EXPECT_EQ(jobs.run("dance", "cron").status, JobStatus::unknown_job);
  EXPECT_EQ(count(), before);
  before = count();
  backups.take_scheduled();
  EXPECT_EQ(count(), before) << "scheduled backups are logged, not audited";
  EXPECT_EQ(folder.list().size(), 2u) << "kept to the policy's two";
  ScheduledJobs without(store, publisher, kClock, nullptr);
  EXPECT_EQ(without.run("backup", "cron").status, JobStatus::no_backups);
  std::filesystem::remove_all(dir);
}
