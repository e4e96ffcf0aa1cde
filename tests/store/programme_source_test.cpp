// The source chain (issue 15): the live store when it can be read (seeded
// when empty), else the newer of the newest readable backup and the local
// snapshot, else the bundled programme. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "adapters/assets/embedded.hpp"
#include "app/backups.hpp"
#include "app/programme_source.hpp"
#include "app/publisher.hpp"
#include "store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);

// Fallback sources that say which of them were read.
struct FakeSources {
  std::vector<std::string> backups;                   // newest first; "bad…" ones throw
  std::map<std::string, std::int64_t> backup_number;  // the snapshot each one holds
  std::optional<std::int64_t> local_number;           // the local snapshot, if any
  bool local_throws = false;
  std::vector<std::int64_t> kept;                     // keep_local calls
  int fallback_reads = 0;

  ProgrammeSources sources(bool seed = false) {
    ProgrammeSources s;
    s.seed = seed;
    s.list_backups = [this] {
      ++fallback_reads;
      return backups;
    };
    s.read_backup = [this](const std::string& path) -> std::optional<ProgrammePtr> {
      if (path.starts_with("bad")) throw std::runtime_error("truncated");
      return build_programme({}, backup_number.at(path));
    };
    s.local_path = "var/live-snapshot-x.json";
    s.keep_local = [this](std::int64_t number, UnixSeconds, const std::string&, const std::string&) { kept.push_back(number); };
    s.read_local = [this]() -> std::optional<ProgrammePtr> {
      ++fallback_reads;
      if (local_throws) throw std::runtime_error("not a complete local snapshot");
      if (!local_number) return std::nullopt;
      return build_programme({}, *local_number);
    };
    s.bundled_csv = [] { return embedded_asset("data/programme.csv"); };
    return s;
  }
};

void publish_two_events(Store& store) {
  std::vector<Event> events;
  for (int i = 0; i < 2; ++i) {
    Event e;
    e.key = "e" + std::to_string(i);
    e.title = "Event " + std::to_string(i);
    e.starts_at = 1800000000 + i * 3600;
    e.ends_at = e.starts_at + 1800;
    e.time_zone = "Europe/Berlin";
    events.push_back(e);
  }
  store.upsert_events(events, kClock.now());
  Publisher(store, kClock).publish("test", "two events");
}

// A store whose every read fails: a SQLite file below a file, not a folder.
std::unique_ptr<Store> unreadable_store() { return open_store("sqlite:////dev/null/store.db"); }

}  // namespace

template <typename B>
using ProgrammeSourceTest = StoreTest<B>;
TYPED_TEST_SUITE(ProgrammeSourceTest, Backends, BackendNames);

TYPED_TEST(ProgrammeSourceTest, TheLiveStoreWinsAndEachLiveSnapshotIsKeptLocally) {
  publish_two_events(*this->store_);
  FakeSources fake;
  fake.local_number = 99;
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, fake.sources(), kClock);
  EXPECT_EQ(cache.serving().source, "live");
  EXPECT_EQ(cache.current()->entries().size(), 2u);
  EXPECT_EQ(fake.fallback_reads, 0);
  EXPECT_EQ(fake.kept, std::vector<std::int64_t>{1});
}

TYPED_TEST(ProgrammeSourceTest, AnEmptyStoreIsSeededWithTheBundledProgramme) {
  FakeSources fake;
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, fake.sources(true), kClock);
  EXPECT_EQ(cache.serving().source, "live");
  EXPECT_EQ(cache.current()->generation(), 1);
  EXPECT_GT(cache.current()->entries().size(), 0u);
  EXPECT_GT(this->store_->count_events(), 0);
  EXPECT_EQ(fake.fallback_reads, 0);
}

TYPED_TEST(ProgrammeSourceTest, NothingPublishedServesTheNewerOfTheLocalSnapshotAndTheNewestReadableBackup) {
  FakeSources fake;
  fake.backups = {"bad-newest", "b-3", "b-2"};
  fake.backup_number = {{"b-3", 3}, {"b-2", 2}};
  fake.local_number = 4;
  {
    ProgrammeCache cache(*this->store_, nullptr);
    serve_from_source_chain(*this->store_, cache, fake.sources(), kClock);
    EXPECT_EQ(cache.serving().source, "local");
    EXPECT_EQ(cache.serving().detail, "var/live-snapshot-x.json");
    EXPECT_EQ(cache.current()->generation(), 4);
  }
  fake.local_number = 3;  // not newer than the backup: the backup is served
  {
    ProgrammeCache cache(*this->store_, nullptr);
    serve_from_source_chain(*this->store_, cache, fake.sources(), kClock);
    EXPECT_EQ(cache.serving().source, "backup");
    EXPECT_EQ(cache.serving().detail, "b-3");
    EXPECT_EQ(cache.current()->generation(), 3);
  }
  fake.local_throws = true;  // a bad local file is passed over
  {
    ProgrammeCache cache(*this->store_, nullptr);
    serve_from_source_chain(*this->store_, cache, fake.sources(), kClock);
    EXPECT_EQ(cache.serving().detail, "b-3");
  }
  EXPECT_EQ(this->store_->count_events(), 0);  // seed off: the store is left empty
}

TYPED_TEST(ProgrammeSourceTest, NoFallbackServesTheBundledProgramme) {
  FakeSources fake;
  fake.backups = {"bad-only"};
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, fake.sources(), kClock);
  EXPECT_EQ(cache.serving().source, "bundled");
  EXPECT_EQ(cache.serving().detail, "data/programme.csv");
  EXPECT_EQ(cache.current()->generation(), 0);
  EXPECT_GT(cache.current()->entries().size(), 0u);
}

TYPED_TEST(ProgrammeSourceTest, AnUnreadableStoreServesItsNewestBackup) {
  publish_two_events(*this->store_);
  const auto dir = std::filesystem::temp_directory_path() / ("marquee-source-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const BackupInfo backup = take_backup(*this->store_, dir.string(), kClock, 0);
  auto down = unreadable_store();
  FakeSources fake;
  ProgrammeSources sources = fake.sources(true);
  sources.list_backups = [&] {
    std::vector<std::string> paths;
    for (const auto& b : list_backups(dir.string())) paths.push_back(b.path);
    return paths;
  };
  sources.read_backup = [](const std::string& path) { return programme_from_backup(path); };
  ProgrammeCache cache(*down, nullptr);
  serve_from_source_chain(*down, cache, sources, kClock);
  EXPECT_EQ(cache.serving().source, "backup");
  EXPECT_EQ(cache.serving().detail, backup.path);
  EXPECT_EQ(cache.current()->entries().size(), 2u);
  EXPECT_FALSE(cache.serving().last_error.empty());  // the store's error, for the status page
  std::filesystem::remove_all(dir);
}
