// Store behaviour, the same suite on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include "core/programme_order.hpp"
#include <map>
#include <set>

#include "adapters/formats/events_csv_writer.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/import_file.hpp"
#include "app/event_edit.hpp"
#include "app/import_service.hpp"
#include "core/question.hpp"
#include "core/snapshot_diff.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

Event sample(const std::string& key, UnixSeconds start) {
  Event e;
  e.key = key;
  e.title = "Fado à Noite — " + key;
  e.description = "Line one\n\n*Line two*";
  e.starts_at = start;
  e.ends_at = start + 5400;
  e.time_zone = "Europe/Lisbon";
  e.venue = "Armazém 16";
  e.room = "Sala Grande";
  e.category = "Music";
  e.tags = {"fado", "lisbon"};
  e.capacity = 80;
  e.status = EventStatus::published;
  e.source_file = "test.csv";
  e.source_record = "line 2";
  e.warnings = {Warning{"url", "URL without http(s) scheme: 'x'"}};
  return e;
}

const UnixSeconds kStart = 1812830400;  // 2027-06-12T20:00:00Z
const ManualClock kClock(1795000000);   // 2026-11-19

std::string fixture(const std::string& name) { return std::string(MARQUEE_SOURCE_DIR) + "/tests/data/" + name; }

}  // namespace

template <typename B>
using Store_ = StoreTest<B>;
TYPED_TEST_SUITE(Store_, Backends, BackendNames);

TYPED_TEST(Store_, MigrateIsIdempotentAndRecorded) {
  EXPECT_EQ(this->store_->schema_version(), 27);
  this->store_->migrate();
  this->reopen()->migrate();
  EXPECT_EQ(this->store_->schema_version(), 27);
  EXPECT_EQ(this->store_->count_events(), 0);
  EXPECT_EQ(this->store_->generation(), 0);
}

// list_events() reads the table in its own order and sorts by (start, key)
// itself: the same order from both stores, ties broken by the key's bytes.
TYPED_TEST(Store_, ListsEventsByStartThenKey) {
  this->store_->upsert_events({sample("m-2", kStart), sample("z-0", kStart - 60), sample("m-10", kStart),
                               sample("a-9", kStart + 60), sample("l-1", kStart)},
                              1000);
  std::vector<std::string> keys;
  for (const Event& e : this->store_->list_events()) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"z-0", "l-1", "m-10", "m-2", "a-9"}));
}

// A large programme's rows are made into events on a second thread while the
// statement runs: every event once, as stored, in (start, key) order; a row
// that cannot be read (questions in no known form) fails the list with its error, and
// the store reads on afterwards.
TYPED_TEST(Store_, ALargeProgrammeIsListedWholeAndABadRowNamed) {
  std::vector<Event> events;
  for (int i = 0; i < 4500; ++i) {
    Event e = sample("n-" + std::to_string(10000 + i), kStart + (i % 97) * 600);
    e.warnings.clear();
    e.title = "Talk " + std::to_string(i);
    events.push_back(std::move(e));
  }
  this->store_->upsert_events(events, 1000);
  const std::vector<Event> listed = this->store_->list_events();
  ASSERT_EQ(listed.size(), events.size());
  std::set<std::string> keys;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    keys.insert(listed[i].key);
    EXPECT_EQ(listed[i].title, "Talk " + std::to_string(std::stoi(listed[i].key.substr(2)) - 10000)) << listed[i].key;
    if (i > 0) {
      const Event &a = listed[i - 1], &b = listed[i];
      EXPECT_TRUE(a.starts_at < b.starts_at || (a.starts_at == b.starts_at && a.key < b.key)) << i;
    }
  }
  EXPECT_EQ(keys.size(), events.size());
  auto db = this->backend_.raw();
  db->query("UPDATE events SET questions = 'diet | nonsense | maybe' WHERE key = 'n-13000'");
  try {
    this->store_->list_events();
    FAIL() << "a row with questions in no known form must fail the list";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("events.questions"), std::string::npos) << e.what();
  }
  // A publish's read (no count, blocks) fails the same way, and the store reads on after it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      this->store_->read_public_events();
      FAIL() << "a row with questions in no known form must fail the read";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("events.questions"), std::string::npos) << e.what();
    }
  }
  db->query("UPDATE events SET questions = '' WHERE key = 'n-13000'");
  EXPECT_EQ(this->store_->list_events().size(), events.size());
  EXPECT_EQ(this->store_->read_public_events().size(), events.size());
}

// list_public_events() is public_events() of the events written, read without
// the import's bookkeeping columns: no drafts, no warnings or sources, every
// other field in its place, in (start, key) order; text with tabs, line
// breaks, backslashes and "\N" comes back as it was (PostgreSQL reads it as
// COPY text), in a small programme and in one large enough to be converted on
// a second thread.
TYPED_TEST(Store_, ListsPublicEventsAsPublicEventsOfTheList) {
  for (const int n : {6, 4100}) {
    std::vector<Event> events;
    for (int i = 0; i < n; ++i) {
      Event e = sample("p-" + std::to_string(100000 + i), kStart + (i % 53) * 900);
      if (i % 3 == 0) e.status = EventStatus::draft;
      else if (i % 5 == 1) e.status = EventStatus::cancelled;
      e.title = "Tab\there \\N back\\slash \\\\N " + std::to_string(i);
      e.description = "Line one\r\nline two\t\\\n\nCaf\u00e9 \xF0\x9F\x8E\xAB";
      if (i % 4 == 2) e.capacity.reset();
      if (i % 7 == 3) e.retention_days = 30;
      e.registration = i % 2 == 0;
      e.waitlist = i % 4 == 0;
      e.all_day = i % 6 == 5;
      e.address = "Rua " + std::to_string(i);
      e.organizer = "Org " + std::to_string(i % 11);
      e.url = "https://example.org/e/" + std::to_string(i);
      e.image_url = "https://example.org/i/" + std::to_string(i) + ".jpg";
      e.price = std::to_string(i % 9) + " EUR";
      std::string error;
      e.questions = parse_questions("diet | text | optional | Dietary needs", &error).value();
      events.push_back(std::move(e));
    }
    this->store_->upsert_events(events, 1000);
    // What was written, not what another read gives (list_events() reads as COPY text too).
    const std::vector<Event> want = public_events(events);
    EXPECT_EQ(want.size(), static_cast<std::size_t>(n - (n + 2) / 3)) << n;  // every third a draft
    EXPECT_EQ(this->store_->list_public_events(), want) << n;
    EXPECT_EQ(public_events(this->store_->list_events()), want) << n;
    // Read without a count, in blocks, put in order as pointers: the same events.
    const EventBlocks read = this->store_->read_public_events();
    EXPECT_EQ(read.size(), want.size()) << n;
    std::vector<Event> in_order;
    for (const Event* e : programme_order_of(read)) in_order.push_back(*e);
    EXPECT_EQ(in_order, want) << n;
    auto db = this->backend_.raw();
    db->query("DELETE FROM events");
  }
}

TYPED_TEST(Store_, RoundTripsEveryField) {
  Event a = sample("fado-1", kStart);
  Event b = sample("expo-1", kStart - 86400);
  b.all_day = true;
  b.capacity.reset();
  b.tags.clear();
  b.warnings.clear();
  b.status = EventStatus::cancelled;
  auto r = this->store_->upsert_events({a, b}, 1000);
  EXPECT_EQ(r.inserted, 2);
  auto all = this->store_->list_events();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "expo-1");  // ordered by start
  a.created_at = a.updated_at = 1000;
  a.version = 1;
  EXPECT_EQ(*this->store_->find_event("fado-1"), a);
  EXPECT_TRUE(all[0].all_day);
  EXPECT_FALSE(all[0].capacity.has_value());
  EXPECT_EQ(all[0].status, EventStatus::cancelled);
  EXPECT_FALSE(this->store_->find_event("missing").has_value());
}

TYPED_TEST(Store_, UpsertUpdatesByKeyAndCountsUnchanged) {
  this->store_->upsert_events({sample("k1", kStart), sample("k2", kStart)}, 1000);
  const auto gen = this->store_->generation();
  auto same = this->store_->upsert_events({sample("k1", kStart), sample("k2", kStart)}, 2000);
  EXPECT_EQ(same.unchanged, 2);
  EXPECT_EQ(same.inserted + same.updated, 0);
  EXPECT_EQ(this->store_->generation(), gen) << "no change must not bump the generation";

  Event changed = sample("k1", kStart);
  changed.room = "Sala Pequena";
  auto upd = this->store_->upsert_events({changed}, 3000);
  EXPECT_EQ(upd.updated, 1);
  EXPECT_GT(this->store_->generation(), gen);
  auto k1 = *this->store_->find_event("k1");
  EXPECT_EQ(k1.room, "Sala Pequena");
  EXPECT_EQ(k1.created_at, 1000);
  EXPECT_EQ(k1.updated_at, 3000);
  EXPECT_EQ(k1.version, 2);
  EXPECT_EQ(this->store_->count_events(), 2);
}

// The events per zone, counted by the store (every status; byte order), and
// the default zone taken from them: the most used, ties to the first name.
TYPED_TEST(Store_, TimeZoneCountsCountEveryEventByZone) {
  EXPECT_TRUE(this->store_->time_zone_counts().empty());
  EXPECT_EQ(most_common_zone(this->store_->time_zone_counts()), "UTC");
  std::vector<Event> events;
  const std::vector<std::string> zones = {"Europe/Lisbon", "America/New_York", "Europe/Lisbon", "Asia/Tokyo",
                                          "America/New_York", "Europe/Berlin"};
  for (std::size_t i = 0; i < zones.size(); ++i) {
    Event e = sample("z" + std::to_string(i), kStart + static_cast<UnixSeconds>(i) * 60);
    e.time_zone = zones[i];
    if (i == 5) e.status = EventStatus::draft;
    events.push_back(e);
  }
  this->store_->upsert_events(events, 1000);
  const std::map<std::string, std::int64_t> want = {
      {"America/New_York", 2}, {"Asia/Tokyo", 1}, {"Europe/Berlin", 1}, {"Europe/Lisbon", 2}};
  EXPECT_EQ(this->store_->time_zone_counts(), want);
  EXPECT_EQ(most_common_zone(this->store_->time_zone_counts()), "America/New_York");  // a tie: the first name
  EXPECT_EQ(most_common_zone(this->store_->time_zone_counts()), most_common_zone(this->store_->list_events()));
  Event moved = events[3];
  moved.time_zone = "Europe/Lisbon";
  this->store_->upsert_events({moved}, 2000);
  EXPECT_EQ(most_common_zone(this->store_->time_zone_counts()), "Europe/Lisbon");
  EXPECT_EQ(this->store_->time_zone_counts().count("Asia/Tokyo"), 0u);
}

TYPED_TEST(Store_, FailedBatchWritesNothing) {
  this->store_->upsert_events({sample("keep", kStart)}, 1000);
  Event bad = sample("bad", kStart);
  bad.ends_at = bad.starts_at - 1;  // violates CHECK (ends_at >= starts_at)
  Event changed = sample("keep", kStart);
  changed.title = "Changed";
  EXPECT_THROW(this->store_->upsert_events({changed, sample("new", kStart), bad}, 2000), StoreError);
  EXPECT_EQ(this->store_->count_events(), 1);
  EXPECT_EQ(this->store_->find_event("keep")->title, sample("keep", kStart).title);
  EXPECT_FALSE(this->store_->find_event("new").has_value());
}

TYPED_TEST(Store_, OtherConnectionsSeeCommittedChanges) {
  auto other = this->reopen();
  const auto before = other->generation();
  this->store_->upsert_events({sample("shared", kStart)}, 1000);
  EXPECT_GT(other->generation(), before);
  EXPECT_TRUE(other->find_event("shared").has_value());
}

TYPED_TEST(Store_, ImportIsOneTransactionAndReimportUpdates) {
  ImportOptions opt;
  auto first = import_file(format_readers(), this->store_.get(), fixture("small_programme.csv"), opt, kClock);
  ASSERT_TRUE(first.ok()) << first.fatal;
  EXPECT_EQ(first.inserted, 5);
  EXPECT_EQ(first.rejected, 0);
  auto again = import_file(format_readers(), this->store_.get(), fixture("small_programme.csv"), opt, kClock);
  EXPECT_EQ(again.unchanged, 5);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(this->store_->count_events(), 5);

  // A fatal error (missing required column) leaves the store as it was.
  const auto gen = this->store_->generation();
  auto bad = import_bytes(format_readers(), this->store_.get(), "name,when\nx,2027-06-11\n", "bad.csv", opt, kClock);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.fatal.find("missing required column 'title'"), std::string::npos) << bad.fatal;
  EXPECT_EQ(this->store_->generation(), gen);
  EXPECT_EQ(this->store_->count_events(), 5);
}

TYPED_TEST(Store_, ExportImportRoundTrip) {
  ImportOptions opt;
  ASSERT_TRUE(import_file(format_readers(), this->store_.get(), fixture("small_programme.csv"), opt, kClock).ok());
  const auto original = this->store_->list_events();
  const std::string csv = export_events_csv(original);

  // Into a fresh store of the same kind, without a mapping.
  TypeParam other_backend;
  other_backend.create();
  {
    auto other = open_store(other_backend.url);
    other->migrate();
    auto r = import_bytes(format_readers(), other.get(), csv, "export.csv", opt, kClock);
    ASSERT_TRUE(r.ok()) << r.fatal;
    EXPECT_EQ(r.inserted, static_cast<std::int64_t>(original.size()));
    const auto copy = other->list_events();
    ASSERT_EQ(copy.size(), original.size());
    for (std::size_t i = 0; i < copy.size(); ++i) {
      Event a = original[i], b = copy[i];
      a.source_file = b.source_file = "";
      a.source_record = b.source_record = "";
      EXPECT_TRUE(same_content(a, b)) << a.key;
    }
    EXPECT_EQ(export_events_csv(copy), csv);
  }
  other_backend.destroy();
}

TYPED_TEST(Store_, FatalImportsLeaveTheStoreAsItWas) {
  ImportOptions opt;
  ASSERT_TRUE(import_file(format_readers(), this->store_.get(), fixture("small_programme.csv"), opt, kClock).ok());
  const auto before = this->store_->list_events();
  const auto gen = this->store_->generation();
  const std::pair<std::string, std::string> bad_inputs[] = {
      {"unbalanced.csv", "key,title,starts_at\nt-opening,\"Changed,2027-06-11\n"},
      {"columns.csv", "key,name\nt-opening,Changed\n"},
      {"broken.xml", "<schedule><day date=\"2027-06-11\"><event id=\"1\"></day>"},
      {"broken.ics", "not a calendar"},
  };
  for (const auto& [name, bytes] : bad_inputs) {
    auto r = import_bytes(format_readers(), this->store_.get(), bytes, name, opt, kClock);
    EXPECT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.inserted + r.updated, 0) << name;
  }
  EXPECT_EQ(this->store_->generation(), gen);
  EXPECT_EQ(this->store_->list_events(), before);
}
