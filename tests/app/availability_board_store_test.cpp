// app/availability_board on SQLite and PostgreSQL: places taken per event as
// the public pages count them. The store lists only events with places taken
// (a programme of 100,000 events re-read every 2 s by each server was 100,000
// rows each time, issue 22); the board answers 0 for the others, and nothing
// until its first refresh.
#include <gtest/gtest.h>

#include "app/availability_board.hpp"
#include "core/event_key.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;

std::vector<RegistrationRequest> people(const std::string& event, int n) {
  std::vector<RegistrationRequest> out;
  for (int i = 1; i <= n; ++i) {
    RegistrationRequest r;
    r.event_key = event;
    r.name = "Attendee " + std::to_string(i);
    r.email = event + std::to_string(i) + "@example.org";
    r.request_hash = sha256_hex(event + std::to_string(i));
    r.token_hash = sha256_hex(event + "t" + std::to_string(i));
    r.ticket_code = sha256_hex(event + "c" + std::to_string(i)).substr(0, 12);  // unique per registration
    out.push_back(r);
  }
  return out;
}

}  // namespace

template <typename B>
using AvailabilityBoardStore = StoreTest<B>;
TYPED_TEST_SUITE(AvailabilityBoardStore, Backends, BackendNames);

TYPED_TEST(AvailabilityBoardStore, OnlyEventsWithPlacesTakenAreListedAndTheRestCountZero) {
  Store& store = *this->store_;
  store.upsert_events({an_event("busy").title("Busy").at(kNow + 86400).registration(10, true),
                       an_event("quiet").title("Quiet").at(kNow + 86400).registration(5, true),
                       an_event("open").title("Open").at(kNow + 86400)},
                      kNow);
  AvailabilityBoard board(store);
  EXPECT_EQ(board.taken("busy"), std::nullopt) << "nothing is known before the first refresh";

  store.register_batch(people("busy", 3), kNow);
  const auto counts = store.taken_counts();
  EXPECT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts.at("busy"), 3);
  EXPECT_EQ(counts.count("quiet"), 0u) << "a counter with no place taken is not read";

  board.refresh();
  EXPECT_EQ(board.taken("busy"), 3);
  EXPECT_EQ(board.taken("quiet"), 0);
  EXPECT_EQ(board.taken("open"), 0);
  EXPECT_EQ(board.taken("no-such-event"), 0);

  store.register_batch(people("quiet", 5), kNow);
  board.refresh();
  EXPECT_EQ(board.taken("quiet"), 5);
  EXPECT_EQ(board.taken("busy"), 3);

  // Every place of "busy" cancelled: it leaves the list, and the board, which
  // replaces its whole map on each refresh, reads 0 again (not a stale 3).
  for (const auto& r : people("busy", 3))
    EXPECT_EQ(store.cancel_registration(r.token_hash, kNow + 60, "attendee").result, CancelResult::cancelled);
  EXPECT_EQ(store.taken_counts().count("busy"), 0u);
  board.refresh();
  EXPECT_EQ(board.taken("busy"), 0);
  EXPECT_EQ(board.taken("quiet"), 5);
}
