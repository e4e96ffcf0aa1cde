// Places on the event page (issue 14): never the capacity as if it were free.
#include <gtest/gtest.h>

#include "adapters/web/pages.hpp"
#include "app/programme_cache.hpp"
#include "core/availability.hpp"
#include "core/registration.hpp"
#include "core/text.hpp"

using namespace marquee;

namespace {

Event event(std::optional<std::int64_t> capacity, bool registration, bool waitlist) {
  Event e;
  e.key = "e";
  e.status = EventStatus::published;
  e.starts_at = 2000;
  e.capacity = capacity;
  e.registration = registration;
  e.waitlist = waitlist;
  return e;
}

}  // namespace

TEST(Availability, PlacesCountDownThenTheWaitingListOrFull) {
  const Event e = event(12, true, true);
  EXPECT_EQ(places_text(places_for(e, std::nullopt, 1000)), "12 places left");
  EXPECT_EQ(places_text(places_for(e, 11, 1000)), "1 place left");
  EXPECT_EQ(register_label(places_for(e, 11, 1000)), "Register");
  EXPECT_EQ(places_text(places_for(e, 12, 1000)), "Full – join the waiting list");
  EXPECT_EQ(register_label(places_for(e, 13, 1000)), "Join the waiting list");
  const Event no_list = event(1, true, false);
  EXPECT_EQ(places_text(places_for(no_list, 1, 1000)), "Full – no places left");
  EXPECT_EQ(register_label(places_for(no_list, 1, 1000)), "");
}

TEST(Availability, ClosedWhenStartedOrNotPublishedAndWalkInsSayNoRegistration) {
  Event e = event(12, true, true);
  EXPECT_EQ(places_for(e, 0, 2000).state, PlacesState::closed) << "registration closes at the start";
  EXPECT_EQ(register_label(places_for(e, 0, 2000)), "");
  e.status = EventStatus::cancelled;
  EXPECT_EQ(places_text(places_for(e, 0, 1000)), "Registration is closed");
  EXPECT_EQ(places_text(places_for(event(std::nullopt, true, false), 5, 1000)), "Registration is open");
  EXPECT_EQ(places_text(places_for(event(120, false, false), 0, 1000)), "No registration needed (room for 120)");
  EXPECT_EQ(places_text(places_for(event(std::nullopt, false, false), 0, 1000)), "");
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("a b&c=d/é~-._"), "a%20b%26c%3Dd%2F%C3%A9~-._");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(TicketCode, AnyCaseSpacingAndDashesAndLookAlikes) {
  EXPECT_EQ(normalize_ticket_code("abcd-efgh 1jkm"), "ABCDEFGH1JKM");
  EXPECT_EQ(normalize_ticket_code(" O0o.I1l_L\n"), "0001111");
  EXPECT_EQ(normalize_ticket_code(""), "");
}

// Issue 14 (review): a long exhibition that started days ago does not pin the
// programme's first page to its first day.
TEST(ProgrammePage, OpensOnTodayEvenWhenALongEventStartedBefore) {
  auto event_at = [](const std::string& key, UnixSeconds start, UnixSeconds end) {
    Event e;
    e.key = key;
    e.title = key;
    e.time_zone = "Europe/Berlin";
    e.status = EventStatus::published;
    e.starts_at = start;
    e.ends_at = end;
    return e;
  };
  const UnixSeconds fri = 1939104000;  // 2031-06-13 10:00 Berlin (08:00 UTC)
  const auto p = build_programme({event_at("exhibition", fri - 2 * 86400, fri + 2 * 86400), event_at("talk", fri, fri + 3600),
                                  event_at("film", fri + 86400, fri + 90000)},
                                 1);
  EXPECT_EQ(first_upcoming_day(*p, fri - 3 * 86400), "2031-06-11") << "before the festival: its first day";
  EXPECT_EQ(first_upcoming_day(*p, fri), "2031-06-13") << "today, not the exhibition's first day";
  EXPECT_EQ(first_upcoming_day(*p, fri + 10 * 86400), "2031-06-14") << "after it: the last day";
}
