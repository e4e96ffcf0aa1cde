// The source chain (issue 15): the live store when it can be read (seeded
// when empty), else the newer of the newest readable backup and the local
// snapshot, else the bundled programme. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "adapters/assets/embedded.hpp"
#include "adapters/backup/backup_folder.hpp"
#include "adapters/formats/event_sources.hpp"
#include "app/backups.hpp"
#include "app/programme_source.hpp"
#include "app/publisher.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

// A backup folder that counts how often it was listed.
class CountingFolder final : public BackupArchive {
 public:
  explicit CountingFolder(const std::string& dir) : folder_(dir) {}
  BackupInfo write(const BackupHeader& h, const std::vector<TableDump>& t, const BackupKey* k) override {
    return folder_.write(h, t, k);
  }
  std::vector<BackupInfo> list() const override {
    ++lists;
    return folder_.list();
  }
  std::vector<TableDump> read(const std::string& path, BackupHeader* h, const BackupKey* k) const override {
    return folder_.read(path, h, k);
  }
  void prune(int keep, const std::string& current) override { folder_.prune(keep, current); }
  mutable int lists = 0;

 private:
  BackupFolder folder_;
};

// A store whose every read fails: a SQLite file below a file, not a folder.
std::unique_ptr<Store> unreadable_store() { return open_store("sqlite:////dev/null/store.db"); }

// Adds event e<n> and publishes: snapshot n holds n events.
void publish_one_more(Store& store, const Clock& clock, int n) {
  Event e;
  e.key = "e" + std::to_string(n);
  e.title = "Event " + std::to_string(n);
  e.starts_at = 1800000000 + n * 3600;
  e.ends_at = e.starts_at + 1800;
  e.time_zone = "Europe/Berlin";
  store.upsert_events({e}, clock.now());
  Publisher(store, clock).publish("test", "n=" + std::to_string(n));
}

template <typename B>
class ProgrammeSourceTest : public StoreTest<B> {
 protected:
  void SetUp() override {
    StoreTest<B>::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("marquee-source-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    StoreTest<B>::TearDown();
  }

  /// Sources with the bundled programme, `backups` and a local snapshot
  /// numbered `local` (none when 0; a bad file when -1).
  ProgrammeSources sources(bool seed, const Backups* backups, std::int64_t local) {
    ProgrammeSources s;
    s.seed = seed;
    s.reader = &format_readers();
    s.bundled_csv = embedded_asset("data/programme.csv");
    s.backups = backups;
    s.local_path = "var/live-snapshot-x.jsonl";
    s.keep_local = [this](std::int64_t number, UnixSeconds, const std::string&, std::size_t,
                          const ProgrammeCache::ContentWriter&) { kept_.push_back(number); };
    s.read_local = [local]() -> std::optional<ProgrammePtr> {
      if (local < 0) throw std::runtime_error("not a complete local snapshot");
      if (local == 0) return std::nullopt;
      return build_programme({}, local);
    };
    return s;
  }

  /// Publishes snapshots 1 and 2 and takes a backup after each (2 is the
  /// newest), then adds a newer file that is no backup.
  void take_two_backups_and_a_bad_one(Backups& backups) {
    publish_one_more(*this->store_, clock_, 1);
    backup_1_ = backups.take("test").info.path;
    clock_.set(clock_.now() + 60);
    publish_one_more(*this->store_, clock_, 2);
    backup_2_ = backups.take("test").info.path;
    std::ofstream(dir_ / "marquee-backup-20990101T000000Z-abcdef.jsonl.gz") << "not a backup";
  }

  ManualClock clock_{1795000000};
  std::filesystem::path dir_;
  std::vector<std::int64_t> kept_;
  std::string backup_1_, backup_2_;
};

}  // namespace

TYPED_TEST_SUITE(ProgrammeSourceTest, Backends, BackendNames);

TYPED_TEST(ProgrammeSourceTest, TheLiveStoreWinsAndEachLiveSnapshotIsKeptLocally) {
  CountingFolder folder(this->dir_.string());
  Backups backups(*this->store_, folder, this->clock_, {});
  this->take_two_backups_and_a_bad_one(backups);
  folder.lists = 0;
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, this->sources(false, &backups, 9), this->clock_);
  EXPECT_EQ(cache.serving().source, "live");
  EXPECT_EQ(cache.current()->entries().size(), 2u);
  EXPECT_EQ(folder.lists, 0);
  EXPECT_EQ(this->kept_, std::vector<std::int64_t>{2});
}

TYPED_TEST(ProgrammeSourceTest, AnEmptyStoreIsSeededWithTheBundledProgramme) {
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, this->sources(true, nullptr, 9), this->clock_);
  EXPECT_EQ(cache.serving().source, "live");
  EXPECT_EQ(cache.current()->generation(), 1);
  EXPECT_GT(cache.current()->entries().size(), 0u);
  EXPECT_GT(this->store_->count_events(), 0);
}

TYPED_TEST(ProgrammeSourceTest, AnUnreadableStoreServesTheNewerOfTheLocalSnapshotAndTheNewestReadableBackup) {
  CountingFolder folder(this->dir_.string());
  Backups backups(*this->store_, folder, this->clock_, {});
  this->take_two_backups_and_a_bad_one(backups);
  auto down = unreadable_store();
  const auto serve = [&](std::int64_t local) {
    auto cache = std::make_unique<ProgrammeCache>(*down, nullptr);
    serve_from_source_chain(*down, *cache, this->sources(true, &backups, local), this->clock_);
    return cache;
  };
  auto cache = serve(3);  // newer than the newest backup's snapshot 2
  EXPECT_EQ(cache->serving().source, "local");
  EXPECT_EQ(cache->serving().detail, "var/live-snapshot-x.jsonl");
  EXPECT_EQ(cache->current()->generation(), 3);
  EXPECT_FALSE(cache->serving().last_error.empty());  // the store's error, for the status page

  cache = serve(2);  // not newer: the newest readable backup (the bad newer file is passed over)
  EXPECT_EQ(cache->serving().source, "backup");
  EXPECT_EQ(cache->serving().detail, this->backup_2_);
  EXPECT_EQ(cache->current()->generation(), 2);
  EXPECT_EQ(cache->current()->entries().size(), 2u);

  cache = serve(-1);  // a bad local file is passed over
  EXPECT_EQ(cache->serving().detail, this->backup_2_);
}

TYPED_TEST(ProgrammeSourceTest, NothingPublishedAndNoFallbackServesTheBundledProgramme) {
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, this->sources(false, nullptr, 0), this->clock_);
  EXPECT_EQ(cache.serving().source, "bundled");
  EXPECT_EQ(cache.serving().detail, "data/programme.csv");
  EXPECT_EQ(cache.current()->generation(), 0);
  EXPECT_GT(cache.current()->entries().size(), 0u);
  EXPECT_EQ(this->store_->count_events(), 0);  // seed off: the store is left empty
}

TYPED_TEST(ProgrammeSourceTest, NothingPublishedServesTheLocalSnapshot) {
  ProgrammeCache cache(*this->store_, nullptr);
  serve_from_source_chain(*this->store_, cache, this->sources(false, nullptr, 5), this->clock_);
  EXPECT_EQ(cache.serving().source, "local");
  EXPECT_EQ(cache.current()->generation(), 5);
}
