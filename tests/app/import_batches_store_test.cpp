// An import that writes hands its events to the store in batches while the
// file is still read (Store::import_event_batches), on SQLite and PostgreSQL:
// many batches import exactly as one would, a fatal problem found after
// batches were written leaves nothing behind, and the capacity rule against
// confirmed places honours each event's overbooking.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/import_file.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "app/import_service.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const std::string kHeader = "key,title,starts_at,ends_at,time_zone,capacity,registration\n";

std::string row(int i, const std::string& title) {
  char day[8];
  std::snprintf(day, sizeof day, "%02d", 1 + i % 28);
  return "k" + std::to_string(i) + "," + title + ",2031-06-" + day + " 10:00,11:00,UTC,20,true\n";
}

// A reader that hands on `records` good records and then throws (a bug, not
// bad input): the import must let the exception through and write nothing.
class BreakingSource final : public EventSource {
 public:
  explicit BreakingSource(int records) : records_(records) {}
  SourceRead read(std::string_view, const SourceReadOptions&) const override { return {}; }
  SourceRead read_each(std::string_view, const SourceReadOptions&, const RecordSink& sink) const override {
    SourceRead file;
    for (int i = 0; i < records_; ++i) {
      SourceRecord r;
      r.line = i + 2;
      r.values = {{"key", "x" + std::to_string(i)}, {"title", "Talk " + std::to_string(i)},
                  {"starts_at", "2031-06-11 10:00"}, {"ends_at", "11:00"}, {"time_zone", "UTC"}};
      ++file.rows;
      sink(std::move(r), file);
    }
    throw std::runtime_error("the reader broke");
  }

 private:
  int records_;
};

// The CSV reader, which appends a line to the file being imported once it
// has handed on `after` records: the file changes while it is read.
class AppendingSource final : public EventSource {
 public:
  AppendingSource(std::filesystem::path path, int after) : path_(std::move(path)), after_(after) {}
  SourceRead read(std::string_view bytes, const SourceReadOptions& opt) const override {
    return format_readers().read(bytes, opt);
  }
  SourceRead read_each(std::string_view bytes, const SourceReadOptions& opt, const RecordSink& sink) const override {
    int seen = 0;
    return format_readers().read_each(bytes, opt, [&](SourceRecord&& r, const SourceRead& file) {
      if (++seen == after_) std::ofstream(path_, std::ios::binary | std::ios::app) << "k-added,Late,2031-06-11 10:00,11:00,UTC,20,true\n";
      sink(std::move(r), file);
    });
  }

 private:
  std::filesystem::path path_;
  int after_;
};

std::unique_ptr<SqlConnection> raw(const SqliteBackend& b) { return open_sqlite(b.url.substr(std::string("sqlite:///").size())); }
std::unique_ptr<SqlConnection> raw(const PostgresBackend& b) { return open_postgres(b.url); }

ImportReport run(Store& store, const std::string& csv, UnixSeconds at) {
  ImportOptions opt;
  opt.actor = "editor@example.org";
  return import_bytes(format_readers(), &store, csv, "season.csv", opt, ManualClock(at));
}

}  // namespace

template <typename B>
using ImportBatches = StoreTest<B>;
TYPED_TEST_SUITE(ImportBatches, Backends, BackendNames);

// 4,500 records are three batches of 2,000 at most: a key repeated in the
// third batch is refused with the first line named, a slot repeated across
// batches warns, and a second import finds what the first wrote in every batch.
TYPED_TEST(ImportBatches, ManyBatchesImportAsOne) {
  Store& store = *this->store_;
  std::string csv = kHeader;
  for (int i = 0; i < 4500; ++i) csv += row(i, "Talk " + std::to_string(i));
  csv += row(7, "Talk seven again");  // line 4502: k7 again
  csv += "k-late,Talk 10,2031-06-11 10:00,11:00,UTC,20,true\n";  // line 4503: the slot of line 12 (k10)
  const ImportReport first = run(store, csv, 1000);
  ASSERT_TRUE(first.ok()) << first.fatal;
  EXPECT_EQ(first.records, 4502);
  EXPECT_EQ(first.accepted, 4501);
  EXPECT_EQ(first.inserted, 4501);
  ASSERT_EQ(first.error_count(), 1);
  EXPECT_EQ(first.issues.front().line, 4502);
  EXPECT_NE(first.issues.front().message.find("line 9 has the same key"), std::string::npos) << first.issues.front().message;
  EXPECT_EQ(first.warning_count(), 1);
  EXPECT_EQ(store.count_events(), 4501);
  EXPECT_EQ(store.find_event("k7")->title, "Talk 7");
  EXPECT_EQ(store.find_event("k-late")->warnings.size(), 1u);

  std::string changed = kHeader;
  for (int i = 0; i < 4500; ++i) changed += row(i, i == 1999 || i == 2000 || i == 4499 ? "Renamed" : "Talk " + std::to_string(i));
  const ImportReport second = run(store, changed, 2000);
  ASSERT_TRUE(second.ok()) << second.fatal;
  EXPECT_EQ(second.inserted, 0);
  EXPECT_EQ(second.updated, 3);
  EXPECT_EQ(second.unchanged, 4497);
  EXPECT_EQ(store.find_event("k2000")->title, "Renamed");
  EXPECT_EQ(store.find_event("k2000")->version, 2);
  const auto runs = store.list_import_runs(2);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].updated, 3);
  EXPECT_EQ(runs[0].unchanged, 4497);
  EXPECT_EQ(runs[1].inserted, 4501);
  const RevertOutcome undone = revert_import(store, ManualClock(3000), second.import_id, "owner@example.org");
  EXPECT_EQ(undone.restored, (std::vector<std::string>{"k1999", "k2000", "k4499"}));
  EXPECT_EQ(store.find_event("k4499")->title, "Talk 4499");
}

// The CSV breaks on its last line, after two batches went to the store: the
// transaction rolls back, so no event and no recorded run is left.
TYPED_TEST(ImportBatches, AFatalProblemAfterWrittenBatchesLeavesNothing) {
  Store& store = *this->store_;
  const auto generation = store.generation();
  std::string csv = kHeader;
  for (int i = 0; i < 4500; ++i) csv += row(i, "Talk " + std::to_string(i));
  csv += "k-bad,\"an unclosed quote,2031-06-11 10:00,11:00,UTC,20,true\n";
  const ImportReport r = run(store, csv, 1000);
  EXPECT_NE(r.fatal.find("unbalanced quote"), std::string::npos) << r.fatal;
  EXPECT_EQ(store.count_events(), 0);
  EXPECT_TRUE(store.list_import_runs(5).empty());
  EXPECT_EQ(store.generation(), generation);
}

// A file appended to while it is imported (by a tool still writing it): the
// change is seen once the file is read, after batches went to the store, so
// the transaction rolls back and the report says why.
TYPED_TEST(ImportBatches, AFileChangedWhileItIsReadWritesNothing) {
  Store& store = *this->store_;
  const auto path = std::filesystem::temp_directory_path() / ("marquee-changing-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader;
    for (int i = 0; i < 4500; ++i) out << row(i, "Talk " + std::to_string(i));
  }
  const AppendingSource source(path, 2500);
  const ImportReport r = import_file(source, &store, path.string(), ImportOptions{}, ManualClock(1000));
  EXPECT_NE(r.fatal.find("changed while it was read; nothing was imported"), std::string::npos) << r.fatal;
  EXPECT_EQ(store.count_events(), 0);
  EXPECT_TRUE(store.list_import_runs(5).empty());
  // Unchanged, the same file imports.
  const ImportReport again = import_file(format_readers(), &store, path.string(), ImportOptions{}, ManualClock(2000));
  EXPECT_TRUE(again.ok()) << again.fatal;
  EXPECT_EQ(again.inserted, 4501);
  std::filesystem::remove(path);
}

// The port itself: an exception from the batch source rolls back what the
// earlier batches wrote and reaches the caller.
TYPED_TEST(ImportBatches, AnExceptionFromTheBatchSourceRollsBack) {
  Store& store = *this->store_;
  int calls = 0;
  ImportRun run_info;
  run_info.actor = "cli";
  run_info.file = "x.csv";
  run_info.format = "csv";
  EXPECT_THROW(store.import_event_batches(1000, run_info,
                                          [&](std::vector<Event>& batch) {
                                            if (++calls == 3) throw std::runtime_error("the reader gave up");
                                            batch.clear();
                                            for (int i = 0; i < 3; ++i) {
                                              Event e;
                                              e.key = "b" + std::to_string(calls) + "-" + std::to_string(i);
                                              e.title = "Batch event";
                                              e.starts_at = 1900000000;
                                              e.ends_at = 1900003600;
                                              e.time_zone = "UTC";
                                              batch.push_back(e);
                                            }
                                            return true;
                                          }),
               std::runtime_error);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(store.count_events(), 0);
  EXPECT_TRUE(store.list_import_runs(5).empty());
}

// A reader that throws after handing on two batches: the exception reaches the
// caller (the thread does not end the process) and the batches are rolled back.
TYPED_TEST(ImportBatches, AnExceptionFromTheReaderReachesTheCallerAndWritesNothing) {
  Store& store = *this->store_;
  const BreakingSource source(4500);
  EXPECT_THROW(import_bytes(source, &store, "ignored", "talks.csv", ImportOptions{}, ManualClock(1000)), std::runtime_error);
  EXPECT_EQ(store.count_events(), 0);
  EXPECT_TRUE(store.list_import_runs(5).empty());
}

// The store fails when it writes the history of a changed event (k2500, in
// the third batch) while the reader, with 20,000 rows, is still reading
// (held at the bound): the import reports the store's error, releases the
// reader and writes nothing.
TYPED_TEST(ImportBatches, AStoreFailureReleasesTheReaderAndWritesNothing) {
  Store& store = *this->store_;
  ASSERT_TRUE(run(store, kHeader + row(2500, "Before"), 1000).ok());
  raw(this->backend_)->exec("ALTER TABLE import_changes RENAME TO import_changes_away");
  std::string csv = kHeader;
  for (int i = 0; i < 20000; ++i) csv += row(i, "Talk " + std::to_string(i));
  const ImportReport r = run(store, csv, 1000);
  EXPECT_NE(r.fatal.find("store error, nothing was imported"), std::string::npos) << r.fatal;
  EXPECT_EQ(r.records, 20000) << "the file was still read to the end for the report";
  EXPECT_EQ(store.count_events(), 1);
  EXPECT_EQ(store.find_event("k2500")->title, "Before");
  EXPECT_EQ(store.list_import_runs(5).size(), 1u);
}
