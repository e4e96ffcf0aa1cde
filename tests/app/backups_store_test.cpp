// Backups: round trips across SQLite and PostgreSQL, and refusal of bad files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "adapters/backup/backup_file.hpp"
#include "adapters/backup/backup_folder.hpp"
#include "adapters/backup/backup_key.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/backups.hpp"
#include "app/import_service.hpp"
#include "app/publisher.hpp"
#include "app/registration_service.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);

// A store with every kind of row: events, snapshots, registrations with
// moves and outbox rows, an erased attendee, settings.
void populate(Store& store) {
  ImportOptions opt;
  const std::string csv =
      "key,title,description,starts_at,ends_at,time_zone,capacity,registration,waitlist,questions,tags\n"
      "w1,Workshop Ü,\"Line\n**two**\",2027-06-11 10:00,12:00,Europe/Berlin,1,true,true,"
      "\"diet | choice | optional | Diet | None; Vegan\",a; b\n"
      "w2,All day,,2027-06-12,2027-06-13,Europe/Lisbon,,false,false,,\n";
  ASSERT_TRUE(import_bytes(format_readers(), &store, csv, "seed.csv", opt, kClock).ok());
  Publisher publisher(store, kClock);
  publisher.publish("alice", "first");
  RegistrationService regs(store, kClock, RegistrationOptions{1, 8});
  Event w1 = *store.find_event("w1");
  auto a = regs.register_attendee(w1, {"Ann", "ann@example.org", {{"diet", "Vegan"}}, "k1"});
  auto b = regs.register_attendee(w1, {"Bob", "bob@example.org", {}, ""});
  ASSERT_EQ(a.result, RegisterResult::confirmed);
  ASSERT_EQ(b.result, RegisterResult::waitlisted);
  regs.cancel(a.token, "attendee");  // promotes Bob
  store.erase_registration(a.registration.id, kClock.now(), "operator");
  Event moved = *store.find_event("w2");
  moved.room = "Sala 2";
  store.upsert_events({moved}, kClock.now());
  publisher.publish("bob", "room");
}

std::string temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("marquee-backup-test-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

// The backup moves (app/backups) over a folder of files (adapters/backup).
BackupInfo take_in(Store& store, const std::string& dir, const Clock& clock, int keep, const BackupKey* key = nullptr) {
  BackupFolder folder(dir);
  const BackupTaken taken = Backups(store, folder, clock, BackupPolicy{keep, key}).take("tester");
  EXPECT_EQ(taken.audit_error, "");
  return taken.info;
}

Backups in_folder_of(Store& store, BackupFolder& folder, const BackupKey* key) {
  return Backups(store, folder, kClock, BackupPolicy{0, key});
}

void restore_from(Store& store, const std::string& path, const BackupKey* key = nullptr) {
  BackupFolder folder(std::filesystem::path(path).parent_path().string());
  EXPECT_EQ(in_folder_of(store, folder, key).restore(path, "tester"), "");
}

std::optional<ProgrammePtr> programme_in(Store& store, const std::string& path, const BackupKey* key = nullptr) {
  BackupFolder folder(std::filesystem::path(path).parent_path().string());
  return in_folder_of(store, folder, key).programme_of(path);
}

std::vector<BackupInfo> list_in(const std::string& dir) { return BackupFolder(dir).list(); }

// A restored store holds what its source held when the backup was taken:
// equal tables but for the audit log's newest entries: the restored store's
// "restore", and the source's `backups_since` "backup" entries (the first
// written right after the dump).
void expect_restored(Store& restored, std::vector<TableDump> source, const std::string& file, const char* what,
                     std::size_t backups_since = 1) {
  auto mine = restored.dump_tables();
  auto drop_last = [&](std::vector<TableDump>& tables, std::size_t n) {
    for (auto& t : tables)
      if (t.name == "audit_log") {
        ASSERT_GE(t.rows.size(), n) << what;
        t.rows.resize(t.rows.size() - n);
      }
  };
  drop_last(mine, 1);
  drop_last(source, backups_since);
  EXPECT_EQ(mine, source) << what;
  const auto last = restored.list_audit(1).at(0);
  EXPECT_EQ(last.action, "restore") << what;
  EXPECT_EQ(last.actor, "tester") << what;
  EXPECT_EQ(last.target, std::filesystem::path(file).filename().string()) << what;
}

}  // namespace

TEST(Backup, RoundTripSqliteToPostgresAndBack) {
  SqliteBackend sqlite;
  PostgresBackend pg;
  sqlite.create();
  pg.create();
  if (::testing::Test::IsSkipped()) return;
  SqliteBackend sqlite2;
  sqlite2.create();
  const std::string dir = temp_dir("roundtrip");
  {
    auto a = open_store(sqlite.url);
    a->migrate();
    populate(*a);
    const auto backup = take_in(*a, dir, kClock, 0);
    // The erased attendee is in no table of a backup taken afterwards.
    BackupHeader header;
    for (const auto& t : read_backup(backup.path, &header))
      for (const auto& row : t.rows)
        for (const auto& v : row) EXPECT_EQ(v.value_or("").find("ann@example.org"), std::string::npos) << t.name;
    auto b = open_store(pg.url);
    restore_from(*b, backup.path);
    expect_restored(*b, a->dump_tables(), backup.path, "SQLite → PostgreSQL");
    const auto taken = a->list_audit(1).at(0);
    EXPECT_EQ(taken.action, "backup");
    EXPECT_EQ(taken.target, std::filesystem::path(backup.path).filename().string());
    EXPECT_EQ(taken.after, std::to_string(backup.size) + " bytes");
    // The restored store works: sequences continue, the live snapshot serves.
    EXPECT_EQ(b->live_snapshot_number(), 2);
    RegistrationService regs(*b, kClock, RegistrationOptions{1, 8});
    auto c = regs.register_attendee(*b->find_event("w1"), {"Cy", "cy@example.org", {}, ""});
    EXPECT_EQ(c.result, RegisterResult::waitlisted);
    EXPECT_GT(c.registration.id, 2);

    const auto back = take_in(*b, dir, kClock, 0);
    auto d = open_store(sqlite2.url);
    restore_from(*d, back.path);
    expect_restored(*d, b->dump_tables(), back.path, "PostgreSQL → SQLite");
    auto programme = programme_in(*d, back.path);
    ASSERT_TRUE(programme);
    EXPECT_EQ((*programme)->generation(), 2);
    EXPECT_EQ((*programme)->entries().size(), 2u);
  }
  sqlite.destroy();
  sqlite2.destroy();
  pg.destroy();
  std::filesystem::remove_all(dir);
}

template <typename B>
using BackupsInStore = StoreTest<B>;
TYPED_TEST_SUITE(BackupsInStore, Backends, BackendNames);

TYPED_TEST(BackupsInStore, BadOrTruncatedFilesAreRefusedAndTheStoreIsUnchanged) {
  populate(*this->store_);
  const std::string dir = temp_dir(std::string("bad-") + TypeParam::name);
  const auto good = take_in(*this->store_, dir, kClock, 0);
  const auto before = this->store_->dump_tables();

  std::ifstream in(good.path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto write = [&](const std::string& name, const std::string& content) {
    const std::string p = dir + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  };
  const std::string truncated = write("truncated.jsonl.gz", bytes.substr(0, bytes.size() / 2));
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x55;
  const std::string corrupt = write("corrupt.jsonl.gz", flipped);
  const std::string other = write("other.jsonl.gz", "hello\n");
  for (const auto& path : {truncated, corrupt, other, dir + "/missing.jsonl.gz"}) {
    EXPECT_THROW(restore_from(*this->store_, path), BackupError) << path;
  }
  EXPECT_EQ(this->store_->dump_tables(), before);

  // Retention keeps the newest N.
  for (int i = 0; i < 3; ++i) take_in(*this->store_, dir, ManualClock(kClock.now() + 10 + i), 2);
  EXPECT_EQ(list_in(dir).size(), 2u);
  std::filesystem::remove_all(dir);
}

// Issue 13, item 10: backups encrypted at rest with --backup-key-file.
TYPED_TEST(BackupsInStore, EncryptedBackupsRoundTripAndNeedTheirKey) {
  populate(*this->store_);
  const std::string dir = temp_dir(std::string("enc-") + TypeParam::name);
  auto key_file = [&](const std::string& name, const std::string& secret) {
    const std::string p = dir + "/" + name;
    std::ofstream(p) << secret << "\n";
    return p;
  };
  std::filesystem::create_directories(dir);
  EXPECT_THROW(load_backup_key(key_file("short.key", "too short")), BackupError);
  const BackupKey key = load_backup_key(key_file("good.key", "0123456789abcdef0123456789abcdef-secret"));
  const BackupKey other = load_backup_key(key_file("other.key", "another secret that is long enough 1234"));
  const auto b = take_in(*this->store_, dir, kClock, 0, &key);
  EXPECT_TRUE(b.path.ends_with(".jsonl.gz.enc")) << b.path;
  EXPECT_TRUE(is_encrypted_backup(b.path));
  EXPECT_EQ(list_in(dir).size(), 1u);
  std::ifstream in(b.path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("marquee-backup"), std::string::npos);
  // Ciphertext is random, so two given bytes may occur anywhere by chance: what must not be
  // there is the gzip header at the start or the compressed programme itself.
  EXPECT_FALSE(bytes.starts_with("\x1f\x8b")) << "no gzip stream in the clear";
  {
    const std::string plain_dir = dir + "/plain";
    std::filesystem::create_directories(plain_dir);
    const auto plain = take_in(*this->store_, plain_dir, kClock, 0);
    std::ifstream pin(plain.path, std::ios::binary);
    const std::string plain_bytes((std::istreambuf_iterator<char>(pin)), std::istreambuf_iterator<char>());
    ASSERT_GT(plain_bytes.size(), 64u);
    EXPECT_EQ(bytes.find(plain_bytes.substr(10, 48)), std::string::npos) << "compressed content in the clear";
    std::filesystem::remove_all(plain_dir);
  }
  EXPECT_EQ(std::filesystem::status(b.path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);

  const auto before = this->store_->dump_tables();
  EXPECT_THROW(restore_from(*this->store_, b.path), BackupError);          // no key
  EXPECT_THROW(restore_from(*this->store_, b.path, &other), BackupError);  // wrong key
  std::ofstream(dir + "/cut.jsonl.gz.enc", std::ios::binary) << bytes.substr(0, bytes.size() - 20);
  EXPECT_THROW(restore_from(*this->store_, dir + "/cut.jsonl.gz.enc", &key), BackupError);  // truncated
  EXPECT_EQ(this->store_->dump_tables(), before);

  restore_from(*this->store_, b.path, &key);  // replaces the whole content with the decrypted one
  expect_restored(*this->store_, before, b.path, "encrypted", 2);  // this backup, then the plain one
  ASSERT_TRUE(programme_in(*this->store_, b.path, &key));
  std::filesystem::remove_all(dir);
}
