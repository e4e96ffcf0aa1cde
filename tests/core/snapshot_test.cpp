#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "app/programme_cache.hpp"
#include "app/snapshot_codec.hpp"
#include "core/snapshot_diff.hpp"
#include "ports/store.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using marquee::testing::an_event;

namespace {
Event ev(const std::string& key, const std::string& title) {
  return an_event(key).title(title).tags({"a", "b"}).registration(10).questions(
      {Question{"diet", QuestionKind::choice, true, "Diet", {"None", "Vegan"}}});
}
/// The line as snapshots were written until the twenty-third session: a
/// Boost.JSON object built in the format's field order, serialized.
std::string line_by_json_object(const Event& e) {
  boost::json::object o;
  o["key"] = e.key;
  o["title"] = e.title;
  o["description"] = e.description;
  o["starts_at"] = e.starts_at;
  o["ends_at"] = e.ends_at;
  o["time_zone"] = e.time_zone;
  o["all_day"] = e.all_day;
  o["venue"] = e.venue;
  o["address"] = e.address;
  o["room"] = e.room;
  o["category"] = e.category;
  boost::json::array tags;
  for (const auto& t : e.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["organizer"] = e.organizer;
  o["url"] = e.url;
  o["image_url"] = e.image_url;
  o["price"] = e.price;
  if (e.capacity) o["capacity"] = *e.capacity;
  else o["capacity"] = nullptr;
  o["status"] = to_string(e.status);
  o["registration"] = e.registration;
  o["waitlist"] = e.waitlist;
  if (e.retention_days) o["retention_days"] = *e.retention_days;
  else o["retention_days"] = nullptr;
  o["questions"] = format_questions(e.questions);
  return boost::json::serialize(o) + "\n";
}
}  // namespace

TEST(SnapshotDiff, AddedRemovedChangedByField) {
  Event moved = ev("b", "B");
  moved.starts_at += 3600;
  moved.room = "Hall 2";
  auto changes = diff_programmes({ev("a", "A"), ev("b", "B"), ev("c", "C")}, {moved, ev("c", "C"), ev("d", "D")});
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].event_key, "a");
  EXPECT_EQ(changes[0].kind, ChangeKind::removed);
  EXPECT_EQ(changes[1].event_key, "b");
  EXPECT_EQ(changes[1].fields, (std::vector<std::string>{"starts_at", "room"}));
  EXPECT_EQ(changes[2].event_key, "d");
  EXPECT_EQ(changes[2].kind, ChangeKind::added);
  // Details: the changed fields with both values, plus title, start and zone as context.
  const Event before = ev("b", "B");
  EXPECT_EQ(changes[1].details,
            (FieldValuesList{{"title", "B", "B"},
                             {"starts_at", std::to_string(before.starts_at), std::to_string(moved.starts_at)},
                             {"time_zone", "Europe/Berlin", "Europe/Berlin"},
                             {"room", before.room, "Hall 2"}}));
  // Added and removed events carry one side only, eight fields as the changelog shows them.
  EXPECT_EQ(changes[0].details.front(), (FieldValues{"title", "A", ""}));
  EXPECT_EQ(changes[2].details.front(), (FieldValues{"title", "", "D"}));
  Event full = ev("e", "Opening night");
  full.starts_at = -86400;  // before 1970: a negative number of seconds
  full.ends_at = 1800003600;
  full.all_day = true;
  full.venue = "Hall";
  full.room = "";
  full.status = EventStatus::cancelled;
  const std::vector<FieldValues> sides{{"title", "Opening night"}, {"starts_at", "-86400"}, {"ends_at", "1800003600"},
                                       {"time_zone", "Europe/Berlin"}, {"all_day", "true"}, {"venue", "Hall"},
                                       {"room", ""}, {"status", "cancelled"}};
  FieldValuesList added, removed;
  for (const auto& f : sides) {
    added.push_back(f.field, "", f.before);
    removed.push_back(f.field, f.before, "");
  }
  EXPECT_EQ(diff_programmes({}, {full}).at(0).details, added);
  EXPECT_EQ(diff_programmes({full}, {}).at(0).details, removed);
  for (const auto& f : sides) EXPECT_EQ(change_value(full, f.field), f.before) << f.field;
}

TEST(SnapshotDiff, EitherSideInAnyOrderAKeyGivenTwiceCountsWithItsLastEvent) {
  // The same programmes as in key order, shuffled, with "c" given twice
  // before (first a stale title) and "a" twice after.
  const auto in_order = diff_programmes({ev("a", "A"), ev("b", "B"), ev("c", "C")}, {ev("a", "A2"), ev("c", "C"), ev("d", "D")});
  const auto shuffled = diff_programmes({ev("c", "old"), ev("b", "B"), ev("a", "A"), ev("c", "C")},
                                        {ev("d", "D"), ev("a", "first"), ev("c", "C"), ev("a", "A2")});
  EXPECT_EQ(shuffled, in_order);
  ASSERT_EQ(shuffled.size(), 3u);
  EXPECT_EQ(shuffled[0].event_key, "a");
  EXPECT_EQ(shuffled[0].fields, std::vector<std::string>{"title"});
  EXPECT_EQ(shuffled[0].details.front(), (FieldValues{"title", "A", "A2"}));
  EXPECT_EQ(shuffled[1].event_key, "b");
  EXPECT_EQ(shuffled[1].kind, ChangeKind::removed);
  EXPECT_EQ(shuffled[2].event_key, "d");
  EXPECT_EQ(shuffled[2].kind, ChangeKind::added);
}

// Large programmes are diffed in two key ranges on two threads: the changes
// are those of a plain comparison by key, in key order, whichever side is
// larger and wherever the middle key falls.
TEST(SnapshotDiff, LargeProgrammesDiffedInTwoRangesGiveEveryChangeInKeyOrder) {
  for (const int extra : {0, 6000}) {  // the after side larger, or not
    std::vector<Event> before, after;
    std::map<std::string, std::pair<const char*, std::string>> expected;  // key -> (kind, title after)
    for (int i = 0; i < 12000; ++i) {
      const std::string key = "k" + std::to_string(100000 + i);
      before.push_back(ev(key, "T" + std::to_string(i)));
      if (i % 7 == 0) {
        expected[key] = {"removed", ""};
      } else if (i % 5 == 0) {
        after.push_back(ev(key, "Changed " + std::to_string(i)));
        expected[key] = {"changed", "Changed " + std::to_string(i)};
      } else {
        after.push_back(before.back());
      }
    }
    for (int i = 0; i < 500 + extra; ++i) {
      const std::string key = "k1" + std::to_string(5000 + i) + "x";  // among the others, around the middle too
      after.push_back(ev(key, "New " + std::to_string(i)));
      expected[key] = {"added", "New " + std::to_string(i)};
    }
    std::reverse(after.begin(), after.end());  // either side in any order
    const auto changes = diff_programmes(before, after);
    ASSERT_EQ(changes.size(), expected.size()) << extra;
    auto want = expected.begin();
    for (const auto& c : changes) {
      ASSERT_EQ(c.event_key, want->first);
      EXPECT_EQ(to_string(c.kind), want->second.first) << c.event_key;
      if (c.kind != ChangeKind::removed) EXPECT_EQ(c.details.front().after, want->second.second) << c.event_key;
      ++want;
    }
    // The after side as pointers (a publish's): the same changes, and a first publish adds each.
    std::vector<const Event*> pointers;
    for (const Event& e : after) pointers.push_back(&e);
    EXPECT_EQ(diff_programmes_by_pointer(before, pointers), changes) << extra;
    EXPECT_EQ(diff_programmes_by_pointer({}, pointers), diff_programmes({}, after)) << extra;
    EXPECT_EQ(diff_programmes_by_pointer(before, {}), diff_programmes(before, {})) << extra;
  }
  // A key given twice among the pointers counts once, with its last event, as in a vector.
  const std::vector<Event> before{ev("k1", "One"), ev("k2", "Two")};
  const std::vector<Event> after{ev("k3", "Three"), ev("k2", "Two, first"), ev("k1", "One"), ev("k2", "Two, last")};
  const std::vector<const Event*> pointers{&after[0], &after[1], &after[2], &after[3]};
  const auto twice = diff_programmes_by_pointer(before, pointers);
  EXPECT_EQ(twice, diff_programmes(before, after));
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_EQ(twice[0].event_key, "k2");
  EXPECT_EQ(twice[0].details.front().after, "Two, last");
  EXPECT_EQ(twice[1].event_key, "k3");
}

TEST(SnapshotDiff, PublicEventsDropDraftsAndBookkeeping) {
  Event draft = ev("z", "Z");
  draft.status = EventStatus::draft;
  Event a = ev("a", "A");
  a.version = 7;
  a.updated_at = 99;
  a.warnings = {Warning{"url", "x"}};
  Event early = ev("c", "C");
  early.starts_at = a.starts_at - 3600;
  auto pub = public_events({draft, ev("b", "B"), a, early});
  ASSERT_EQ(pub.size(), 3u);  // in the programme's order: by start, then key
  EXPECT_EQ(pub[0].key, "c");
  EXPECT_EQ(pub[1].key, "a");
  EXPECT_EQ(pub[2].key, "b");
  EXPECT_EQ(pub[1].version, 0);
  EXPECT_TRUE(pub[1].warnings.empty());
}

// Lines are written field by field: the same bytes as a serialized JSON
// object (a programme published again gives the same content hash), for
// escapes, control characters, non-ASCII text, long texts, empty and
// negative values and every flag.
TEST(SnapshotCodec, LinesAreTheBytesOfASerializedJsonObject) {
  std::vector<Event> events;
  Event a = ev("a", "Fado à Noite \"quoted\" back\\slash\ttab\nline \x01\x1f \u2028 😀 </script>");
  a.description = std::string(5000, 'x') + "\"" + std::string(3000, '\n') + "é";  // longer than a read of the serializer
  a.all_day = true;
  a.capacity.reset();
  a.retention_days = 30;
  a.status = EventStatus::cancelled;
  a.waitlist = true;
  a.starts_at = -86400;
  a.ends_at = 4102444800;
  events.push_back(a);
  Event b = an_event("b");  // empty texts, no tags, no questions
  b.title.clear();
  b.tags.clear();
  b.capacity = 0;
  b.registration = false;
  events.push_back(b);
  Event c = ev("c", "C");
  c.tags = {"", "tag \"one\"", "ünï"};
  c.capacity = 9223372036854775807LL;
  c.retention_days = 0;
  c.price = "12 €";
  c.url = "https://example.org/a?b=c&d=e";
  events.push_back(c);
  std::string expected;
  for (const auto& e : events) expected += line_by_json_object(e);
  EXPECT_EQ(encode_snapshot(events), expected);
  EXPECT_EQ(decode_snapshot(expected), events);
}

// Texts with nothing to escape are copied as they are, looked at sixteen
// bytes at a time (SSE2), then eight, then one: every byte JSON escapes and
// the bytes next to them that it does not (0x20, 0x21, 0x23, '[', ']', DEL,
// bytes over 0x7F), at every place of each of those steps.
TEST(SnapshotCodec, EveryByteAtEveryPlaceIsEscapedAsBySerializingJson) {
  std::vector<Event> events;
  for (const char c : std::string("\x00\x01\x1f\x20\x21\"\x23[\\]\x7f\x80\xff", 13))
    for (const std::size_t len : {1u, 7u, 8u, 9u, 16u, 19u, 24u, 25u, 33u})
      for (std::size_t at = 0; at < len; ++at) {
        Event e = ev("k" + std::to_string(events.size()), std::string(len, 'a'));
        e.title[at] = c;
        e.tags = {e.title};
        events.push_back(e);
      }
  std::string expected;
  for (const auto& e : events) expected += line_by_json_object(e);
  EXPECT_EQ(encode_snapshot(events), expected);
}

TEST(SnapshotCodec, RoundTripIsExactAndDeterministic) {
  Event a = ev("a", "Fado à Noite \"quoted\"\nline");
  a.all_day = true;
  a.capacity.reset();
  a.retention_days = 30;
  a.status = EventStatus::cancelled;
  const std::vector<Event> events = public_events({a, ev("b", "B")});
  const std::string payload = encode_snapshot(events);
  EXPECT_EQ(encode_snapshot(decode_snapshot(payload)), payload);
  EXPECT_EQ(decode_snapshot(payload), events);
  EXPECT_THROW(decode_snapshot("{\"key\": 1}\n"), SnapshotFormatError);
  EXPECT_THROW(decode_snapshot("not json\n"), SnapshotFormatError);
}

// Large programmes are encoded in parts of pieces (each part on a thread of
// the store's) and decoded in chunks on two threads (issue 22): the bytes,
// the events and the line named by an error are those of one pass.
TEST(SnapshotCodec, LargeProgrammesSplitAcrossThreadsGiveTheSameBytes) {
  std::vector<Event> events;
  for (int i = 0; i < 9000; ++i) {
    Event e = ev("k" + std::to_string(100000 + i), i % 3 ? "Talk \"" + std::to_string(i) + "\"" : "Käse & Brot");
    e.starts_at += i * 60;
    if (i % 5 == 0) e.capacity.reset();
    events.push_back(std::move(e));
  }
  const std::vector<Event> first(events.begin(), events.begin() + 3000), second(events.begin() + 3000, events.begin() + 6000),
      third(events.begin() + 6000, events.end());
  const std::string payload = encode_snapshot(events);
  EXPECT_EQ(payload, encode_snapshot(first) + encode_snapshot(second) + encode_snapshot(third));  // line by line
  // In two parts (from 4,000 events on), each in pieces ending at line ends: the same bytes.
  ASSERT_EQ(snapshot_parts(events.size()), 2u);
  EXPECT_EQ(snapshot_parts(3999), 1u);
  std::string parts;
  std::size_t pieces = 0;
  for (std::size_t part = 0; part < 2; ++part)
    encode_snapshot_part(events, part, 2, [&](std::string_view piece) {
      ++pieces;
      EXPECT_EQ(piece.back(), '\n');
      EXPECT_LT(piece.size(), std::size_t{64} * 1024 + 1024);  // about the size asked for: a line more at most
      parts += piece;
    }, 64 * 1024);
  EXPECT_EQ(parts, payload);
  EXPECT_GT(pieces, payload.size() / (64 * 1024));
  // The events given as pointers, in that order (a publish's programme order): the same bytes.
  std::vector<const Event*> pointers;
  for (const Event& e : events) pointers.push_back(&e);
  std::string by_pointer;
  for (std::size_t part = 0; part < 2; ++part)
    encode_snapshot_part_by_pointer(pointers, part, 2, [&](std::string_view piece) { by_pointer += piece; });
  EXPECT_EQ(by_pointer, payload);
  std::reverse(pointers.begin(), pointers.end());
  by_pointer.clear();
  encode_snapshot_part_by_pointer(pointers, 0, 1, [&](std::string_view piece) { by_pointer += piece; });
  EXPECT_EQ(by_pointer, encode_snapshot(std::vector<Event>(events.rbegin(), events.rend())));
  EXPECT_THROW(encode_snapshot_part_by_pointer(pointers, 1, 1, [](std::string_view) {}), std::invalid_argument);
  std::size_t empty_pieces = 0;
  encode_snapshot_part({}, 0, 1, [&](std::string_view) { ++empty_pieces; });
  EXPECT_EQ(empty_pieces, 0u);  // no events, no piece
  EXPECT_EQ(encode_snapshot({}), "");
  EXPECT_THROW(encode_snapshot_part(events, 2, 2, [](std::string_view) {}), std::invalid_argument);
  // What the sink throws stops the encoding.
  int calls = 0;
  EXPECT_THROW(encode_snapshot_part(events, 0, 1, [&](std::string_view) {
                 ++calls;
                 throw std::runtime_error("full");
               }, 1024),
               std::runtime_error);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(decode_snapshot(payload), events);
  // Blank lines (none written, but skipped when read) in both halves: each
  // half decodes into its own slots, the gap they leave is closed.
  std::string spaced = payload;
  for (int n : {7000, 4000, 1500, 10}) {  // from the end, so the earlier offsets hold
    std::size_t at = 0;
    for (int line = 1; line < n; ++line) at = spaced.find('\n', at) + 1;
    spaced.insert(at, "\n\n");
  }
  EXPECT_EQ(decode_snapshot(spaced), events);
  const std::vector<ProgrammeEntry> entries = decode_snapshot_entries(spaced);  // the same, each in its entry
  ASSERT_EQ(entries.size(), events.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].event, events[i]) << i;
    EXPECT_TRUE(entries[i].local_date.empty()) << i;
  }
  // The same into slots still being made, the last line without its line end too.
  for (const std::string& text : {spaced, spaced.substr(0, spaced.size() - 1)}) {
    SlotsMadeAhead<ProgrammeEntry> ahead(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 2);
    const std::vector<ProgrammeEntry> made_ahead = decode_snapshot_entries(text, ahead);
    ASSERT_EQ(made_ahead.size(), events.size());
    for (std::size_t i = 0; i < made_ahead.size(); ++i) ASSERT_EQ(made_ahead[i].event, events[i]) << i;
  }
  EXPECT_EQ(decode_snapshot("\n" + encode_snapshot(first) + "\n"), first);
  // A bad line in the second half is named by its line in the whole payload.
  std::string broken = payload;
  std::size_t at = 0;
  for (int line = 1; line < 8000; ++line) at = broken.find('\n', at) + 1;
  broken.insert(at, "not json\n");
  try {
    decode_snapshot(broken);
    FAIL() << "a malformed line must be refused";
  } catch (const SnapshotFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("line 8000:"), std::string::npos) << e.what();
  }
  // Two bad lines in chunks taken by either thread: the first in the payload is named.
  at = 0;
  for (int line = 1; line < 1500; ++line) at = broken.find('\n', at) + 1;
  broken.insert(at, "{\"key\": 1}\n");
  try {
    decode_snapshot(broken);
    FAIL() << "a malformed line must be refused";
  } catch (const SnapshotFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("line 1500:"), std::string::npos) << e.what();
  }
}

// A server builds its programme from entries decoded in place; the entries
// (dates, times, search text, order, those left out) are those built from
// the decoded events.
TEST(SnapshotCodec, EntriesDecodedInPlaceBuildTheSameProgramme) {
  std::vector<Event> events;
  for (int i = 0; i < 5000; ++i) {
    Event e = ev("k" + std::to_string(100000 + i), i % 2 ? "Lesung" : "Käse & Brot");
    e.starts_at += (4999 - i) * 3600;  // by key is not by start
    e.ends_at = e.starts_at + 1800;
    e.time_zone = i % 3 ? "Europe/Berlin" : "America/New_York";
    e.all_day = i % 7 == 0;
    events.push_back(std::move(e));
  }
  events[10].time_zone = "Mars/Olympus";  // left out with a warning either way
  const std::string payload = encode_snapshot(events);
  const auto from_events = build_programme(decode_snapshot(payload), 3);
  const auto from_entries = build_programme_from_entries(decode_snapshot_entries(payload), 3);
  // Slots made ahead (as a server does while it reads the payload), too few or too many: the same events.
  for (const std::size_t made : {events.size() + 1, events.size() / 2, events.size() * 2}) {
    const auto entries = decode_snapshot_entries(payload, std::vector<ProgrammeEntry>(made));
    ASSERT_EQ(entries.size(), events.size()) << made;
    EXPECT_TRUE(std::equal(entries.begin(), entries.end(), events.begin(),
                           [](const ProgrammeEntry& p, const Event& e) { return p.event == e; }))
        << made;
  }
  // Slots still being made on another thread (as a server makes them while it reads the payload),
  // enough, too few or too many, and for a payload decoded in one pass: the same events.
  const std::string small = encode_snapshot(std::vector<Event>(events.begin(), events.begin() + 40));
  for (const std::size_t made : {events.size() + 1, events.size() / 2, events.size() * 2, std::size_t{0}}) {
    SlotsMadeAhead<ProgrammeEntry> ahead(made);
    const auto entries = decode_snapshot_entries(payload, ahead);
    ASSERT_EQ(entries.size(), events.size()) << made;
    EXPECT_TRUE(std::equal(entries.begin(), entries.end(), events.begin(),
                           [](const ProgrammeEntry& p, const Event& e) { return p.event == e; }))
        << made;
    SlotsMadeAhead<ProgrammeEntry> for_small(made);
    const auto few = decode_snapshot_entries(small, for_small);
    ASSERT_EQ(few.size(), 40u) << made;
    for (std::size_t i = 0; i < few.size(); ++i) EXPECT_EQ(few[i].event, events[i]) << i;
  }
  {  // a malformed line is named as without them, and the slots are left to be destroyed
    std::string broken = payload;
    std::size_t at = 0;
    for (int line = 1; line < 3000; ++line) at = broken.find('\n', at) + 1;
    broken.insert(at, "not json\n");
    SlotsMadeAhead<ProgrammeEntry> ahead(events.size() + 2);
    try {
      decode_snapshot_entries(broken, ahead);
      FAIL() << "a malformed line must be refused";
    } catch (const SnapshotFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("line 3000:"), std::string::npos) << e.what();
    }
  }
  // Entries made as each event is parsed, on the parsing threads (as a server installs a snapshot).
  std::atomic<int> made_count{0};
  const auto made_while_parsed = build_programme_from_made_entries(
      decode_snapshot_entries(payload, {}, [&](ProgrammeEntry& p) { made_count += make_programme_entry(p) ? 1 : 0; }), 3);
  EXPECT_EQ(made_count, static_cast<int>(events.size()) - 1);
  SlotsMadeAhead<ProgrammeEntry> ahead(events.size() + 1);  // both at once, as a server does
  std::atomic<int> made_ahead_count{0};
  const auto made_in_slots_ahead = build_programme_from_made_entries(
      decode_snapshot_entries(payload, ahead, [&](ProgrammeEntry& p) { made_ahead_count += make_programme_entry(p) ? 1 : 0; }), 3);
  EXPECT_EQ(made_ahead_count, static_cast<int>(events.size()) - 1);
  for (const auto& built : {from_entries, made_while_parsed, made_in_slots_ahead}) {
    ASSERT_EQ(built->entries().size(), from_events->entries().size());
    EXPECT_EQ(built->entries().size(), events.size() - 1);
    for (std::size_t i = 0; i < from_events->entries().size(); ++i) {
      const ProgrammeEntry& a = from_events->entries()[i];
      const ProgrammeEntry& b = built->entries()[i];
      EXPECT_EQ(b.event, a.event) << i;
      EXPECT_EQ(std::tie(b.local_date, b.local_start, b.local_end, b.local_end_date, b.utc_offset, b.zone_abbrev),
                std::tie(a.local_date, a.local_start, a.local_end, a.local_end_date, a.utc_offset, a.zone_abbrev))
          << i;
    }
  }
  EXPECT_EQ(made_while_parsed->find("k100010"), nullptr);  // the event in no known zone
  ASSERT_NE(made_while_parsed->find("k100011"), nullptr);
}

namespace {

// A payload in pieces as a store gives them (PayloadPieces), each handed out
// through the caller's buffer; one of them, if named, damaged.
class TextPieces final : public PayloadPieces {
 public:
  explicit TextPieces(std::vector<std::string> pieces, std::size_t damaged = SIZE_MAX)
      : pieces_(std::move(pieces)), damaged_(damaged) {}
  std::size_t size() const override { return pieces_.size(); }
  std::size_t content_bytes() const override {
    std::size_t n = 0;
    for (const auto& p : pieces_) n += p.size();
    return n;
  }
  std::string_view text(std::size_t i, std::string& buffer) const override {
    if (i == damaged_) throw StoreError("LZ4 frame: content checksum wrong");
    buffer = pieces_.at(i);
    return buffer;
  }

 private:
  std::vector<std::string> pieces_;
  std::size_t damaged_;
};

// `payload` cut into pieces of about `bytes`, each ending at a line end (the last as the payload ends).
std::vector<std::string> cut_at_line_ends(const std::string& payload, std::size_t bytes) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < payload.size();) {
    std::size_t end = payload.find('\n', std::min(payload.size() - 1, at + bytes));
    end = end == std::string::npos ? payload.size() : end + 1;
    out.push_back(payload.substr(at, end - at));
    at = end;
  }
  return out;
}

std::optional<std::vector<ProgrammeEntry>> decode_pieces(std::vector<std::string> pieces, std::size_t slots,
                                                         std::size_t damaged = SIZE_MAX) {
  SlotsMadeAhead<ProgrammeEntry> ahead(slots);
  return decode_snapshot_entries(TextPieces(std::move(pieces), damaged), ahead);
}

}  // namespace

// A payload in the pieces a store keeps it in (a frame a row) gives the
// events of the whole payload, decoded piece by piece on two threads into
// slots made ahead; pieces that cannot be decoded one by one are left to
// the whole payload's decoding; a malformed line or a damaged piece is
// reported as the first in payload order.
TEST(SnapshotCodec, EntriesDecodedFromStoredPiecesAreThoseOfTheWholePayload) {
  std::vector<Event> events;
  for (int i = 0; i < 6000; ++i) {
    Event e = ev("p" + std::to_string(100000 + i), i % 2 ? "Lesung" : "Käse & Brot");
    e.starts_at += i * 60;
    e.ends_at = e.starts_at + 1800;
    events.push_back(std::move(e));
  }
  const std::string payload = encode_snapshot(events);
  const auto same_events = [&](const std::vector<ProgrammeEntry>& entries) {
    return entries.size() == events.size() &&
           std::equal(entries.begin(), entries.end(), events.begin(), [](const ProgrammeEntry& p, const Event& e) { return p.event == e; });
  };
  const std::vector<std::string> pieces = cut_at_line_ends(payload, 40000);
  ASSERT_GT(pieces.size(), 20u);
  for (const std::size_t slots : {events.size(), events.size() + 1, events.size() * 2}) {
    const auto entries = decode_pieces(pieces, slots);
    ASSERT_TRUE(entries) << slots;
    EXPECT_TRUE(same_events(*entries)) << slots;
  }
  EXPECT_FALSE(decode_pieces(pieces, events.size() - 1).has_value());  // more lines than slots: the whole payload is needed
  {  // one piece: as the whole payload
    const auto entries = decode_pieces({payload}, events.size() + 1);
    ASSERT_TRUE(entries);
    EXPECT_TRUE(same_events(*entries));
  }
  {  // empty pieces, blank lines and a last line without its line end: the same events
    std::vector<std::string> odd = pieces;
    odd.insert(odd.begin() + 3, "");
    odd.insert(odd.begin() + 7, "\n\n");
    odd[10] = "\n" + odd[10];
    odd.back().pop_back();
    const auto entries = decode_pieces(odd, events.size() + 4);
    ASSERT_TRUE(entries);
    EXPECT_TRUE(same_events(*entries));
  }
  {  // a piece before the last ending inside a line (stored so before pieces were whole lines)
    std::vector<std::string> split = pieces;
    split[4] += split[5].substr(0, 10);
    split[5].erase(0, 10);
    EXPECT_FALSE(decode_pieces(split, events.size() + 1).has_value());
  }
  // Entries made as each event is parsed, on the parsing threads, as a server installs a snapshot.
  {
    std::atomic<int> made{0};
    SlotsMadeAhead<ProgrammeEntry> ahead(events.size());
    const auto entries = decode_snapshot_entries(TextPieces(pieces), ahead, [&](ProgrammeEntry& p) {
      made += make_programme_entry(p) ? 1 : 0;
    });
    ASSERT_TRUE(entries);
    EXPECT_EQ(made, static_cast<int>(events.size()));
    for (const auto& entry : *entries) ASSERT_FALSE(entry.local_date.empty()) << entry.event.key;
  }
  // A malformed line, named by its line in the whole payload; before a damaged piece it is the one reported.
  std::vector<std::string> broken = pieces;
  std::size_t before = 0, k = 0;  // lines before piece k
  for (; k < 12; ++k) before += static_cast<std::size_t>(std::count(broken[k].begin(), broken[k].end(), '\n'));
  const std::size_t second = broken[k].find('\n') + 1;
  broken[k].insert(second, "not json\n");  // the piece's second line
  for (const std::size_t damaged : {SIZE_MAX, k + 3}) {
    try {
      decode_pieces(broken, events.size() + 1, damaged);
      FAIL() << "a malformed line must be refused";
    } catch (const SnapshotFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("line " + std::to_string(before + 2) + ":"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(decode_pieces(broken, events.size() + 1, k - 2), StoreError);  // a damaged piece before it
  EXPECT_THROW(decode_pieces(pieces, events.size() + 1, 0), StoreError);
  EXPECT_THROW(decode_pieces(pieces, events.size() + 1, pieces.size() - 1), StoreError);
  // What `made` throws reaches the caller: the first in payload order.
  SlotsMadeAhead<ProgrammeEntry> ahead(events.size());
  try {
    decode_snapshot_entries(TextPieces(pieces), ahead, [](ProgrammeEntry& p) {
      if (p.event.key == "p104000" || p.event.key == "p105500") throw std::runtime_error("cannot make " + p.event.key);
    });
    FAIL() << "what made threw must be thrown";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot make p104000");
  }
}

// Issue 14: a snapshot whose description differs from the last one only by
// its line endings records no change (no "Description updated" in the changelog).
TEST(SnapshotDiff, LineEndingsAloneAreNoChange) {
  marquee::Event a;
  a.key = "k";
  a.title = "T";
  a.time_zone = "UTC";
  a.description = "one\r\ntwo";
  marquee::Event b = a;
  b.description = "one\ntwo";
  EXPECT_TRUE(marquee::diff_programmes({a}, {b}).empty());
  b.description = "one\nthree";
  EXPECT_EQ(marquee::diff_programmes({a}, {b}).size(), 1u);
}
