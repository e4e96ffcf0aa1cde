#include "core/checkin_rules.hpp"

#include <gtest/gtest.h>

namespace marquee {
namespace {

constexpr UnixSeconds kOpen = 1'800'000'000;

CheckinListRules main_door(bool reentry = false) {
  CheckinListRules l;
  l.event_keys = {"concert", "talk"};
  l.allow_reentry = reentry;
  l.opens_at = kOpen;
  l.closes_at = kOpen + 6 * 3600;
  return l;
}

TicketAtDoor ticket(const std::string& event = "concert", AttendeeState state = AttendeeState::confirmed) {
  TicketAtDoor t;
  t.known = true;
  t.event_key = event;
  t.state = state;
  return t;
}

ScanInput scan(ScanDirection d, UnixSeconds at, const std::string& device = "gate-1", bool offline = false) {
  ScanInput s;
  s.direction = d;
  s.at = at;
  s.device = device;
  s.decided_offline = offline;
  return s;
}

TEST(CheckinRules, RefusalsInOrderWithTheirReasons) {
  const Presence none;
  const auto at = scan(ScanDirection::entry, kOpen + 60);
  EXPECT_EQ(decide_scan(main_door(), TicketAtDoor{}, none, at).refusal, ScanRefusal::unknown_code);
  EXPECT_EQ(decide_scan(main_door(), ticket("workshop"), none, at).refusal, ScanRefusal::other_event);
  EXPECT_EQ(decide_scan(main_door(), ticket("concert", AttendeeState::cancelled), none, at).refusal, ScanRefusal::cancelled);
  EXPECT_EQ(decide_scan(main_door(), ticket("concert", AttendeeState::waitlisted), none, at).refusal, ScanRefusal::waitlisted);
  EXPECT_EQ(decide_scan(main_door(), ticket(), none, scan(ScanDirection::entry, kOpen - 1)).refusal, ScanRefusal::list_closed);
  EXPECT_EQ(decide_scan(main_door(), ticket(), none, scan(ScanDirection::entry, kOpen + 6 * 3600)).refusal,
            ScanRefusal::list_closed);
  // An event the list does not admit is refused before the state is looked at.
  EXPECT_EQ(decide_scan(main_door(), ticket("workshop", AttendeeState::cancelled), none, at).refusal, ScanRefusal::other_event);
  for (const auto& r : {ScanRefusal::unknown_code, ScanRefusal::list_closed}) EXPECT_FALSE(to_string(r).empty());
}

TEST(CheckinRules, EntryThenSecondScanIsAlreadyInsideWithWhenAndWhere) {
  const auto in = decide_scan(main_door(), ticket(), Presence{}, scan(ScanDirection::entry, kOpen + 60, "gate-1"));
  ASSERT_EQ(in.outcome, ScanOutcome::admitted);
  EXPECT_EQ(in.occupancy_delta, 1);
  EXPECT_TRUE(in.after.inside);
  EXPECT_EQ(in.after.entries, 1);
  const auto again = decide_scan(main_door(), ticket(), in.after, scan(ScanDirection::entry, kOpen + 90, "gate-2"));
  EXPECT_EQ(again.outcome, ScanOutcome::refused);
  EXPECT_EQ(again.refusal, ScanRefusal::already_inside);
  EXPECT_EQ(again.after.entered_at, kOpen + 60);  // when…
  EXPECT_EQ(again.after.entered_device, "gate-1");  // …and where
  EXPECT_EQ(again.occupancy_delta, 0);
  // A checked-in registration (the old single check-in) is a confirmed ticket at the door.
  EXPECT_EQ(decide_scan(main_door(), ticket("talk", AttendeeState::checked_in), Presence{}, scan(ScanDirection::entry, kOpen)).outcome,
            ScanOutcome::admitted);
}

TEST(CheckinRules, ExitAndReentryOnlyWhereAllowed) {
  auto in = decide_scan(main_door(true), ticket(), Presence{}, scan(ScanDirection::entry, kOpen + 60));
  const auto out = decide_scan(main_door(true), ticket(), in.after, scan(ScanDirection::exit, kOpen + 600));
  ASSERT_EQ(out.outcome, ScanOutcome::exited);
  EXPECT_EQ(out.occupancy_delta, -1);
  EXPECT_FALSE(out.after.inside);
  const auto back = decide_scan(main_door(true), ticket(), out.after, scan(ScanDirection::entry, kOpen + 900));
  EXPECT_EQ(back.outcome, ScanOutcome::admitted);
  EXPECT_EQ(back.after.entries, 2);
  EXPECT_EQ(back.after.exits, 1);
  // Without re-entry the same sequence ends at the second entry.
  const auto no = decide_scan(main_door(false), ticket(), out.after, scan(ScanDirection::entry, kOpen + 900));
  EXPECT_EQ(no.refusal, ScanRefusal::no_reentry);
  // An exit of a ticket that is not inside.
  EXPECT_EQ(decide_scan(main_door(), ticket(), Presence{}, scan(ScanDirection::exit, kOpen + 60)).refusal, ScanRefusal::not_inside);
}

TEST(CheckinRules, TwoOfflineDevicesTheEarlierScanHoldsAndOccupancyCountsOne) {
  // Device B's scan reached the server first, but device A scanned earlier.
  const auto b = decide_scan(main_door(), ticket(), Presence{}, scan(ScanDirection::entry, kOpen + 120, "B", true));
  ASSERT_EQ(b.outcome, ScanOutcome::admitted);
  const auto a = decide_scan(main_door(), ticket(), b.after, scan(ScanDirection::entry, kOpen + 100, "A", true));
  EXPECT_EQ(a.outcome, ScanOutcome::duplicate);
  EXPECT_TRUE(a.supersedes_holding_entry);
  EXPECT_EQ(a.after.entered_at, kOpen + 100);
  EXPECT_EQ(a.after.entered_device, "A");
  EXPECT_EQ(a.after.entries, 1);
  EXPECT_EQ(b.occupancy_delta + a.occupancy_delta, 1);
  // The later one of two offline scans is the duplicate, and the holding entry stays.
  const auto c = decide_scan(main_door(), ticket(), a.after, scan(ScanDirection::entry, kOpen + 130, "C", true));
  EXPECT_EQ(c.outcome, ScanOutcome::duplicate);
  EXPECT_FALSE(c.supersedes_holding_entry);
  EXPECT_EQ(c.after.entered_device, "A");
  // Offline exits and re-entries that cannot apply are recorded, never refused.
  EXPECT_EQ(decide_scan(main_door(), ticket(), Presence{}, scan(ScanDirection::exit, kOpen + 60, "A", true)).outcome,
            ScanOutcome::duplicate);
  // Offline does not make an unknown or forged code acceptable.
  EXPECT_EQ(decide_scan(main_door(), TicketAtDoor{}, Presence{}, scan(ScanDirection::entry, kOpen + 60, "A", true)).refusal,
            ScanRefusal::unknown_code);
}

TEST(CheckinRules, DirectionsParseAndPrint) {
  EXPECT_EQ(parse_scan_direction("entry"), ScanDirection::entry);
  EXPECT_EQ(parse_scan_direction("exit"), ScanDirection::exit);
  EXPECT_EQ(parse_scan_direction("in"), std::nullopt);
  EXPECT_EQ(to_string(ScanDirection::exit), "exit");
  EXPECT_EQ(to_string(ScanOutcome::duplicate), "duplicate");
}

}  // namespace
}  // namespace marquee

namespace marquee {
namespace {

TEST(CheckinRules, AFullRoomRefusesEntriesNotExitsNorOfflineEntries) {
  TicketAtDoor full = ticket();
  full.room_full = true;
  const Presence none;
  const auto entry = decide_scan(main_door(), full, none, scan(ScanDirection::entry, kOpen + 60));
  EXPECT_EQ(entry.outcome, ScanOutcome::refused);
  EXPECT_EQ(entry.refusal, ScanRefusal::room_full);
  EXPECT_EQ(to_string(ScanRefusal::room_full), "room_full");
  // Someone inside already is told so rather than "room full".
  Presence inside;
  inside.inside = true;
  inside.entries = 1;
  inside.entered_at = kOpen;
  EXPECT_EQ(decide_scan(main_door(), full, inside, scan(ScanDirection::entry, kOpen + 60)).refusal, ScanRefusal::already_inside);
  // Leaving is always possible.
  EXPECT_EQ(decide_scan(main_door(), full, inside, scan(ScanDirection::exit, kOpen + 60)).outcome, ScanOutcome::exited);
  // A phone that decided offline has let the person in: recorded.
  EXPECT_EQ(decide_scan(main_door(), full, none, scan(ScanDirection::entry, kOpen + 60, "gate-2", true)).outcome,
            ScanOutcome::admitted);
  // The same ticket with room inside is admitted.
  EXPECT_EQ(decide_scan(main_door(), ticket(), none, scan(ScanDirection::entry, kOpen + 60)).outcome, ScanOutcome::admitted);
}

}  // namespace
}  // namespace marquee

namespace marquee {
namespace {

TEST(CheckinRules, PlacesReleasedAtTheDoor) {
  const Presence none;
  const auto entry = scan(ScanDirection::entry, kOpen + 60);
  TicketAtDoor released = ticket("concert", AttendeeState::cancelled);
  released.released_at_door = kOpen + 30;
  EXPECT_EQ(decide_scan(main_door(), released, none, entry).refusal, ScanRefusal::released);
  // A phone that was offline let the holder in before the release: recorded as an entry.
  EXPECT_EQ(decide_scan(main_door(), released, none, scan(ScanDirection::entry, kOpen + 10, "gate-2", true)).outcome,
            ScanOutcome::admitted);
  EXPECT_EQ(decide_scan(main_door(), released, none, scan(ScanDirection::entry, kOpen + 40, "gate-2", true)).refusal,
            ScanRefusal::released);
  EXPECT_EQ(to_string(ScanRefusal::released), "released");
  TicketAtDoor waiting = ticket("concert", AttendeeState::waitlisted);
  EXPECT_EQ(decide_scan(main_door(), waiting, none, entry).refusal, ScanRefusal::waitlisted);
  waiting.door_place = true;
  const auto d = decide_scan(main_door(), waiting, none, entry);
  EXPECT_EQ(d.outcome, ScanOutcome::admitted);
  EXPECT_TRUE(d.takes_door_place);
  // Not offline, not on the way out, not outside the list's hours.
  EXPECT_EQ(decide_scan(main_door(), waiting, none, scan(ScanDirection::entry, kOpen + 60, "gate-2", true)).refusal,
            ScanRefusal::waitlisted);
  EXPECT_EQ(decide_scan(main_door(), waiting, none, scan(ScanDirection::exit, kOpen + 60)).refusal, ScanRefusal::waitlisted);
  EXPECT_EQ(decide_scan(main_door(), waiting, none, scan(ScanDirection::entry, kOpen - 1)).refusal, ScanRefusal::list_closed);
  // A confirmed ticket is never "taking a door place".
  EXPECT_FALSE(decide_scan(main_door(), ticket(), none, entry).takes_door_place);
}

}  // namespace
}  // namespace marquee
