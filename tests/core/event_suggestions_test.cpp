// "Also at this venue" and "at the same time" on an event's page (issue 20).
#include <gtest/gtest.h>

#include "app/programme_cache.hpp"
#include "core/event_suggestions.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using marquee::testing::an_event;

namespace {

constexpr UnixSeconds kNine = 1800000000;  // 11 January 2027 09:00 in Berlin

std::vector<std::string> keys(const std::vector<const ProgrammeEntry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries) out.push_back(e->event.key);
  return out;
}

}  // namespace

TEST(EventSuggestions, SameVenueThatDayAndOverlapsElsewhere) {
  auto p = build_programme({an_event("talk").venue("Hall").at(kNine, 3600),
                            an_event("hall-later").venue("Hall").at(kNine + 3 * 3600),
                            an_event("hall-before").venue("Hall").at(kNine - 2 * 3600),
                            an_event("hall-tomorrow").venue("Hall").at(kNine + 86400),
                            an_event("cellar-overlap").venue("Cellar").at(kNine + 1800),
                            an_event("cellar-after").venue("Cellar").at(kNine + 3600),
                            an_event("park-cancelled").venue("Park").at(kNine).status(EventStatus::cancelled)},
                           1);
  const auto s = suggest_events(*p, *p->find("talk"), 4);
  EXPECT_EQ(keys(s.same_venue), (std::vector<std::string>{"hall-before", "hall-later"}))
      << "the same venue that day, in programme order, never the next day";
  EXPECT_EQ(keys(s.same_time), std::vector<std::string>{"cellar-overlap"})
      << "an event starting as this one ends does not overlap; cancelled ones are left out";
}

TEST(EventSuggestions, KeepsTheClosestStartsUpToTheLimit) {
  std::vector<Event> events{an_event("talk").venue("Hall").at(kNine, 4 * 3600)};
  for (int i = 0; i < 6; ++i)
    events.push_back(an_event("room" + std::to_string(i)).venue("Room " + std::to_string(i)).at(kNine + i * 1800));
  auto p = build_programme(events, 1);
  const auto s = suggest_events(*p, *p->find("talk"), 3);
  EXPECT_EQ(keys(s.same_time), (std::vector<std::string>{"room0", "room1", "room2"}));
  EXPECT_TRUE(s.same_venue.empty());
}

TEST(EventSuggestions, AllDayEventsAreNotAtTheSameTime) {
  Event fair = an_event("fair").venue("Square").at(kNine, 8 * 3600);
  fair.all_day = true;
  auto p = build_programme({fair, an_event("talk").venue("Hall").at(kNine)}, 1);
  EXPECT_TRUE(suggest_events(*p, *p->find("talk"), 4).same_time.empty());
  EXPECT_TRUE(suggest_events(*p, *p->find("fair"), 4).same_time.empty());
}
