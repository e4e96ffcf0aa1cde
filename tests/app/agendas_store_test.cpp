// Personal agendas (issue 20) on SQLite and PostgreSQL through AgendaService:
// a private token whose hash alone is stored, keys kept in order without
// repeats, If-Match revisions against lost updates, field errors, retention.
#include <gtest/gtest.h>

#include "app/agendas.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
constexpr UnixSeconds kNow = 1795000000;
}  // namespace

template <typename B>
using Agendas = StoreTest<B>;
TYPED_TEST_SUITE(Agendas, Backends, BackendNames);

TYPED_TEST(Agendas, PrivateLinkRevisionsAndRetention) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  AgendaService agendas(store, clock);

  const NewAgenda made = agendas.create();
  EXPECT_EQ(made.token.size(), 43u);
  EXPECT_NE(made.agenda.token_hash, made.token);
  EXPECT_FALSE(store.find_agenda(made.token));  // the store holds no token, only its hash
  ASSERT_TRUE(agendas.find(made.token));
  EXPECT_TRUE(agendas.find(made.token)->event_keys.empty());
  EXPECT_NE(agendas.create().token, made.token);

  clock.set(kNow + 60);
  auto saved = agendas.save(made.token, {"hl27-016", "HL27-017", "hl27-016", "hl27-023"}, 0);
  ASSERT_TRUE(std::holds_alternative<AgendaSaved>(saved));
  const auto& first = std::get<AgendaSaved>(saved);
  EXPECT_EQ(first.result, AgendaSaved::Result::saved);
  EXPECT_EQ(first.agenda->event_keys, (std::vector<std::string>{"hl27-016", "hl27-017", "hl27-023"}));
  EXPECT_EQ(first.agenda->revision, 1);
  EXPECT_EQ(agendas.find(made.token)->updated_at, kNow + 60);

  // A device that read revision 0 loses: conflict, with the agenda as it stands; nothing changes.
  auto stale = std::get<AgendaSaved>(agendas.save(made.token, {"x1"}, 0));
  EXPECT_EQ(stale.result, AgendaSaved::Result::conflict);
  EXPECT_EQ(stale.agenda->revision, 1);
  EXPECT_EQ(agendas.find(made.token)->event_keys.size(), 3u);
  // Without If-Match the last write wins; an empty agenda is an agenda.
  EXPECT_EQ(std::get<AgendaSaved>(agendas.save(made.token, {}, std::nullopt)).agenda->revision, 2);
  EXPECT_TRUE(agendas.find(made.token)->event_keys.empty());

  auto bad = agendas.save(made.token, {"ok-key", "not a key"}, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad));
  EXPECT_EQ(std::get<FieldErrors>(bad)[0].first, "events[1]");
  std::vector<std::string> many(AgendaService::kMaxEvents + 1, "k");
  EXPECT_TRUE(std::holds_alternative<FieldErrors>(agendas.save(made.token, many, std::nullopt)));
  EXPECT_EQ(std::get<AgendaSaved>(agendas.save("A" + std::string(42, 'b'), {}, std::nullopt)).result,
            AgendaSaved::Result::not_found);
  EXPECT_FALSE(agendas.find("short"));

  // Retention counts from the last use, a change or a read (a calendar app polling the feed reads it).
  const std::int64_t keep = std::int64_t{AgendaService::kRetentionDays} * 86400;
  const UnixSeconds read_at = kNow + 30 * 86400;
  clock.set(read_at);
  ASSERT_TRUE(agendas.find(made.token));
  EXPECT_EQ(store.find_agenda(made.agenda.token_hash)->used_at, read_at);
  EXPECT_EQ(store.find_agenda(made.agenda.token_hash)->updated_at, kNow + 60) << "a read is not a change";
  clock.set(read_at + 3600);
  ASSERT_TRUE(agendas.find(made.token));
  EXPECT_EQ(store.find_agenda(made.agenda.token_hash)->used_at, read_at) << "marked at most once a day";
  clock.set(kNow + keep + 30);
  EXPECT_EQ(agendas.purge(), 1);  // the second agenda, never used since kNow
  EXPECT_TRUE(store.find_agenda(made.agenda.token_hash)) << "read 30 days in: kept";
  clock.set(read_at + keep + 30);
  EXPECT_EQ(agendas.purge(), 1);
  EXPECT_FALSE(store.find_agenda(made.agenda.token_hash));
}
